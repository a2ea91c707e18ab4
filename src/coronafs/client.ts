// Typed client of coronafs's REST API, for plasmavmc and the CLI.
import { HttpClient, type HttpClientOptions } from "../core/http-client.ts";
import type { Resource } from "../core/resource/model.ts";
import type { ListResult } from "../core/resource/store.ts";
import type {
  Attachment,
  SnapshotSpec,
  SnapshotStatus,
  VolumeSource,
  VolumeSpec,
  VolumeStatus,
} from "./api.ts";

export type Volume = Resource<VolumeSpec, VolumeStatus>;
export type VolumeSnapshot = Resource<SnapshotSpec, SnapshotStatus>;

export class CoronafsClient {
  readonly http: HttpClient;
  constructor(opts: HttpClientOptions | HttpClient) {
    this.http = opts instanceof HttpClient ? opts : new HttpClient(opts);
  }

  listVolumes(
    project: string,
    opts: { limit?: number; continue?: string } = {},
  ): Promise<ListResult & { items: Volume[] }> {
    return this.http.get(`/v1/projects/${project}/volumes`, { query: opts });
  }
  getVolume(project: string, name: string): Promise<Volume> {
    return this.http.get(`/v1/projects/${project}/volumes/${name}`);
  }
  createVolume(
    project: string,
    name: string,
    spec: { sizeGib: number; replicas?: number; source?: VolumeSource },
    labels?: Record<string, string>,
  ): Promise<Volume> {
    return this.http.post(`/v1/projects/${project}/volumes`, {
      metadata: { name, ...(labels ? { labels } : {}) },
      spec,
    });
  }
  deleteVolume(project: string, name: string): Promise<Volume> {
    return this.http.delete(`/v1/projects/${project}/volumes/${name}`);
  }
  resizeVolume(project: string, name: string, sizeGib: number): Promise<Volume> {
    return this.http.post(
      `/v1/projects/${project}/volumes/${name}/resize`,
      { sizeGib },
      { idempotent: true },
    );
  }
  /** Attaches read-write for `holder`; the URL goes to QEMU (`-drive file=<url>,format=raw`). */
  attach(project: string, name: string, holder: string, force = false): Promise<Attachment> {
    return this.http.post(`/v1/projects/${project}/volumes/${name}/attach`, { holder, force });
  }
  detach(project: string, name: string, holder: string): Promise<VolumeStatus> {
    return this.http.post(`/v1/projects/${project}/volumes/${name}/detach`, { holder }, { idempotent: true });
  }
  listSnapshots(project: string): Promise<ListResult & { items: VolumeSnapshot[] }> {
    return this.http.get(`/v1/projects/${project}/snapshots`);
  }
  getSnapshot(project: string, name: string): Promise<VolumeSnapshot> {
    return this.http.get(`/v1/projects/${project}/snapshots/${name}`);
  }
  createSnapshot(project: string, name: string, volume: string): Promise<VolumeSnapshot> {
    return this.http.post(`/v1/projects/${project}/snapshots`, { metadata: { name }, spec: { volume } });
  }
  deleteSnapshot(project: string, name: string): Promise<VolumeSnapshot> {
    return this.http.delete(`/v1/projects/${project}/snapshots/${name}`);
  }

  /** Polls until the volume is Available/Attached (or Failed, which throws), within timeoutMs. */
  async waitVolume(project: string, name: string, timeoutMs = 60_000, pollMs = 200): Promise<Volume> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.getVolume(project, name);
      if (v.status.phase === "Available" || v.status.phase === "Attached") return v;
      if (v.status.phase === "Failed") throw new Error(`volume ${name} failed: ${v.status.message ?? ""}`);
      if (Date.now() > deadline)
        throw new Error(
          `volume ${name} is still ${v.status.phase} after ${timeoutMs} ms: ${v.status.message ?? ""}`,
        );
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  async waitSnapshot(
    project: string,
    name: string,
    timeoutMs = 60_000,
    pollMs = 200,
  ): Promise<VolumeSnapshot> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.getSnapshot(project, name);
      if (s.status.phase === "Ready") return s;
      if (Date.now() > deadline)
        throw new Error(`snapshot ${name} is still ${s.status.phase}: ${s.status.message ?? ""}`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
