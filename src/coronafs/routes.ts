// coronafs's REST routes: the resource routes of Volume and VolumeSnapshot (create reserves
// volume_gib quota first; spec fields that need work on the servers change only through
// their own calls), plus attach, detach and resize.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { resourceRoutes } from "../core/api/resource-routes.ts";
import { type AnyRoute, defineRoute } from "../core/api/route.ts";
import { ApiError } from "../core/errors.ts";
import { KeyedMutex } from "../core/keyed-mutex.ts";
import type { AnyResource } from "../core/resource/model.ts";
import { metadataInputSchema, nameSchema, projectSchema } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import { updateRetrying } from "../core/resource/update-retrying.ts";
import {
  type Attachment,
  attachmentSchema,
  attachRequestSchema,
  detachRequestSchema,
  maxVolumeGib,
  type SnapshotStatus,
  snapshotKind,
  snapshotSpecSchema,
  type VolumeSpec,
  volumeKind,
  volumeSpecSchema,
  volumeStatusSchema,
} from "./api.ts";
import { snapshotFinalizer } from "./snapshot-controller.ts";
import { type CreditPort, type Volume, type VolumeReconciler, volumeFinalizer } from "./volume-controller.ts";
import { exportName } from "./volume-server.ts";

const tags = ["coronafs"];
const itemParams = z.strictObject({ project: projectSchema, name: nameSchema });
const projectParams = z.strictObject({ project: projectSchema });

export interface RouteDeps {
  store: ResourceStore;
  reconciler: VolumeReconciler;
  credit?: CreditPort | undefined;
  newToken: () => string;
  clock: () => number;
}

export function coronafsRoutes(d: RouteDeps): AnyRoute[] {
  const locks = new KeyedMutex();
  const getVolume = async (project: string, name: string): Promise<Volume> => {
    const v = (await d.store.get({ kind: volumeKind.kind, project, name })) as Volume | undefined;
    if (!v) throw new ApiError("NotFound", `Volume "${name}" in project "${project}" not found`);
    return v;
  };
  /**
   * Records an attachment generation already pushed to the servers. A controller write in
   * between (a replica lost or resynced) is kept: the change is made again on top of it; a
   * generation moved on by someone else (a failover) fails the call, which the caller retries.
   */
  const recordGeneration = (
    project: string,
    name: string,
    epoch: number,
    change: (status: Volume["status"]) => Volume["status"],
  ) =>
    updateRetrying(
      d.store,
      () => getVolume(project, name),
      (v) => {
        if (v.status.epoch >= epoch)
          throw new ApiError(
            "Unavailable",
            `volume ${name} moved to epoch ${v.status.epoch} meanwhile; retry`,
          );
        return { ...v, status: change(v.status) };
      },
      `volume ${name} kept changing; retry`,
    );
  const reserve = <T>(project: string, requestId: string, amountGib: number, fn: () => Promise<T>) =>
    d.credit && amountGib > 0
      ? d.credit.withReservation(project, requestId, { volume_gib: amountGib }, fn)
      : fn();

  const volumeRoutes = resourceRoutes(volumeKind, d.store, {
    validate: (spec: VolumeSpec, _obj, previous) => {
      const prev = previous?.spec as VolumeSpec | undefined;
      if (!prev) return;
      if (spec.sizeGib !== prev.sizeGib)
        throw new ApiError(
          "InvalidArgument",
          `sizeGib changes through POST …/volumes/{name}/resize (or \`photon volume resize\`), which reserves the quota`,
        );
      if (JSON.stringify(spec.source) !== JSON.stringify(prev.source) || spec.replicas !== prev.replicas)
        throw new ApiError("InvalidArgument", "source and replicas are fixed when a volume is created");
    },
  }).filter((r) => r.method !== "POST");

  return [
    ...volumeRoutes,
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/volumes",
      summary: "Create a Volume (reserves volume_gib quota first)",
      tags,
      params: projectParams,
      body: z.strictObject({
        apiVersion: z.literal(volumeKind.apiVersion).optional(),
        kind: z.literal(volumeKind.kind).optional(),
        metadata: metadataInputSchema,
        spec: volumeSpecSchema,
      }),
      successStatus: 201,
      permission: "coronafs.volumes.create",
      handler: async ({ params, body }) => {
        if (body.metadata.project && body.metadata.project !== params.project)
          throw new ApiError(
            "InvalidArgument",
            `metadata.project "${body.metadata.project}" does not match the project in the path "${params.project}"`,
          );
        if (body.spec.source?.snapshot) {
          const s = await d.store.get({
            kind: snapshotKind.kind,
            project: params.project,
            name: body.spec.source.snapshot,
          });
          if (!s)
            throw new ApiError(
              "InvalidArgument",
              `snapshot ${body.spec.source.snapshot} does not exist in project ${params.project}`,
            );
        }
        const obj: AnyResource = {
          apiVersion: volumeKind.apiVersion,
          kind: volumeKind.kind,
          metadata: {
            name: body.metadata.name,
            project: params.project,
            uid: "",
            revision: 0,
            labels: body.metadata.labels ?? {},
            annotations: body.metadata.annotations ?? {},
            createdAt: "",
            updatedAt: "",
            finalizers: [volumeFinalizer],
          },
          spec: body.spec,
          status: { ...volumeKind.initialStatus(), chargedGib: d.credit ? body.spec.sizeGib : 0 },
        };
        return reserve(params.project, `coronafs-volume-${randomUUID()}`, body.spec.sizeGib, () =>
          d.store.create(obj),
        );
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/volumes/{name}/resize",
      summary: "Grow a Volume (reserves the extra volume_gib first; shrinking is refused)",
      tags,
      params: itemParams,
      body: z.strictObject({ sizeGib: z.number().int().min(1).max(maxVolumeGib) }),
      permission: "coronafs.volumes.update",
      handler: ({ params, body }) =>
        locks.run(`${params.project}/${params.name}`, async () => {
          const v = await getVolume(params.project, params.name);
          if (v.metadata.deletionTimestamp)
            throw new ApiError("FailedPrecondition", `volume ${params.name} is being deleted`);
          if (body.sizeGib < v.spec.sizeGib)
            throw new ApiError(
              "FailedPrecondition",
              `volume ${params.name} is ${v.spec.sizeGib} GiB; shrinking to ${body.sizeGib} GiB is not supported`,
            );
          if (body.sizeGib === v.spec.sizeGib) return v;
          const delta = body.sizeGib - v.spec.sizeGib;
          return reserve(params.project, `coronafs-resize-${v.metadata.uid}-${body.sizeGib}`, delta, () =>
            d.store.update(
              {
                ...v,
                spec: { ...v.spec, sizeGib: body.sizeGib },
                status: { ...v.status, chargedGib: d.credit ? v.status.chargedGib + delta : 0 },
              } as AnyResource,
              { revision: v.metadata.revision },
            ),
          );
        }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/volumes/{name}/attach",
      summary:
        "Attach a Volume read-write for one holder: returns its NBD URL (fences any earlier attachment)",
      tags,
      params: itemParams,
      body: attachRequestSchema,
      response: attachmentSchema,
      permission: "coronafs.volumes.update",
      handler: ({ params, body }) =>
        locks.run(`${params.project}/${params.name}`, async (): Promise<Attachment> => {
          const v = await getVolume(params.project, params.name);
          if (v.status.phase !== "Available" && v.status.phase !== "Attached")
            throw new ApiError(
              "FailedPrecondition",
              `volume ${params.name} is ${v.status.phase}${v.status.message ? `: ${v.status.message}` : ""}; it can be attached once Available`,
            );
          const held = v.status.attachment;
          if (held && held.holder !== body.holder && !body.force)
            throw new ApiError(
              "FailedPrecondition",
              `volume ${params.name} is attached to ${held.holder}; detach it first, or attach with force to take it over`,
            );
          const primary = v.status.copies.find((c) => c.role === "primary" && c.inSync);
          if (!primary)
            throw new ApiError("Unavailable", `volume ${params.name} has no reachable primary; retry`);
          const epoch = v.status.epoch + 1;
          const token = d.newToken();
          await d.reconciler.pushAttachment(v.metadata.uid, v.status.copies, epoch, token);
          const nbd = d.reconciler.member(primary.server).nbd ?? primary.nbd;
          const attachment = { holder: body.holder, since: new Date(d.clock()).toISOString() };
          await recordGeneration(params.project, params.name, epoch, (status) => ({
            ...status,
            phase: "Attached",
            epoch,
            attachment,
          }));
          const name = exportName(v.metadata.uid, token);
          return {
            url: `nbd://${nbd}/${name}`,
            server: nbd,
            exportName: name,
            epoch,
            sizeBytes: v.status.sizeBytes ?? 0,
          };
        }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/volumes/{name}/detach",
      summary: "Detach a Volume: its holder's connection is cut and its writes refused",
      tags,
      params: itemParams,
      body: detachRequestSchema,
      response: volumeStatusSchema,
      permission: "coronafs.volumes.update",
      handler: ({ params, body }) =>
        locks.run(`${params.project}/${params.name}`, async () => {
          const v = await getVolume(params.project, params.name);
          if (!v.status.attachment) return v.status;
          if (v.status.attachment.holder !== body.holder)
            throw new ApiError(
              "FailedPrecondition",
              `volume ${params.name} is attached to ${v.status.attachment.holder}, not ${body.holder}`,
            );
          const epoch = v.status.epoch + 1;
          await d.reconciler.pushAttachment(v.metadata.uid, v.status.copies, epoch, d.newToken());
          const saved = await recordGeneration(
            params.project,
            params.name,
            epoch,
            ({ attachment: _, ...status }) => ({
              ...status,
              phase: "Available" as const,
              epoch,
            }),
          );
          return saved.status;
        }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/internal/volumes/{volumeId}/replica-lost",
      summary: "A primary volume server reports a failed replica (taken out of the in-sync set)",
      tags,
      params: z.strictObject({ volumeId: z.string().regex(/^[a-z0-9-]{1,127}$/) }),
      body: z.strictObject({
        volumeId: z.string().optional(),
        epoch: z.number().int().nonnegative(),
        replica: z.string().max(300),
        reason: z.string().max(4096),
      }),
      permission: "coronafs.servers.update",
      handler: async ({ params, body }) => {
        const v = await d.reconciler.markReplicaLost(params.volumeId, body.epoch, body.replica);
        return { volume: v.metadata.name, epoch: v.status.epoch, copies: v.status.copies };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/internal/volumes/{volumeId}/replica-synced",
      summary: "A primary volume server reports a resynced replica (it rejoins the in-sync set)",
      tags,
      params: z.strictObject({ volumeId: z.string().regex(/^[a-z0-9-]{1,127}$/) }),
      body: z.strictObject({
        volumeId: z.string().optional(),
        epoch: z.number().int().nonnegative(),
        replica: z.string().max(300),
      }),
      permission: "coronafs.servers.update",
      handler: async ({ params, body }) => {
        const v = await d.reconciler.markReplicaSynced(params.volumeId, body.epoch, body.replica);
        return { volume: v.metadata.name, epoch: v.status.epoch, copies: v.status.copies };
      },
    }),
    ...resourceRoutes(snapshotKind, d.store).filter(
      (r) => r.method !== "POST" && r.method !== "PUT" && r.method !== "PATCH",
    ),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/snapshots",
      summary: "Snapshot a Volume (copy-on-write: no data is copied)",
      tags,
      params: projectParams,
      body: z.strictObject({
        apiVersion: z.literal(snapshotKind.apiVersion).optional(),
        kind: z.literal(snapshotKind.kind).optional(),
        metadata: metadataInputSchema,
        spec: snapshotSpecSchema,
      }),
      successStatus: 201,
      permission: "coronafs.snapshots.create",
      handler: async ({ params, body }) => {
        await getVolume(params.project, body.spec.volume);
        const status: SnapshotStatus = snapshotKind.initialStatus();
        return d.store.create({
          apiVersion: snapshotKind.apiVersion,
          kind: snapshotKind.kind,
          metadata: {
            name: body.metadata.name,
            project: params.project,
            uid: "",
            revision: 0,
            labels: body.metadata.labels ?? {},
            annotations: body.metadata.annotations ?? {},
            createdAt: "",
            updatedAt: "",
            finalizers: [snapshotFinalizer],
          },
          spec: body.spec,
          status,
        });
      },
    }),
  ];
}
