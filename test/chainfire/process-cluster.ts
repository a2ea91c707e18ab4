// A chainfire cluster of real processes (member-process.ts) for fault tests: members can be
// SIGKILLed and restarted on their own data dir; the leader is found through Maintenance Status.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChainfireClient } from "../../src/chainfire/client.ts";
import { freePort } from "./harness.ts";

/** A member process that prints no endpoint within this long failed to start. */
const START_TIMEOUT_MS = 30_000;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface MemberProc {
  child: ChildProcess;
  endpoint: string;
  client: ChainfireClient;
}

function spawnMember(
  dir: string,
  name: string,
  peerPort: number,
  initialCluster: string,
): Promise<MemberProc> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(import.meta.dirname, "member-process.ts"),
      dir,
      name,
      String(peerPort),
      initialCluster,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`member ${name} did not start: ${out}`));
    }, START_TIMEOUT_MS);
    const on = (d: Buffer) => {
      // Keep draining (a full pipe would block the member), but stop buffering once started.
      if (out.includes("ENDPOINT ")) return;
      out += d.toString();
      const m = /ENDPOINT (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, endpoint: m[1]!, client: new ChainfireClient(m[1]!) });
      }
    };
    child.stdout!.on("data", on);
    child.stderr!.on("data", on);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`member ${name} exited with ${code}: ${out}`));
    });
  });
}

export class ProcessCluster {
  private constructor(
    readonly ports: number[],
    readonly dirs: string[],
    readonly initialCluster: string,
    readonly procs: Array<MemberProc | undefined>,
  ) {}

  static async start(size = 3): Promise<ProcessCluster> {
    const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
    const initialCluster = ports.map((p, i) => `m${i + 1}=http://127.0.0.1:${p}`).join(",");
    const dirs = ports.map(() => mkdtempSync(join(tmpdir(), "chainfire-fault-")));
    const c = new ProcessCluster(ports, dirs, initialCluster, new Array(size).fill(undefined));
    await Promise.all(ports.map((_, i) => c.restart(i)));
    return c;
  }

  get size(): number {
    return this.ports.length;
  }

  async restart(i: number): Promise<void> {
    this.procs[i] = await spawnMember(this.dirs[i]!, `m${i + 1}`, this.ports[i]!, this.initialCluster);
  }

  kill(i: number): void {
    const p = this.procs[i];
    if (!p) return;
    this.procs[i] = undefined;
    p.client.close();
    p.child.kill("SIGKILL");
  }

  /** The index of the member that says it leads, or -1. */
  async leaderNow(): Promise<number> {
    const answers = await Promise.all(
      this.procs.map((p) =>
        p
          ? p.client.status().then(
              (s) => s.leader !== "0" && s.leader === s.memberId,
              () => false,
            )
          : false,
      ),
    );
    return answers.indexOf(true);
  }

  /** Polls until a member leads; -1 after timeoutMs. */
  async waitLeader(timeoutMs: number, pollMs = 25): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const l = await this.leaderNow();
      if (l >= 0 || Date.now() > deadline) return l;
      await sleep(pollMs);
    }
  }

  async close(): Promise<void> {
    const exits = this.procs.map((p) =>
      p && p.child.exitCode === null ? new Promise((r) => p.child.once("exit", r)) : undefined,
    );
    for (let i = 0; i < this.size; i++) this.kill(i);
    await Promise.all(exits);
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}
