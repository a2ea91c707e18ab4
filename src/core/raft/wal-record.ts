// The records of the Raft write-ahead log, as bytes. Pure: no files here (wal-log-storage.ts
// does the I/O). A record is framed as
//   u32 LE payload length | u32 LE CRC-32 of the payload | payload
// and the payload starts with a one-byte kind. Segments are preallocated with zeros, so a
// zero length marks the end of what was written; a length that runs past the end of the data
// or a CRC that does not match marks a torn (or corrupt) tail.
import { crc32 } from "node:zlib";
import type { ConfState, Entry, EntryType, HardState, SnapshotMetadata } from "./types.ts";

export const RECORD_HEADER_BYTES = 8;
/** A record larger than this is taken for garbage (a torn length), not read. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export type WalRecord =
  /** Log entries; each one replaces any entry at its index and everything after it. */
  | { kind: "entries"; entries: Entry[] }
  | { kind: "hardState"; hardState: HardState }
  /**
   * The application's snapshot at metadata.index is in the snapshot file of that index.
   * `install`: it came from the leader and replaces the whole log; otherwise (local
   * compaction, or the copy at the head of every segment) only entries up to it are dropped.
   */
  | { kind: "snapshot"; metadata: SnapshotMetadata; install: boolean };

const KIND_ENTRIES = 1;
const KIND_HARD_STATE = 2;
const KIND_SNAPSHOT = 3;
const KIND_INSTALL = 4;

const ENTRY_FIXED_BYTES = 8 + 8 + 1 + 4;

/** Encodes records, framed, into one buffer (one write for a whole batch). */
export function encodeRecords(records: readonly WalRecord[]): Buffer {
  const payloads = records.map(encodePayload);
  let total = 0;
  for (const p of payloads) total += RECORD_HEADER_BYTES + p.length;
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (const p of payloads) {
    out.writeUInt32LE(p.length, pos);
    out.writeUInt32LE(crc32(p), pos + 4);
    p.copy(out, pos + RECORD_HEADER_BYTES);
    pos += RECORD_HEADER_BYTES + p.length;
  }
  return out;
}

function encodePayload(r: WalRecord): Buffer {
  switch (r.kind) {
    case "entries": {
      let size = 1 + 4;
      for (const e of r.entries) size += ENTRY_FIXED_BYTES + e.data.byteLength;
      const b = Buffer.allocUnsafe(size);
      b[0] = KIND_ENTRIES;
      b.writeUInt32LE(r.entries.length, 1);
      let pos = 5;
      for (const e of r.entries) {
        b.writeDoubleLE(e.index, pos);
        b.writeDoubleLE(e.term, pos + 8);
        b[pos + 16] = e.type === "confChange" ? 1 : 0;
        b.writeUInt32LE(e.data.byteLength, pos + 17);
        b.set(e.data, pos + ENTRY_FIXED_BYTES);
        pos += ENTRY_FIXED_BYTES + e.data.byteLength;
      }
      return b;
    }
    case "hardState": {
      const vote = Buffer.from(r.hardState.vote, "utf8");
      const b = Buffer.allocUnsafe(1 + 8 + 8 + 2 + vote.length);
      b[0] = KIND_HARD_STATE;
      b.writeDoubleLE(r.hardState.term, 1);
      b.writeDoubleLE(r.hardState.commit, 9);
      b.writeUInt16LE(vote.length, 17);
      vote.copy(b, 19);
      return b;
    }
    case "snapshot": {
      const conf = Buffer.from(JSON.stringify(r.metadata.confState), "utf8");
      const b = Buffer.allocUnsafe(1 + 8 + 8 + conf.length);
      b[0] = r.install ? KIND_INSTALL : KIND_SNAPSHOT;
      b.writeDoubleLE(r.metadata.index, 1);
      b.writeDoubleLE(r.metadata.term, 9);
      conf.copy(b, 17);
      return b;
    }
  }
}

function decodePayload(p: Buffer): WalRecord {
  switch (p[0]) {
    case KIND_ENTRIES: {
      const n = p.readUInt32LE(1);
      const entries: Entry[] = new Array(n);
      let pos = 5;
      for (let i = 0; i < n; i++) {
        const len = p.readUInt32LE(pos + 17);
        const start = pos + ENTRY_FIXED_BYTES;
        if (start + len > p.length) throw new Error("entry runs past its record");
        entries[i] = {
          index: p.readDoubleLE(pos),
          term: p.readDoubleLE(pos + 8),
          type: (p[pos + 16] === 1 ? "confChange" : "normal") as EntryType,
          // A copy: the segment buffer it was read from is dropped after recovery.
          data: new Uint8Array(p.subarray(start, start + len)),
        };
        pos = start + len;
      }
      return { kind: "entries", entries };
    }
    case KIND_HARD_STATE: {
      const voteLen = p.readUInt16LE(17);
      return {
        kind: "hardState",
        hardState: {
          term: p.readDoubleLE(1),
          commit: p.readDoubleLE(9),
          vote: p.toString("utf8", 19, 19 + voteLen),
        },
      };
    }
    case KIND_SNAPSHOT:
    case KIND_INSTALL:
      return {
        kind: "snapshot",
        install: p[0] === KIND_INSTALL,
        metadata: {
          index: p.readDoubleLE(1),
          term: p.readDoubleLE(9),
          confState: JSON.parse(p.toString("utf8", 17)) as ConfState,
        },
      };
    default:
      throw new Error(`unknown WAL record kind ${p[0]}`);
  }
}

export interface DecodedSegment {
  records: WalRecord[];
  /** Byte offset just past the last good record: where appending resumes. */
  end: number;
  /** Why reading stopped before the end of the data (undefined: clean end or zeros). */
  torn?: string | undefined;
}

/** Reads the records of one segment up to its end, the zeros after it, or a torn record. */
export function decodeSegment(data: Buffer): DecodedSegment {
  const records: WalRecord[] = [];
  let pos = 0;
  while (pos + RECORD_HEADER_BYTES <= data.length) {
    const len = data.readUInt32LE(pos);
    if (len === 0) {
      // Zeros: the preallocated rest of the segment — unless something follows them.
      return {
        records,
        end: pos,
        torn: zerosTo(data, pos) ? undefined : `non-zero bytes after offset ${pos}`,
      };
    }
    if (len > MAX_RECORD_BYTES || pos + RECORD_HEADER_BYTES + len > data.length) {
      return { records, end: pos, torn: `record at offset ${pos} runs past the end` };
    }
    const payload = data.subarray(pos + RECORD_HEADER_BYTES, pos + RECORD_HEADER_BYTES + len);
    if (crc32(payload) !== data.readUInt32LE(pos + 4)) {
      return { records, end: pos, torn: `record at offset ${pos} fails its checksum` };
    }
    try {
      records.push(decodePayload(payload));
    } catch (err) {
      return { records, end: pos, torn: `record at offset ${pos}: ${(err as Error).message}` };
    }
    pos += RECORD_HEADER_BYTES + len;
  }
  return { records, end: pos, torn: zerosTo(data, pos) ? undefined : `a partial header at offset ${pos}` };
}

function zerosTo(data: Buffer, from: number): boolean {
  for (let i = from; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}
