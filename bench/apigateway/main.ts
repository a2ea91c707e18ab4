// bench/apigateway: wrk against the backend directly, through photon's gateway, and through
// nginx as a reverse proxy, in one run on this machine. Each target gets two measurements:
// throughput at saturation (wrk -c32, as fast as it goes; CPU per request from /proc) and
// latency at a fixed offered load (--rate req/s, paced-wrk.ts), because latency at saturation
// is mostly queueing behind whichever process is short of CPU, not what the proxy adds. Added
// median latency = the proxy's p50 − the direct p50 at the same fixed rate. The three targets
// are measured in turn, --runs times, and the medians are reported, because the machine is
// shared and one run can be disturbed. nginx gets as many worker processes as the gateway has
// (--workers), keep-alive on both sides with no per-connection request cap (nginx's default
// keepalive_requests of 1000 would make it reconnect; the gateway has no such cap), the same
// backend, so the comparison stays like for like; each run prints the backend connections each
// target opened, which shows the keep-alive held.
//   npm run bench -- apigateway [--seconds 8] [--connections 32] [--rate 2000] [--paced-seconds 6]
//                               [--runs 3] [--workers 1] [--access-log]
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { tempDir } from "../../test/support/temp-dir.ts";
import { treeCpuSeconds } from "../support/proc-cpu.ts";
import { runWrk, type WrkResult } from "../support/wrk.ts";
import { pauseMs, runPacedWrk } from "./paced-wrk.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    connections: { type: "string", default: "32" },
    rate: { type: "string", default: "2000" },
    "paced-seconds": { type: "string", default: "6" },
    "paced-connections": { type: "string", default: "8" },
    runs: { type: "string", default: "3" },
    workers: { type: "string", default: "1" },
    "access-log": { type: "boolean", default: false },
  },
});
const seconds = Math.min(120, Number(values.seconds));
const connections = Math.min(512, Number(values.connections));
const rate = Math.max(10, Math.min(50_000, Number(values.rate)));
const pacedSeconds = Math.min(120, Number(values["paced-seconds"]));
const pacedConnections = Math.max(1, Math.min(256, Number(values["paced-connections"])));
const runs = Math.max(1, Math.min(9, Number(values.runs)));
const workers = Math.max(1, Math.min(8, Number(values.workers)));
const here = import.meta.dirname;
const dir = tempDir("photon-bench-gw-");
const children: ChildProcess[] = [];

function start(
  cmd: string,
  args: string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(ready);
      if (m) resolve({ child, match: m });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${cmd} exited (${code}):\n${out}`)));
    setTimeout(() => reject(new Error(`${cmd} did not start:\n${out}`)), 90_000).unref();
  });
}

/** Connections the backend has accepted so far (the probe's own one included). */
function acceptedConnections(backendUrl: string): number {
  const out = spawnSync("curl", ["-s", "--max-time", "5", `${backendUrl}/bench/connections`], {
    encoding: "utf8",
    timeout: 10_000,
  });
  return out.status === 0 ? Number(out.stdout) : Number.NaN;
}

async function main() {
  const backend = await start(process.execPath, [join(here, "backend.mjs"), "0"], /listening (\d+)/);
  const backendUrl = `http://127.0.0.1:${backend.match[1]}`;
  const gateway = await start(
    process.execPath,
    [
      join(here, "..", "..", "bin", "photon.js"),
      "apigateway",
      "--data-dir",
      dir.path,
      "--port",
      "0",
      "--log-level",
      "warn",
      ...(values["access-log"] ? [] : ["--no-access-log"]),
      "--workers",
      String(workers),
      "--backends",
      `bench=${backendUrl}`,
      "--rate-per-second",
      "1000000000",
      "--rate-burst",
      "1000000000",
      "--project-rate-per-second",
      "1000000000",
      "--project-rate-burst",
      "1000000000",
    ],
    /"api":"(http:\/\/[^"]+)"/,
  );
  // Access-log lines go to the gateway's stderr; keep reading it so the pipe never fills.
  gateway.child.stderr!.resume();
  const gwUrl = gateway.match[1]!;
  const token = readFileSync(join(dir.path, "admin-token"), "utf8").trim();
  const nginxPort = 20000 + Math.floor(Math.random() * 20000);
  writeFileSync(
    join(dir.path, "nginx.conf"),
    `daemon off; worker_processes ${workers}; pid ${dir.path}/nginx.pid; error_log ${dir.path}/nginx-error.log;
events { worker_connections 1024; }
http { access_log off;
  upstream backend { server ${backendUrl.replace("http://", "")}; keepalive 64; keepalive_requests 1000000; }
  server { listen 127.0.0.1:${nginxPort}; keepalive_requests 1000000;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
`,
  );
  const nginx = spawn(
    "nginx",
    ["-c", join(dir.path, "nginx.conf"), "-p", dir.path, "-e", join(dir.path, "nginx-error.log")],
    { stdio: "ignore" },
  );
  children.push(nginx);
  await new Promise((r) => setTimeout(r, 500));

  const path = "/v1/projects/p/items/x";
  const headers = { authorization: `Bearer ${token}` };
  const measure = (
    name: string,
    url: string,
    pid: number,
  ): {
    name: string;
    r: WrkResult;
    serverCpu: number;
    backendCpu: number;
    paced: WrkResult;
    pacedCpu: number;
    backendOpened: number;
  } => {
    runWrk(url, { seconds: 2, connections, headers }); // warm-up: JIT, keep-alive pools
    const acceptedBefore = acceptedConnections(backendUrl);
    const before = [treeCpuSeconds(pid), treeCpuSeconds(backend.child.pid!)];
    const r = runWrk(url, { seconds, connections, headers });
    const serverCpu = treeCpuSeconds(pid) - before[0]!;
    const backendCpu = treeCpuSeconds(backend.child.pid!) - before[1]!;
    const pacedBefore = treeCpuSeconds(pid);
    const paced = runPacedWrk(url, {
      ratePerSecond: rate,
      connections: pacedConnections,
      seconds: pacedSeconds,
      headers,
      dir: dir.path,
    });
    const pacedCpu = treeCpuSeconds(pid) - pacedBefore;
    // Direct, these are wrk's own connections (32 + 8); minus the second probe's own one.
    const backendOpened = acceptedConnections(backendUrl) - acceptedBefore - 1;
    return { name, r, serverCpu, backendCpu, paced, pacedCpu, backendOpened };
  };
  if (workers > 1) await new Promise((r) => setTimeout(r, 5000)); // worker processes start
  const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const loadBefore = load();
  const all: ReturnType<typeof measure>[][] = [];
  for (let run = 0; run < runs; run++) {
    all.push([
      measure("direct", `${backendUrl}${path}`, backend.child.pid!),
      measure("photon apigateway", `${gwUrl}${path}`, gateway.child.pid!),
      measure("nginx", `http://127.0.0.1:${nginxPort}${path}`, nginx.pid!),
    ]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `\nbench/apigateway — ${runs} runs, ${workers} worker process(es) each for the gateway and nginx, ${new Date().toISOString()}`,
  );
  console.log(`load average before: ${loadBefore}; after: ${load()}`);
  console.log(`\nthroughput at saturation: wrk -t1 -c${connections}, ${seconds} s per target`);
  console.log(
    "run target              req/s     p50 ms   p99 ms   errors   proxy CPU s   backend CPU s   proxy CPU µs/req",
  );
  all.forEach((rows, run) => {
    for (const { name, r, serverCpu, backendCpu } of rows) {
      const perReq =
        name === "direct" ? "-" : ((serverCpu * 1e6) / (r.requestsPerSecond * seconds)).toFixed(1);
      console.log(
        `${String(run + 1).padStart(3)} ${name.padEnd(18)} ${r.requestsPerSecond.toFixed(0).padStart(7)}  ${r.p50Ms.toFixed(3).padStart(8)} ${r.p99Ms.toFixed(3).padStart(8)}  ${String(r.errors).padStart(6)}   ${(name === "direct" ? "-" : serverCpu.toFixed(2)).padStart(11)}   ${backendCpu.toFixed(2).padStart(13)}   ${perReq.padStart(16)}`,
      );
    }
  });
  console.log(
    `\nlatency at a fixed offered load: ${rate} req/s (wrk -t1 -c${pacedConnections}, ${pauseMs(rate, pacedConnections)} ms between a connection's requests), ${pacedSeconds} s per target`,
  );
  console.log(
    "run target              req/s     p50 ms   p99 ms   errors   proxy CPU µs/req   backend connections opened (both phases)",
  );
  all.forEach((rows, run) => {
    for (const { name, paced, pacedCpu, backendOpened } of rows) {
      const perReq =
        name === "direct" ? "-" : ((pacedCpu * 1e6) / (paced.requestsPerSecond * pacedSeconds)).toFixed(1);
      console.log(
        `${String(run + 1).padStart(3)} ${name.padEnd(18)} ${paced.requestsPerSecond.toFixed(0).padStart(7)}  ${paced.p50Ms.toFixed(3).padStart(8)} ${paced.p99Ms.toFixed(3).padStart(8)}  ${String(paced.errors).padStart(6)}   ${perReq.padStart(16)}   ${String(backendOpened).padStart(10)}`,
      );
    }
  });
  const ratio = median(all.map(([, gw, ng]) => gw!.r.requestsPerSecond / ng!.r.requestsPerSecond));
  const added = median(all.map(([d, gw]) => gw!.paced.p50Ms - d!.paced.p50Ms));
  const ngAdded = median(all.map(([d, , ng]) => ng!.paced.p50Ms - d!.paced.p50Ms));
  const satAdded = median(all.map(([d, gw]) => gw!.r.p50Ms - d!.r.p50Ms));
  const cpu = (i: number) =>
    median(all.map((rows) => (rows[i]!.serverCpu * 1e6) / (rows[i]!.r.requestsPerSecond * seconds)));
  console.log(`\nmedian of ${runs} runs:`);
  console.log(`gateway throughput / nginx throughput: ${ratio.toFixed(2)}×  (target ≥ 0.8×)`);
  console.log(
    `gateway added median latency at ${rate} req/s: ${added.toFixed(3)} ms  (target ≤ 1 ms); nginx added: ${ngAdded.toFixed(3)} ms`,
  );
  console.log(
    `(at saturation, where queueing dominates, the gateway's p50 − direct p50: ${satAdded.toFixed(3)} ms)`,
  );
  console.log(
    `proxy CPU per request at saturation: gateway ${cpu(1).toFixed(1)} µs, nginx ${cpu(2).toFixed(1)} µs`,
  );
}

try {
  await main();
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 300));
  dir.remove();
}
