// The admin REST API of a volume server, called by the coronafs control plane (never by
// tenants: every route needs the cluster-level coronafs.servers.* permission).
import type { Readable } from "node:stream";
import { z } from "zod";
import { type AnyRoute, defineRoute } from "../core/api/route.ts";
import type { ApiServer } from "../core/api/server.ts";
import { ApiError } from "../core/errors.ts";
import { CatalogError, type SnapshotManifest, storeIdSchema, type VolumeManifest } from "./volume-catalog.ts";
import type { VolumeServer } from "./volume-server.ts";

const idParams = z.strictObject({ id: storeIdSchema });
const tags = ["coronafs"];
const maxVolumeBytes = 64 * 1024 ** 4;

export const serverVolumeCreateSchema = z.strictObject({
  sizeBytes: z.number().int().min(1).max(maxVolumeBytes),
  chunkSizeBytes: z.number().int(),
  fromSnapshot: storeIdSchema.optional(),
});

export const serverAttachmentSchema = z.strictObject({
  epoch: z.number().int().nonnegative(),
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/)
    .optional(),
  /** NBD addresses (host:port) of the replicas the primary forwards writes to. */
  replicas: z.array(z.string().max(300)).max(8),
  /** The control plane's API, where the primary reports a failed replica. */
  reportUrl: z.string().url().optional(),
});

export const serverResyncSchema = z.strictObject({
  epoch: z.number().int().nonnegative(),
  /** NBD address (host:port) of the replica to bring up to date. */
  replica: z.string().max(300),
  /** Its export secret (set on it by the control plane for this resync). */
  token: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/),
});

export const serverSnapshotSchema = z.strictObject({
  snapshotId: storeIdSchema,
  /** Admin API base URLs of the replicas: they snapshot inside the primary's quiesce. */
  replicaApis: z.array(z.string().url()).max(8).default([]),
});

/** What the server reports about a volume (the attachment token is never shown). */
export interface ServerVolumeView {
  id: string;
  sizeBytes: number;
  chunkSizeBytes: number;
  layers: number;
  epoch: number;
  attached: boolean;
  replicas: string[];
  /** Chunks stored in the volume's own top layer (written since creation or the last snapshot). */
  ownChunks: number;
}

export function volumeView(m: VolumeManifest, own: number, attached: boolean): ServerVolumeView {
  return {
    id: m.id,
    sizeBytes: m.sizeBytes,
    chunkSizeBytes: m.chunkSizeBytes,
    layers: m.layers.length,
    epoch: m.epoch,
    attached,
    replicas: m.replicas,
    ownChunks: own,
  };
}

function apiErrorOf(e: unknown): never {
  if (e instanceof CatalogError) throw new ApiError(e.code, e.message);
  throw e;
}

export function volumeServerRoutes(
  server: VolumeServer,
  snapshotOnReplicas: (apis: string[], volumeId: string, snapshotId: string) => Promise<void>,
): AnyRoute[] {
  const view = (id: string) => {
    const v = server.catalog.volume(id);
    if (!v) throw new ApiError("NotFound", `volume ${id} is not on this server`);
    return volumeView(v.manifest, v.data.top.chunkCount, server.isAttached(id));
  };
  return [
    defineRoute({
      method: "GET",
      path: "/v1/server",
      machineChatter: true,
      summary: "This volume server: its NBD address and what it holds",
      tags,
      permission: "coronafs.servers.get",
      handler: () => ({
        nbd: server.nbdAddress(),
        volumes: server.catalog.listVolumes().length,
        snapshots: server.catalog.listSnapshots().length,
      }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/server/volumes",
      summary: "Volumes on this server",
      tags,
      permission: "coronafs.servers.get",
      handler: () => ({ items: server.catalog.listVolumes().map((m) => view(m.id)) }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/server/volumes/{id}",
      summary: "One volume on this server",
      tags,
      params: idParams,
      permission: "coronafs.servers.get",
      handler: ({ params }) => view(params.id),
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/server/volumes/{id}",
      summary: "Create a volume (empty or a clone of a snapshot); idempotent",
      tags,
      params: idParams,
      body: serverVolumeCreateSchema,
      permission: "coronafs.servers.update",
      handler: async ({ params, body }) => {
        await server.catalog.createVolume({ id: params.id, ...body }).catch(apiErrorOf);
        return view(params.id);
      },
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/server/volumes/{id}",
      summary: "Delete a volume and the chunks only it used; idempotent",
      tags,
      params: idParams,
      permission: "coronafs.servers.update",
      handler: async ({ params }) => {
        await server.deleteVolume(params.id).catch(apiErrorOf);
        return { id: params.id, deleted: true };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/server/volumes/{id}/attachment",
      summary: "Set the attachment epoch, secret and replicas; fences older attachments",
      tags,
      params: idParams,
      body: serverAttachmentSchema,
      permission: "coronafs.servers.update",
      handler: async ({ params, body }) => {
        await server
          .setAttachment(params.id, body.epoch, body.token, body.replicas, body.reportUrl)
          .catch(apiErrorOf);
        return view(params.id);
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/server/volumes/{id}/resync",
      summary:
        "On the primary: bring a replica that missed writes up to date while attached, then count it in the write quorum",
      tags,
      params: idParams,
      body: serverResyncSchema,
      successStatus: 202,
      permission: "coronafs.servers.update",
      handler: async ({ params, body }) => {
        try {
          server.startResync(params.id, body.epoch, { address: body.replica, token: body.token });
        } catch (e) {
          apiErrorOf(e);
        }
        return { id: params.id, replica: body.replica, started: true };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/server/volumes/{id}/resize",
      summary: "Grow a volume",
      tags,
      params: idParams,
      body: z.strictObject({ sizeBytes: z.number().int().min(1).max(maxVolumeBytes) }),
      permission: "coronafs.servers.update",
      handler: async ({ params, body }) => {
        await server.catalog.resize(params.id, body.sizeBytes).catch(apiErrorOf);
        return view(params.id);
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/server/volumes/{id}/snapshots",
      summary: "Snapshot a volume (copy-on-write; replicas snapshot at the same instant)",
      tags,
      params: idParams,
      body: serverSnapshotSchema,
      permission: "coronafs.servers.update",
      handler: async ({ params, body }): Promise<SnapshotManifest> =>
        server.catalog
          .snapshotVolume(params.id, body.snapshotId, () =>
            snapshotOnReplicas(body.replicaApis, params.id, body.snapshotId),
          )
          .catch(apiErrorOf),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/server/snapshots/{id}",
      summary: "One snapshot (or image base) on this server",
      tags,
      params: idParams,
      permission: "coronafs.servers.get",
      handler: ({ params }) => {
        const s = server.catalog.snapshot(params.id);
        if (!s) throw new ApiError("NotFound", `snapshot ${params.id} is not on this server`);
        return s;
      },
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/server/snapshots/{id}",
      summary: "Delete a snapshot (chunks stay while clones use them); idempotent",
      tags,
      params: idParams,
      permission: "coronafs.servers.update",
      handler: async ({ params }) => {
        await server.catalog.deleteSnapshot(params.id);
        return { id: params.id, deleted: true };
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/server/snapshots/{id}/image",
      summary: "Import an image's bytes (octet-stream; raw or qcow2) as a snapshot to clone from",
      tags,
      params: idParams,
      query: z.object({
        format: z.enum(["raw", "qcow2"]),
        chunkSizeBytes: z.coerce.number().int(),
      }),
      permission: "coronafs.servers.update",
      timeoutMs: 0,
      handler: async ({ params, query, request }) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof body.pipe !== "function")
          throw new ApiError("InvalidArgument", "send the image bytes as application/octet-stream");
        return server.importImage(params.id, query.format, query.chunkSizeBytes, body).catch(apiErrorOf);
      },
    }),
  ];
}

export function registerImageBodyParser(api: ApiServer): void {
  // Image bytes reach the handler as the raw request stream, never buffered.
  api.app.addContentTypeParser("application/octet-stream", (_req, payload, done) => done(null, payload));
}
