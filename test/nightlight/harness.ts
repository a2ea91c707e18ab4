// Test helpers: nightlight started in-process on port 0 with a static admin token, and a real
// Prometheus 2.42 (Debian) process on a free port.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import pino from "pino";
import { type Authenticator, type Authorizer, StaticTokenAuth } from "../../src/core/api/auth.ts";
import { loadConfig } from "../../src/core/config.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { LocalStore } from "../../src/core/resource/local-store.ts";
import type { RunningRole } from "../../src/core/role.ts";
import { snappyCompress } from "../../src/nightlight/ingest/snappy.ts";
import { encodeWriteRequest, type WriteSeries } from "../../src/nightlight/ingest/write-request.ts";
import { nightlightRole } from "../../src/nightlight/server.ts";

export const testToken = "test-token-nightlight";

export async function startNightlight(
  dataDir: string,
  flags: Record<string, unknown> = {},
  auth: Authenticator & Authorizer = new StaticTokenAuth(testToken),
): Promise<{ url: string; role: RunningRole }> {
  const log = pino({ level: "silent" });
  const config = loadConfig(nightlightRole.options, "nightlight", {
    flags: { dataDir, port: 0, listen: "127.0.0.1", scrapePlatform: false, ...flags },
  });
  const role = await nightlightRole.start(config, {
    log,
    lifecycle: new Lifecycle(log, 1000),
    auth,
    serviceToken: async () => testToken,
    openStore: async () => LocalStore.memory(),
    endpoints: {},
  });
  return { url: role.endpoints.api!, role };
}

export async function remoteWrite(
  url: string,
  series: WriteSeries[],
  opts: { token?: string; project?: string } = {},
): Promise<{ status: number; body: string }> {
  const body = snappyCompress(encodeWriteRequest({ series }));
  const headers: Record<string, string> = {
    "content-type": "application/x-protobuf",
    "content-encoding": "snappy",
    "x-prometheus-remote-write-version": "0.1.0",
    authorization: `Bearer ${opts.token ?? testToken}`,
  };
  if (opts.project) headers["x-photon-project"] = opts.project;
  const res = await fetch(`${url}/api/v1/write`, { method: "POST", headers, body });
  return { status: res.status, body: await res.text() };
}

export async function promGet(
  url: string,
  path: string,
  params: Record<string, string | string[]>,
  opts: { token?: string; project?: string } = { token: testToken },
  // biome-ignore lint/suspicious/noExplicitAny: tests read Prometheus JSON freely.
): Promise<{ status: number; json: any }> {
  const u = new URL(path, url);
  for (const [k, v] of Object.entries(params))
    for (const x of Array.isArray(v) ? v : [v]) u.searchParams.append(k, x);
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.project) headers["x-photon-project"] = opts.project;
  const res = await fetch(u, { headers });
  return { status: res.status, json: await res.json() };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export interface PrometheusProcess {
  url: string;
  proc: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts Debian's Prometheus with `configYaml` and its TSDB in `dir/data`. */
export async function startPrometheus(
  dir: string,
  configYaml: string,
  extraArgs: string[] = [],
): Promise<PrometheusProcess> {
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "prometheus.yml"), configYaml);
  const port = await freePort();
  const proc = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
      ...extraArgs,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  proc.stderr!.on("data", (d) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.status === 200) break;
    } catch {}
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`prometheus did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    proc,
    stop: (signal: NodeJS.Signals = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill(signal);
        setTimeout(() => proc.kill("SIGKILL"), 15_000).unref();
      }),
  };
}
