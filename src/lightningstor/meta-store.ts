// Object metadata in LMDB (until flaredb hosts it): access keys, buckets, object versions,
// multipart uploads and their parts. Keys are strings whose byte order is S3's listing
// order; every write is one synced LMDB transaction, so an acknowledged PUT survives a crash.
import { mkdirSync } from "node:fs";
import { type Database, open, type RootDatabase } from "lmdb";
import type { CorsRule } from "./cors.ts";
import type { LifecycleRule } from "./lifecycle-rules.ts";
import type { Segment } from "./segment.ts";

export interface AccessKeyRecord {
  accessKeyId: string;
  secret: string;
  project: string;
  createdMs: number;
  description?: string;
}

export interface BucketRecord {
  name: string;
  project: string;
  createdMs: number;
  region: string;
  versioning?: "Enabled" | "Suspended";
  cors?: CorsRule[];
  lifecycle?: LifecycleRule[];
  policy?: string;
}

export interface VersionRecord {
  bucket: string;
  key: string;
  versionId: string;
  seq: number;
  deleteMarker: boolean;
  etag: string;
  size: number;
  lastModifiedMs: number;
  /** Content-Type, Content-Encoding, Cache-Control, … as given at upload. */
  headers: Record<string, string>;
  userMeta: Record<string, string>;
  segments: Segment[];
  checksum?: { algorithm: string; value: string };
  partsCount?: number;
  /** When a newer version replaced this one (for noncurrent expiration). */
  noncurrentSinceMs?: number;
}

export interface UploadRecord {
  bucket: string;
  key: string;
  uploadId: string;
  initiatedMs: number;
  headers: Record<string, string>;
  userMeta: Record<string, string>;
}

export interface PartRecord {
  uploadId: string;
  partNumber: number;
  etag: string;
  size: number;
  lastModifiedMs: number;
  segment: Segment;
}

const sep = "\u0000";
const maxSeq = 1e15;
const invSeq = (seq: number) => String(maxSeq - seq).padStart(16, "0");
const versionKey = (bucket: string, key: string, seq: number) => `${bucket}${sep}${key}${sep}${invSeq(seq)}`;
const vidKey = (bucket: string, key: string, versionId: string) => `${bucket}${sep}${key}${sep}${versionId}`;
const partKey = (uploadId: string, n: number) => `${uploadId}${sep}${String(n).padStart(5, "0")}`;
/** A string that sorts after every key with the given prefix (keys never contain U+FFFF). */
export const afterPrefix = (p: string) => `${p}\uffff`;

export class MetaStore {
  private readonly root: RootDatabase;
  private readonly keys: Database<AccessKeyRecord, string>;
  private readonly buckets: Database<BucketRecord, string>;
  private readonly versions: Database<VersionRecord, string>;
  private readonly vids: Database<string, string>;
  private readonly uploads: Database<UploadRecord, string>;
  private readonly parts: Database<PartRecord, string>;
  private readonly meta: Database<number, string>;

  constructor(path: string) {
    mkdirSync(path, { recursive: true });
    this.root = open({ path, noSync: false, overlappingSync: false, compression: false });
    // Shared record structures: a record's field names are stored once per database, not
    // re-read and re-defined on every decode (a large share of a small GET's CPU).
    const db = <V>(name: string) =>
      this.root.openDB<V, string>({ name, sharedStructuresKey: Symbol.for("structures") });
    this.keys = db("access-keys");
    this.buckets = db("buckets");
    this.versions = db("versions");
    this.vids = db("version-ids");
    this.uploads = db("uploads");
    this.parts = db("parts");
    this.meta = db("meta");
  }

  close(): Promise<void> {
    return this.root.close();
  }

  // Access keys.
  getKey = (id: string) => this.keys.get(id);
  putKey = (r: AccessKeyRecord) => this.keys.put(r.accessKeyId, r);
  deleteKey = (id: string) => this.keys.remove(id);
  listKeys(project?: string): AccessKeyRecord[] {
    return [...this.keys.getRange({})]
      .map((e) => e.value)
      .filter((k) => project === undefined || k.project === project);
  }

  // Buckets.
  getBucket = (name: string) => this.buckets.get(name);
  putBucket = (b: BucketRecord) => this.buckets.put(b.name, b);
  listBuckets(project?: string): BucketRecord[] {
    return [...this.buckets.getRange({})]
      .map((e) => e.value)
      .filter((b) => project === undefined || b.project === project);
  }

  /** Creates the bucket unless the name is taken; returns the existing record if it is. */
  async createBucket(b: BucketRecord): Promise<BucketRecord | undefined> {
    return this.root.transaction(() => {
      const existing = this.buckets.get(b.name);
      if (existing) return existing;
      this.buckets.putSync(b.name, b);
      return undefined;
    });
  }

  /** Deletes an empty bucket; returns false if it still holds versions or uploads. */
  async deleteBucket(name: string): Promise<boolean> {
    return this.root.transaction(() => {
      const prefix = `${name}${sep}`;
      for (const _ of this.versions.getKeys({ start: prefix, end: afterPrefix(prefix), limit: 1 }))
        return false;
      for (const _ of this.uploads.getKeys({ start: prefix, end: afterPrefix(prefix), limit: 1 }))
        return false;
      this.buckets.removeSync(name);
      return true;
    });
  }

  // Object versions.
  latest(bucket: string, key: string): VersionRecord | undefined {
    const prefix = `${bucket}${sep}${key}${sep}`;
    for (const { value } of this.versions.getRange({ start: prefix, end: afterPrefix(prefix), limit: 1 }))
      return value;
    return undefined;
  }

  getVersion(bucket: string, key: string, versionId: string): VersionRecord | undefined {
    const k = this.vids.get(vidKey(bucket, key, versionId));
    return k === undefined ? undefined : this.versions.get(k);
  }

  /**
   * Adds a new latest version. With `replaceNull`, an existing "null" version is removed
   * first (unversioned and suspended buckets). Returns the versions removed, whose data
   * the caller deletes.
   */
  async putVersion(
    rec: Omit<VersionRecord, "seq">,
    replaceNull: boolean,
    nowMs: number,
  ): Promise<{ version: VersionRecord; removed: VersionRecord[] }> {
    return this.root.transaction(() => {
      const removed: VersionRecord[] = [];
      const prev = this.latest(rec.bucket, rec.key);
      if (replaceNull) {
        const nk = this.vids.get(vidKey(rec.bucket, rec.key, "null"));
        if (nk !== undefined) {
          const old = this.versions.get(nk);
          this.versions.removeSync(nk);
          this.vids.removeSync(vidKey(rec.bucket, rec.key, "null"));
          if (old) removed.push(old);
        }
      }
      if (prev && !removed.some((r) => r.seq === prev.seq)) {
        this.versions.putSync(versionKey(prev.bucket, prev.key, prev.seq), {
          ...prev,
          noncurrentSinceMs: nowMs,
        });
      }
      const seq = (this.meta.get("seq") ?? 0) + 1;
      this.meta.putSync("seq", seq);
      const version: VersionRecord = { ...rec, seq };
      const k = versionKey(rec.bucket, rec.key, seq);
      this.versions.putSync(k, version);
      this.vids.putSync(vidKey(rec.bucket, rec.key, rec.versionId), k);
      return { version, removed };
    });
  }

  /** Permanently removes one version; returns it (for its data) or undefined. */
  async removeVersion(bucket: string, key: string, versionId: string): Promise<VersionRecord | undefined> {
    return this.root.transaction(() => {
      const k = this.vids.get(vidKey(bucket, key, versionId));
      if (k === undefined) return undefined;
      const rec = this.versions.get(k);
      this.versions.removeSync(k);
      this.vids.removeSync(vidKey(bucket, key, versionId));
      return rec;
    });
  }

  /** Replaces the stored record of a version in place (scrubbing moved a shard column). */
  async updateVersion(rec: VersionRecord): Promise<void> {
    await this.root.transaction(() => {
      const k = versionKey(rec.bucket, rec.key, rec.seq);
      if (this.versions.get(k)) this.versions.putSync(k, rec);
    });
  }

  /** Versions of a bucket in listing order (key ascending, newest first), from `start`. */
  *scanVersions(bucket: string, fromKey = "", inclusive = true): Generator<VersionRecord> {
    const base = `${bucket}${sep}`;
    let start = `${base}${fromKey}${inclusive ? "" : `${sep}\uffff`}`;
    const end = afterPrefix(base);
    // Read in pages so a long scan never holds one read transaction open for long.
    for (;;) {
      let n = 0;
      let last = "";
      // Each page is copied out first so no read transaction stays open across a yield.
      for (const { key, value } of [...this.versions.getRange({ start, end, limit: 256 })]) {
        n++;
        last = key;
        yield value;
      }
      if (n < 256) return;
      start = `${last}${sep}`;
    }
  }

  /** Every version of every bucket, for the scrubber and lifecycle sweeps. */
  *scanAllVersions(): Generator<VersionRecord> {
    let start = "";
    for (;;) {
      let n = 0;
      let last = "";
      for (const { key, value } of [...this.versions.getRange({ start, limit: 256 })]) {
        n++;
        last = key;
        yield value;
      }
      if (n < 256) return;
      start = `${last}${sep}`;
    }
  }

  // Multipart uploads.
  getUpload = (bucket: string, uploadId: string) => this.uploads.get(`${bucket}${sep}${uploadId}`);
  putUpload = (u: UploadRecord) => this.uploads.put(`${u.bucket}${sep}${u.uploadId}`, u);
  listUploads(bucket: string): UploadRecord[] {
    const p = `${bucket}${sep}`;
    return [...this.uploads.getRange({ start: p, end: afterPrefix(p) })].map((e) => e.value);
  }
  allUploads(): UploadRecord[] {
    return [...this.uploads.getRange({})].map((e) => e.value);
  }

  getPart = (uploadId: string, n: number) => this.parts.get(partKey(uploadId, n));
  /** Stores a part; returns the part it replaced (whose data the caller deletes). */
  async putPart(p: PartRecord): Promise<PartRecord | undefined> {
    return this.root.transaction(() => {
      const old = this.parts.get(partKey(p.uploadId, p.partNumber));
      this.parts.putSync(partKey(p.uploadId, p.partNumber), p);
      return old;
    });
  }
  listParts(uploadId: string): PartRecord[] {
    const p = `${uploadId}${sep}`;
    return [...this.parts.getRange({ start: p, end: afterPrefix(p) })].map((e) => e.value);
  }

  /** Removes an upload and its parts; returns the parts (whose data the caller deletes). */
  async removeUpload(bucket: string, uploadId: string): Promise<PartRecord[]> {
    return this.root.transaction(() => {
      const parts = this.listParts(uploadId);
      for (const p of parts) this.parts.removeSync(partKey(uploadId, p.partNumber));
      this.uploads.removeSync(`${bucket}${sep}${uploadId}`);
      return parts;
    });
  }
}
