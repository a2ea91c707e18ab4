// VM images: a registry view (Image resources: name, format, visibility; status with size,
// sha256 and where the bytes are) over objects in the system bucket `photon-images`.
// Bytes are uploaded and downloaded as streams through the REST API, so plasmavmc and
// coronafs read an image without holding an S3 key of the project.
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Readable } from "node:stream";
import type { Logger } from "pino";
import { z } from "zod";
import { resourceRoutes } from "../core/api/resource-routes.ts";
import { type AnyRoute, defineRoute } from "../core/api/route.ts";
import type { ApiServer } from "../core/api/server.ts";
import { ApiError } from "../core/errors.ts";
import { defineKind } from "../core/resource/kind.ts";
import { type AnyResource, nameSchema, projectSchema, type Resource } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import {
  type ImageSpec,
  type ImageStatus,
  imageBucket,
  imageKey,
  imageSpecSchema,
  imageStatusSchema,
} from "./api.ts";
import type { S3Deps } from "./s3-call.ts";
import { readVersion } from "./s3-object-ops.ts";

export const imageKind = defineKind({
  component: "lightningstor",
  apiVersion: "lightningstor/v1",
  kind: "Image",
  plural: "images",
  scope: "project",
  spec: imageSpecSchema,
  status: imageStatusSchema,
  initialStatus: (): ImageStatus => ({ phase: "Pending" }),
  description: "A VM image (raw or qcow2) stored as an object",
});

export type Image = Resource<ImageSpec, ImageStatus>;
export const systemProject = "system";
/** Largest image accepted (a generous VM disk). */
export const maxImageBytes = 256 * 1024 ** 3;

const qcow2Magic = Buffer.from([0x51, 0x46, 0x49, 0xfb]);

export class ImageRegistry {
  constructor(
    readonly store: ResourceStore,
    readonly deps: S3Deps,
    private readonly log: Logger,
  ) {}

  async ensureBucket(): Promise<void> {
    if (!this.deps.meta.getBucket(imageBucket)) {
      await this.deps.meta.createBucket({
        name: imageBucket,
        project: systemProject,
        createdMs: this.deps.clock(),
        region: this.deps.region,
      });
    }
  }

  registerBodyParser(api: ApiServer): void {
    // Image bytes reach the handler as the raw request stream, never buffered.
    api.app.addContentTypeParser("application/octet-stream", (_req, payload, done) => done(null, payload));
  }

  async get(project: string, name: string): Promise<Image> {
    const img = (await this.store.get({ kind: imageKind.kind, project, name })) as Image | undefined;
    if (!img) throw new ApiError("NotFound", `image ${name} not found in project ${project}`);
    return img;
  }

  /** Streams the bytes of an image into its object and marks it Ready. */
  async upload(project: string, name: string, body: Readable): Promise<Image> {
    await this.ensureBucket();
    const img = await this.get(project, name);
    const sha = createHash("sha256");
    const md5 = createHash("md5");
    let first: Buffer | undefined;
    async function* hashed(): AsyncGenerator<Buffer> {
      for await (const piece of body) {
        const b = piece as Buffer;
        if (!first) first = b.subarray(0, 4);
        sha.update(b);
        md5.update(b);
        yield b;
      }
    }
    const segment = await this.deps.segments.write(hashed(), maxImageBytes);
    const isQcow2 = first !== undefined && first.length === 4 && first.equals(qcow2Magic);
    if ((img.spec.format === "qcow2") !== isQcow2) {
      void this.deps.segments.delete(segment);
      throw new ApiError(
        "InvalidArgument",
        `the uploaded bytes are ${isQcow2 ? "" : "not "}a qcow2 image, but the image says format ${img.spec.format}`,
      );
    }
    const key = imageKey(project, name);
    const { removed } = await this.deps.meta.putVersion(
      {
        bucket: imageBucket,
        key,
        versionId: "null",
        deleteMarker: false,
        etag: md5.digest("hex"),
        size: segment.size,
        lastModifiedMs: this.deps.clock(),
        headers: { "content-type": "application/octet-stream" },
        userMeta: { format: img.spec.format },
        segments: [segment],
      },
      true,
      this.deps.clock(),
    );
    for (const v of removed) for (const s of v.segments) void this.deps.segments.delete(s);
    const fresh = await this.get(project, name);
    return (await this.store.update({
      ...fresh,
      status: {
        phase: "Ready",
        sizeBytes: segment.size,
        sha256: sha.digest("hex"),
        bucket: imageBucket,
        key,
      },
    } as AnyResource)) as Image;
  }

  async removeData(project: string, name: string): Promise<void> {
    const removed = await this.deps.meta.removeVersion(imageBucket, imageKey(project, name), "null");
    if (removed)
      for (const s of removed.segments)
        await this.deps.segments
          .delete(s)
          .catch((err) => this.log.warn({ err }, "deleting image data failed"));
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

const itemParams = z.strictObject({ project: projectSchema, name: nameSchema });

export function imageRoutes(reg: ImageRegistry): AnyRoute[] {
  return [
    ...resourceRoutes(imageKind, reg.store, {
      beforeDelete: async (obj) => reg.removeData(obj.metadata.project as string, obj.metadata.name),
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/projects/{project}/images/{name}/data",
      summary: "Upload an image's bytes (application/octet-stream, streamed)",
      tags: ["lightningstor"],
      params: itemParams,
      permission: "lightningstor.images.update",
      timeoutMs: 0,
      handler: async ({ params, request }) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== "function")
          throw new ApiError(
            "InvalidArgument",
            "send the image bytes with Content-Type: application/octet-stream",
          );
        return reg.upload(params.project, params.name, body);
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/projects/{project}/images/{name}/data",
      summary: "Download an image's bytes (public images from any project)",
      tags: ["lightningstor"],
      params: itemParams,
      permission: "lightningstor.images.get",
      timeoutMs: 0,
      handler: async ({ params, reply }) => {
        const img = await reg.get(params.project, params.name);
        if (img.status.phase !== "Ready")
          throw new ApiError(
            "FailedPrecondition",
            `image ${params.name} has no data yet (phase ${img.status.phase})`,
          );
        const v = reg.deps.meta.latest(imageBucket, imageKey(params.project, params.name));
        if (!v) throw new ApiError("NotFound", `image ${params.name} has no stored object`);
        const raw = reply.raw;
        reply.hijack();
        raw.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-length": String(v.size),
          "x-image-sha256": img.status.sha256 ?? "",
        });
        try {
          for await (const b of readVersion(reg.deps, v)) if (!raw.write(b)) await once(raw, "drain");
          raw.end();
        } catch {
          raw.destroy();
        }
        return undefined;
      },
    }),
  ];
}
