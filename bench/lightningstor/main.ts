// `npm run bench -- lightningstor [--seconds N] [--runs N] [--sizes 4k,1m,64m] [--clients 1,16]
//   [--ops PUT,GET] [--no-fsync]`; BENCH_LS_NODE_FLAGS="--cpu-prof --cpu-prof-dir DIR" profiles ours.
// PUT and GET throughput of lightningstor (S3, SigV4, 4+2 erasure coding over six embedded
// storage nodes, fsynced chunks) against nginx serving and accepting (WebDAV PUT) the same
// files from disk, in one run, each in its own process on loopback, with each side's CPU.
// Also measures the raw sequential write bandwidth of the disk (write + fdatasync).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fdatasyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ensureAdminToken } from "../../src/cli/local-admin.ts";
import {
  parseQuery,
  type SignableRequest,
  signRequest,
  unsignedPayload,
} from "../../src/lightningstor/sigv4.ts";

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : dflt;
};
const seconds = Number(arg("seconds", "4"));
const sizeOf = (s: string) =>
  Number.parseInt(s, 10) * (s.endsWith("m") ? 1024 * 1024 : s.endsWith("k") ? 1024 : 1);
const sizes = arg("sizes", "4k,1m,64m")
  .split(",")
  .map((s) => ({ label: s.toUpperCase().replace(/K$/, " KiB").replace(/M$/, " MiB"), bytes: sizeOf(s) }));
const clients = arg("clients", "1,16").split(",").map(Number);
const fsync = !args.includes("--no-fsync");
const runs = Number(arg("runs", "1"));
const ops = arg("ops", "PUT,GET").split(",") as ("PUT" | "GET")[];
/** Extra node flags for the lightningstor process, e.g. "--cpu-prof --cpu-prof-dir /tmp/prof". */
const nodeFlags = (process.env.BENCH_LS_NODE_FLAGS ?? "").split(" ").filter(Boolean);
/** Most bytes one cell moves, so a 64 MiB × 16 cell cannot run away. */
const maxBytesPerCell = 4 * 1024 ** 3;
const ticksPerSecond = 100;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** utime+stime of a process and its threads, in seconds (Linux /proc). */
function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, "utf8");
      const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
      ticks += Number(rest[11]) + Number(rest[12]);
    } catch {
      // Process gone.
    }
  }
  return ticks / ticksPerSecond;
}

function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(f.slice(f.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // Raced with exit.
    }
  }
  return out;
}

async function waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // Not up yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

interface Target {
  name: string;
  pids: () => number[];
  put(agent: Agent, key: string, body: Buffer): Promise<void>;
  get(agent: Agent, key: string): Promise<number>;
}

function httpCall(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      let n = 0;
      let head = "";
      res.on("data", (c: Buffer) => {
        n += c.length;
        if (head.length < 300) head += c.toString("latin1", 0, 300);
      });
      res.on("end", () =>
        res.statusCode && res.statusCode < 300
          ? resolve(n)
          : reject(new Error(`${method} ${url}: ${res.statusCode} ${head}`)),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function startLightningstor(dir: string): Promise<{ target: Target; child: ChildProcess }> {
  const port = await freePort();
  const adminPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...nodeFlags,
      "bin/photon.js",
      "lightningstor",
      "--port",
      String(port),
      "--admin-port",
      String(adminPort),
      "--data-dir",
      dir,
      "--log-level",
      "warn",
      "--scrub-interval-ms",
      "0",
      "--embedded-nodes",
      "6",
      "--coding",
      "4+2",
      ...(fsync ? [] : ["--no-fsync"]),
    ],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, PHOTON_IAM_URL: "", UV_THREADPOOL_SIZE: "64" },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitHttp(`http://127.0.0.1:${adminPort}/healthz`);
  const { token } = ensureAdminToken(dir);
  const creds = { accessKeyId: "BENCHBENCHBENCHBENCH", secret: "benchsecretbenchsecretbenchsecret0123456" };
  const r = await fetch(`http://127.0.0.1:${adminPort}/v1/projects/bench/accesskeys`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ accessKeyId: creds.accessKeyId, secret: creds.secret }),
  });
  if (r.status !== 201) throw new Error(`access key: ${r.status} ${await r.text()}`);
  const signed = (method: string, path: string, extra: Record<string, string> = {}) => {
    const req: SignableRequest = {
      method,
      rawPath: path,
      query: parseQuery(""),
      headers: { host: `127.0.0.1:${port}`, ...extra },
    };
    signRequest(req, creds, { region: "us-east-1", nowMs: Date.now(), payloadHash: unsignedPayload });
    return req.headers as Record<string, string>;
  };
  const agent = new Agent({ keepAlive: true });
  await httpCall(agent, `${base}/bench`, "PUT", signed("PUT", "/bench"));
  agent.destroy();
  return {
    child,
    target: {
      name: "lightningstor",
      pids: () => [child.pid as number],
      put: async (a, key, body) => {
        await httpCall(
          a,
          `${base}/bench/${key}`,
          "PUT",
          { ...signed("PUT", `/bench/${key}`), "content-length": String(body.length) },
          body,
        );
      },
      get: (a, key) => httpCall(a, `${base}/bench/${key}`, "GET", signed("GET", `/bench/${key}`)),
    },
  };
}

async function startNginx(dir: string): Promise<{ target: Target; child: ChildProcess }> {
  const port = await freePort();
  const www = join(dir, "www");
  mkdirSync(join(www, "bench"), { recursive: true });
  mkdirSync(join(dir, "tmp"), { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 2;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_max_body_size 0;
  client_body_temp_path ${dir}/tmp;
  client_body_buffer_size 1m;
  proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server {
    listen 127.0.0.1:${port};
    root ${www};
    location / { dav_methods PUT; create_full_put_path on; dav_access user:rw; }
  }
}
`,
  );
  const child = spawn("/usr/sbin/nginx", ["-c", conf, "-p", dir], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitHttp(`${base}/`);
  return {
    child,
    target: {
      name: "nginx",
      pids: () => [child.pid as number, ...childPids(child.pid as number)],
      put: async (a, key, body) => {
        await httpCall(a, `${base}/bench/${key}`, "PUT", { "content-length": String(body.length) }, body);
      },
      get: (a, key) => httpCall(a, `${base}/bench/${key}`, "GET", {}),
    },
  };
}

interface Cell {
  mbPerSec: number;
  opsPerSec: number;
  cpuPercent: number;
}

async function runCell(
  t: Target,
  op: "PUT" | "GET",
  size: number,
  conc: number,
  body: Buffer,
  keys: string[],
): Promise<Cell> {
  const agent = new Agent({ keepAlive: true, maxSockets: conc });
  const maxOps = Math.max(conc, Math.floor(maxBytesPerCell / size));
  let started = 0;
  let done = 0;
  let bytes = 0;
  let errors = 0;
  const cpu0 = cpuSeconds(t.pids());
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (performance.now() < deadline && started < maxOps) {
        const i = started++;
        const key = keys[i % keys.length] as string;
        try {
          if (op === "PUT") {
            await t.put(agent, key, body);
            bytes += size;
          } else {
            const n = await t.get(agent, key);
            bytes += n;
          }
          done++;
        } catch (err) {
          // A failed request is counted and reported, not fatal to the whole run.
          if (errors++ === 0)
            console.error(`${t.name} ${op} ${size}: ${(err as Error).message.slice(0, 200)}`);
        }
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(t.pids()) - cpu0;
  agent.destroy();
  if (errors) console.error(`${t.name} ${op} ${size} × ${conc}: ${errors} failed requests`);
  return { mbPerSec: bytes / secs / 1e6, opsPerSec: done / secs, cpuPercent: (cpu / secs) * 100 };
}

function rawDiskWriteMBps(dir: string): number {
  const file = join(dir, "disk-probe");
  const block = randomBytes(4 * 1024 * 1024);
  const total = 512 * 1024 * 1024;
  const fd = openSync(file, "w");
  const t0 = performance.now();
  for (let n = 0; n < total; n += block.length) writeSync(fd, block);
  fdatasyncSync(fd);
  const secs = (performance.now() - t0) / 1000;
  closeSync(fd);
  rmSync(file);
  return total / secs / 1e6;
}

const root = mkdtempSync(join(tmpdir(), "bench-ls-"));
const children: ChildProcess[] = [];
try {
  const disk = rawDiskWriteMBps(root);
  const ours = await startLightningstor(join(root, "ls"));
  children.push(ours.child);
  const nginx = await startNginx(join(root, "nginx"));
  children.push(nginx.child);
  console.log(`raw disk sequential write (write + fdatasync, 512 MiB): ${disk.toFixed(0)} MB/s`);
  console.log(
    `lightningstor: 4+2 erasure coding, 6 embedded storage nodes (worker threads), fsync ${fsync ? "on" : "off"} (a PUT is acknowledged after fdatasync of ≥ k+1 chunks and the synced metadata commit; objects ≤ 32 KiB are inline in the metadata store); nginx: 2 worker processes, WebDAV PUT that does NOT fsync, sendfile GET; same disk`,
  );
  console.log(
    `${seconds}s per cell (at most ${maxBytesPerCell / 1024 ** 3} GiB), ${runs} run(s), medians; MB/s = 10^6 bytes/s; CPU = % of one core; load = 1-min load average at the cell's start\n`,
  );
  const header = [
    "op",
    "size",
    "clients",
    "ours MB/s",
    "ours ops/s",
    "ours CPU%",
    "nginx MB/s",
    "nginx ops/s",
    "nginx CPU%",
    "ratio",
    "vs disk",
    "load",
  ];
  const median = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  };
  interface Sample {
    o: Cell;
    n: Cell;
    load: number;
  }
  const samples = new Map<string, Sample[]>();
  const order: { op: string; label: string; conc: number }[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const { label, bytes: size } of sizes) {
      const body = randomBytes(size);
      for (const conc of clients) {
        // Enough distinct keys for every client, but at most ~512 MiB of them per size.
        const keys = Array.from(
          { length: Math.max(Math.min(conc * 2, Math.floor((512 * 1024 * 1024) / size)), 2) },
          (_, i) => `obj-${size}-${i}`,
        );
        for (const op of ops) {
          if (op === "GET") {
            // Make sure every key exists on both sides before timing reads.
            const a = new Agent({ keepAlive: true, maxSockets: 4 });
            for (const k of keys) {
              await ours.target.put(a, k, body);
              await nginx.target.put(a, k, body);
            }
            a.destroy();
          }
          const load = loadavg()[0] as number;
          const o = await runCell(ours.target, op, size, conc, body, keys);
          const n = await runCell(nginx.target, op, size, conc, body, keys);
          const id = `${op} ${label} ${conc}`;
          if (!samples.has(id)) {
            samples.set(id, []);
            order.push({ op, label, conc });
          }
          samples.get(id)?.push({ o, n, load });
          console.log(
            `run ${run}\t${id}\tours ${o.mbPerSec.toFixed(1)} MB/s ${o.cpuPercent.toFixed(0)}% CPU\tnginx ${n.mbPerSec.toFixed(1)} MB/s ${n.cpuPercent.toFixed(0)}% CPU\tratio ${(o.mbPerSec / n.mbPerSec).toFixed(2)}\tload ${load.toFixed(1)}`,
          );
        }
      }
    }
  }
  console.log(`\n| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const { op, label, conc } of order) {
    const ss = samples.get(`${op} ${label} ${conc}`) as Sample[];
    const m = (f: (s: Sample) => number) => median(ss.map(f));
    const ours = m((s) => s.o.mbPerSec);
    const row = [
      op,
      label,
      String(conc),
      ours.toFixed(1),
      m((s) => s.o.opsPerSec).toFixed(0),
      m((s) => s.o.cpuPercent).toFixed(0),
      m((s) => s.n.mbPerSec).toFixed(1),
      m((s) => s.n.opsPerSec).toFixed(0),
      m((s) => s.n.cpuPercent).toFixed(0),
      m((s) => s.o.mbPerSec / s.n.mbPerSec).toFixed(2),
      op === "PUT" ? (ours / disk).toFixed(2) : "",
      m((s) => s.load).toFixed(1),
    ];
    console.log(`| ${row.join(" | ")} |`);
  }
  console.log(
    `\nvs disk = object MB/s ÷ raw disk write (${disk.toFixed(0)} MB/s); 4+2 writes 1.5× the object bytes, so the disk itself saw 1.5× that.`,
  );
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  if (process.env.BENCH_KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
}
