// Starts a chainfire member in-process on free loopback ports with its own temp dir, and runs
// the real etcdctl against it.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChainfireServer } from "../../src/chainfire/chainfire-server.ts";
import { silentLogger } from "../../src/core/log.ts";

export interface Member {
  server: ChainfireServer;
  endpoint: string;
  dir: string;
  close(): Promise<void>;
}

export async function startMember(
  opts: { dir?: string; progressNotifyIntervalMs?: number } = {},
): Promise<Member> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "chainfire-test-"));
  const server = await ChainfireServer.start({
    dataDir: dir,
    listen: "127.0.0.1",
    clientPort: 0,
    peerPort: 2380,
    httpPort: 0,
    name: "test",
    log: silentLogger,
    shutdownGraceMs: 500,
    ...(opts.progressNotifyIntervalMs ? { progressNotifyIntervalMs: opts.progressNotifyIntervalMs } : {}),
  });
  const endpoint = server.clientUrl.replace("http://", "");
  return {
    server,
    endpoint,
    dir,
    async close() {
      await server.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CtlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export function etcdctl(endpoint: string, args: string[], stdin?: string): Promise<CtlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      "etcdctl",
      [`--endpoints=${endpoint}`, "--dial-timeout=3s", "--command-timeout=5s", ...args],
      { env: { ...process.env, ETCDCTL_API: "3" }, timeout: 15_000 },
      (err, stdout, stderr) =>
        resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

/** Spawns a long-running etcdctl (watch, keep-alive) and collects its output lines. */
export function etcdctlStream(endpoint: string, args: string[]) {
  const child = spawn("etcdctl", [`--endpoints=${endpoint}`, ...args], {
    env: { ...process.env, ETCDCTL_API: "3" },
  });
  const lines: string[] = [];
  let err = "";
  let buf = "";
  child.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  return {
    lines,
    stderr: () => err,
    exited,
    async waitFor(pred: (lines: string[]) => boolean, timeoutMs = 5000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pred(lines)) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(lines)} stderr ${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    kill() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export interface Cluster {
  members: Array<Member | undefined>;
  initialCluster: string;
  dirs: string[];
  peerPorts: number[];
  endpoints(): string;
  /** (Re)starts member i on its data dir. */
  start(i: number): Promise<Member>;
  stop(i: number): Promise<void>;
  leaderIndex(): number;
  close(): Promise<void>;
}

/** A replicated cluster of `n` members on loopback, each with its own data dir and ports. */
export async function startCluster(
  n: number,
  opts: { snapshotEveryEntries?: number } = {},
): Promise<Cluster> {
  const peerPorts = await Promise.all(Array.from({ length: n }, () => freePort()));
  const initialCluster = peerPorts.map((p, i) => `m${i + 1}=http://127.0.0.1:${p}`).join(",");
  const dirs = peerPorts.map(() => mkdtempSync(join(tmpdir(), "chainfire-cluster-")));
  const members: Array<Member | undefined> = peerPorts.map(() => undefined);
  const start = async (i: number): Promise<Member> => {
    const server = await ChainfireServer.start({
      dataDir: dirs[i]!,
      listen: "127.0.0.1",
      clientPort: 0,
      peerPort: peerPorts[i]!,
      httpPort: 0,
      name: `m${i + 1}`,
      initialCluster,
      log: silentLogger,
      shutdownGraceMs: 500,
      ...(opts.snapshotEveryEntries ? { snapshotEveryEntries: opts.snapshotEveryEntries } : {}),
    });
    const m: Member = {
      server,
      endpoint: server.clientUrl.replace("http://", ""),
      dir: dirs[i]!,
      close: () => server.close(),
    };
    members[i] = m;
    return m;
  };
  await Promise.all(peerPorts.map((_, i) => start(i)));
  return {
    members,
    initialCluster,
    dirs,
    peerPorts,
    endpoints: () =>
      members
        .filter((m): m is Member => !!m)
        .map((m) => m.endpoint)
        .join(","),
    start,
    async stop(i) {
      await members[i]?.close();
      members[i] = undefined;
    },
    leaderIndex: () => members.findIndex((m) => m?.server.isLeader),
    async close() {
      for (let i = 0; i < members.length; i++) await members[i]?.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
