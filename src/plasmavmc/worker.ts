// The worker's loop on one host: heartbeat, learn the VMs placed here, and make each true —
// start what should run, stop what should not, clean up what was deleted — reporting every
// change back to the control plane. Level-triggered: each pass compares wanted with actual,
// so a missed report or a restart of the worker converges on the next pass.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { formatHostPort } from "../core/host-port.ts";
import { AccelChooser } from "./accel.ts";
import { type HostSpec, migrationLimits, volumeHolder } from "./api.ts";
import type { PlasmavmcClient, Vm, WorkerReport } from "./client.ts";
import type { MetadataService } from "./metadata-service.ts";
import type { DiskSource } from "./qemu-args.ts";
import type { ImageRef, VmDisks } from "./vm-disk.ts";
import type { VmProcessView } from "./vm-metrics.ts";
import { listenForMigration, migrationOutcome, sendMigration } from "./vm-migration.ts";
import { VmProcess } from "./vm-process.ts";
import {
  attachedVolumes,
  attachVolumes,
  detachVolumes,
  type IncomingDisk,
  incomingDisks,
  swapVolume,
  takeOverVolumes,
  type VolumeApi,
  type VolumeDisk,
  volumeChange,
} from "./vm-volumes.ts";

export interface WorkerOptions {
  host: string;
  hostSpec: HostSpec;
  client: PlasmavmcClient;
  disks: VmDisks;
  metadata: MetadataService;
  accel: AccelChooser;
  log: Logger;
  dataDir: string;
  /** Where forwarded guest ports listen. */
  publishAddress: string;
  allocatePort: () => Promise<number>;
  imageRef: (project: string, name: string) => Promise<ImageRef>;
  /** coronafs, for VMs with volumes (absent: such VMs fail to start, saying why). */
  volumes?: VolumeApi | undefined;
  stopGraceMs: number;
}

interface Local {
  proc: VmProcess;
  token: string;
  report: WorkerReport;
  volumes: VolumeDisk[];
  /** Set while this worker itself is stopping the VM, so its exit is not news. */
  stopping: boolean;
  /** A VM migrating in, paused on placeholder disks until its state has arrived. */
  incoming?: IncomingDisk[];
  /** Migrated away: its volumes belong to the target now, so they are not detached. */
  handedOver?: boolean;
}

const keyOf = (vm: Vm) => `${vm.metadata.project}/${vm.metadata.name}`;

export class Worker {
  private readonly running = new Map<string, Local>();
  /** VMs whose start failed, and when to try again (a broken image must not spin). */
  private readonly retryAt = new Map<string, number>();
  private readonly busy = new Set<string>();
  /** VMs being sent to another host (in the background: passes go on meanwhile). */
  private readonly migrating = new Set<string>();

  constructor(private readonly o: WorkerOptions) {}

  vmDir(project: string, name: string): string {
    return join(this.o.dataDir, "vms", project, name);
  }

  /** One pass: heartbeat, then every placed VM made true. */
  async sync(): Promise<void> {
    // Acceleration as known now: a KVM that failed a guest has made this host a TCG host.
    const spec = { ...this.o.hostSpec, accel: this.o.accel.choose() };
    await this.o.client.heartbeat(this.o.host, spec, this.running.size);
    const { items } = await this.o.client.hostVms(this.o.host);
    const placed = new Set(items.map(keyOf));
    await Promise.all(items.map((vm) => this.once(keyOf(vm), () => this.reconcile(vm))));
    // Running here but no longer placed here (moved or forgotten while this host was down).
    for (const [key, local] of this.running) {
      if (!placed.has(key)) await this.once(key, () => this.halt(key, local).then(() => undefined));
    }
  }

  private async once(key: string, fn: () => Promise<void>): Promise<void> {
    if (this.busy.has(key) || this.migrating.has(key)) return;
    this.busy.add(key);
    try {
      await fn();
    } catch (err) {
      this.o.log.warn({ err, vm: key }, "VM reconcile failed; retrying next pass");
    } finally {
      this.busy.delete(key);
    }
  }

  private async reconcile(vm: Vm): Promise<void> {
    const key = keyOf(vm);
    const project = vm.metadata.project as string;
    const name = vm.metadata.name;
    const local = this.running.get(key);
    if (vm.status.host !== this.o.host) return this.reconcileIncoming(vm, local);
    if (vm.metadata.deletionTimestamp) {
      if (local) await this.halt(key, local, vm);
      this.o.disks.remove(this.vmDir(project, name));
      await this.o.client.release(this.o.host, project, name);
      return;
    }
    if (vm.spec.powerState === "Running" && !local) {
      // Handed over to a migration's target: started here again only if the migration fails.
      if (vm.status.migration) return;
      if ((this.retryAt.get(key) ?? 0) > Date.now()) return;
      await this.start(vm);
      return;
    }
    if (vm.spec.powerState === "Stopped" && local) {
      if (vm.status.migration) await this.migrationFailed(vm, "the VM is being stopped");
      await this.report(vm, { ...local.report, phase: "Stopping", message: "stopping (ACPI power button)" });
      const graceful = await this.halt(key, local, vm);
      await this.report(vm, {
        phase: "Stopped",
        message: graceful ? "stopped: the guest powered off" : "stopped: forced off after the grace period",
        ports: [],
        volumes: [],
      });
      return;
    }
    if (vm.spec.powerState === "Stopped" && vm.status.phase !== "Stopped") {
      await this.report(vm, { phase: "Stopped", message: "stopped", ports: [], volumes: [] });
      return;
    }
    const m = vm.status.migration;
    if (local && m?.phase === "Listening" && m.address) {
      void this.migrateOut(vm, key, local, m.target, m.address);
      return;
    }
    if (local?.volumes.length) await this.followVolumes(vm, key, local);
    // Keep the control plane's view true (e.g. after it missed a report).
    if (local && vm.status.phase !== local.report.phase) await this.report(vm, local.report);
  }

  /**
   * A volume that coronafs failed over is re-attached and swapped under the running guest; one
   * another holder took by force means this VM must not run on it any longer.
   */
  private async followVolumes(vm: Vm, key: string, local: Local): Promise<void> {
    const api = this.o.volumes;
    if (!api) return;
    const project = vm.metadata.project as string;
    const holder = volumeHolder(vm);
    for (const [i, disk] of local.volumes.entries()) {
      const { status } = await api.getVolume(project, disk.name);
      const change = volumeChange(disk, status, holder);
      if (change === "same") continue;
      if (change === "taken") {
        this.o.log.warn({ vm: key, volume: disk.name }, "volume taken by another holder; stopping the VM");
        await this.halt(key, local, vm, { detach: false, graceMs: 0 });
        await this.report(vm, {
          phase: "Failed",
          message: `volume ${disk.name} was taken over by ${status.attachment?.holder ?? "a detach"}; the VM was stopped`,
          ports: [],
          volumes: [],
        });
        return;
      }
      const next = await api.attach(project, disk.name, holder);
      try {
        local.volumes[i] = await swapVolume(local.proc.qmp, disk, next);
      } catch (err) {
        // The guest cannot be kept running on this disk: restart it on the new attachment.
        this.o.log.warn({ err, vm: key, volume: disk.name }, "volume swap failed; restarting the VM");
        await this.halt(key, local, vm, { detach: false, graceMs: 0 });
        await this.report(vm, {
          phase: "Starting",
          message: `restarting: volume ${disk.name} failed over and could not be swapped live (${(err as Error).message})`,
          ports: [],
          volumes: [],
        });
        return;
      }
      this.o.log.info(
        { vm: key, volume: disk.name, server: next.server },
        "volume failed over; guest disk swapped",
      );
      local.report = {
        ...local.report,
        message: `running; volume ${disk.name} failed over to ${next.server}`,
        volumes: attachedVolumes(local.volumes),
      };
      await this.report(vm, local.report);
    }
  }

  /** A VM listed here as a migration's target: get ready for it, or give up on it. */
  private async reconcileIncoming(vm: Vm, local: Local | undefined): Promise<void> {
    const m = vm.status.migration;
    const wanted =
      m?.target === this.o.host && !vm.metadata.deletionTimestamp && vm.spec.powerState === "Running";
    if (!wanted) {
      if (local) await this.halt(keyOf(vm), local, vm);
      return;
    }
    if (!local && m.phase === "Requested") await this.prepareIncoming(vm);
  }

  /**
   * Starts a paused QEMU with the VM's devices (its volumes as placeholders of the same sizes),
   * listening for the guest's state, and tells the control plane where; the source sends it.
   */
  private async prepareIncoming(vm: Vm): Promise<void> {
    const key = keyOf(vm);
    const project = vm.metadata.project as string;
    const name = vm.metadata.name;
    let token: string | undefined;
    try {
      if (!this.o.volumes) throw new Error("this worker has no coronafs endpoint for volumes");
      const dir = this.vmDir(project, name);
      mkdirSync(dir, { recursive: true });
      const disks = await incomingDisks(
        this.o.volumes,
        project,
        vm.spec.volumes.map((v) => v.name),
        0,
      );
      const ports = [];
      for (const p of vm.spec.ports)
        ports.push({ ...p, hostAddress: this.o.publishAddress, hostPort: await this.o.allocatePort() });
      const md = this.o.metadata.register({
        instanceId: vm.metadata.uid,
        hostname: name,
        publicKeys: vm.spec.sshKeys,
        userData: vm.spec.userData,
      });
      token = md.token;
      const accel = vm.status.accel ?? "tcg";
      const proc = await VmProcess.start({
        spec: {
          name,
          vcpus: vm.spec.flavor.vcpus,
          memoryMib: vm.spec.flavor.memoryMib,
          disks: disks.map((d) => d.source),
          portForwards: ports,
          metadataUrl: md.url,
          uuid: vm.metadata.uid,
          incoming: true,
        },
        dir,
        accel: AccelChooser.only(accel),
        log: this.o.log,
      });
      const report: WorkerReport = {
        phase: "Running",
        message: `running under ${accel.toUpperCase()}`,
        accel,
        ports,
        volumes: [],
        ...(vm.status.startedAt ? { startedAt: vm.status.startedAt } : {}),
      };
      const local: Local = { proc, token, report, volumes: [], stopping: false, incoming: disks };
      this.running.set(key, local);
      void proc.exited().then((exit) => this.onExit(vm, key, local, exit.code));
      const port = await this.o.allocatePort();
      await listenForMigration(proc.qmp, this.o.publishAddress, port);
      await this.o.client.reportMigration(this.o.host, project, name, {
        phase: "Listening",
        address: formatHostPort(this.o.publishAddress, port),
      });
      void this.awaitIncoming(vm, key, local);
    } catch (err) {
      const local = this.running.get(key);
      if (local) await this.halt(key, local, vm);
      else if (token) this.o.metadata.unregister(token);
      await this.migrationFailed(vm, `the target could not get ready: ${(err as Error).message}`);
    }
  }

  /**
   * Waits for the guest's state to arrive, then takes the volumes over (which fences the
   * source's connections), resumes the guest and reports the VM as this host's.
   */
  private async awaitIncoming(vm: Vm, key: string, local: Local): Promise<void> {
    const project = vm.metadata.project as string;
    const outcome = await migrationOutcome(local.proc.qmp, Date.now() + migrationLimits.timeoutMs);
    if (this.running.get(key) !== local || !local.incoming) return; // given up meanwhile
    try {
      if (!outcome.ok) throw new Error(outcome.error);
      const api = this.o.volumes as VolumeApi;
      local.volumes = await takeOverVolumes(api, local.proc.qmp, project, local.incoming, volumeHolder(vm));
      await local.proc.qmp.execute("cont");
      local.incoming = undefined;
      local.report = {
        ...local.report,
        message: `${local.report.message}; migrated from ${vm.status.host}`,
        volumes: attachedVolumes(local.volumes),
      };
      this.o.log.info({ vm: key, from: vm.status.host, ...outcome }, "VM migrated in");
      await this.o.client.reportMigration(this.o.host, project, vm.metadata.name, {
        phase: "Completed",
        report: local.report,
      });
    } catch (err) {
      await this.halt(key, local, vm);
      await this.migrationFailed(vm, `the target did not take the guest over: ${(err as Error).message}`);
    }
  }

  /** Sends a running VM to the target's QEMU; on success the target reports, on failure this does. */
  private async migrateOut(
    vm: Vm,
    key: string,
    local: Local,
    target: string,
    address: string,
  ): Promise<void> {
    if (this.migrating.has(key)) return;
    this.migrating.add(key);
    try {
      await sendMigration(local.proc.qmp, address);
      const outcome = await migrationOutcome(local.proc.qmp, Date.now() + migrationLimits.timeoutMs);
      if (!outcome.ok) {
        // QEMU resumes the guest here by itself after a failed migration.
        await this.migrationFailed(vm, outcome.error);
        return;
      }
      // The guest is paused and its disks flushed: the target resumes it on the same volumes.
      local.handedOver = true;
      await this.halt(key, local, vm, { graceMs: 0 });
      this.o.log.info({ vm: key, to: target, ...outcome }, "VM migrated out");
    } catch (err) {
      this.o.log.warn({ err, vm: key, to: target }, "migration failed");
      await this.migrationFailed(vm, (err as Error).message);
    } finally {
      this.migrating.delete(key);
    }
  }

  private async migrationFailed(vm: Vm, message: string): Promise<void> {
    await this.o.client
      .reportMigration(this.o.host, vm.metadata.project as string, vm.metadata.name, {
        phase: "Failed",
        message,
      })
      .catch((err) => this.o.log.warn({ err, vm: keyOf(vm) }, "could not report a failed migration"));
  }

  private async start(vm: Vm): Promise<void> {
    const key = keyOf(vm);
    const project = vm.metadata.project as string;
    const name = vm.metadata.name;
    await this.report(vm, { phase: "Starting", message: "preparing the disks", ports: [], volumes: [] });
    let volumes: VolumeDisk[] = [];
    try {
      const dir = this.vmDir(project, name);
      mkdirSync(dir, { recursive: true }); // QEMU's sockets and the console log live here
      const disks: DiskSource[] = [];
      const image = vm.spec.image;
      if (image) {
        const img = await this.o.imageRef(image.project ?? project, image.name);
        disks.push({ kind: "file", path: await this.o.disks.rootDisk(dir, img), format: "qcow2" });
      }
      if (vm.spec.volumes.length) {
        if (!this.o.volumes) throw new Error("this worker has no coronafs endpoint for volumes");
        volumes = await attachVolumes(
          this.o.volumes,
          project,
          vm.spec.volumes.map((v) => v.name),
          volumeHolder(vm),
          disks.length,
        );
        disks.push(...volumes.map((v) => v.source));
      }
      const ports = [];
      for (const p of vm.spec.ports)
        ports.push({ ...p, hostAddress: this.o.publishAddress, hostPort: await this.o.allocatePort() });
      const { token, url } = this.o.metadata.register({
        instanceId: vm.metadata.uid,
        hostname: name,
        publicKeys: vm.spec.sshKeys,
        userData: vm.spec.userData,
      });
      let proc: VmProcess;
      try {
        proc = await VmProcess.start({
          spec: {
            name,
            vcpus: vm.spec.flavor.vcpus,
            memoryMib: vm.spec.flavor.memoryMib,
            disks,
            portForwards: ports,
            metadataUrl: url,
            uuid: vm.metadata.uid,
          },
          dir,
          accel: this.o.accel,
          log: this.o.log,
        });
      } catch (err) {
        this.o.metadata.unregister(token);
        throw err;
      }
      const report: WorkerReport = {
        phase: "Running",
        message: `running under ${proc.accel.toUpperCase()}`,
        accel: proc.accel,
        ports,
        volumes: attachedVolumes(volumes),
        startedAt: new Date().toISOString(),
      };
      const local: Local = { proc, token, report, volumes, stopping: false };
      this.running.set(key, local);
      this.retryAt.delete(key);
      void proc.exited().then((exit) => this.onExit(vm, key, local, exit.code));
      await this.report(vm, report);
    } catch (err) {
      if (this.o.volumes) await detachVolumes(this.o.volumes, project, volumes, volumeHolder(vm));
      this.retryAt.set(key, Date.now() + 10_000);
      await this.report(vm, {
        phase: "Failed",
        message: `start failed: ${(err as Error).message}`,
        ports: [],
        volumes: [],
      });
    }
  }

  /** The guest powered off or QEMU died on its own: say so; the next pass restarts it if wanted. */
  private async onExit(vm: Vm, key: string, local: Local, code: number | null): Promise<void> {
    if (local.stopping) return;
    this.running.delete(key);
    this.o.metadata.unregister(local.token);
    if (local.incoming) {
      await this.migrationFailed(vm, `the target's QEMU exited with code ${code}`);
      return;
    }
    const message = code === 0 ? "the guest powered itself off" : `QEMU exited with code ${code}`;
    this.o.log.info({ vm: key, code }, message);
    // Its volumes stay attached to it: the next start (here or elsewhere) takes them again.
    await this.report(vm, { phase: "Stopped", message, ports: [], volumes: [] }).catch(() => undefined);
  }

  /**
   * Stops a VM this worker runs and, unless told otherwise, lets go of its volumes; true if
   * the guest shut down by itself in the grace period.
   */
  private async halt(
    key: string,
    local: Local,
    vm?: Vm,
    o: { detach?: boolean; graceMs?: number } = {},
  ): Promise<boolean> {
    local.stopping = true;
    // A guest migrating in is paused: there is nobody to press the power button for.
    const { graceful } = await local.proc.stop(local.incoming ? 0 : (o.graceMs ?? this.o.stopGraceMs));
    this.running.delete(key);
    this.o.metadata.unregister(local.token);
    // A VM migrating in never had them; one migrated away gave them to the target.
    const owns = !local.incoming && !local.handedOver;
    if (vm && this.o.volumes && owns && (o.detach ?? true))
      await detachVolumes(this.o.volumes, vm.metadata.project as string, local.volumes, volumeHolder(vm));
    return graceful;
  }

  private async report(vm: Vm, r: WorkerReport): Promise<void> {
    await this.o.client.report(this.o.host, vm.metadata.project as string, vm.metadata.name, r);
  }

  /**
   * Reboots a VM this worker runs: a hard reset in place, or a graceful power-off and a fresh
   * start (new QEMU, volumes attached again) — what a guest that hangs at shutdown needs.
   */
  async reboot(project: string, name: string, hard: boolean): Promise<void> {
    const key = `${project}/${name}`;
    const local = this.running.get(key);
    if (!local) throw new Error(`VM ${key} is not running on this host`);
    if (hard) {
      await local.proc.qmp.execute("system_reset");
      return;
    }
    if (this.busy.has(key)) throw new Error(`VM ${key} is changing state; retry`);
    this.busy.add(key);
    // Start again in the background: the caller sees Starting, then Running.
    void (async () => {
      try {
        const vm = (await this.o.client.hostVms(this.o.host)).items.find((v) => keyOf(v) === key);
        await this.halt(key, local, undefined);
        if (vm) await this.start(vm);
      } catch (err) {
        this.o.log.warn({ err, vm: key }, "reboot failed; the next pass starts the VM if it should run");
      } finally {
        this.busy.delete(key);
      }
    })();
  }

  /** The running VMs' processes, for per-VM metrics. */
  processes(): VmProcessView[] {
    return [...this.running].map(([key, local]) => {
      const [project, name] = key.split("/") as [string, string];
      return { project, name, pid: local.proc.pid, qmp: local.proc.qmp };
    });
  }

  consoleLog(project: string, name: string): string {
    return join(this.vmDir(project, name), "console.log");
  }

  /** Stops every VM (the worker is shutting down); they start again when it comes back. */
  async close(): Promise<void> {
    await Promise.all([...this.running].map(([key, local]) => this.halt(key, local)));
  }
}
