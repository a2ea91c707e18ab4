// What one volume server stores: volumes, snapshots and image bases, each a manifest (JSON,
// written durably) naming a stack of chunk layers. Layers are shared by reference; a layer
// no manifest names is removed. Snapshots and clones therefore copy no data.
//
//   <root>/layers/<layer>/<chunk>      chunk files
//   <root>/volumes/<id>.json           { sizeBytes, chunkSizeBytes, layers (top first), epoch, … }
//   <root>/snapshots/<id>.json         { sizeBytes, chunkSizeBytes, layers }
import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ChunkLayer } from "./chunk-layer.ts";
import { validChunkSize } from "./chunk-math.ts";
import type { FdPool } from "./fd-pool.ts";
import { syncDir, VolumeData } from "./volume-data.ts";

export const storeIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,126}$/, "ids are lowercase letters, digits and '-', at most 127 characters");

const volumeManifestSchema = z.object({
  id: storeIdSchema,
  sizeBytes: z.number().int().positive(),
  chunkSizeBytes: z.number().int().refine(validChunkSize),
  layers: z.array(z.string()).min(1),
  /** Fencing generation: requests of an attachment with a lower epoch are refused. */
  epoch: z.number().int().nonnegative(),
  /** Secret of the current attachment; the NBD export name carries it. */
  token: z.string().optional(),
  /** Replicas this server forwards writes to when it is the primary (NBD addresses). */
  replicas: z.array(z.string()).default([]),
  /** Where the primary reports a failed replica (the control plane's API). */
  reportUrl: z.string().optional(),
  /**
   * Export secrets of replicas added by a resync during this attachment (address → secret);
   * other replicas use `token`. A new attachment gives every copy the same secret again.
   */
  replicaTokens: z.record(z.string(), z.string()).optional(),
});
export type VolumeManifest = z.infer<typeof volumeManifestSchema>;

const snapshotManifestSchema = z.object({
  id: storeIdSchema,
  sizeBytes: z.number().int().positive(),
  chunkSizeBytes: z.number().int().refine(validChunkSize),
  layers: z.array(z.string()).min(1),
});
export type SnapshotManifest = z.infer<typeof snapshotManifestSchema>;

export interface StoredVolume {
  manifest: VolumeManifest;
  data: VolumeData;
}

export class CatalogError extends Error {
  constructor(
    readonly code: "NotFound" | "AlreadyExists" | "InvalidArgument" | "FailedPrecondition",
    message: string,
  ) {
    super(message);
  }
}

export class VolumeCatalog {
  private readonly volumes = new Map<string, StoredVolume>();
  private readonly snapshots = new Map<string, SnapshotManifest>();
  private readonly layers = new Map<string, ChunkLayer>();

  private constructor(
    private readonly root: string,
    private readonly fds: FdPool,
  ) {}

  static async open(root: string, fds: FdPool): Promise<VolumeCatalog> {
    const c = new VolumeCatalog(root, fds);
    for (const d of ["layers", "volumes", "snapshots"]) await mkdir(join(root, d), { recursive: true });
    for (const f of await readdir(join(root, "snapshots"))) {
      if (!f.endsWith(".json")) continue;
      const m = snapshotManifestSchema.parse(JSON.parse(await readFile(join(root, "snapshots", f), "utf8")));
      c.snapshots.set(m.id, m);
    }
    for (const f of await readdir(join(root, "volumes"))) {
      if (!f.endsWith(".json")) continue;
      const m = volumeManifestSchema.parse(JSON.parse(await readFile(join(root, "volumes", f), "utf8")));
      c.volumes.set(m.id, { manifest: m, data: await c.dataFor(m) });
    }
    await c.collectLayers(true);
    return c;
  }

  volume(id: string): StoredVolume | undefined {
    return this.volumes.get(id);
  }

  snapshot(id: string): SnapshotManifest | undefined {
    return this.snapshots.get(id);
  }

  listVolumes(): VolumeManifest[] {
    return [...this.volumes.values()].map((v) => v.manifest);
  }

  listSnapshots(): SnapshotManifest[] {
    return [...this.snapshots.values()];
  }

  /** Creates an empty volume, or a clone of a snapshot (sharing all its chunks). Idempotent. */
  async createVolume(spec: {
    id: string;
    sizeBytes: number;
    chunkSizeBytes: number;
    fromSnapshot?: string | undefined;
  }): Promise<StoredVolume> {
    const existing = this.volumes.get(spec.id);
    if (existing) {
      if (existing.manifest.sizeBytes !== spec.sizeBytes && existing.manifest.sizeBytes < spec.sizeBytes)
        return this.resize(spec.id, spec.sizeBytes);
      return existing;
    }
    if (!validChunkSize(spec.chunkSizeBytes))
      throw new CatalogError(
        "InvalidArgument",
        `chunk size ${spec.chunkSizeBytes} is not a power of two in 64 KiB…64 MiB`,
      );
    let below: string[] = [];
    let chunkSizeBytes = spec.chunkSizeBytes;
    if (spec.fromSnapshot) {
      const s = this.snapshots.get(spec.fromSnapshot);
      if (!s) throw new CatalogError("NotFound", `snapshot ${spec.fromSnapshot} is not on this server`);
      if (spec.sizeBytes < s.sizeBytes)
        throw new CatalogError(
          "InvalidArgument",
          `a clone of ${spec.fromSnapshot} needs at least ${s.sizeBytes} bytes; asked for ${spec.sizeBytes}`,
        );
      below = s.layers;
      chunkSizeBytes = s.chunkSizeBytes;
    }
    const manifest: VolumeManifest = {
      id: spec.id,
      sizeBytes: spec.sizeBytes,
      chunkSizeBytes,
      layers: [newLayerId(), ...below],
      epoch: 0,
      replicas: [],
    };
    const stored = { manifest, data: await this.dataFor(manifest) };
    await this.writeManifest("volumes", manifest);
    this.volumes.set(spec.id, stored);
    return stored;
  }

  async deleteVolume(id: string): Promise<void> {
    const v = this.volumes.get(id);
    if (!v) return;
    this.volumes.delete(id);
    await rm(join(this.root, "volumes", `${id}.json`), { force: true });
    await syncDir(join(this.root, "volumes"));
    await this.collectLayers(false);
  }

  /**
   * Freezes the volume's current contents as a snapshot: its top layer becomes the snapshot's
   * and the volume continues on a new empty layer. No chunk is copied.
   */
  async snapshotVolume(
    volumeId: string,
    snapshotId: string,
    /** Runs while no write is in flight, before the local switch: the replicas snapshot here. */
    alsoOnReplicas?: () => Promise<void>,
  ): Promise<SnapshotManifest> {
    const existing = this.snapshots.get(snapshotId);
    if (existing) return existing;
    const v = this.volumes.get(volumeId);
    if (!v) throw new CatalogError("NotFound", `volume ${volumeId} is not on this server`);
    return v.data.quiesced(async () => {
      await alsoOnReplicas?.();
      await v.data.flush();
      const frozen = [...v.manifest.layers];
      // The volume moves to its new layer first: a crash before the snapshot manifest is
      // written leaves an extra layer, never a snapshot layer the volume still writes to.
      const next: VolumeManifest = { ...v.manifest, layers: [newLayerId(), ...frozen] };
      const top = await this.layer(next.layers[0]!);
      await this.writeManifest("volumes", next);
      v.manifest = next;
      v.data.layers = [top, ...v.data.layers];
      const snap: SnapshotManifest = {
        id: snapshotId,
        sizeBytes: v.manifest.sizeBytes,
        chunkSizeBytes: v.manifest.chunkSizeBytes,
        layers: frozen,
      };
      await this.writeManifest("snapshots", snap);
      this.snapshots.set(snapshotId, snap);
      return snap;
    });
  }

  async deleteSnapshot(id: string): Promise<void> {
    if (!this.snapshots.delete(id)) return;
    await rm(join(this.root, "snapshots", `${id}.json`), { force: true });
    await syncDir(join(this.root, "snapshots"));
    await this.collectLayers(false);
  }

  /** Grows a volume (shrinking would expose or lose data and is refused). */
  async resize(id: string, sizeBytes: number): Promise<StoredVolume> {
    const v = this.volumes.get(id);
    if (!v) throw new CatalogError("NotFound", `volume ${id} is not on this server`);
    if (sizeBytes < v.manifest.sizeBytes)
      throw new CatalogError(
        "FailedPrecondition",
        `volume ${id} is ${v.manifest.sizeBytes} bytes; shrinking to ${sizeBytes} is not supported`,
      );
    if (sizeBytes === v.manifest.sizeBytes) return v;
    await v.data.quiesced(async () => {
      const next = { ...v.manifest, sizeBytes };
      await this.writeManifest("volumes", next);
      v.manifest = next;
      v.data.sizeBytes = sizeBytes;
    });
    return v;
  }

  /** Records the attachment generation and secret, and the replicas to forward writes to. */
  async setAttachment(
    id: string,
    epoch: number,
    token: string | undefined,
    replicas: string[],
    reportUrl?: string,
  ): Promise<StoredVolume> {
    const v = this.volumes.get(id);
    if (!v) throw new CatalogError("NotFound", `volume ${id} is not on this server`);
    if (epoch < v.manifest.epoch)
      throw new CatalogError(
        "FailedPrecondition",
        `volume ${id} is at epoch ${v.manifest.epoch}; epoch ${epoch} is stale`,
      );
    // No write of the previous attachment is in flight once the new epoch is recorded.
    await v.data.quiesced(async () => {
      const next: VolumeManifest = { ...v.manifest, epoch, replicas };
      delete next.replicaTokens;
      if (token === undefined) delete next.token;
      else next.token = token;
      if (reportUrl === undefined) delete next.reportUrl;
      else next.reportUrl = reportUrl;
      await this.writeManifest("volumes", next);
      v.manifest = next;
    });
    return v;
  }

  /**
   * Adds a replica (reached with its own export secret) to a volume's forwarding list, for a
   * primary whose resync brought it up to date. The caller holds the volume's gate.
   */
  async addReplica(id: string, address: string, token: string): Promise<void> {
    const v = this.volumes.get(id);
    if (!v) throw new CatalogError("NotFound", `volume ${id} is not on this server`);
    const next: VolumeManifest = {
      ...v.manifest,
      replicas: [...v.manifest.replicas.filter((r) => r !== address), address],
      replicaTokens: { ...v.manifest.replicaTokens, [address]: token },
    };
    await this.writeManifest("volumes", next);
    v.manifest = next;
  }

  /**
   * Imports a raw byte stream as an immutable snapshot (an image base clones start from).
   * All-zero chunks are not stored. Idempotent by id.
   */
  async importSnapshot(
    id: string,
    chunkSizeBytes: number,
    source: AsyncIterable<Buffer>,
  ): Promise<SnapshotManifest> {
    const existing = this.snapshots.get(id);
    if (existing) return existing;
    if (!validChunkSize(chunkSizeBytes))
      throw new CatalogError(
        "InvalidArgument",
        `chunk size ${chunkSizeBytes} is not a power of two in 64 KiB…64 MiB`,
      );
    const layerId = newLayerId();
    const layer = await this.layer(layerId);
    let total = 0;
    let index = 0;
    let fill = 0;
    let chunk = Buffer.alloc(chunkSizeBytes);
    const emit = async (n: number) => {
      if (!isZero(chunk.subarray(0, n))) {
        const fh = await open(
          layer.path(index),
          constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC,
          0o600,
        );
        try {
          await fh.write(chunk, 0, n, 0);
          if (n < chunkSizeBytes) await fh.truncate(chunkSizeBytes);
          await fh.datasync();
        } finally {
          await fh.close();
        }
        layer.add(index);
      }
      index++;
      fill = 0;
      chunk = Buffer.alloc(chunkSizeBytes);
    };
    for await (const piece of source) {
      let at = 0;
      while (at < piece.length) {
        const k = Math.min(piece.length - at, chunkSizeBytes - fill);
        piece.copy(chunk, fill, at, at + k);
        fill += k;
        at += k;
        total += k;
        if (fill === chunkSizeBytes) await emit(fill);
      }
    }
    if (fill > 0) await emit(fill);
    if (total === 0) throw new CatalogError("InvalidArgument", "the image has no bytes");
    await syncDir(layer.dir);
    const snap: SnapshotManifest = { id, sizeBytes: total, chunkSizeBytes, layers: [layerId] };
    await this.writeManifest("snapshots", snap);
    this.snapshots.set(id, snap);
    return snap;
  }

  async close(): Promise<void> {
    await this.fds.close();
  }

  private async dataFor(m: VolumeManifest): Promise<VolumeData> {
    const layers: ChunkLayer[] = [];
    for (const id of m.layers) layers.push(await this.layer(id));
    return new VolumeData(m.sizeBytes, m.chunkSizeBytes, layers, this.fds);
  }

  private async layer(id: string): Promise<ChunkLayer> {
    let l = this.layers.get(id);
    if (!l) {
      l = await ChunkLayer.open(join(this.root, "layers"), id);
      this.layers.set(id, l);
    }
    return l;
  }

  /** Removes layers no manifest names (after deletes; at open, also directories a crash left). */
  private async collectLayers(scanDisk: boolean): Promise<void> {
    const used = new Set<string>();
    for (const v of this.volumes.values()) for (const l of v.manifest.layers) used.add(l);
    for (const s of this.snapshots.values()) for (const l of s.layers) used.add(l);
    const names = scanDisk ? await readdir(join(this.root, "layers")) : [...this.layers.keys()];
    for (const id of names) {
      if (used.has(id)) continue;
      const l = this.layers.get(id);
      this.layers.delete(id);
      await this.fds.forgetPrefix(join(this.root, "layers", id, ""));
      if (l) await l.destroy();
      else await rm(join(this.root, "layers", id), { recursive: true, force: true });
    }
  }

  private async writeManifest(dir: "volumes" | "snapshots", m: { id: string }): Promise<void> {
    const path = join(this.root, dir, `${m.id}.json`);
    const tmp = `${path}.tmp`;
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
    try {
      await fh.writeFile(`${JSON.stringify(m)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await syncDir(join(this.root, dir));
  }
}

function newLayerId(): string {
  return randomUUID();
}

const zeroes = Buffer.alloc(1024 * 1024);

function isZero(b: Buffer): boolean {
  for (let at = 0; at < b.length; at += zeroes.length) {
    const piece = b.subarray(at, Math.min(b.length, at + zeroes.length));
    if (!piece.equals(zeroes.subarray(0, piece.length))) return false;
  }
  return true;
}
