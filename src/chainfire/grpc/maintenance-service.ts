// etcdserverpb.Maintenance: status for `etcdctl endpoint status`, alarms for `endpoint
// health`, hashes for comparing members, and a snapshot stream of the LMDB file.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { etcdErrors } from "../etcd-errors.ts";
import { type Msg, num } from "./codec.ts";
import { header, type ServiceContext, unary } from "./context.ts";
import type { ServiceImpl } from "./method.ts";
import type { ServerStreamCall } from "./server-stream-call.ts";

/** The etcd version chainfire answers as: its API is 3.4's. */
export const ETCD_COMPAT_VERSION = "3.4.23";
const SNAPSHOT_CHUNK_BYTES = 32 * 1024;
const SHA256_BYTES = 32;

export function maintenanceService(
  ctx: ServiceContext,
  snapshotTo: (file: string) => Promise<void>,
): ServiceImpl {
  const { store } = ctx;
  return {
    Alarm: unary(ctx, async () => ({ header: header(ctx), alarms: [] })),
    Status: unary(ctx, async () => {
      const size = store.dbSizeBytes();
      return {
        header: header(ctx),
        version: ETCD_COMPAT_VERSION,
        dbSize: size,
        leader: ctx.raft.leader(),
        raftIndex: ctx.raft.commitIndex(),
        raftTerm: ctx.raft.term(),
        raftAppliedIndex: ctx.raft.appliedIndex(),
        errors: [],
        dbSizeInUse: size,
        isLearner: false,
      };
    }),
    // LMDB reuses freed pages in place, so there is nothing to rewrite and no pause to take.
    Defragment: unary(ctx, async () => ({ header: header(ctx) })),
    Hash: unary(ctx, async () => store.read((s) => ({ header: header(ctx, s.revision), hash: s.hashKV() }))),
    HashKV: unary(ctx, async (m: Msg) =>
      store.read((s) => {
        const rev = num(m.revision) || s.revision;
        if (rev > s.revision) throw etcdErrors.futureRev();
        if (rev < s.compactRevision) throw etcdErrors.compacted();
        return { header: header(ctx, s.revision), hash: s.hashKV(rev), compact_revision: s.compactRevision };
      }),
    ),
    MoveLeader: unary(ctx, async (m: Msg) => {
      if (String(m.targetID) !== store.identity.memberId) throw etcdErrors.memberNotFound();
      return { header: header(ctx) };
    }),
    Snapshot: {
      kind: "stream",
      handle: (call: ServerStreamCall) => {
        void streamSnapshot(ctx, call, snapshotTo).catch((err) => call.destroy(err));
      },
    },
  };
}

async function streamSnapshot(
  ctx: ServiceContext,
  call: ServerStreamCall,
  snapshotTo: (file: string) => Promise<void>,
) {
  const dir = mkdtempSync(join(tmpdir(), "chainfire-snap-"));
  try {
    const file = join(dir, "snapshot.mdb");
    await snapshotTo(file);
    const total = (await stat(file)).size;
    const fh = await open(file, "r");
    try {
      // As etcd does, the stream ends with the SHA-256 of the image: etcdctl 3.4 refuses a
      // snapshot without it ("sha256 checksum not found").
      const hash = createHash("sha256");
      const streamed = total + SHA256_BYTES;
      let sent = 0;
      const buf = Buffer.alloc(SNAPSHOT_CHUNK_BYTES);
      while (sent < total && !call.cancelled) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, sent);
        if (bytesRead === 0) break;
        sent += bytesRead;
        const blob = Buffer.from(buf.subarray(0, bytesRead));
        hash.update(blob);
        const ok = call.write({ header: header(ctx), remaining_bytes: streamed - sent, blob });
        if (!ok) await new Promise((r) => call.once("drain", r));
      }
      if (!call.cancelled) call.write({ header: header(ctx), remaining_bytes: 0, blob: hash.digest() });
    } finally {
      await fh.close();
    }
    call.end();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
