// `photon chainfire bench put|range|txn|watch`: drives a chainfire (or any etcd v3) endpoint
// with N calls in flight for a bounded time and prints ops/s and p50/p99 — the commands the
// chainfire README quotes next to its figures.
import type { Command } from "commander";
import { z } from "zod";
import { BENCH_LIMITS, type BenchWorkload, runBench } from "../../chainfire/bench-load.ts";
import { CHAINFIRE_CLIENT_PORT } from "../../chainfire/client.ts";
import { ApiError } from "../../core/errors.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

const flagsSchema = z.object({
  endpoints: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, "endpoints are host:port[,host:port…]")
    .default(`127.0.0.1:${CHAINFIRE_CLIENT_PORT}`),
  seconds: z.coerce.number().positive().max(BENCH_LIMITS.maxSeconds).default(5),
  inFlight: z.coerce.number().int().min(1).max(BENCH_LIMITS.maxInFlight).default(16),
  connections: z.coerce.number().int().min(1).max(BENCH_LIMITS.maxConnections).default(4),
  valueSize: z.coerce.number().int().min(0).max(BENCH_LIMITS.maxValueBytes).default(256),
  keys: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  consistency: z.enum(["l", "s"]).default("l"),
  prefix: z.string().min(1).max(1024).default("/bench/"),
});

export function registerChainfire(program: Command, env: CliEnv): void {
  // `photon chainfire` is also the role; the bench is a subcommand beside its options.
  const parent =
    program.commands.find((c) => c.name() === "chainfire") ??
    program.command("chainfire").description("chainfire");
  parent
    .command("bench")
    .description("load an etcd v3 endpoint (chainfire or etcd) and print ops/s and p50/p99 latency")
    .argument("<workload>", "put | range | txn | watch")
    .option("--endpoints <list>", `host:port[,host:port…] (default 127.0.0.1:${CHAINFIRE_CLIENT_PORT})`)
    .option("--seconds <n>", "how long to run (default 5)")
    .option("--in-flight <n>", "calls in flight (default 16)")
    .option("--connections <n>", "client connections, round-robin over the endpoints (default 4)")
    .option("--value-size <bytes>", "value size for put/txn/watch (default 256)")
    .option("--keys <n>", "distinct keys cycled through (default 10000)")
    .option("--consistency <l|s>", "range: linearizable (l) or serializable (s) reads (default l)")
    .option("--prefix <key>", "key prefix (default /bench/)")
    .action(async (workload: string, raw: Record<string, unknown>) => {
      if (!["put", "range", "txn", "watch"].includes(workload)) {
        throw new ApiError("InvalidArgument", `unknown workload "${workload}": use put, range, txn or watch`);
      }
      const parsed = flagsSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const flag = String(issue.path[0] ?? "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        throw new ApiError("InvalidArgument", `--${flag}: ${issue.message}`);
      }
      const f = parsed.data;
      const r = await runBench({
        endpoints: f.endpoints.split(","),
        workload: workload as BenchWorkload,
        seconds: f.seconds,
        inFlight: f.inFlight,
        connections: f.connections,
        valueBytes: f.valueSize,
        keys: f.keys,
        serializable: f.consistency === "s",
        keyPrefix: f.prefix,
      });
      print(
        env.format(),
        {
          workload: r.workload,
          inFlight: r.inFlight,
          ops: Math.round(r.ops),
          errors: r.errors,
          opsPerSec: Math.round(r.opsPerSec),
          p50Ms: Number(r.p50Ms.toFixed(2)),
          p99Ms: Number(r.p99Ms.toFixed(2)),
        },
        [
          ["WORKLOAD", (x: { workload: string }) => x.workload],
          ["IN FLIGHT", (x: { inFlight: number }) => x.inFlight],
          ["OPS/S", (x: { opsPerSec: number }) => x.opsPerSec],
          ["P50 MS", (x: { p50Ms: number }) => x.p50Ms],
          ["P99 MS", (x: { p99Ms: number }) => x.p99Ms],
          ["ERRORS", (x: { errors: number }) => x.errors],
        ],
      );
    });
}
