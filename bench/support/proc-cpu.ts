// CPU time a process has used (user + system), from /proc, so benchmarks can report what each
// side cost on a machine where the load generator and the server share two cores.
import { readFileSync } from "node:fs";

const ticksPerSecond = 100;

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Sums a process and its children (nginx workers, node's own helpers). */
export function treeCpuSeconds(pid: number): number {
  let total = cpuSeconds(pid);
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    for (const c of children) total += treeCpuSeconds(Number(c));
  } catch {
    // the process may have exited
  }
  return total;
}
