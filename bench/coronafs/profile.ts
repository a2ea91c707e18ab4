// bench/coronafs/profile.ts: one workload against one target, several times, printing ops/s
// and the server processes' CPU time per operation (far less sensitive to the machine's load
// than wall-clock ops/s). With --cpu-prof DIR the volume servers write V8 CPU profiles there;
// --node-flags "…" passes more flags to their node (e.g. --trace-gc; add --show-output).
//   node --import tsx bench/coronafs/profile.ts --target r1 --workload "rand read 4 KiB (qd1)" [--reps 3] [--scale 1] [--cpu-prof DIR]
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BenchRig, cpuSeconds, prefill, type Target, workloads } from "./targets.ts";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const targetName = arg("target", "r1");
const workloadName = arg("workload", "rand read 4 KiB (qd1)");
const reps = Number(arg("reps", "3"));
const scale = Number(arg("scale", "1"));
const prof = arg("cpu-prof", "");

const w = workloads(scale).find((x) => x.name.startsWith(workloadName));
if (!w)
  throw new Error(
    `no workload ${workloadName}: ${workloads(1)
      .map((x) => x.name)
      .join(", ")}`,
  );
const dir = mkdtempSync(join(tmpdir(), "coronafs-profile-"));
const nodeFlags = arg("node-flags", "").split(" ").filter(Boolean);
const rig = new BenchRig(
  dir,
  [...(prof ? ["--cpu-prof", "--cpu-prof-dir", resolve(prof)] : []), ...nodeFlags],
  process.argv.includes("--show-output")
    ? (server, text) => process.stdout.write(`[${server}] ${text}`)
    : undefined,
);
process.on("exit", () => {
  rig.kill();
  rmSync(dir, { recursive: true, force: true });
});
let t: Target;
if (targetName === "nbd") t = await rig.qemuNbd();
else t = await rig.coronafs(Number(targetName.slice(1)));
await prefill(t.url);
console.log(`${t.name}, ${w.name}, load ${loadavg()[0]!.toFixed(2)}`);
for (let i = 0; i < reps; i++) {
  const cpu0 = t.pids.map((p) => cpuSeconds(p));
  const secs = await w.run(t.url);
  const each = t.pids.map((p, j) => cpuSeconds(p) - cpu0[j]!);
  const cpu = each.reduce((s, c) => s + c, 0);
  // Per process too (primary first): which hop of a replicated write costs what.
  const split = each.length > 1 ? ` (${each.map((c) => ((c / w.ops) * 1e6).toFixed(0)).join(" + ")})` : "";
  console.log(
    `  ${(w.ops / secs).toFixed(0)} ops/s, server CPU ${((cpu / w.ops) * 1e6).toFixed(1)} µs/op${split}, load ${loadavg()[0]!.toFixed(2)}`,
  );
}
// SIGINT lets the servers write their profiles.
rig.kill(prof ? "SIGINT" : "SIGKILL");
await new Promise((r) => setTimeout(r, prof ? 3000 : 0));
process.exit(0);
