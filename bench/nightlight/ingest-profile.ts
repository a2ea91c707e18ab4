// Ingestion without HTTP, for profiling (`node --cpu-prof --import tsx bench/nightlight/ingest-profile.ts`):
// the same shape of remote_write bodies as the bench (node-like series, 4 timestamps per request),
// decoded (snappy + protobuf) and written into a Tsdb (head append + WAL group commit).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { snappyCompress, snappyDecompress } from "../../src/nightlight/ingest/snappy.ts";
import {
  decodeWriteRequest,
  encodeWriteRequest,
  type WriteSeries,
} from "../../src/nightlight/ingest/write-request.ts";
import { Tsdb } from "../../src/nightlight/tsdb/tsdb.ts";

const { values: args } = parseArgs({
  options: {
    series: { type: "string", default: "2000" },
    requests: { type: "string", default: "250" },
    concurrency: { type: "string", default: "8" },
    rounds: { type: "string", default: "1" },
  },
});
const nSeries = Number(args.series);
const nRequests = Number(args.requests);
const concurrency = Number(args.concurrency);
const perRequest = 4;
const t0 = 1_700_000_000_000;

const labels = Array.from({ length: nSeries }, (_, i): [string, string][] => [
  ["__name__", `bench_metric_${i % 25}`],
  ["instance", `10.0.${i >> 8}.${i & 255}:9100`],
  ["job", "bench"],
  ["path", `/api/v${i % 10}`],
]);
const bodies: Uint8Array[] = [];
for (let r = 0; r < nRequests; r++) {
  const series: WriteSeries[] = labels.map((l, i) => ({
    labels: l,
    ts: Array.from({ length: perRequest }, (_, k) => t0 + (r * perRequest + k) * 15_000),
    vs: Array.from({ length: perRequest }, (_, k) =>
      i % 3 === 0 ? r * perRequest + k : 50 + ((i * 7 + r * 13 + k) % 100) / 10,
    ),
  }));
  bodies.push(snappyCompress(encodeWriteRequest({ series })));
}
const samples = nRequests * nSeries * perRequest;
async function run(wire: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nl-prof-"));
  try {
    const db = await Tsdb.open({ dir, clock: Date.now, limits: { maxSamplesPerSecond: 1e12 } });
    let decodeMs = 0;
    let writeMs = 0;
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    // Requests in order, `concurrency` at a time (their WAL records share fsyncs).
    for (let r = 0; r < nRequests; r += concurrency) {
      const pending: Promise<unknown>[] = [];
      for (let k = r; k < Math.min(nRequests, r + concurrency); k++) {
        const a = performance.now();
        const wr = decodeWriteRequest(snappyDecompress(bodies[k]!));
        const b = performance.now();
        pending.push(db.write("system", wr.series, wire ? { wire: bodies[k]! } : {}));
        writeMs += performance.now() - b;
        decodeMs += b - a;
      }
      await Promise.all(pending);
    }
    const secs = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuUs = (cpu.user + cpu.system) / samples;
    await db.close();
    console.log(
      `${wire ? "WAL of requests" : "WAL of samples "}: ${samples} samples in ${secs.toFixed(2)} s: ${Math.round(samples / secs)} samples/s; CPU ${cpuUs.toFixed(3)} µs/sample; decode ${decodeMs.toFixed(0)} ms, append ${writeMs.toFixed(0)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Alternating, so that both modes see the same machine load.
for (let i = 0; i < Number(args.rounds); i++) {
  await run(false);
  await run(true);
}
