// remote_write over HTTP into a `photon nightlight` process, for A/B measurements of the server
// alone (no Prometheus): server CPU per sample (all its threads, from /proc) and wall time.
//   node --import tsx bench/nightlight/ingest-http.ts [--requests 2000] [--rounds 2] [--flags "--no-decode-worker"]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { snappyCompress } from "../../src/nightlight/ingest/snappy.ts";
import { encodeWriteRequest, type WriteSeries } from "../../src/nightlight/ingest/write-request.ts";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    shards: { type: "string", default: "8" },
    rounds: { type: "string", default: "2" },
    /** Two server variants compared in alternation, separated by "|". */
    variants: { type: "string", default: "|--no-decode-worker" },
    /** Write CPU profiles of the server's threads (node --cpu-prof) into this directory. */
    "profile-dir": { type: "string" },
  },
});
const shards = Number(args.shards);
const perShard = Math.ceil(Number(args.requests) / shards);
const seriesPerShard = 250;
const perRequest = 4;
const t0 = 1_700_000_000_000;

const bodies: Buffer[][] = [];
for (let sh = 0; sh < shards; sh++) {
  const list: Buffer[] = [];
  for (let r = 0; r < perShard; r++) {
    const series: WriteSeries[] = Array.from({ length: seriesPerShard }, (_, i) => ({
      labels: [
        ["__name__", `bench_metric_${i % 25}`],
        ["instance", `10.0.${sh}.${i}:9100`],
        ["job", "bench"],
        ["path", `/api/v${i % 10}`],
      ],
      ts: Array.from({ length: perRequest }, (_, k) => t0 + (r * perRequest + k) * 15_000),
      vs: Array.from({ length: perRequest }, (_, k) =>
        i % 3 === 0 ? r * perRequest + k : 50 + ((i + r + k) % 100) / 10,
      ),
    }));
    list.push(Buffer.from(snappyCompress(encodeWriteRequest({ series }))));
  }
  bodies.push(list);
}
const samples = shards * perShard * seriesPerShard * perRequest;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
/** CPU seconds of a process (all threads), or of one thread with `tid`. */
const cpuSeconds = (pid: number, tid?: number) => {
  const f = readFileSync(tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`, "utf8");
  const x = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(x[11]) + Number(x[12])) / 100;
};

async function once(
  flags: string[],
): Promise<{ cpuUsPerSample: number; mainUsPerSample: number; wallS: number }> {
  const dir = mkdtempSync(join(tmpdir(), "nl-ihttp-"));
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [
      ...(args["profile-dir"] ? ["--cpu-prof", `--cpu-prof-dir=${args["profile-dir"]}`] : []),
      "bin/photon.js",
      "nightlight",
      "--data-dir",
      dir,
      "--port",
      String(port),
      "--listen",
      "127.0.0.1",
      "--no-scrape-platform",
      "--max-samples-per-second",
      "1000000000",
      "--log-level",
      "warn",
      ...flags,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/readyz`)).ok) break;
      } catch {}
      if (i > 600) throw new Error("server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
    const token = readFileSync(join(dir, "admin-token"), "utf8").trim();
    const cpu0 = cpuSeconds(proc.pid!);
    const main0 = cpuSeconds(proc.pid!, proc.pid!);
    const start = performance.now();
    await Promise.all(
      bodies.map(async (list) => {
        for (const body of list) {
          const res = await fetch(`${url}/api/v1/write`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/x-protobuf" },
            body,
          });
          await res.arrayBuffer();
          if (res.status !== 204) throw new Error(`status ${res.status}`);
        }
      }),
    );
    const wallS = (performance.now() - start) / 1000;
    return {
      cpuUsPerSample: ((cpuSeconds(proc.pid!) - cpu0) * 1e6) / samples,
      mainUsPerSample: ((cpuSeconds(proc.pid!, proc.pid!) - main0) * 1e6) / samples,
      wallS,
    };
  } finally {
    // SIGTERM lets a profiled server write its profile.
    proc.kill(args["profile-dir"] ? "SIGTERM" : "SIGKILL");
    await new Promise((r) => proc.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const variants = args.variants.split("|").map((v) => v.split(" ").filter(Boolean));
for (let r = 0; r < Number(args.rounds); r++) {
  for (const v of variants) {
    const out = await once(v);
    console.log(
      `[${v.join(" ") || "default"}] ${samples} samples: server CPU ${out.cpuUsPerSample.toFixed(2)} µs/sample (main thread ${out.mainUsPerSample.toFixed(2)}), ${Math.round(samples / out.wallS)} samples/s wall`,
    );
  }
}
