// The LMDB image of the MVCC state: every retained version under its (revision, sub) key, like
// etcd's bolt "key" bucket, plus leases, members and the meta record. A batch resolves only
// after LMDB has fsynced it (noSync and overlappingSync off), so an acknowledged write survives
// a crash. On start the in-memory index is rebuilt from this image.
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Database, open, type RootDatabase } from "lmdb";
import { DB_QUOTA_BYTES } from "../limits.ts";
import type { Change, Meta, StoredVersion } from "./state-machine.ts";
import { MvccState } from "./state-machine.ts";
import type { Member } from "./types.ts";

interface VersionRecord {
  k: Buffer;
  c: number;
  m: number;
  v: number;
  val: Buffer;
  l: number;
  t: boolean;
}

export interface ClusterIdentity {
  clusterId: string;
  memberId: string;
}

type MetaRecord = Meta & Partial<ClusterIdentity>;

export class LmdbPersistence {
  private readonly root: RootDatabase;
  private readonly versions: Database<VersionRecord, [number, number]>;
  private readonly leases: Database<number, number>;
  private readonly members: Database<Member, string>;
  private readonly meta: Database<MetaRecord, string>;

  /**
   * `durable: false` (replicated members): a write resolves once committed, and LMDB fsyncs it
   * in the background (overlapping sync keeps the file consistent). The Raft log, fsynced
   * before anything is applied, is then the durable record, and this image may lag it after a
   * power loss: the member replays the log (or loads the Raft snapshot) from its applied index.
   */
  constructor(path: string, durable = true) {
    mkdirSync(path, { recursive: true });
    this.root = open({
      path,
      // A directory, always: lmdb would take a path with a dot in its last segment for a file.
      noSubdir: false,
      noSync: false,
      overlappingSync: !durable,
      compression: false,
      mapSize: DB_QUOTA_BYTES,
    });
    this.versions = this.root.openDB<VersionRecord, [number, number]>({ name: "versions" });
    this.leases = this.root.openDB<number, number>({ name: "leases" });
    this.members = this.root.openDB<Member, string>({ name: "members" });
    this.meta = this.root.openDB<MetaRecord, string>({ name: "meta" });
  }

  identity(): Partial<ClusterIdentity> {
    const m = this.meta.get("meta");
    return { clusterId: m?.clusterId, memberId: m?.memberId };
  }

  load(): MvccState {
    const meta = this.meta.get("meta") ?? { revision: 0, compactRevision: 0, appliedIndex: 0 };
    const versions = (function* (db: Database<VersionRecord, [number, number]>): Generator<StoredVersion> {
      for (const { key, value: r } of db.getRange()) {
        const kv = {
          key: Buffer.from(r.k),
          createRevision: r.c,
          modRevision: r.m,
          version: r.v,
          value: Buffer.from(r.val),
          lease: r.l,
        };
        yield { rev: key[0], sub: key[1], kv, tombstone: r.t };
      }
    })(this.versions);
    const leases = [...this.leases.getRange()].map(({ key, value }) => [key, value] as [number, number]);
    const members = [...this.members.getRange()].map(({ value }) => value);
    return MvccState.restore(meta, versions, leases, members);
  }

  /** Writes the changes of applied commands and the new meta in one durable transaction. */
  write(changes: Change[], meta: Meta, identity: ClusterIdentity): Promise<void> {
    return this.root.transaction(() => {
      this.writeSync(changes);
      this.meta.putSync("meta", { ...meta, ...identity });
    }) as Promise<void>;
  }

  private writeSync(changes: Change[]): void {
    for (const c of changes) {
      switch (c.type) {
        case "version": {
          const kv = c.v.kv;
          this.versions.putSync([c.v.rev, c.v.sub], {
            k: kv.key,
            c: kv.createRevision,
            m: kv.modRevision,
            v: kv.version,
            val: kv.value,
            l: kv.lease,
            t: c.v.tombstone,
          });
          break;
        }
        case "dropVersion":
          this.versions.removeSync([c.rev, c.sub]);
          break;
        case "lease":
          this.leases.putSync(c.id, c.ttlSeconds);
          break;
        case "dropLease":
          this.leases.removeSync(c.id);
          break;
        case "member":
          this.members.putSync(c.member.id, c.member);
          break;
        case "dropMember":
          this.members.removeSync(c.id);
          break;
      }
    }
  }

  /** Bytes the environment occupies on disk (Status dbSize): pages up to the last one used. */
  sizeBytes(): number {
    const s = this.root.getStats() as { pageSize: number; lastPageNumber: number };
    return (s.lastPageNumber + 1) * s.pageSize;
  }

  /** Replaces everything with `state` (a snapshot from the leader), in one durable transaction. */
  replaceAll(state: MvccState, identity: ClusterIdentity): Promise<void> {
    return this.root.transaction(() => {
      for (const db of [this.versions, this.leases, this.members] as unknown as Database<unknown, string>[]) {
        for (const key of db.getKeys()) db.removeSync(key);
      }
      const changes: Change[] = [];
      for (const v of state.allVersions()) changes.push({ type: "version", v });
      for (const id of state.leaseIds())
        changes.push({ type: "lease", id, ttlSeconds: state.lease(id)!.ttlSeconds });
      for (const member of state.memberList()) changes.push({ type: "member", member });
      this.writeSync(changes);
      this.meta.putSync("meta", {
        revision: state.revision,
        compactRevision: state.compactRevision,
        appliedIndex: state.appliedIndex,
        ...identity,
      });
    }) as Promise<void>;
  }

  /** A consistent copy of the environment in `file`, taken without stopping writes. */
  /** A compacted, consistent copy of the environment as one file (an LMDB data.mdb). */
  async backup(file: string): Promise<void> {
    // The environment is opened with a subdirectory, so LMDB copies into a directory.
    const dir = `${file}.d`;
    mkdirSync(dir);
    try {
      await (this.root as unknown as { backup(path: string, compact: boolean): Promise<void> }).backup(
        dir,
        true,
      );
      renameSync(join(dir, "data.mdb"), file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  close(): Promise<void> {
    return this.root.close();
  }
}
