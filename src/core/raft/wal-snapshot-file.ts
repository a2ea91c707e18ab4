// Raft snapshots beside the write-ahead log: one file per snapshot, `snap-<index>.snap`, as
//   u32 LE CRC-32 of the rest | u32 LE metadata length | metadata JSON | application data
// written to a temporary name, fsynced, renamed and the directory fsynced, so a file under its
// final name is always whole. The WAL records which snapshot is current; older files are
// deleted once a newer snapshot's record is durable.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import type { Snapshot, SnapshotMetadata } from "./types.ts";
import { fsyncDir } from "./wal-writer.ts";

const SNAP_RE = /^snap-(\d{16})\.snap$/;

export function snapshotFileName(index: number): string {
  return `snap-${String(index).padStart(16, "0")}.snap`;
}

export function encodeSnapshotFile(s: Snapshot): Buffer {
  const meta = Buffer.from(JSON.stringify(s.metadata), "utf8");
  const body = Buffer.allocUnsafe(4 + meta.length + s.data.byteLength);
  body.writeUInt32LE(meta.length, 0);
  meta.copy(body, 4);
  body.set(s.data, 4 + meta.length);
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32LE(crc32(body), 0);
  return Buffer.concat([head, body]);
}

export function decodeSnapshotFile(file: Buffer, name: string): Snapshot {
  if (file.length < 8 || crc32(file.subarray(4)) !== file.readUInt32LE(0)) {
    throw new Error(`raft snapshot ${name} is corrupt (checksum mismatch)`);
  }
  const metaLen = file.readUInt32LE(4);
  const metadata = JSON.parse(file.toString("utf8", 8, 8 + metaLen)) as SnapshotMetadata;
  return { metadata, data: new Uint8Array(file.subarray(8 + metaLen)) };
}

/** Writes a snapshot file durably, off the event loop (an image can be large). */
export async function writeSnapshotFile(dir: string, s: Snapshot): Promise<void> {
  const name = snapshotFileName(s.metadata.index);
  const tmp = join(dir, `${name}.tmp`);
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(encodeSnapshotFile(s));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, name));
  fsyncDir(dir);
}

export function readSnapshotFile(dir: string, index: number): Snapshot {
  const name = snapshotFileName(index);
  return decodeSnapshotFile(readFileSync(join(dir, name)), name);
}

/** Deletes snapshot files (and leftover temporaries) other than the one at `keep`. */
export function dropSnapshotFilesExcept(dir: string, keep: number): void {
  for (const f of readdirSync(dir)) {
    const m = SNAP_RE.exec(f);
    if ((m && Number(m[1]) !== keep) || f.endsWith(".snap.tmp")) rmSync(join(dir, f), { force: true });
  }
}
