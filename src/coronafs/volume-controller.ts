// Drives each Volume toward its spec: places its copies, creates them on the volume servers
// (empty, or cloned copy-on-write from an image base or a snapshot), sets the first
// attachment epoch, grows them on resize, fails the primary over to an in-sync replica when
// its server is down, and on delete removes the copies and gives the quota back.
import type { Logger } from "pino";
import { ApiError } from "../core/errors.ts";
import { KeyedMutex } from "../core/keyed-mutex.ts";
import type { Registry } from "../core/metrics.ts";
import { setCondition } from "../core/resource/conditions.ts";
import { Controller } from "../core/resource/controller.ts";
import type { AnyResource, Resource } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import { updateRetrying } from "../core/resource/update-retrying.ts";
import {
  gib,
  type SnapshotSpec,
  type SnapshotStatus,
  snapshotKind,
  type VolumeCopy,
  type VolumeSpec,
  type VolumeStatus,
  volumeKind,
} from "./api.ts";
import type { Fleet } from "./fleet.ts";
import { placeCopies } from "./placement.ts";

export type Volume = Resource<VolumeSpec, VolumeStatus>;
export type VolumeSnapshot = Resource<SnapshotSpec, SnapshotStatus>;

export const volumeFinalizer = "coronafs.photon/copies";

/** The part of creditservice's client used here. */
export interface CreditPort {
  withReservation<T>(
    project: string,
    requestId: string,
    amounts: Record<string, number>,
    create: () => Promise<T>,
  ): Promise<T>;
  releaseUsage(project: string, requestId: string, amounts: Record<string, number>): Promise<unknown>;
}

/** Where image bytes come from (lightningstor's registry). */
export interface ImageSource {
  describe(
    project: string,
    name: string,
  ): Promise<{ sha256: string; sizeBytes: number; format: "raw" | "qcow2" }>;
  open(project: string, name: string): Promise<import("node:stream").Readable>;
}

export interface VolumeControllerOptions {
  store: ResourceStore;
  fleet: Fleet;
  log: Logger;
  registry?: Registry;
  images?: ImageSource | undefined;
  credit?: CreditPort | undefined;
  chunkSizeBytes: number;
  newToken: () => string;
  clock: () => number;
  resyncMs: number;
}

const now = (clock: () => number) => new Date(clock()).toISOString();

/** A resync that has not reported back in this long is asked for again. */
export const resyncRetryAfterMs = 60_000;

export function imageBaseId(sha256: string): string {
  return `img-${sha256.slice(0, 40)}`;
}

export class VolumeReconciler {
  /** This control plane's API, where primaries report failed replicas (set once it listens). */
  reportUrl: string | undefined;
  private readonly lostLocks = new KeyedMutex();
  /** Resyncs asked for ("<volume id> <server>" → clock at the ask); one at a time per replica. */
  private readonly resyncs = new Map<string, number>();

  constructor(private readonly o: VolumeControllerOptions) {}

  /**
   * A primary reports that a replica failed: the replica leaves the in-sync set (it can never
   * be promoted with missing writes) before the primary acknowledges anything without it.
   * A report from an older epoch is refused: that primary is fenced, its writes must fail.
   */
  markReplicaLost(volumeId: string, epoch: number, replica: string): Promise<Volume> {
    return this.replicaReport(
      volumeId,
      epoch,
      replica,
      (c) => c.nbd === replica,
      (v, copy) => {
        if (!copy.inSync) return undefined;
        const message = `replica on ${copy.server} failed and left the in-sync set`;
        this.o.log.warn({ volume: v.metadata.name, project: v.metadata.project, replica }, message);
        return {
          ...v,
          status: {
            ...v.status,
            copies: v.status.copies.map((c) => (c === copy ? { ...c, inSync: false } : c)),
            conditions: setCondition(
              v.status.conditions,
              { type: "Degraded", status: "True", reason: "ReplicaLost", message },
              now(this.o.clock),
            ),
          },
        };
      },
    );
  }

  /**
   * A primary reports that a replica it resynced holds every write: the copy rejoins the
   * in-sync set (and can be promoted again). Only at the current epoch, and only for a copy
   * of this volume on the server at that address.
   */
  markReplicaSynced(volumeId: string, epoch: number, replica: string): Promise<Volume> {
    return this.replicaReport(
      volumeId,
      epoch,
      replica,
      (c) => (this.o.fleet.get(c.server)?.nbd ?? c.nbd) === replica,
      (v, copy) => {
        this.resyncs.delete(`${volumeId} ${copy.server}`);
        if (copy.inSync) return undefined;
        const copies = v.status.copies.map((c) => (c === copy ? { ...c, nbd: replica, inSync: true } : c));
        const degraded = copies.some((c) => !c.inSync);
        const message = degraded
          ? `replica on ${copy.server} resynced; ${copies.filter((c) => !c.inSync).length} copies still out of sync`
          : `replica on ${copy.server} resynced; every copy is in sync`;
        this.o.log.info({ volume: v.metadata.name, project: v.metadata.project, replica }, message);
        return {
          ...v,
          status: {
            ...v.status,
            copies,
            conditions: setCondition(
              v.status.conditions,
              {
                type: "Degraded",
                status: degraded ? "True" : "False",
                reason: degraded ? "ReplicaLost" : "Resynced",
                message,
              },
              now(this.o.clock),
            ),
          },
        };
      },
    );
  }

  /**
   * A primary's report on one of its volume's replicas (`matches` finds the copy): refused
   * from an epoch the volume has left, or for a copy it does not have; serialized per volume.
   */
  private replicaReport(
    volumeId: string,
    epoch: number,
    replica: string,
    matches: (c: Volume["status"]["copies"][number]) => boolean,
    decide: (v: Volume, copy: Volume["status"]["copies"][number]) => Volume | undefined,
  ): Promise<Volume> {
    return this.lostLocks.run(volumeId, () =>
      updateRetrying(
        this.o.store,
        async () => {
          const v = await this.findByUid(volumeId);
          if (!v) throw new ApiError("NotFound", `no volume with id ${volumeId}`);
          if (v.status.epoch !== epoch)
            throw new ApiError(
              "FailedPrecondition",
              `volume ${v.metadata.name} is at epoch ${v.status.epoch}; a report from epoch ${epoch} is stale`,
            );
          return v;
        },
        (v) => {
          const copy = v.status.copies.find((c) => c.role === "replica" && matches(c));
          if (!copy) throw new ApiError("NotFound", `volume ${v.metadata.name} has no replica at ${replica}`);
          return decide(v, copy);
        },
        "volume status kept changing; retry",
      ),
    );
  }

  /**
   * Replicas of an attached-or-available volume that are out of sync while both their server
   * and the primary's are up: each is given the volume (created if it is gone), a secret of
   * its own at the current epoch, and the primary is asked to copy it up to date.
   */
  private async resyncStale(v: Volume): Promise<void> {
    const primary = v.status.copies.find((c) => c.role === "primary" && c.inSync);
    if (!primary || v.status.epoch === 0 || !this.o.fleet.get(primary.server)?.healthy) return;
    const sizeBytes = v.spec.sizeGib * gib;
    for (const c of v.status.copies) {
      if (c.role !== "replica" || c.inSync || !this.o.fleet.get(c.server)?.healthy) continue;
      const key = `${v.metadata.uid} ${c.server}`;
      const started = this.resyncs.get(key);
      if (started !== undefined && this.o.clock() - started < resyncRetryAfterMs) continue;
      const s = this.member(c.server);
      const nbd = s.nbd ?? c.nbd;
      const existing = await s.client.getVolume(v.metadata.uid).catch(() => undefined);
      if (!existing)
        await s.client.createVolume(v.metadata.uid, { sizeBytes, chunkSizeBytes: this.o.chunkSizeBytes });
      else if (existing.sizeBytes < sizeBytes) await s.client.resize(v.metadata.uid, sizeBytes);
      const token = this.o.newToken();
      // A replica only: it forwards nothing, and the old export secret (and any client of it) is cut.
      await s.client.setAttachment(v.metadata.uid, { epoch: v.status.epoch, token, replicas: [] });
      await this.member(primary.server).client.resync(v.metadata.uid, {
        epoch: v.status.epoch,
        replica: nbd,
        token,
      });
      this.resyncs.set(key, this.o.clock());
      this.o.log.info(
        { volume: v.metadata.name, project: v.metadata.project, replica: c.server },
        "resync started",
      );
    }
  }

  private async findByUid(uid: string): Promise<Volume | undefined> {
    let cont: string | undefined;
    do {
      const page = await this.o.store.list(volumeKind.kind, undefined, {
        limit: 1000,
        ...(cont ? { continue: cont } : {}),
      });
      const hit = page.items.find((x) => x.metadata.uid === uid);
      if (hit) return hit as Volume;
      cont = page.continue;
    } while (cont);
    return undefined;
  }

  controller(isLeader?: () => boolean): Controller {
    return new Controller({
      ...(isLeader ? { isLeader } : {}),
      name: "coronafs-volumes",
      kind: volumeKind.kind,
      store: this.o.store,
      log: this.o.log,
      resyncMs: this.o.resyncMs,
      ...(this.o.registry ? { registry: this.o.registry } : {}),
      reconcile: async (_key, obj) => {
        if (!obj) return undefined;
        return this.reconcile(obj as Volume);
      },
    });
  }

  private async save(v: Volume): Promise<Volume> {
    return (await this.o.store.update(v as AnyResource, { revision: v.metadata.revision })) as Volume;
  }

  /** Records why the volume is stuck; no write when that is already what it says. */
  private async fail(v: Volume, reason: string, message: string): Promise<Volume> {
    const t = now(this.o.clock);
    const status: VolumeStatus = {
      ...v.status,
      phase: v.status.copies.length ? v.status.phase : "Failed",
      message,
      conditions: setCondition(v.status.conditions, { type: "Ready", status: "False", reason, message }, t),
    };
    // An unchanged write would wake this controller again at once: a loop with no pause.
    if (JSON.stringify(status) === JSON.stringify(v.status)) return v;
    return this.save({ ...v, status });
  }

  async reconcile(v: Volume): Promise<{ requeueAfterMs?: number } | undefined> {
    if (v.metadata.deletionTimestamp) return this.remove(v);
    const volumeId = v.metadata.uid;
    // 1. Placement, recorded before anything is created so a retry finds the same servers.
    if (v.status.copies.length === 0) {
      let allowed: string[] | undefined;
      if (v.spec.source?.snapshot) {
        const snap = (await this.o.store.get({
          kind: snapshotKind.kind,
          project: v.metadata.project,
          name: v.spec.source.snapshot,
        })) as VolumeSnapshot | undefined;
        if (snap?.status.phase !== "Ready") {
          await this.fail(v, "SourceNotReady", `snapshot ${v.spec.source.snapshot} is not Ready yet`);
          return { requeueAfterMs: 2000 };
        }
        allowed = snap.status.servers;
      }
      const placed = placeCopies(this.o.fleet.loads(), v.spec.replicas, allowed);
      if ("error" in placed) {
        await this.fail(v, "Unschedulable", placed.error);
        return { requeueAfterMs: 5000 };
      }
      const copies: VolumeCopy[] = placed.servers.map((id, i) => ({
        server: id,
        nbd: this.o.fleet.get(id)?.nbd ?? "",
        role: i === 0 ? "primary" : "replica",
        inSync: true,
      }));
      await this.save({
        ...v,
        status: { ...v.status, phase: "Creating", volumeId, copies, message: "placing copies" },
      });
      return undefined; // the write wakes us again
    }

    // 2. Fail over first: nothing else can proceed while the primary is down.
    const failedOver = await this.failoverIfNeeded(v);
    if (failedOver) return undefined;

    // 3. Every copy exists on its server, with the right size.
    const sizeBytes = v.spec.sizeGib * gib;
    let baseId: string | undefined;
    if (v.spec.source?.image) {
      if (!this.o.images) {
        await this.fail(v, "NoImageRegistry", "volumes from images need lightningstor; it is not configured");
        return { requeueAfterMs: 10_000 };
      }
      const project = v.spec.source.image.project ?? v.metadata.project!;
      const img = await this.o.images
        .describe(project, v.spec.source.image.name)
        .catch(async (e: ApiError) => {
          await this.fail(
            v,
            "ImageUnavailable",
            `image ${project}/${v.spec.source?.image?.name}: ${e.message}`,
          );
          return undefined;
        });
      if (!img) return { requeueAfterMs: 5000 };
      if (img.sizeBytes > sizeBytes && img.format === "raw") {
        await this.fail(
          v,
          "TooSmall",
          `the image is ${img.sizeBytes} bytes; the volume is only ${sizeBytes}`,
        );
        return undefined;
      }
      baseId = imageBaseId(img.sha256);
      for (const c of v.status.copies.filter((c) => c.inSync)) {
        const s = this.member(c.server);
        const has = await s.client.getSnapshot(baseId).catch(() => undefined);
        if (!has) {
          this.o.log.info({ server: c.server, image: v.spec.source.image.name }, "importing image base");
          await s.client.importImage(
            baseId,
            img.format,
            this.o.chunkSizeBytes,
            await this.o.images.open(project, v.spec.source.image.name),
          );
        }
      }
    }
    let snapshotId: string | undefined;
    if (v.spec.source?.snapshot) {
      const snap = (await this.o.store.get({
        kind: snapshotKind.kind,
        project: v.metadata.project,
        name: v.spec.source.snapshot,
      })) as VolumeSnapshot | undefined;
      snapshotId = snap?.status.snapshotId;
      if (!snapshotId) {
        await this.fail(v, "SourceGone", `snapshot ${v.spec.source.snapshot} no longer exists`);
        return undefined;
      }
    }
    const from = baseId ?? snapshotId;
    for (const c of v.status.copies.filter((c) => c.inSync)) {
      const s = this.member(c.server);
      const existing = await s.client.getVolume(volumeId).catch(() => undefined);
      if (!existing) {
        try {
          await s.client.createVolume(volumeId, {
            sizeBytes,
            chunkSizeBytes: this.o.chunkSizeBytes,
            ...(from ? { fromSnapshot: from } : {}),
          });
        } catch (e) {
          if ((e as ApiError).code === "InvalidArgument") {
            await this.fail(v, "InvalidSource", (e as Error).message);
            return undefined;
          }
          throw e;
        }
      } else if (existing.sizeBytes < sizeBytes) await s.client.resize(volumeId, sizeBytes);
    }

    // 4. The first attachment generation: a secret nobody holds, so the export is closed.
    let status = v.status;
    if (status.epoch === 0) {
      status = { ...status, epoch: 1 };
      await this.pushAttachment(volumeId, status.copies, 1, this.o.newToken());
    }
    // 5. Copies that missed writes (their server was down) are brought back up to date. A
    // failure here only delays that (the next check retries); the volume itself is fine.
    await this.resyncStale(v).catch((e: Error) =>
      this.o.log.warn(
        { volume: v.metadata.name, project: v.metadata.project, err: e.message },
        "resync not started",
      ),
    );
    const t = now(this.o.clock);
    const next: VolumeStatus = {
      ...status,
      phase: status.attachment ? "Attached" : "Available",
      sizeBytes,
      copies: status.copies.map((c) => ({ ...c, nbd: this.o.fleet.get(c.server)?.nbd ?? c.nbd })),
      conditions: setCondition(
        status.conditions,
        {
          type: "Ready",
          status: "True",
          reason: "CopiesReady",
          message: `${status.copies.filter((c) => c.inSync).length} in-sync copies`,
        },
        t,
      ),
    };
    delete next.message;
    if (JSON.stringify(next) !== JSON.stringify(v.status)) await this.save({ ...v, status: next });
    return { requeueAfterMs: this.o.resyncMs };
  }

  /** Sends an attachment generation to every in-sync copy: replicas first, the primary last. */
  async pushAttachment(volumeId: string, copies: VolumeCopy[], epoch: number, token: string): Promise<void> {
    const inSync = copies.filter((c) => c.inSync);
    const replicas = inSync.filter((c) => c.role === "replica");
    for (const c of replicas)
      await this.member(c.server).client.setAttachment(volumeId, { epoch, token, replicas: [] });
    const primary = inSync.find((c) => c.role === "primary");
    if (primary)
      await this.member(primary.server).client.setAttachment(volumeId, {
        epoch,
        token,
        replicas: replicas.map((c) => this.o.fleet.get(c.server)?.nbd ?? c.nbd),
        ...(this.reportUrl ? { reportUrl: this.reportUrl } : {}),
      });
  }

  /**
   * When the primary's server is down and an in-sync replica's is up: the replica becomes the
   * primary at a new epoch, so the old primary (should it return) is fenced everywhere.
   * The holder must attach again to learn the new address (plasmavmc's worker does).
   */
  private async failoverIfNeeded(v: Volume): Promise<boolean> {
    const primary = v.status.copies.find((c) => c.role === "primary");
    if (!primary || this.o.fleet.get(primary.server)?.healthy !== false) return false;
    const candidate = v.status.copies.find(
      (c) => c.role === "replica" && c.inSync && this.o.fleet.get(c.server)?.healthy,
    );
    if (!candidate) {
      if (v.status.phase !== "Failed")
        await this.fail(
          v,
          "PrimaryDown",
          `the primary's server ${primary.server} is down and no in-sync replica is reachable`,
        );
      return true;
    }
    const epoch = v.status.epoch + 1;
    const copies: VolumeCopy[] = v.status.copies.map((c) =>
      c === primary
        ? { ...c, role: "replica", inSync: false }
        : c === candidate
          ? { ...c, role: "primary" }
          : c,
    );
    await this.pushAttachment(v.metadata.uid, copies, epoch, this.o.newToken());
    const t = now(this.o.clock);
    const message = `failed over from ${primary.server} (down) to ${candidate.server} at epoch ${epoch}`;
    this.o.log.warn({ volume: v.metadata.name, project: v.metadata.project, epoch }, message);
    await this.save({
      ...v,
      status: {
        ...v.status,
        epoch,
        copies,
        message,
        conditions: setCondition(
          v.status.conditions,
          { type: "FailedOver", status: "True", reason: "PrimaryDown", message },
          t,
        ),
      },
    });
    return true;
  }

  private async remove(v: Volume): Promise<undefined> {
    if (v.status.phase !== "Deleting") {
      await this.save({ ...v, status: { ...v.status, phase: "Deleting" } });
      return undefined;
    }
    for (const c of v.status.copies) await this.member(c.server).client.deleteVolume(v.metadata.uid);
    if (this.o.credit && v.status.chargedGib > 0)
      await this.o.credit.releaseUsage(v.metadata.project!, `coronafs-volume-${v.metadata.uid}-delete`, {
        volume_gib: v.status.chargedGib,
      });
    await this.o.store.update(
      {
        ...v,
        metadata: {
          ...v.metadata,
          finalizers: (v.metadata.finalizers ?? []).filter((f) => f !== volumeFinalizer),
        },
      } as AnyResource,
      { revision: v.metadata.revision },
    );
    return undefined;
  }

  member(id: string) {
    const m = this.o.fleet.get(id);
    if (!m) throw new Error(`volume server ${id} is not in the fleet (was it removed from --servers?)`);
    return m;
  }
}
