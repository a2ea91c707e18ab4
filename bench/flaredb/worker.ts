// One load-generator process of bench/flaredb. Several run side by side, because one Node
// process tops out on client CPU (HTTP/2 or gRPC framing) well before the servers do.
// argv[2] is a JSON job:
//   load: writes records [from, to) in batches of `batch` pairs, `inFlight` batches at a time
//   run:  prints READY after a warm-up, waits for a line on stdin, runs the workload for
//         `seconds` with `inFlight` calls outstanding, prints one JSON result line
// Both speak the system's native protocol: flaredb's client (region cache, HTTP/2 to leaders),
// or the etcd v3 gRPC API for etcd and chainfire (puts, linearizable ranges, txns for batches).
import { createInterface } from "node:readline";
import { z } from "zod";
import { ChainfireClient } from "../../src/chainfire/client.ts";
import { FlareClient } from "../../src/flaredb/client.ts";
import { OperationStream, recordKey, VALUE_BYTES, WORKLOADS } from "./ycsb.ts";

/** Latencies kept per worker for the percentiles (reservoir beyond it). */
const MAX_SAMPLES = 200_000;
/**
 * Tries per load batch (a batch of puts is idempotent): a loaded machine can push a 128-put
 * txn past chainfire's client deadline for a while.
 */
const LOAD_ATTEMPTS = 30;
/** Warm-up before READY: connections open, region caches filled. */
const WARMUP_MS = 500;

const jobSchema = z.object({
  mode: z.enum(["load", "run"]),
  system: z.enum(["flaredb", "chainfire", "etcd"]),
  endpoints: z.array(z.string()).min(1),
  records: z.number().int().min(1),
  worker: z.number().int().min(0),
  inFlight: z.number().int().min(1).max(4096),
  connections: z.number().int().min(1).max(64).default(2),
  from: z.number().int().min(0).default(0),
  to: z.number().int().min(0).default(0),
  batch: z.number().int().min(1).max(1024).default(128),
  workload: z.enum(["A", "B", "C", "E"]).default("C"),
  seconds: z.number().min(0.1).max(600).default(5),
});
type Job = z.infer<typeof jobSchema>;

interface Kv {
  read(key: string): Promise<unknown>;
  update(key: string, value: Buffer): Promise<unknown>;
  scan(key: string, end: string, length: number): Promise<unknown>;
  batchPut(pairs: Array<[string, Buffer]>): Promise<unknown>;
  /** Client-side routing counters (flaredb: retries after NotLeader, stale epochs, …). */
  stats(): Record<string, number>;
  close(): void;
}

function connect(job: Job): Kv {
  if (job.system === "flaredb") {
    const c = new FlareClient({ pd: job.endpoints, timeoutMs: 30_000 });
    return {
      read: (k) => c.get(k),
      update: (k, v) => c.put(k, v),
      scan: (k, end, n) => c.scan(k, end, { limit: n }),
      batchPut: (pairs) => c.batchPut(pairs),
      stats: () => ({ ...c.stats }),
      close: () => c.close(),
    };
  }
  // etcd's clients spread connections over the members; so do we (offset per worker).
  const clients = Array.from(
    { length: job.connections },
    (_, i) => new ChainfireClient(job.endpoints[(job.worker + i) % job.endpoints.length]!),
  );
  let turn = 0;
  const pick = () => clients[turn++ % clients.length]!;
  return {
    read: (k) => pick().get(k),
    update: (k, v) => pick().put(k, v),
    // A bounded range: etcd counts every key up to range_end even with a limit, so an
    // open-ended range ("the next n keys") costs O(keyspace) there.
    scan: (k, end, n) => pick().range(k, { rangeEnd: end, limit: n }),
    batchPut: (pairs) =>
      pick().txn(
        [],
        pairs.map(([key, value]) => ({ put: { key, value } })),
      ),
    stats: () => ({}),
    close: () => {
      for (const c of clients) c.close();
    },
  };
}

async function load(job: Job, kv: Kv, value: Buffer): Promise<void> {
  let next = job.from;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: job.inFlight }, async () => {
      while (next < job.to) {
        const start = next;
        const end = Math.min(job.to, start + job.batch);
        next = end;
        const pairs: Array<[string, Buffer]> = [];
        for (let i = start; i < end; i++) pairs.push([recordKey(i), value]);
        for (let attempt = 0; ; attempt++) {
          try {
            await kv.batchPut(pairs);
            break;
          } catch (err) {
            errors++;
            if (attempt >= LOAD_ATTEMPTS) throw err;
            await new Promise((r) => setTimeout(r, Math.min(2_000, 200 * (attempt + 1))));
          }
        }
      }
    }),
  );
  console.log(
    JSON.stringify({ loaded: job.to - job.from, errors, seconds: (performance.now() - t0) / 1000 }),
  );
}

async function run(job: Job, kv: Kv, value: Buffer): Promise<void> {
  const mix = WORKLOADS[job.workload];
  const stream = new OperationStream(
    mix,
    job.records,
    1000 + job.worker,
    2_000_000_000 + job.worker * 10_000_000,
  );
  const latencies: number[] = [];
  let ops = 0;
  let errors = 0;
  let firstError = "";
  const one = async () => {
    const op = stream.next();
    switch (op.type) {
      case "read":
        return kv.read(op.key);
      case "update":
      case "insert":
        return kv.update(op.key, value);
      case "scan":
        return kv.scan(op.key, op.end, op.length);
    }
  };
  const drive = async (until: number, record: boolean) => {
    await Promise.all(
      Array.from({ length: job.inFlight }, async () => {
        while (performance.now() < until) {
          const t = performance.now();
          try {
            await one();
          } catch (err) {
            if (!record) continue;
            errors++;
            firstError ||= (err as Error).message;
            continue;
          }
          if (!record) continue;
          ops++;
          const ms = performance.now() - t;
          if (latencies.length < MAX_SAMPLES) latencies.push(ms);
          else {
            const j = Math.floor(Math.random() * ops);
            if (j < MAX_SAMPLES) latencies[j] = ms;
          }
        }
      }),
    );
  };
  await drive(performance.now() + WARMUP_MS, false);
  console.log("READY");
  const rl = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => rl.once("line", () => resolve()));
  rl.close();
  const cpu0 = process.cpuUsage();
  const stats0 = kv.stats();
  const t0 = performance.now();
  await drive(t0 + job.seconds * 1000, true);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      ops,
      errors,
      firstError,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      routing: Object.fromEntries(Object.entries(kv.stats()).map(([k, v]) => [k, v - (stats0[k] ?? 0)])),
      latencies: latencies.map((l) => Math.round(l * 100) / 100),
    }),
  );
}

const job = jobSchema.parse(JSON.parse(process.argv[2] ?? "{}"));
const kv = connect(job);
const value = Buffer.alloc(VALUE_BYTES, 0x76);
try {
  if (job.mode === "load") await load(job, kv, value);
  else await run(job, kv, value);
} finally {
  kv.close();
}
process.exit(0);
