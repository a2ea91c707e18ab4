// The control plane's reconcile of one VM: hold its quota and place it (Pending → Scheduled),
// and on deletion wait for its host to let go, give the quota back and drop the finalizer.
// Workers do the rest (Starting, Running, Stopped) and report it through their own routes.
import type { Logger } from "pino";
import { ApiError } from "../core/errors.ts";
import type { Registry } from "../core/metrics.ts";
import { Controller } from "../core/resource/controller.ts";
import type { AnyResource, ResourceKey } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import type { Amounts } from "../creditservice/api.ts";
import {
  type Host,
  hostKind,
  migrationLimits,
  type Vm,
  type VmSpec,
  type VmStatus,
  vmKind,
  volumeHolder,
} from "./api.ts";
import { type HostView, placements, schedule } from "./scheduler.ts";

export const vmFinalizer = "plasmavmc.photon/vm";

/** What the controller needs of creditservice (absent: quota is not enforced). */
export interface CreditPort {
  reserve(project: string, requestId: string, amounts: Amounts): Promise<unknown>;
  commit(project: string, requestId: string): Promise<unknown>;
  release(project: string, requestId: string): Promise<unknown>;
  releaseUsage(project: string, requestId: string, amounts: Amounts): Promise<unknown>;
}

/** Where images come from: their format decides which hosts can boot them. */
export type ImageFormatLookup = (project: string, name: string) => Promise<"raw" | "qcow2">;

/** What the controller needs of coronafs. */
export interface VolumePort {
  /**
   * Why a VM cannot have a volume yet (it does not exist, is not ready, or another holder has
   * it), or undefined when the VM may attach it.
   */
  check(project: string, name: string, holder: string): Promise<string | undefined>;
  /** Lets go of a deleted VM's volume (its worker could not); a no-op if the holder differs. */
  detach(project: string, name: string, holder: string): Promise<void>;
}

export interface VmControllerOptions {
  store: ResourceStore;
  log: Logger;
  credit?: CreditPort | undefined;
  imageFormat: ImageFormatLookup;
  /** Absent: VMs with volumes wait with a message saying coronafs is not configured. */
  volumes?: VolumePort | undefined;
  clock: () => number;
  heartbeatGraceMs: number;
  strategy: "spread" | "pack";
  resyncMs: number;
  registry?: Registry;
}

export const vmQuota = (spec: VmSpec): Amounts => ({
  vcpu: spec.flavor.vcpus,
  memory_mib: spec.flavor.memoryMib,
  vms: 1,
});

/** Retry placement of a VM nothing could take this often. */
const unplacedRetryMs = 5000;

export function vmController(o: VmControllerOptions): Controller {
  const setStatus = async (vm: Vm, patch: Partial<VmStatus>) => {
    const status = { ...vm.status, ...patch };
    if (JSON.stringify(status) === JSON.stringify(vm.status)) return vm;
    return (await o.store.update({ ...vm, status } as AnyResource, { revision: vm.metadata.revision })) as Vm;
  };

  const place = async (vm: Vm) => {
    const project = vm.metadata.project as string;
    const requestId = `vm-${vm.metadata.uid}`;
    // A volume-booted VM is a raw disk over NBD, which every worker attaches.
    let format: "raw" | "qcow2" = "raw";
    const image = vm.spec.image;
    if (image) {
      try {
        format = await o.imageFormat(image.project ?? project, image.name);
      } catch (e) {
        await setStatus(vm, { message: `image ${image.name}: ${(e as Error).message}` });
        return { requeueAfterMs: unplacedRetryMs };
      }
    }
    for (const v of vm.spec.volumes) {
      const why = o.volumes
        ? await o.volumes.check(project, v.name, volumeHolder(vm))
        : "no coronafs endpoint is configured for volumes";
      if (why) {
        await setStatus(vm, { message: `volume ${v.name}: ${why}` });
        return { requeueAfterMs: unplacedRetryMs };
      }
    }
    const hosts = (await o.store.list(hostKind.kind, undefined)).items as Host[];
    const vms = (await o.store.list(vmKind.kind, undefined)).items as Vm[];
    const placed = placements(vms);
    const views: HostView[] = hosts.map((h) => ({ name: h.metadata.name, spec: h.spec, status: h.status }));
    const result = schedule({
      vm: { project, name: vm.metadata.name, spec: vm.spec },
      imageFormat: format,
      hosts: views,
      placed,
      nowMs: o.clock(),
      heartbeatGraceMs: o.heartbeatGraceMs,
      strategy: o.strategy,
    });
    if (!result.ok) {
      await setStatus(vm, { message: result.message });
      return { requeueAfterMs: unplacedRetryMs };
    }
    if (o.credit && !vm.status.quotaHeld) {
      try {
        await o.credit.reserve(project, requestId, vmQuota(vm.spec));
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        await setStatus(vm, { message: `quota: ${e.message}` });
        return { requeueAfterMs: unplacedRetryMs };
      }
    }
    try {
      await setStatus(vm, {
        phase: "Scheduled",
        host: result.host,
        quotaHeld: o.credit !== undefined,
        message: `placed on ${result.host}`,
      });
    } catch (e) {
      // Lost a race with a change to the VM: give the hold back and decide again.
      if (o.credit && !vm.status.quotaHeld) await o.credit.release(project, requestId).catch(() => undefined);
      throw e;
    }
    if (o.credit && !vm.status.quotaHeld) await o.credit.commit(project, requestId);
    return undefined;
  };

  const hostAlive = async (name: string) => {
    const h = (await o.store.get({ kind: hostKind.kind, name })) as Host | undefined;
    const beat = h?.status.heartbeatAt ? Date.parse(h.status.heartbeatAt) : Number.NaN;
    return o.clock() - beat <= o.heartbeatGraceMs;
  };

  const remove = async (vm: Vm) => {
    if (vm.status.host) {
      if (await hostAlive(vm.status.host)) return { requeueAfterMs: 2000 }; // the worker lets go first
      o.log.warn({ vm: vm.metadata.name, host: vm.status.host }, "host is down; forgetting the VM on it");
      vm = await setStatus(vm, { host: undefined, message: `host ${vm.status.host} was down at deletion` });
    }
    // A worker that stopped the VM detached its volumes; one that died could not.
    if (o.volumes)
      for (const v of vm.spec.volumes)
        await o.volumes.detach(vm.metadata.project as string, v.name, volumeHolder(vm));
    if (vm.status.quotaHeld && o.credit) {
      const project = vm.metadata.project as string;
      await o.credit.releaseUsage(project, `vm-${vm.metadata.uid}-gone`, vmQuota(vm.spec));
      vm = await setStatus(vm, { quotaHeld: false });
    }
    const finalizers = (vm.metadata.finalizers ?? []).filter((f) => f !== vmFinalizer);
    await o.store.update({ ...vm, metadata: { ...vm.metadata, finalizers } } as AnyResource, {
      revision: vm.metadata.revision,
    });
    return undefined;
  };

  /**
   * The workers drive a migration (routes.ts); the control plane only gives up on one whose
   * target died or that outlived its bound, and the source keeps running the guest.
   */
  const watchMigration = async (vm: Vm) => {
    const m = vm.status.migration as NonNullable<VmStatus["migration"]>;
    const age = o.clock() - Date.parse(m.since);
    const why =
      age > migrationLimits.timeoutMs
        ? `not done within ${migrationLimits.timeoutMs / 60_000} minutes`
        : !(await hostAlive(m.target))
          ? `host ${m.target} is down`
          : undefined;
    if (!why) return { requeueAfterMs: 5000 };
    o.log.warn({ vm: vm.metadata.name, target: m.target }, `migration abandoned: ${why}`);
    await setStatus(vm, { migration: undefined, message: `migration to ${m.target} abandoned: ${why}` });
    return undefined;
  };

  const reconcile = async (_key: ResourceKey, obj: AnyResource | undefined) => {
    if (!obj) return undefined;
    let vm = obj as Vm;
    if (vm.metadata.deletionTimestamp) {
      if (!(vm.metadata.finalizers ?? []).includes(vmFinalizer)) return undefined;
      if (vm.status.phase !== "Deleting")
        vm = await setStatus(vm, { phase: "Deleting", message: "deleting" });
      return remove(vm);
    }
    if (!(vm.metadata.finalizers ?? []).includes(vmFinalizer)) {
      await o.store.update(
        {
          ...vm,
          metadata: { ...vm.metadata, finalizers: [...(vm.metadata.finalizers ?? []), vmFinalizer] },
        } as AnyResource,
        { revision: vm.metadata.revision },
      );
      return undefined; // the update brings it back
    }
    if (vm.status.migration) return watchMigration(vm);
    if (!vm.status.host) {
      if (vm.spec.powerState === "Running") return place(vm);
      if (vm.status.phase === "Pending")
        await setStatus(vm, { phase: "Stopped", message: "created stopped: it is placed when it starts" });
      return undefined;
    }
    // A stopped VM without a local disk (no image overlay) belongs to no host: its volumes
    // were detached when it stopped, so its next start may place it on any worker.
    if (!vm.spec.image && vm.spec.powerState === "Stopped" && vm.status.phase === "Stopped")
      await setStatus(vm, { host: undefined, volumes: [] });
    return undefined;
  };

  return new Controller({
    name: "plasmavmc-vm",
    kind: vmKind.kind,
    store: o.store,
    log: o.log,
    resyncMs: o.resyncMs,
    reconcile,
    ...(o.registry ? { registry: o.registry } : {}),
  });
}
