// The whole MVCC state as bytes, for Raft snapshots: what a member that fell behind the
// leader's compacted log loads instead of replaying entries.
import type { ClusterIdentity } from "./lmdb-persistence.ts";
import { MvccState, type StoredVersion } from "./state-machine.ts";
import type { Member } from "./types.ts";

interface SnapshotImage {
  meta: { revision: number; compactRevision: number; appliedIndex: number };
  /** [rev, sub, key, create, mod, version, value, lease, tombstone], keys and values base64. */
  versions: Array<[number, number, string, number, number, number, string, number, boolean]>;
  leases: Array<[number, number]>;
  members: Member[];
}

export function encodeState(s: MvccState): Uint8Array {
  const image: SnapshotImage = {
    meta: { revision: s.revision, compactRevision: s.compactRevision, appliedIndex: s.appliedIndex },
    versions: [...s.allVersions()].map((v) => [
      v.rev,
      v.sub,
      v.kv.key.toString("base64"),
      v.kv.createRevision,
      v.kv.modRevision,
      v.kv.version,
      v.kv.value.toString("base64"),
      v.kv.lease,
      v.tombstone,
    ]),
    leases: s.leaseIds().map((id) => [id, s.lease(id)!.ttlSeconds]),
    members: s.memberList(),
  };
  return Buffer.from(JSON.stringify(image), "utf8");
}

export function decodeState(data: Uint8Array): MvccState {
  const image = JSON.parse(Buffer.from(data).toString("utf8")) as SnapshotImage;
  const versions: StoredVersion[] = image.versions
    .map(([rev, sub, key, c, m, v, val, l, t]) => ({
      rev,
      sub,
      kv: {
        key: Buffer.from(key, "base64"),
        createRevision: c,
        modRevision: m,
        version: v,
        value: Buffer.from(val, "base64"),
        lease: l,
      },
      tombstone: t,
    }))
    .sort((a, b) => a.rev - b.rev || a.sub - b.sub);
  return MvccState.restore(image.meta, versions, image.leases, image.members);
}

export type { ClusterIdentity };
