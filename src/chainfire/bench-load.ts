// The load generator behind `photon chainfire bench` and bench/chainfire: N calls in flight
// spread over a few connections, for a bounded time, with latency percentiles. It only speaks
// the etcd v3 API, so it measures chainfire and etcd alike: puts and gets through the lean
// BenchKvClient (bare gRPC on node:http2), txns and watches through ChainfireClient.
import { BenchKvClient } from "./bench-kv-client.ts";
import { ChainfireClient, type WatchHandle } from "./kv-client.ts";

export type BenchWorkload = "put" | "range" | "txn" | "watch";

export interface BenchOptions {
  endpoints: string[];
  workload: BenchWorkload;
  seconds: number;
  inFlight: number;
  /** Client connections the calls are spread over (round-robin over the endpoints). */
  connections: number;
  valueBytes: number;
  keys: number;
  /** range: serializable (local) instead of linearizable reads. */
  serializable: boolean;
  keyPrefix: string;
}

export interface BenchResult {
  workload: BenchWorkload;
  inFlight: number;
  ops: number;
  errors: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** Bounds on what a bench may ask for (it is an operator command, not a load test farm). */
export const BENCH_LIMITS = {
  maxSeconds: 600,
  maxInFlight: 4096,
  maxConnections: 64,
  maxValueBytes: 1_048_576,
};
/** Keys encoded once up front (beyond it, each call encodes its key). */
const MAX_PREBUILT_KEYS = 100_000;
/** Latencies kept for the percentiles; beyond it, reservoir sampling keeps them representative. */
const MAX_SAMPLES = 1_000_000;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const connections = Math.max(1, o.connections);
  const endpointOf = (i: number) => o.endpoints[i % o.endpoints.length]!;
  const lean = o.workload === "put" || o.workload === "range";
  const clients = lean
    ? []
    : Array.from({ length: connections }, (_, i) => new ChainfireClient(endpointOf(i)));
  const leanClients = lean
    ? Array.from({ length: connections }, (_, i) => new BenchKvClient(endpointOf(i)))
    : [];
  const value = Buffer.alloc(o.valueBytes, 0x61);
  const key = (i: number) => `${o.keyPrefix}${i % o.keys}`;
  const keyBytes = Array.from({ length: Math.min(o.keys, MAX_PREBUILT_KEYS) }, (_, i) => Buffer.from(key(i)));
  const keyBuf = (i: number) => keyBytes[i % o.keys] ?? Buffer.from(key(i));
  const latencies: number[] = [];
  let ops = 0;
  let errors = 0;
  let n = 0;
  const record = (ms: number) => {
    ops++;
    if (latencies.length < MAX_SAMPLES) latencies.push(ms);
    else {
      const j = Math.floor(Math.random() * ops);
      if (j < MAX_SAMPLES) latencies[j] = ms;
    }
  };
  const watchers: WatchHandle[] = [];
  try {
    if (lean) {
      const leanOp =
        o.workload === "put"
          ? (c: BenchKvClient, i: number) => c.put(keyBuf(i), value)
          : (c: BenchKvClient, i: number) => c.get(keyBuf(i), o.serializable);
      const r = await drive(
        leanClients,
        o,
        leanOp,
        record,
        () => errors++,
        () => n++,
      );
      return { ...r, workload: o.workload, ops, errors };
    }
    let op: (c: ChainfireClient, i: number) => Promise<unknown>;
    switch (o.workload) {
      case "txn":
        // A compare-and-set: the shape of every guarded write PhotonCloud's controllers make.
        op = (c, i) =>
          c.txn(
            [{ key: key(i), target: "MOD", result: "GREATER", value: -1 }],
            [{ put: { key: key(i), value } }],
          );
        break;
      case "watch": {
        // Puts under a prefix that one watcher per connection follows: the delivery rate is
        // the figure, and a put's latency includes nothing of the watch.
        let delivered = 0;
        for (const c of clients) {
          const h = c.watch(o.keyPrefix, { prefix: true }, (events) => {
            delivered += events.length;
          });
          watchers.push(h);
          await h.ready;
        }
        op = (c, i) => c.put(key(i), value);
        const r = await drive(
          clients,
          o,
          op,
          record,
          () => errors++,
          () => n++,
        );
        const perWatcher = delivered / clients.length;
        return { ...r, workload: o.workload, ops: perWatcher, errors, opsPerSec: perWatcher / r.seconds };
      }
      default:
        throw new Error(`unknown workload ${o.workload}`);
    }
    const r = await drive(
      clients,
      o,
      op,
      record,
      () => errors++,
      () => n++,
    );
    return { ...r, workload: o.workload, ops, errors };
  } finally {
    for (const w of watchers) w.close();
    for (const c of clients) c.close();
    for (const c of leanClients) c.close();
  }

  async function drive<C>(
    cs: C[],
    opts: BenchOptions,
    call: (c: C, i: number) => Promise<unknown>,
    ok: (ms: number) => void,
    failed: () => void,
    next: () => number,
  ): Promise<Omit<BenchResult, "workload" | "ops" | "errors">> {
    const end = performance.now() + opts.seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: opts.inFlight }, async (_, w) => {
        const c = cs[w % cs.length]!;
        while (performance.now() < end) {
          const t = performance.now();
          try {
            await call(c, next());
            ok(performance.now() - t);
          } catch (err) {
            if (process.env.BENCH_DEBUG) console.error(err);
            failed();
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      inFlight: opts.inFlight,
      seconds,
      opsPerSec: ops / seconds,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
    };
  }
}
