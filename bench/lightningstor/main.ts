// `npm run bench -- lightningstor [--seconds N] [--runs N] [--sizes 4k,1m,64m] [--clients 1,16]
//   [--ops PUT,GET] [--no-fsync]`; BENCH_LS_NODE_FLAGS="--cpu-prof --cpu-prof-dir DIR" profiles ours.
// PUT and GET throughput of lightningstor (S3, SigV4, 4+2 erasure coding over six embedded
// storage nodes, fsynced chunks) against nginx serving and accepting (WebDAV PUT) the same
// files from disk, in one run, each in its own process on loopback, with each side's CPU.
// Also measures the raw sequential write bandwidth of the disk (write + fdatasync), and per
// PUT cell the disk's durable-write bandwidth at that object size and concurrency
// (durable-write-probe.ts: a file per object, fdatasync + directory fsync, as we do).
import { type ChildProcess, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { Agent } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { cpuSeconds, startLightningstor, startNginx, type Target } from "./targets.ts";

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : dflt;
};
const seconds = Number(arg("seconds", "4"));
const sizeOf = (s: string) =>
  Number.parseInt(s, 10) * (s.endsWith("m") ? 1024 * 1024 : s.endsWith("k") ? 1024 : 1);
const sizes = arg("sizes", "4k,1m,64m")
  .split(",")
  .map((s) => ({ label: s.toUpperCase().replace(/K$/, " KiB").replace(/M$/, " MiB"), bytes: sizeOf(s) }));
const clients = arg("clients", "1,16").split(",").map(Number);
const fsync = !args.includes("--no-fsync");
const runs = Number(arg("runs", "1"));
const ops = arg("ops", "PUT,GET").split(",") as ("PUT" | "GET")[];
/** Extra node flags for the lightningstor process, e.g. "--cpu-prof --cpu-prof-dir /tmp/prof". */
const nodeFlags = (process.env.BENCH_LS_NODE_FLAGS ?? "").split(" ").filter(Boolean);
/** Most bytes one cell moves, so a 64 MiB × 16 cell cannot run away. */
const maxBytesPerCell = 4 * 1024 ** 3;

interface Cell {
  mbPerSec: number;
  opsPerSec: number;
  cpuPercent: number;
}

async function runCell(
  t: Target,
  op: "PUT" | "GET",
  size: number,
  conc: number,
  body: Buffer,
  keys: string[],
): Promise<Cell> {
  const agent = new Agent({ keepAlive: true, maxSockets: conc });
  const maxOps = Math.max(conc, Math.floor(maxBytesPerCell / size));
  let started = 0;
  let done = 0;
  let bytes = 0;
  let errors = 0;
  const cpu0 = cpuSeconds(t.pids());
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (performance.now() < deadline && started < maxOps) {
        const i = started++;
        const key = keys[i % keys.length] as string;
        try {
          if (op === "PUT") {
            await t.put(agent, key, body);
            bytes += size;
          } else {
            const n = await t.get(agent, key);
            bytes += n;
          }
          done++;
        } catch (err) {
          // A failed request is counted and reported, not fatal to the whole run.
          if (errors++ === 0)
            console.error(`${t.name} ${op} ${size}: ${(err as Error).message.slice(0, 200)}`);
        }
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(t.pids()) - cpu0;
  agent.destroy();
  if (errors) console.error(`${t.name} ${op} ${size} × ${conc}: ${errors} failed requests`);
  return { mbPerSec: bytes / secs / 1e6, opsPerSec: done / secs, cpuPercent: (cpu / secs) * 100 };
}

/** Durable one-file-per-object write bandwidth of the disk (durable-write-probe.ts). */
function durableWriteMBps(dir: string, size: number, conc: number): number {
  const out = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(import.meta.dirname, "durable-write-probe.ts"),
      dir,
      String(size),
      String(conc),
      String(seconds),
    ],
    { env: { ...process.env, UV_THREADPOOL_SIZE: "64" }, encoding: "utf8", timeout: (seconds + 60) * 1000 },
  );
  return (JSON.parse(out.trim().split("\n").pop() as string) as { mbPerSec: number }).mbPerSec;
}

function rawDiskWriteMBps(dir: string): number {
  const file = join(dir, "disk-probe");
  const block = randomBytes(4 * 1024 * 1024);
  const total = 512 * 1024 * 1024;
  const fd = openSync(file, "w");
  const t0 = performance.now();
  for (let n = 0; n < total; n += block.length) writeSync(fd, block);
  fdatasyncSync(fd);
  const secs = (performance.now() - t0) / 1000;
  closeSync(fd);
  rmSync(file);
  return total / secs / 1e6;
}

const root = mkdtempSync(join(tmpdir(), "bench-ls-"));
const children: ChildProcess[] = [];
try {
  const disk = rawDiskWriteMBps(root);
  const ours = await startLightningstor(join(root, "ls"), { fsync, nodeFlags });
  children.push(ours.child);
  const nginx = await startNginx(join(root, "nginx"));
  children.push(nginx.child);
  console.log(`raw disk sequential write (write + fdatasync, 512 MiB): ${disk.toFixed(0)} MB/s`);
  console.log(
    `lightningstor: 4+2 erasure coding, 6 embedded storage nodes (worker threads), fsync ${fsync ? "on" : "off"} (a PUT is acknowledged after fdatasync of ≥ k+1 chunks and the synced metadata commit; objects ≤ 32 KiB are inline in the metadata store); nginx: 2 worker processes, WebDAV PUT that does NOT fsync, sendfile GET; same disk`,
  );
  console.log(
    `${seconds}s per cell (at most ${maxBytesPerCell / 1024 ** 3} GiB), ${runs} run(s), medians; MB/s = 10^6 bytes/s; CPU = % of one core; load = 1-min load average at the cell's start\n`,
  );
  const header = [
    "op",
    "size",
    "clients",
    "ours MB/s",
    "ours ops/s",
    "ours CPU%",
    "nginx MB/s",
    "nginx ops/s",
    "nginx CPU%",
    "ratio",
    "vs disk",
    "durable disk MB/s",
    "vs durable",
    "load",
  ];
  const median = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  };
  interface Sample {
    /** PUT cells: the disk's durable-write MB/s at this size and concurrency. */
    durable?: number;
    o: Cell;
    n: Cell;
    load: number;
  }
  const samples = new Map<string, Sample[]>();
  const order: { op: string; label: string; conc: number }[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const { label, bytes: size } of sizes) {
      const body = randomBytes(size);
      for (const conc of clients) {
        // Enough distinct keys for every client, but at most ~512 MiB of them per size.
        const keys = Array.from(
          { length: Math.max(Math.min(conc * 2, Math.floor((512 * 1024 * 1024) / size)), 2) },
          (_, i) => `obj-${size}-${i}`,
        );
        for (const op of ops) {
          if (op === "GET") {
            // Make sure every key exists on both sides before timing reads.
            const a = new Agent({ keepAlive: true, maxSockets: 4 });
            for (const k of keys) {
              await ours.target.put(a, k, body);
              await nginx.target.put(a, k, body);
            }
            a.destroy();
          }
          const load = loadavg()[0] as number;
          const durable = op === "PUT" ? durableWriteMBps(root, size, conc) : undefined;
          const o = await runCell(ours.target, op, size, conc, body, keys);
          const n = await runCell(nginx.target, op, size, conc, body, keys);
          const id = `${op} ${label} ${conc}`;
          if (!samples.has(id)) {
            samples.set(id, []);
            order.push({ op, label, conc });
          }
          samples.get(id)?.push({ o, n, load, ...(durable !== undefined ? { durable } : {}) });
          console.log(
            `run ${run}\t${id}\tours ${o.mbPerSec.toFixed(1)} MB/s ${o.cpuPercent.toFixed(0)}% CPU\tnginx ${n.mbPerSec.toFixed(1)} MB/s ${n.cpuPercent.toFixed(0)}% CPU\tratio ${(o.mbPerSec / n.mbPerSec).toFixed(2)}${durable !== undefined ? `\tdurable disk ${durable.toFixed(1)} MB/s` : ""}\tload ${load.toFixed(1)}`,
          );
        }
      }
    }
  }
  console.log(`\n| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const { op, label, conc } of order) {
    const ss = samples.get(`${op} ${label} ${conc}`) as Sample[];
    const m = (f: (s: Sample) => number) => median(ss.map(f));
    const ours = m((s) => s.o.mbPerSec);
    const row = [
      op,
      label,
      String(conc),
      ours.toFixed(1),
      m((s) => s.o.opsPerSec).toFixed(0),
      m((s) => s.o.cpuPercent).toFixed(0),
      m((s) => s.n.mbPerSec).toFixed(1),
      m((s) => s.n.opsPerSec).toFixed(0),
      m((s) => s.n.cpuPercent).toFixed(0),
      m((s) => s.o.mbPerSec / s.n.mbPerSec).toFixed(2),
      op === "PUT" ? (ours / disk).toFixed(2) : "",
      op === "PUT" ? m((s) => s.durable ?? 0).toFixed(1) : "",
      op === "PUT" ? m((s) => s.o.mbPerSec / (s.durable ?? Number.NaN)).toFixed(2) : "",
      m((s) => s.load).toFixed(1),
    ];
    console.log(`| ${row.join(" | ")} |`);
  }
  console.log(
    `\nvs disk = object MB/s ÷ raw disk write (${disk.toFixed(0)} MB/s); 4+2 writes 1.5× the object bytes, so the disk itself saw 1.5× that.\nvs durable = object MB/s ÷ the disk's durable-write MB/s for the same object size and clients, measured just before the cell (one file per object, write + fdatasync + directory fsync: the fsync policy of a single-copy durable store); 4+2 makes 6 such files of 1/4 the size per stripe.`,
  );
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  if (process.env.BENCH_KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
}
