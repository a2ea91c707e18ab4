// Main-thread CPU of decoding remote_write bodies inline vs handing them to the decode worker
// (what the worker saves the event loop), per sample. Bounded: `--requests` bodies per mode.
//   node --import tsx bench/nightlight/decode-handoff.ts [--requests 800] [--rounds 3]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DecodePool } from "../../src/nightlight/ingest/decode-pool.ts";
import { snappyCompress, snappyDecompress } from "../../src/nightlight/ingest/snappy.ts";
import {
  decodeWriteRequest,
  encodeWriteRequest,
  type WriteSeries,
} from "../../src/nightlight/ingest/write-request.ts";

const { values: args } = parseArgs({
  options: { requests: { type: "string", default: "800" }, rounds: { type: "string", default: "3" } },
});
const n = Number(args.requests);
const series = 250;
const perRequest = 4;
const bodies = Array.from({ length: n }, (_, r) => {
  const s: WriteSeries[] = Array.from({ length: series }, (_, i) => ({
    labels: [
      ["__name__", `bench_metric_${i % 25}`],
      ["instance", `10.0.0.${i}:9100`],
      ["job", "bench"],
      ["path", `/api/v${i % 10}`],
    ],
    ts: Array.from({ length: perRequest }, (_, k) => 1_700_000_000_000 + (r * perRequest + k) * 15_000),
    vs: Array.from({ length: perRequest }, (_, k) => i * 3 + r + k / 7),
  }));
  return Buffer.from(snappyCompress(encodeWriteRequest({ series: s })));
});
/** CPU seconds of this process's main thread (its thread id is the pid). */
const mainCpu = () => {
  const f = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, "utf8");
  const x = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(x[11]) + Number(x[12])) / 100;
};
const pool = await DecodePool.start();
let sink = 0;
for (let round = 0; round < Number(args.rounds); round++) {
  let c = mainCpu();
  for (const b of bodies) sink += decodeWriteRequest(snappyDecompress(b)).series.length;
  const inline = mainCpu() - c;
  c = mainCpu();
  // 8 in flight, as the bench's senders.
  for (let i = 0; i < n; i += 8)
    await Promise.all(
      bodies.slice(i, i + 8).map((b) => pool.decode(b).then((wr) => (sink += wr.series.length))),
    );
  const worker = mainCpu() - c;
  const per = (s: number) => ((s * 1e6) / (n * series * perRequest)).toFixed(3);
  console.log(`main-thread µs/sample: inline decode ${per(inline)}, worker hand-off ${per(worker)}`);
}
await pool.close();
if (sink < 0) console.log(sink);
