// `npm run bench -- flaredb [--seconds N] [--keys N] [--inflight N]`: YCSB-style workloads
// A (50/50 read/update), B (95/5), C (read only) and E (short scans, 5 % inserts) against
// flaredb on three stores (each `photon flaredb` in its own process, fsync on) and a placement
// driver. Prints ops/s and p50/p99 per workload with the load average. The anchors the issue
// asks for (chainfire, etcd 3.4 in the same run) are not wired in yet.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { FlareClient } from "../../src/flaredb/client.ts";

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seconds = arg("seconds", 5);
const KEYS = arg("keys", 10_000);
const INFLIGHT = arg("inflight", 32);
const VALUE_BYTES = 256;
const photon = join(import.meta.dirname, "..", "..", "bin", "photon.js");

function start(argv: string[], re: RegExp): Promise<{ child: ChildProcess; value: string }> {
  const child = spawn(process.execPath, [photon, ...argv], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`no ${re} in ${buf}`)), 90_000);
    const on = (d: Buffer) => {
      if (buf.length < 100_000) buf += d.toString();
      const m = re.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve({ child, value: m[1]! });
      }
    };
    child.stdout.on("data", on);
    child.stderr.on("data", on);
  });
}

const key = (i: number) => `user${String(i).padStart(10, "0")}`;
const value = "v".repeat(VALUE_BYTES);

interface Result {
  ops: number;
  p50: number;
  p99: number;
}

async function run(op: (rnd: number) => Promise<unknown>): Promise<Result> {
  const lat: number[] = [];
  const until = Date.now() + seconds * 1000;
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  await Promise.all(
    Array.from({ length: INFLIGHT }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        await op(rnd());
        lat.push(performance.now() - t);
      }
    }),
  );
  lat.sort((a, b) => a - b);
  return {
    ops: lat.length / seconds,
    p50: lat[Math.floor(lat.length * 0.5)] ?? 0,
    p99: lat[Math.floor(lat.length * 0.99)] ?? 0,
  };
}

const dir = mkdtempSync(join(tmpdir(), "flaredb-bench-"));
const children: ChildProcess[] = [];
try {
  const pd = await start(
    [
      "flaredb-pd",
      "--port",
      "0",
      "--data-dir",
      join(dir, "pd"),
      "--log-level",
      "warn",
      "--bootstrap-wait-ms",
      "30000",
    ],
    /flaredb-pd serving \{"pd":"([^"]+)"/,
  );
  children.push(pd.child);
  for (let i = 0; i < 3; i++) {
    const s = await start(
      [
        "flaredb",
        "--port",
        "0",
        "--raft-port",
        "0",
        "--metrics-port",
        "-1",
        "--pd",
        pd.value,
        "--data-dir",
        join(dir, `s${i}`),
        "--log-level",
        "warn",
      ],
      /flaredb serving (\{.*\})/,
    );
    children.push(s.child);
  }
  const c = new FlareClient({ pd: [pd.value] });
  for (let tries = 0; !(await c.regions()).regions.some((r) => r.leader); tries++) {
    if (tries > 200) throw new Error("no leader");
    await new Promise((r) => setTimeout(r, 100));
  }
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: INFLIGHT }, async () => {
      while (next < KEYS) await c.put(key(next++), value);
    }),
  );
  console.log(
    `loaded ${KEYS} keys in ${((Date.now() - t0) / 1000).toFixed(1)} s; load average ${loadavg()[0]!.toFixed(1)}`,
  );
  const pick = (r: number) => key(Math.floor(r * KEYS));
  let inserted = KEYS;
  const workloads: Array<[string, (r: number) => Promise<unknown>]> = [
    ["A 50/50", (r) => (r < 0.5 ? c.get(pick(r * 2)) : c.put(pick((r - 0.5) * 2), value))],
    ["B 95/5", (r) => (r < 0.95 ? c.get(pick(r / 0.95)) : c.put(pick((r - 0.95) * 20), value))],
    ["C read", (r) => c.get(pick(r))],
    [
      "E scan",
      (r) => (r < 0.95 ? c.scan(pick(r / 0.95), undefined, { limit: 10 }) : c.put(key(inserted++), value)),
    ],
  ];
  console.log(`| workload | in flight | ops/s | p50 ms | p99 ms | load avg |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const [name, op] of workloads) {
    const r = await run(op);
    console.log(
      `| ${name} | ${INFLIGHT} | ${r.ops.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${loadavg()[0]!.toFixed(1)} |`,
    );
  }
  c.close();
} finally {
  for (const ch of children) ch.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
