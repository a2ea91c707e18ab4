// Drives each VolumeSnapshot: asks the volume's primary to snapshot (its replicas snapshot
// inside the same quiesce, so every copy freezes the same bytes), records where the chunks
// are, and on delete removes the snapshot from those servers. No data is copied.
import type { Logger } from "pino";
import { setCondition } from "../core/resource/conditions.ts";
import { Controller } from "../core/resource/controller.ts";
import type { AnyResource } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import { snapshotKind, volumeKind } from "./api.ts";
import type { Fleet } from "./fleet.ts";
import type { Volume, VolumeSnapshot } from "./volume-controller.ts";

export const snapshotFinalizer = "coronafs.photon/snapshot";

export function snapshotController(o: {
  store: ResourceStore;
  fleet: Fleet;
  log: Logger;
  clock: () => number;
  resyncMs: number;
  isLeader?: () => boolean;
}): Controller {
  const save = (s: VolumeSnapshot) => o.store.update(s as AnyResource, { revision: s.metadata.revision });
  const member = (id: string) => {
    const m = o.fleet.get(id);
    if (!m) throw new Error(`volume server ${id} is not in the fleet`);
    return m;
  };
  return new Controller({
    ...(o.isLeader ? { isLeader: o.isLeader } : {}),
    name: "coronafs-snapshots",
    kind: snapshotKind.kind,
    store: o.store,
    log: o.log,
    resyncMs: o.resyncMs,
    reconcile: async (_key, obj) => {
      if (!obj) return undefined;
      const s = obj as VolumeSnapshot;
      const t = new Date(o.clock()).toISOString();
      if (s.metadata.deletionTimestamp) {
        for (const server of s.status.servers) await member(server).client.deleteSnapshot(s.metadata.uid);
        await o.store.update(
          {
            ...s,
            metadata: {
              ...s.metadata,
              finalizers: (s.metadata.finalizers ?? []).filter((f) => f !== snapshotFinalizer),
            },
          } as AnyResource,
          { revision: s.metadata.revision },
        );
        return undefined;
      }
      if (s.status.phase === "Ready") return undefined;
      const v = (await o.store.get({
        kind: volumeKind.kind,
        project: s.metadata.project,
        name: s.spec.volume,
      })) as Volume | undefined;
      const notYet = async (reason: string, message: string) => {
        await save({
          ...s,
          status: {
            ...s.status,
            message,
            conditions: setCondition(
              s.status.conditions,
              { type: "Ready", status: "False", reason, message },
              t,
            ),
          },
        });
        return { requeueAfterMs: 2000 };
      };
      if (!v) return notYet("VolumeNotFound", `volume ${s.spec.volume} does not exist`);
      if (v.status.phase !== "Available" && v.status.phase !== "Attached")
        return notYet("VolumeNotReady", `volume ${s.spec.volume} is ${v.status.phase}`);
      const inSync = v.status.copies.filter((c) => c.inSync);
      const primary = inSync.find((c) => c.role === "primary");
      if (!primary) return notYet("VolumeNotReady", `volume ${s.spec.volume} has no primary`);
      const replicaApis = inSync.filter((c) => c.role === "replica").map((c) => member(c.server).api);
      const m = await member(primary.server).client.snapshot(v.metadata.uid, s.metadata.uid, replicaApis);
      const message = `snapshot of ${s.spec.volume} on ${inSync.length} server(s)`;
      await save({
        ...s,
        status: {
          phase: "Ready",
          snapshotId: s.metadata.uid,
          sizeBytes: m.sizeBytes,
          servers: inSync.map((c) => c.server),
          conditions: setCondition(
            s.status.conditions,
            { type: "Ready", status: "True", reason: "Frozen", message },
            t,
          ),
        },
      });
      return undefined;
    },
  });
}
