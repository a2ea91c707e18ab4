// One running QEMU: spawned with its sockets in the VM's directory, its serial console read
// into a bounded log, controlled over QMP, reaped when it exits. A guest that dies of a KVM
// failure is relaunched once under TCG (see accel.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { type AccelChooser, kvmFailurePattern } from "./accel.ts";
import { type Accel, type LaunchSpec, qemuArgs } from "./qemu-args.ts";
import { QmpClient } from "./qmp-client.ts";
import { SerialLog } from "./serial-log.ts";

/** In each VM's directory, while its QEMU runs. */
export const qemuPidFile = "qemu.pid";

export const vmProcessLimits = {
  /** QEMU must open its sockets within this time. */
  startTimeoutMs: 15_000,
  /** Last bytes of QEMU's stderr kept to explain a failure. */
  stderrTailBytes: 8192,
};

export interface VmProcessOptions {
  spec: Omit<LaunchSpec, "accel" | "qmpSocket" | "serialSocket" | "pidFile">;
  /** Holds the sockets and the console log; one directory per VM. */
  dir: string;
  accel: AccelChooser;
  log: Logger;
  /** Each console line, as the guest prints it. */
  onConsoleLine?: (line: string) => void;
  qemuBinary?: string;
}

export interface VmExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
}

export class VmProcess {
  private child!: ChildProcess;
  private qmpClient!: QmpClient;
  private serial!: SerialLog;
  private stderrTail = "";
  /** The current QEMU's exit; replaced when a KVM failure relaunches under TCG. */
  private processExit!: Promise<VmExit>;
  private relaunching: Promise<void> | undefined;
  private readonly finalExit: Promise<VmExit>;
  private resolveFinal!: (e: VmExit) => void;
  accel!: Accel;

  private constructor(private readonly o: VmProcessOptions) {
    this.finalExit = new Promise((r) => {
      this.resolveFinal = r;
    });
  }

  static async start(o: VmProcessOptions): Promise<VmProcess> {
    const vm = new VmProcess(o);
    const accel = o.accel.choose();
    try {
      await vm.launch(accel);
    } catch (err) {
      // Whatever stopped QEMU under KVM, TCG gets one try: if that fails too, the error is real.
      if (accel !== "kvm") throw err;
      vm.fallBackToTcg();
      await vm.launch("tcg");
    }
    return vm;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get qmp(): QmpClient {
    return this.qmpClient;
  }

  get consoleLogPath(): string {
    return this.serial.path;
  }

  /** Resolves when the VM's QEMU has exited for good (not when a KVM failure relaunches it). */
  exited(): Promise<VmExit> {
    return this.finalExit;
  }

  /**
   * ACPI power button, then up to graceMs for the guest to power off; then QEMU is told to
   * quit, and killed if even that fails. Resolves once the process is gone.
   */
  async stop(graceMs: number): Promise<{ graceful: boolean }> {
    await this.relaunching;
    const gone = this.finalExit.then(() => true);
    try {
      await this.qmpClient.execute("system_powerdown");
    } catch {
      // QMP already gone: the process is exiting or dead
    }
    if (await Promise.race([gone, sleep(graceMs).then(() => false)])) return { graceful: true };
    try {
      await this.qmpClient.execute("quit");
    } catch {
      // fall through to the signal
    }
    if (!(await Promise.race([gone, sleep(2000).then(() => false)]))) this.child.kill("SIGKILL");
    await gone;
    return { graceful: false };
  }

  /** Immediate stop: the process is killed. */
  async kill(): Promise<void> {
    await this.relaunching;
    this.child.kill("SIGKILL");
    await this.finalExit;
  }

  private fallBackToTcg(): void {
    const lines = this.stderrTail.trim().split("\n");
    const why =
      lines.find((l) => kvmFailurePattern.test(l)) ?? lines.filter((l) => !l.includes(" info: ")).at(-1);
    this.o.accel.markKvmBroken(why || "QEMU failed to start under KVM");
    this.o.log.warn({ reason: this.o.accel.kvmFailure }, "KVM cannot run guests here; using TCG");
  }

  private async launch(accel: Accel): Promise<void> {
    this.accel = accel;
    const qmpSocket = join(this.o.dir, "qmp.sock");
    const serialSocket = join(this.o.dir, "serial.sock");
    rmSync(qmpSocket, { force: true });
    rmSync(serialSocket, { force: true });
    const args = qemuArgs({
      ...this.o.spec,
      accel,
      qmpSocket,
      serialSocket,
      pidFile: join(this.o.dir, qemuPidFile),
    });
    this.stderrTail = "";
    const child = spawn(this.o.qemuBinary ?? "qemu-system-x86_64", args, {
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.child = child;
    let kvmFailed = false;
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (s: string) => {
      this.stderrTail = (this.stderrTail + s).slice(-vmProcessLimits.stderrTailBytes);
      if (accel === "kvm" && !kvmFailed && kvmFailurePattern.test(this.stderrTail)) {
        kvmFailed = true;
        child.kill("SIGKILL");
      }
    });
    this.processExit = new Promise<VmExit>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal, stderrTail: this.stderrTail }));
      child.once("error", (err) => {
        this.stderrTail += String(err);
        resolve({ code: null, signal: null, stderrTail: this.stderrTail });
      });
    });
    this.serial?.close();
    this.serial = new SerialLog(join(this.o.dir, "console.log"), (l) => this.o.onConsoleLine?.(l));
    // Abandoned when this launch fails, so its retry loops cannot take the next launch's sockets.
    const abandon = new AbortController();
    const ready = (async () => {
      // QEMU waits for the console's reader before it runs the guest, so nothing is lost.
      await this.serial.attach(serialSocket, vmProcessLimits.startTimeoutMs, abandon.signal);
      this.qmpClient = await connectQmp(qmpSocket, vmProcessLimits.startTimeoutMs, abandon.signal);
    })();
    const failed = this.processExit.then((e) => {
      throw new Error(
        `QEMU exited during start (code ${e.code}, signal ${e.signal}): ${e.stderrTail.trim()}`,
      );
    });
    failed.catch(() => {}); // only the race below cares
    try {
      await Promise.race([ready, failed]);
    } catch (err) {
      abandon.abort();
      ready.catch(() => {});
      child.kill("SIGKILL");
      await this.processExit;
      this.serial.close();
      throw err;
    }
    void this.processExit.then((e) => {
      this.serial.close();
      this.qmpClient.close();
      if (!kvmFailed) {
        this.resolveFinal(e);
        return;
      }
      // KVM failed after start (at the guest's first hard instruction): start again on TCG.
      this.fallBackToTcg();
      this.relaunching = this.launch("tcg").catch((err: Error) => {
        this.resolveFinal({ code: null, signal: null, stderrTail: String(err.message) });
      });
    });
  }
}

async function connectQmp(path: string, timeoutMs: number, signal: AbortSignal): Promise<QmpClient> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    signal.throwIfAborted();
    try {
      const c = await QmpClient.connect(path, timeoutMs);
      if (!signal.aborted) return c;
      c.close();
    } catch (err) {
      if (Date.now() > end) throw new Error(`QMP socket ${path} did not open: ${String(err)}`);
      await sleep(20);
    }
  }
}
