// `node --import tsx bench/lightningstor/cpu.ts [--requests N] [--sizes 4k,1m] [--clients 1]
//   [--ops GET,PUT] [--targets lightningstor,nginx] [--no-fsync]`
// Server CPU time per request (utime+stime of the server's process and threads from /proc,
// divided by the requests it answered), ours and nginx's, for a fixed number of requests.
// Unlike throughput, this barely moves with the load other work puts on a shared machine,
// so it is the figure to compare before and after a change. Run it under
// `flock /tmp/photon-bench.lock` like any benchmark. BENCH_LS_NODE_FLAGS profiles ours.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { cpuSeconds, startLightningstor, startNginx, type Target } from "./targets.ts";

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : dflt;
};
/** Requests per cell; bounded so a cell cannot run away (64 MiB × 2000 would be 128 GiB). */
const maxBytesPerCell = 2 * 1024 ** 3;
const requests = Number(arg("requests", "2000"));
const sizeOf = (s: string) =>
  Number.parseInt(s, 10) * (s.endsWith("m") ? 1024 * 1024 : s.endsWith("k") ? 1024 : 1);
const sizes = arg("sizes", "4k,1m").split(",");
const clients = arg("clients", "1").split(",").map(Number);
const ops = arg("ops", "GET,PUT").split(",") as ("GET" | "PUT")[];
const targets = arg("targets", "lightningstor,nginx").split(",");
const fsync = !args.includes("--no-fsync");
const nodeFlags = (process.env.BENCH_LS_NODE_FLAGS ?? "").split(" ").filter(Boolean);
/** Also print which threads of the server spent the CPU (by thread name). */
const perThread = args.includes("--threads");

/** CPU seconds per thread name of a process (Linux /proc/<pid>/task). */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = `${readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim()}/${tid}`;
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(name, (out.get(name) ?? 0) + (Number(rest[11]) + Number(rest[12])) / 100);
    } catch {
      // Thread gone.
    }
  }
  return out;
}

async function cell(
  t: Target,
  op: "GET" | "PUT",
  body: Buffer,
  conc: number,
  keys: string[],
): Promise<{ cpuUsPerReq: number; opsPerSec: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: conc });
  const n = Math.max(conc, Math.min(requests, Math.floor(maxBytesPerCell / body.length)));
  // Warm-up: connections open, code paths compiled.
  for (let i = 0; i < Math.min(50, n); i++)
    op === "GET" ? await t.get(agent, keys[0] as string) : await t.put(agent, keys[0] as string, body);
  let started = 0;
  const main = t.pids()[0] as number;
  const threads0 = perThread ? threadCpu(main) : undefined;
  const cpu0 = cpuSeconds(t.pids());
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (started < n) {
        const key = keys[started++ % keys.length] as string;
        if (op === "GET") await t.get(agent, key);
        else await t.put(agent, key, body);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(t.pids()) - cpu0;
  if (threads0) {
    const spent = [...threadCpu(main)]
      .map(([name, secs]) => [name, ((secs - (threads0.get(name) ?? 0)) / n) * 1e6] as const)
      .filter(([, us]) => us >= 1)
      .sort((a, b) => b[1] - a[1]);
    console.log(`  ${t.name} ${op}: ${spent.map(([name, us]) => `${name} ${us.toFixed(0)}µs`).join(", ")}`);
  }
  agent.destroy();
  return { cpuUsPerReq: (cpu / n) * 1e6, opsPerSec: n / secs };
}

const root = mkdtempSync(join(tmpdir(), "bench-ls-cpu-"));
const children: ChildProcess[] = [];
try {
  const running: Target[] = [];
  if (targets.includes("lightningstor")) {
    const ours = await startLightningstor(join(root, "ls"), { fsync, nodeFlags });
    children.push(ours.child);
    running.push(ours.target);
  }
  if (targets.includes("nginx")) {
    const nginx = await startNginx(join(root, "nginx"));
    children.push(nginx.child);
    running.push(nginx.target);
  }
  console.log(
    `server CPU per request (µs, process + threads, /proc ticks of 10 ms: read the small figures over ≥ 2000 requests), ${requests} requests per cell, fsync ${fsync ? "on" : "off"}`,
  );
  console.log("| op | size | clients | target | CPU µs/req | ops/s | load |\n|---|---|---|---|---|---|---|");
  for (const s of sizes) {
    const body = randomBytes(sizeOf(s));
    for (const conc of clients) {
      const keys = Array.from({ length: Math.max(2, conc * 2) }, (_, i) => `cpu-${s}-${i}`);
      for (const op of ops) {
        for (const t of running) {
          if (op === "GET") {
            const a = new Agent({ keepAlive: true, maxSockets: 4 });
            for (const k of keys) await t.put(a, k, body);
            a.destroy();
          }
          const load = loadavg()[0] as number;
          const r = await cell(t, op, body, conc, keys);
          console.log(
            `| ${op} | ${s} | ${conc} | ${t.name} | ${r.cpuUsPerReq.toFixed(0)} | ${r.opsPerSec.toFixed(0)} | ${load.toFixed(1)} |`,
          );
        }
      }
    }
  }
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
}
