// `node --import tsx bench/flaredb/scale.ts [--read-ms X --write-ms Y --scan-ms Z]`: the 3 → 30
// store estimate of flaredb/README.md (see scale-model.ts for the model and its assumptions).
// The costs are server CPU ms per operation measured by `npm run bench -- flaredb` (workload C
// gives the read cost, A the write cost: (A − C/2) × 2, E the scan cost).
import { estimate, REGIONS_PER_STORE, regionShares, simulatePlacement } from "./scale-model.ts";
import type { WorkloadName } from "./ycsb.ts";

const args = process.argv.slice(2);
const num = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number`);
  return v;
};
const costs = {
  readMs: num("read-ms", 0.7),
  writeMs: num("write-ms", 3.3),
  scanMs: num("scan-ms", 1.6),
  leaderWriteShare: num("leader-write-share", 0.4),
  coresPerStore: num("cores-per-store", 1),
};
const recordsPerStore = num("records-per-store", 1_000_000 / 3);
const storeCounts = [3, 6, 10, 15, 20, 30];
const workloads: WorkloadName[] = ["A", "B", "C", "E"];

console.log(
  `costs (server CPU ms/op): read ${costs.readMs}, write ${costs.writeMs} (leader ${costs.leaderWriteShare * 100} %), scan ${costs.scanMs}; ${costs.coresPerStore} core(s) per store; ${REGIONS_PER_STORE} regions and ${Math.round(recordsPerStore)} records per store\n`,
);
const rows = [
  "| stores | PD rounds | replicas/store min–max | leaders/store min–max | " +
    workloads.map((w) => `${w} zipf ops/s (×)`).join(" | ") +
    " | C uniform ops/s (×) | hottest region's share |",
  `|${"---|".repeat(5 + workloads.length + 1)}`,
];
const base = new Map<string, number>();
for (const n of storeCounts) {
  const regions = REGIONS_PER_STORE * n;
  const p = simulatePlacement(n, regions);
  const count = (f: (r: (typeof p.regions)[number]) => string[]) => {
    const m = new Map(p.stores.map((s) => [s, 0]));
    for (const r of p.regions) for (const s of f(r)) m.set(s, m.get(s)! + 1);
    return `${Math.min(...m.values())}–${Math.max(...m.values())}`;
  };
  const records = Math.round(recordsPerStore * n);
  const zipf = regionShares(records, regions, true);
  const uniform = regionShares(records, regions, false);
  const cells: string[] = [];
  let hottest = 0;
  for (const w of workloads) {
    const e = estimate(p, zipf, w, costs);
    hottest = e.maxRegionShare;
    if (n === storeCounts[0]) base.set(w, e.opsPerSec);
    cells.push(`${e.opsPerSec.toFixed(0)} (${(e.opsPerSec / base.get(w)!).toFixed(1)}×)`);
  }
  const u = estimate(p, uniform, "C", costs);
  if (n === storeCounts[0]) base.set("Cu", u.opsPerSec);
  cells.push(`${u.opsPerSec.toFixed(0)} (${(u.opsPerSec / base.get("Cu")!).toFixed(1)}×)`);
  rows.push(
    `| ${n} | ${p.rounds} | ${count((r) => r.peers)} | ${count((r) => [r.leader])} | ${cells.join(" | ")} | ${(hottest * 100).toFixed(1)} % |`,
  );
}
console.log(rows.join("\n"));
