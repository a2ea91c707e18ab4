// The REST routes of one resource kind, as ARCHITECTURE.md fixes them for every component:
// list (paged, or a watch as NDJSON), create, get, replace, merge-patch and delete.
import { z } from "zod";
import { ApiError } from "../errors.ts";
import { type KindDef, permissionFor } from "../resource/kind.ts";
import { mergePatch } from "../resource/merge-patch.ts";
import {
  type AnyResource,
  metadataInputSchema,
  metadataSchema,
  nameSchema,
  projectSchema,
  type ResourceKey,
} from "../resource/model.ts";
import type { ResourceStore, WatchEvent } from "../resource/store.ts";
import { storeLimits } from "../resource/store.ts";
import { type AnyRoute, defineRoute, type RouteContext } from "./route.ts";

export interface ResourceHooks<Spec> {
  /** Semantic checks beyond the schema; throw ApiError("InvalidArgument" | "FailedPrecondition"). */
  validate?: (spec: Spec, obj: AnyResource, previous: AnyResource | undefined) => Promise<void> | void;
  /** Runs before a delete is accepted, e.g. to refuse deleting something still in use. */
  beforeDelete?: (obj: AnyResource) => Promise<void> | void;
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(storeLimits.maxListLimit).optional(),
  continue: z.string().max(4096).optional(),
  labelSelector: z.string().max(4096).optional(),
  watch: z.enum(["1", "true", "0", "false"]).optional(),
  revision: z.coerce.number().int().nonnegative().optional(),
});

const deleteQuery = z.object({ revision: z.coerce.number().int().nonnegative().optional() });

/** Watches send a line at least this often so proxies and clients know the stream is alive. */
export const watchHeartbeatMs = 15_000;

export function resourceRoutes<Spec, Status>(
  def: KindDef<Spec, Status>,
  store: ResourceStore,
  hooks: ResourceHooks<Spec> = {},
): AnyRoute[] {
  const scoped = def.scope === "project";
  const base = scoped ? `/v1/projects/{project}/${def.plural}` : `/v1/${def.plural}`;
  const collectionParams = scoped ? z.strictObject({ project: projectSchema }) : z.strictObject({});
  const itemParams = scoped
    ? z.strictObject({ project: projectSchema, name: nameSchema })
    : z.strictObject({ name: nameSchema });
  const resourceSchema = z.strictObject({
    apiVersion: z.literal(def.apiVersion).optional(),
    kind: z.literal(def.kind).optional(),
    metadata: metadataInputSchema,
    spec: def.spec,
    status: z.unknown().optional(),
  });
  const patchSchema = z.strictObject({
    metadata: z
      .strictObject({
        revision: z.number().int().nonnegative().optional(),
        // In a merge patch, null removes a label or annotation.
        labels: z.record(z.string().max(128), z.string().max(256).nullable()).optional(),
        annotations: z.record(z.string().max(128), z.string().max(16_384).nullable()).optional(),
      })
      .optional(),
    spec: z.unknown().optional(),
  });
  const tags = [def.component];
  // What the API answers with, for OpenAPI and the generated SDK.
  const storedSchema = z.object({
    apiVersion: z.literal(def.apiVersion),
    kind: z.literal(def.kind),
    metadata: metadataSchema,
    spec: def.spec,
    status: def.status,
  });
  const listSchema = z.object({
    items: z.array(storedSchema),
    revision: z.number().int(),
    continue: z.string().optional(),
  });
  const keyOf = (p: { project?: string; name: string }): ResourceKey => ({
    kind: def.kind,
    project: p.project,
    name: p.name,
  });

  const build = (
    metadata: z.infer<typeof metadataInputSchema>,
    spec: Spec,
    project: string | undefined,
    status: unknown,
  ): AnyResource => ({
    apiVersion: def.apiVersion,
    kind: def.kind,
    metadata: {
      name: metadata.name,
      ...(project ? { project } : {}),
      uid: "",
      revision: metadata.revision ?? 0,
      labels: metadata.labels ?? {},
      annotations: metadata.annotations ?? {},
      createdAt: "",
      updatedAt: "",
      ...(metadata.finalizers ? { finalizers: metadata.finalizers } : {}),
    },
    spec,
    status,
  });

  const mustGet = async (p: { project?: string; name: string }) => {
    const obj = await store.get(keyOf(p));
    if (!obj)
      throw new ApiError(
        "NotFound",
        `${def.kind} "${p.name}"${p.project ? ` in project "${p.project}"` : ""} not found`,
      );
    return obj;
  };

  return [
    defineRoute({
      method: "GET",
      path: base,
      summary: `List ${def.plural} (or watch them with ?watch=1&revision=N)`,
      tags,
      params: collectionParams,
      query: listQuery,
      response: listSchema,
      permission: permissionFor(def, "list"),
      timeoutMs: 0,
      handler: async (ctx) => {
        const project = (ctx.params as { project?: string }).project;
        if (ctx.query.watch === "1" || ctx.query.watch === "true") {
          streamWatch(ctx, store, def.kind, project, ctx.query.revision ?? 0);
          return undefined;
        }
        return store.list(def.kind, project, ctx.query);
      },
    }),
    defineRoute({
      method: "POST",
      path: base,
      summary: `Create a ${def.kind}`,
      tags,
      params: collectionParams,
      body: resourceSchema,
      successStatus: 201,
      response: storedSchema,
      permission: permissionFor(def, "create"),
      handler: async ({ params, body }) => {
        const project = (params as { project?: string }).project;
        if (scoped && body.metadata.project && body.metadata.project !== project) {
          throw new ApiError(
            "InvalidArgument",
            `metadata.project "${body.metadata.project}" does not match the project in the path "${project}"`,
          );
        }
        const obj = build(body.metadata, body.spec, project, def.initialStatus());
        await hooks.validate?.(body.spec, obj, undefined);
        return store.create(obj);
      },
    }),
    defineRoute({
      method: "GET",
      path: `${base}/{name}`,
      summary: `Read a ${def.kind}`,
      tags,
      params: itemParams,
      response: storedSchema,
      permission: permissionFor(def, "get"),
      handler: ({ params }) => mustGet(params),
    }),
    defineRoute({
      method: "PUT",
      path: `${base}/{name}`,
      summary: `Replace a ${def.kind}'s spec, labels and annotations (send metadata.revision to guard against lost updates)`,
      tags,
      params: itemParams,
      body: resourceSchema,
      response: storedSchema,
      permission: permissionFor(def, "update"),
      handler: async ({ params, body }) => {
        if (body.metadata.name !== params.name) {
          throw new ApiError(
            "InvalidArgument",
            `metadata.name "${body.metadata.name}" does not match the name in the path "${params.name}"`,
          );
        }
        const current = await mustGet(params);
        const obj = build(body.metadata, body.spec, (params as { project?: string }).project, current.status);
        if (!body.metadata.finalizers && current.metadata.finalizers)
          obj.metadata.finalizers = current.metadata.finalizers;
        await hooks.validate?.(body.spec, obj, current);
        return store.update(obj, { revision: body.metadata.revision ?? current.metadata.revision });
      },
    }),
    defineRoute({
      method: "PATCH",
      path: `${base}/{name}`,
      summary: `Merge-patch (RFC 7386) a ${def.kind}'s spec, labels and annotations`,
      tags,
      params: itemParams,
      body: patchSchema,
      response: storedSchema,
      permission: permissionFor(def, "update"),
      handler: async ({ params, body }) => {
        const current = await mustGet(params);
        const merged = mergePatch(current.spec, body.spec ?? {});
        const parsed = def.spec.safeParse(merged);
        if (!parsed.success)
          throw new ApiError(
            "InvalidArgument",
            `patched spec is invalid: ${parsed.error.issues.map((i) => `spec.${i.path.join(".")}: ${i.message}`).join("; ")}`,
          );
        const obj: AnyResource = {
          ...current,
          metadata: {
            ...current.metadata,
            labels: mergePatch(current.metadata.labels, body.metadata?.labels ?? {}) as Record<
              string,
              string
            >,
            annotations: mergePatch(current.metadata.annotations, body.metadata?.annotations ?? {}) as Record<
              string,
              string
            >,
          },
          spec: parsed.data,
        };
        await hooks.validate?.(parsed.data, obj, current);
        return store.update(obj, { revision: body.metadata?.revision ?? current.metadata.revision });
      },
    }),
    defineRoute({
      method: "DELETE",
      path: `${base}/{name}`,
      summary: `Delete a ${def.kind} (?revision=N to delete only that revision)`,
      tags,
      params: itemParams,
      query: deleteQuery,
      response: storedSchema,
      permission: permissionFor(def, "delete"),
      handler: async ({ params, query }) => {
        const current = await mustGet(params);
        await hooks.beforeDelete?.(current);
        return store.delete(keyOf(params), query.revision !== undefined ? { revision: query.revision } : {});
      },
    }),
  ];
}

/** Streams watch events as NDJSON until the client goes away. */
export function streamWatch(
  ctx: RouteContext<unknown, unknown, unknown>,
  store: ResourceStore,
  kind: string,
  project: string | undefined,
  from: number,
): void {
  const res = ctx.reply.raw;
  const send = (line: unknown) => res.write(`${JSON.stringify(line)}\n`);
  // Fails before any byte is sent (e.g. a compacted revision), so the normal error body applies.
  const watch = store.watch(
    kind,
    project,
    (e: WatchEvent) => send({ type: e.type, revision: e.revision, object: e.object }),
    {
      fromRevision: from,
      onError: (err) => {
        send({
          type: "ERROR",
          error: { code: (err as ApiError).code ?? "Unavailable", message: err.message },
        });
        res.end();
      },
    },
  );
  ctx.reply.hijack();
  res.writeHead(200, {
    "content-type": "application/x-ndjson",
    "x-request-id": ctx.requestId,
    "cache-control": "no-store",
  });
  // Send the headers now: a client waits for them before it reads events.
  res.flushHeaders();
  const heartbeat = setInterval(
    async () => send({ type: "BOOKMARK", revision: await store.revision() }),
    watchHeartbeatMs,
  );
  const stop = () => {
    clearInterval(heartbeat);
    watch.close();
  };
  res.once("close", stop);
  ctx.signal.addEventListener("abort", stop, { once: true });
}
