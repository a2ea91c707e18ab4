// Typed client of lightningstor's REST API: access keys, images (metadata and streamed
// bytes) and storage status. S3 itself is spoken by any S3 client.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { request } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { ApiError, codeForStatus, type ErrorBody } from "../core/errors.ts";
import { HttpClient, type HttpClientOptions } from "../core/http-client.ts";
import type { Resource } from "../core/resource/model.ts";
import type { AccessKeyCreated, AccessKeyView, ImageSpec, ImageStatus } from "./api.ts";

export type Image = Resource<ImageSpec, ImageStatus>;

export interface LightningstorClientOptions {
  baseUrl: string;
  token?: HttpClientOptions["token"] | undefined;
  timeoutMs?: number;
}

export class LightningstorClient {
  readonly http: HttpClient;
  constructor(private readonly opts: LightningstorClientOptions) {
    this.http = new HttpClient({
      baseUrl: opts.baseUrl,
      ...(opts.token ? { token: opts.token } : {}),
      timeoutMs: opts.timeoutMs ?? 30_000,
    });
  }

  private async bearer(): Promise<Record<string, string>> {
    const t = typeof this.opts.token === "function" ? await this.opts.token() : this.opts.token;
    return t ? { authorization: `Bearer ${t}` } : {};
  }

  createAccessKey(project: string, description?: string): Promise<AccessKeyCreated> {
    return this.http.post(`/v1/projects/${project}/accesskeys`, description ? { description } : {});
  }
  listAccessKeys(project: string): Promise<{ items: AccessKeyView[] }> {
    return this.http.get(`/v1/projects/${project}/accesskeys`);
  }
  deleteAccessKey(project: string, id: string): Promise<AccessKeyView> {
    return this.http.delete(`/v1/projects/${project}/accesskeys/${encodeURIComponent(id)}`);
  }

  createImage(
    project: string,
    name: string,
    spec: Partial<ImageSpec> & Pick<ImageSpec, "format">,
  ): Promise<Image> {
    return this.http.post(`/v1/projects/${project}/images`, { metadata: { name }, spec });
  }
  getImage(project: string, name: string): Promise<Image> {
    return this.http.get(`/v1/projects/${project}/images/${name}`);
  }
  listImages(project: string): Promise<{ items: Image[] }> {
    return this.http.get(`/v1/projects/${project}/images`);
  }
  deleteImage(project: string, name: string): Promise<Image> {
    return this.http.delete(`/v1/projects/${project}/images/${name}`);
  }

  /** Streams a file (or any readable) as the image's bytes; resolves to the Ready image. */
  async uploadImage(project: string, name: string, source: string | Readable): Promise<Image> {
    const body = typeof source === "string" ? createReadStream(source) : source;
    const size = typeof source === "string" ? (await stat(source)).size : undefined;
    const url = new URL(`${this.http.baseUrl}/v1/projects/${project}/images/${name}/data`);
    const send = url.protocol === "https:" ? httpsRequest : request;
    const auth = await this.bearer();
    return new Promise<Image>((resolve, reject) => {
      const req = send(
        url,
        {
          method: "PUT",
          headers: {
            "content-type": "application/octet-stream",
            ...(size !== undefined ? { "content-length": String(size) } : {}),
            ...auth,
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (c: Buffer) => parts.push(c));
          res.on("end", () => {
            const text = Buffer.concat(parts).toString();
            if ((res.statusCode ?? 500) < 300) return resolve(JSON.parse(text) as Image);
            try {
              const e = (JSON.parse(text) as ErrorBody).error;
              reject(new ApiError(e.code, e.message));
            } catch {
              reject(new ApiError(codeForStatus(res.statusCode ?? 500), text.slice(0, 500)));
            }
          });
        },
      );
      req.on("error", reject);
      body.on("error", (e: Error) => req.destroy(e));
      body.pipe(req);
    });
  }

  /** The image's bytes as a stream (plasmavmc/coronafs copy them into volumes). */
  async downloadImage(project: string, name: string): Promise<Readable> {
    const res = await fetch(`${this.http.baseUrl}/v1/projects/${project}/images/${name}/data`, {
      headers: await this.bearer(),
    });
    if (!res.ok || !res.body) throw new ApiError(codeForStatus(res.status), await res.text());
    return Readable.fromWeb(res.body as import("node:stream/web").ReadableStream);
  }

  storage(): Promise<Record<string, unknown>> {
    return this.http.get("/v1/storage");
  }
  scrub(): Promise<Record<string, unknown>> {
    return this.http.post("/v1/storage/scrub", {});
  }
}
