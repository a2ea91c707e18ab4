// The control plane's client of a volume server's admin API (volume-server-routes.ts).
import { request } from "node:http";
import type { Readable } from "node:stream";
import { ApiError, codeForStatus, type ErrorBody } from "../core/errors.ts";
import { HttpClient } from "../core/http-client.ts";
import type { SnapshotManifest } from "./volume-catalog.ts";
import type { ServerVolumeView } from "./volume-server-routes.ts";

export class VolumeServerClient {
  readonly http: HttpClient;
  constructor(
    readonly baseUrl: string,
    private readonly token: () => Promise<string | undefined>,
  ) {
    this.http = new HttpClient({ baseUrl, token, timeoutMs: 30_000, attempts: 2 });
  }

  info(): Promise<{ nbd: string; volumes: number; snapshots: number }> {
    return this.http.get("/v1/server", { timeoutMs: 2000 });
  }
  getVolume(id: string): Promise<ServerVolumeView> {
    return this.http.get(`/v1/server/volumes/${id}`);
  }
  createVolume(id: string, body: { sizeBytes: number; chunkSizeBytes: number; fromSnapshot?: string }) {
    return this.http.put<ServerVolumeView>(`/v1/server/volumes/${id}`, body);
  }
  deleteVolume(id: string) {
    return this.http.delete(`/v1/server/volumes/${id}`);
  }
  setAttachment(id: string, body: { epoch: number; token?: string; replicas: string[]; reportUrl?: string }) {
    return this.http.post<ServerVolumeView>(`/v1/server/volumes/${id}/attachment`, body, {
      idempotent: true,
    });
  }
  /** Asks the primary to resync a replica (returns once the copy has started). */
  resync(id: string, body: { epoch: number; replica: string; token: string }) {
    return this.http.post<{ id: string; replica: string; started: boolean }>(
      `/v1/server/volumes/${id}/resync`,
      body,
      { idempotent: true },
    );
  }
  resize(id: string, sizeBytes: number) {
    return this.http.post<ServerVolumeView>(
      `/v1/server/volumes/${id}/resize`,
      { sizeBytes },
      { idempotent: true },
    );
  }
  snapshot(id: string, snapshotId: string, replicaApis: string[]) {
    return this.http.post<SnapshotManifest>(
      `/v1/server/volumes/${id}/snapshots`,
      { snapshotId, replicaApis },
      { idempotent: true, timeoutMs: 120_000 },
    );
  }
  getSnapshot(id: string): Promise<SnapshotManifest> {
    return this.http.get(`/v1/server/snapshots/${id}`);
  }
  deleteSnapshot(id: string) {
    return this.http.delete(`/v1/server/snapshots/${id}`);
  }

  /** Streams image bytes into the server as a snapshot (no deadline: images are large). */
  async importImage(
    id: string,
    format: "raw" | "qcow2",
    chunkSizeBytes: number,
    body: Readable,
  ): Promise<SnapshotManifest> {
    const url = new URL(`${this.baseUrl}/v1/server/snapshots/${id}/image`);
    url.searchParams.set("format", format);
    url.searchParams.set("chunkSizeBytes", String(chunkSizeBytes));
    const token = await this.token();
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: "PUT",
          headers: {
            "content-type": "application/octet-stream",
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => {
            if (text.length < 1_000_000) text += c;
          });
          res.on("end", () => {
            if ((res.statusCode ?? 500) < 300) return resolve(JSON.parse(text) as SnapshotManifest);
            let msg = text;
            try {
              msg = (JSON.parse(text) as ErrorBody).error.message;
            } catch {}
            reject(new ApiError(codeForStatus(res.statusCode ?? 500), `image import failed: ${msg}`));
          });
        },
      );
      req.on("error", reject);
      body.on("error", (e: Error) => req.destroy(e));
      body.pipe(req);
    });
  }
}
