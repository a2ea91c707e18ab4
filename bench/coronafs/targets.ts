// What bench/coronafs measures against: coronafs volume servers (each its own
// `photon coronafs-server` process) and qemu-nbd serving a raw file, plus the client runs
// (qemu-img bench, qemu-io scripts). Shared by main.ts (the ratios) and profile.ts (CPU per op).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ensureAdminToken } from "../../src/cli/local-admin.ts";
import { VolumeServerClient } from "../../src/coronafs/volume-server-client.ts";

const photonBin = join(import.meta.dirname, "..", "..", "bin", "photon.js");
export const mib = 1024 * 1024;
export const volumeBytes = 1024 * mib;
/** Every workload stays inside this prefilled region, so reads hit real data. */
export const regionBytes = 256 * mib;
/** Any one client run is killed after this long. */
const runTimeoutMs = 300_000;

export interface Target {
  name: string;
  url: string;
  /** The server processes (for CPU accounting). */
  pids: number[];
}

export class BenchRig {
  readonly children: ChildProcess[] = [];
  private readonly token: string;

  constructor(
    readonly dir: string,
    /** Extra node flags for volume servers (e.g. --cpu-prof). */
    private readonly nodeFlags: string[] = [],
    /** Receives what volume servers print after they started (e.g. --trace-gc lines). */
    private readonly onOutput?: (server: string, text: string) => void,
  ) {
    this.token = ensureAdminToken(dir).token;
  }

  /** Starts `photon coronafs-server` in its own process and returns its admin client and NBD address. */
  private async volumeServer(
    name: string,
  ): Promise<{ client: VolumeServerClient; nbd: string; pid: number }> {
    const d = join(this.dir, name);
    mkdirSync(d, { recursive: true });
    copyFileSync(join(this.dir, "admin-token"), join(d, "admin-token"));
    const p = spawn(
      process.execPath,
      [
        ...this.nodeFlags,
        photonBin,
        "coronafs-server",
        "--data-dir",
        d,
        "--nbd-port",
        "0",
        "--api-port",
        "0",
        "--log-level",
        "warn",
      ],
      { stdio: ["ignore", "pipe", "inherit"], cwd: d, env: { ...process.env, UV_THREADPOOL_SIZE: "16" } },
    );
    this.children.push(p);
    const endpoints = await new Promise<{ admin: string; nbd: string }>((resolve, reject) => {
      let out = "";
      p.stdout!.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /coronafs-server serving (\{.*\})/.exec(out);
        if (m) resolve(JSON.parse(m[1]!));
        else if (out.length > 1_000_000) out = "";
      });
      if (this.onOutput) p.stdout!.on("data", (b: Buffer) => this.onOutput?.(name, b.toString()));
      p.on("exit", () => reject(new Error(`volume server ${name} exited: ${out}`)));
    });
    const token = this.token;
    return {
      client: new VolumeServerClient(endpoints.admin, async () => token),
      nbd: endpoints.nbd,
      pid: p.pid!,
    };
  }

  async coronafs(replicas: number): Promise<Target> {
    const servers = [];
    for (let i = 0; i < replicas; i++) servers.push(await this.volumeServer(`r${replicas}-${i}`));
    const id = `bench-r${replicas}`;
    const secret = randomBytes(18).toString("base64url");
    for (const s of servers) await s.client.createVolume(id, { sizeBytes: volumeBytes, chunkSizeBytes: mib });
    for (const s of servers.slice(1))
      await s.client.setAttachment(id, { epoch: 1, token: secret, replicas: [] });
    await servers[0]!.client.setAttachment(id, {
      epoch: 1,
      token: secret,
      replicas: servers.slice(1).map((s) => s.nbd),
    });
    return {
      name: `coronafs r${replicas}`,
      url: `nbd://${servers[0]!.nbd}/${id}/${secret}`,
      pids: servers.map((s) => s.pid),
    };
  }

  async qemuNbd(): Promise<Target> {
    const file = join(this.dir, "anchor.raw");
    await run("qemu-img", ["create", "-f", "raw", file, String(volumeBytes)]);
    const port = await freePort();
    const p = spawn(
      "qemu-nbd",
      ["-f", "raw", "-x", "bench", "-b", "127.0.0.1", "-p", String(port), "-t", file],
      {
        stdio: "ignore",
      },
    );
    this.children.push(p);
    const url = `nbd://127.0.0.1:${port}/bench`;
    for (let i = 0; i < 100; i++) {
      try {
        await run("qemu-img", ["info", url]);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { name: "qemu-nbd", url, pids: [p.pid!] };
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    for (const c of this.children) c.kill(signal);
  }
}

/** Prefills the region so reads return stored data, not holes. */
export async function prefill(url: string): Promise<void> {
  await run("qemu-io", ["-f", "raw", "-c", `write -q -P 0x5a 0 ${regionBytes}`, "-c", "flush", url]);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export function run(cmd: string, args: string[], input?: string): Promise<{ out: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const p = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (b: Buffer) => {
      if (out.length < 1_000_000) out += b.toString();
    });
    p.stderr.on("data", (b: Buffer) => {
      if (out.length < 1_000_000) out += b.toString();
    });
    const timer = setTimeout(() => p.kill("SIGKILL"), runTimeoutMs);
    p.on("close", (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0 || /error|fail/i.test(out))
        reject(new Error(`${cmd} ${args.join(" ")}: ${out.slice(-500)}`));
      else resolve({ out, ms });
    });
    p.stdin.end(input ?? "");
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat; 12 and 13 after the "(comm) state" prefix.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** qemu-io script: `count` random 4 KiB ops at seeded offsets, `depth` in flight, then a flush. */
function randomScript(op: "aio_read" | "aio_write", count: number, depth: number, seed: number): string {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x;
  };
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const off = (next() % (regionBytes / 4096)) * 4096;
    lines.push(op === "aio_write" ? `aio_write -q -P 0x7e ${off} 4k` : `aio_read -q ${off} 4k`);
    if ((i + 1) % depth === 0) lines.push("aio_flush");
  }
  lines.push("aio_flush", "flush", "quit");
  return `${lines.join("\n")}\n`;
}

export interface Workload {
  name: string;
  ops: number;
  /** Runs once against url; resolves to seconds. */
  run(url: string): Promise<number>;
}

const benchSeconds = async (args: string[]) => {
  const r = await run("qemu-img", ["bench", "-f", "raw", ...args]);
  const m = /Run completed in ([\d.]+) seconds/.exec(r.out);
  if (!m) throw new Error(`qemu-img bench said: ${r.out}`);
  return Number(m[1]);
};

export const seq = (ops: number, depth: number, size: "4k" | "1M", write: boolean): Workload => ({
  name: `seq ${write ? "write" : "read"} ${size === "4k" ? "4 KiB" : "1 MiB"} (qd${depth})`,
  ops,
  run: (u) =>
    benchSeconds([
      ...(write ? ["-w", "--pattern=0x33"] : []),
      "-c",
      String(ops),
      "-d",
      String(depth),
      "-s",
      size,
      u,
    ]),
});

export const rand = (ops: number, write: boolean, depth: number): Workload => ({
  // qemu-io's default cache is writethrough: over NBD every write carries FUA (its trace
  // shows flags 0x1), an fdatasync per write on each copy; no FLUSH between writes.
  name: `rand ${write ? "write" : "read"} 4 KiB (qd${depth})${write ? " FUA" : ""}`,
  ops,
  run: async (u) =>
    (
      await run(
        "qemu-io",
        ["-f", "raw", u],
        randomScript(write ? "aio_write" : "aio_read", ops, depth, write ? 11 : 7),
      )
    ).ms / 1000,
});

/** The workloads of one bench run, op counts multiplied by `scale`. */
export function workloads(scale: number): Workload[] {
  const n4k = Math.round(10_000 * scale);
  const n1m = Math.round(256 * scale);
  const nRand = Math.round(4000 * scale);
  return [
    seq(n4k, 1, "4k", false),
    seq(n4k, 1, "4k", true),
    seq(n1m, 1, "1M", false),
    seq(n1m, 1, "1M", true),
    rand(nRand, false, 1),
    rand(nRand, true, 1),
    // At queue depth > 1 qemu-nbd 7.2 answers 4 KiB requests ~30× slower than at depth 1 on
    // this machine (measured by hand too); these rows show it rather than hide it.
    seq(n4k, 16, "4k", false),
    rand(nRand, false, 16),
  ];
}
