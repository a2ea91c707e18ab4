// bench/coronafs: 4 KiB and 1 MiB sequential, and 4 KiB random, reads and writes through our
// NBD server (replication 1 and 2, each volume server its own `photon coronafs-server`
// process) against qemu-nbd serving a raw file on the same disk, in one run, with the same
// client programs (qemu-img bench, qemu-io). Prints ops/s and the ratio to qemu-nbd.
//   npm run bench -- coronafs [--scale 1]      (scale multiplies every op count)
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { BenchRig, prefill, workloads } from "./targets.ts";

const scale = Number(process.argv[process.argv.indexOf("--scale") + 1] ?? 1) || 1;
/** Op counts of the warm-up pass (a tenth of a scale-1 run: ~1000 4 KiB requests per row). */
const warmupScale = 0.1;
const dir = mkdtempSync(join(tmpdir(), "coronafs-bench-"));
const rig = new BenchRig(dir);
const cleanup = () => {
  rig.kill();
  rmSync(dir, { recursive: true, force: true });
};
process.on("exit", cleanup);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
console.log(`coronafs bench: scale ${scale}, load average at start ${load()}`);
const targets = [await rig.qemuNbd(), await rig.coronafs(1), await rig.coronafs(2)];
for (const t of targets) {
  await prefill(t.url);
  // One short untimed pass of every workload: the volume servers' JIT compiles the read and
  // write paths here (a server runs for days; its first second is not what a guest sees).
  for (const w of workloads(warmupScale)) await w.run(t.url);
  console.log(`prefilled and warmed up ${t.name}`);
}
const rows: string[] = [];
for (const w of workloads(scale)) {
  const ops: number[] = [];
  // Interleaved per workload, so drift in the machine's load hits every target alike.
  for (const t of targets) ops.push(w.ops / (await w.run(t.url)));
  const [anchor, r1, r2] = ops as [number, number, number];
  rows.push(
    `| ${w.name} | ${anchor.toFixed(0)} | ${r1.toFixed(0)} | ${r2.toFixed(0)} | ${(r1 / anchor).toFixed(2)} | ${(r2 / anchor).toFixed(2)} |`,
  );
  console.log(rows[rows.length - 1]);
}
console.log(`\n| workload | qemu-nbd ops/s | coronafs r1 ops/s | coronafs r2 ops/s | r1 ratio | r2 ratio |`);
console.log(`|---|---|---|---|---|---|`);
for (const r of rows) console.log(r);
console.log(`\nload average at end ${load()}`);
cleanup();
process.exit(0);
