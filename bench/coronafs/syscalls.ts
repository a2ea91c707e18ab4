// bench/coronafs/syscalls.ts: one bounded workload against one target with `strace -c -f` attached
// to the server processes, printing the system calls they made (divide by the op count for
// calls per request).
//   node --import tsx bench/coronafs/syscalls.ts r1|r2|nbd "seq write 4 KiB" [scale, default 0.2]
// STRACE_ARGS="-tt -e trace=…" replaces `-c` (a trace of every call instead of the summary).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BenchRig, prefill, workloads } from "./targets.ts";

const target = process.argv[2] ?? "r1";
const wname = process.argv[3] ?? "seq write 4 KiB";
const w = workloads(Number(process.argv[4] ?? "0.2")).find((x) => x.name.startsWith(wname))!;
const dir = mkdtempSync(join(tmpdir(), "cfs-strace-"));
const rig = new BenchRig(dir);
process.on("exit", () => {
  rig.kill();
  rmSync(dir, { recursive: true, force: true });
});
const t = target === "nbd" ? await rig.qemuNbd() : await rig.coronafs(Number(target.slice(1)));
await prefill(t.url);
const straces = t.pids.map((pid) => {
  const s = spawn("strace", [...(process.env.STRACE_ARGS ?? "-c").split(" "), "-f", "-p", String(pid)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let out = "";
  s.stderr.on("data", (b) => (out += b));
  return { s, done: new Promise<string>((r) => s.on("close", () => r(out))) };
});
await new Promise((r) => setTimeout(r, 1000));
const secs = await w.run(t.url);
console.log(`${t.name} ${w.name}: ${w.ops} ops in ${secs}s`);
for (const x of straces) x.s.kill("SIGINT");
for (const x of straces) console.log(await x.done);
process.exit(0);
