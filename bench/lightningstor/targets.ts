// What the lightningstor benchmarks drive: our S3 endpoint and nginx as processes on
// loopback, one HTTP call helper, and each process's CPU time from /proc.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { ensureAdminToken } from "../../src/cli/local-admin.ts";
import {
  parseQuery,
  type SignableRequest,
  signRequest,
  unsignedPayload,
} from "../../src/lightningstor/sigv4.ts";

const ticksPerSecond = 100;

export interface LightningstorOptions {
  fsync: boolean;
  /** Extra node flags for our process, e.g. ["--cpu-prof", "--cpu-prof-dir", dir]. */
  nodeFlags: string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** utime+stime of a process and its threads, in seconds (Linux /proc). */
export function cpuSeconds(pids: number[]): number {
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

export function childPids(pid: number): number[] {
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

export async function waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
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

export interface Target {
  name: string;
  pids: () => number[];
  put(agent: Agent, key: string, body: Buffer): Promise<void>;
  get(agent: Agent, key: string): Promise<number>;
}

export function httpCall(
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

export async function startLightningstor(
  dir: string,
  { fsync, nodeFlags }: LightningstorOptions,
): Promise<{ target: Target; child: ChildProcess }> {
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
      // BENCH_LS_ROOT runs another checkout's server (an A/B of two commits).
      cwd: process.env.BENCH_LS_ROOT ?? process.cwd(),
      env: { ...process.env, PHOTON_IAM_URL: "", UV_THREADPOOL_SIZE: "64" },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  // A server that does not come up is not left behind (it holds the caller's stdout).
  await waitHttp(`http://127.0.0.1:${adminPort}/healthz`, 120_000).catch((e) => {
    child.kill("SIGKILL");
    throw e;
  });
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

export async function startNginx(dir: string): Promise<{ target: Target; child: ChildProcess }> {
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
  await waitHttp(`${base}/`).catch((e) => {
    child.kill("SIGKILL");
    throw e;
  });
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
