// lightningstor's REST API (beside the S3 endpoint): access keys per project, and the
// storage view an operator needs (nodes, scrub results).
import { z } from "zod";
import { type AnyRoute, defineRoute } from "../core/api/route.ts";
import { ApiError } from "../core/errors.ts";
import { projectSchema } from "../core/resource/model.ts";
import type { LocalAccessKeys } from "./access-keys.ts";
import { type AccessKeyView, accessKeyCreateSchema } from "./api.ts";
import type { MetaStore } from "./meta-store.ts";

const tags = ["lightningstor"];
const projectParams = z.strictObject({ project: projectSchema });
const keyParams = z.strictObject({ project: projectSchema, name: z.string().min(1).max(128) });

export interface AdminDeps {
  meta: MetaStore;
  keys: LocalAccessKeys;
  clock: () => number;
  status: () => Record<string, unknown>;
  scrubNow: () => Promise<unknown>;
}

export function adminRoutes(d: AdminDeps): AnyRoute[] {
  const view = (k: {
    accessKeyId: string;
    project: string;
    createdMs: number;
    description?: string;
  }): AccessKeyView => ({
    accessKeyId: k.accessKeyId,
    project: k.project,
    createdAt: new Date(k.createdMs).toISOString(),
    ...(k.description ? { description: k.description } : {}),
  });
  return [
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/accesskeys",
      summary: "Create an S3 access key for a project; the secret is shown only in this reply",
      tags,
      params: projectParams,
      body: accessKeyCreateSchema,
      permission: "lightningstor.accesskeys.create",
      successStatus: 201,
      handler: async ({ params, body }) => {
        if (body.accessKeyId && d.meta.getKey(body.accessKeyId))
          throw new ApiError("AlreadyExists", `access key ${body.accessKeyId} exists`);
        const given =
          body.accessKeyId && body.secret
            ? { accessKeyId: body.accessKeyId, secret: body.secret }
            : undefined;
        const rec = await d.keys.create(params.project, d.clock(), body.description, given);
        return { ...view(rec), secretAccessKey: rec.secret };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/projects/{project}/accesskeys",
      summary: "List a project's S3 access keys (without secrets)",
      tags,
      params: projectParams,
      permission: "lightningstor.accesskeys.list",
      handler: async ({ params }) => ({ items: d.meta.listKeys(params.project).map(view) }),
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/projects/{project}/accesskeys/{name}",
      summary: "Delete an S3 access key",
      tags,
      params: keyParams,
      permission: "lightningstor.accesskeys.delete",
      handler: async ({ params }) => {
        const k = d.meta.getKey(params.name);
        if (!k || k.project !== params.project)
          throw new ApiError("NotFound", `access key ${params.name} not found in project ${params.project}`);
        await d.keys.delete(params.name);
        return view(k);
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/storage",
      summary: "Storage nodes, erasure coding and the last scrub",
      tags,
      permission: "lightningstor.storage.get",
      handler: async () => d.status(),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/storage/scrub",
      summary: "Verify every chunk now, rebuild missing or corrupt ones, move shards off dead nodes",
      tags,
      permission: "lightningstor.storage.update",
      timeoutMs: 0,
      handler: async () => d.scrubNow(),
    }),
  ];
}
