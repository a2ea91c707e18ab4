// Rebuilds the Raft log from the records of the WAL's segments, in order. Pure.
// Entries replace whatever the log held at their index and after it (a new leader's entries
// overwrite an uncommitted tail). A snapshot record drops the entries it covers; an installed
// one (from the leader) drops the whole log. Segments whose entries a snapshot covered may have
// been deleted, so the replayed log can have a gap below the final snapshot; a gap above it
// means entries are missing and the WAL cannot be trusted.
import type { Entry, HardState, SnapshotMetadata } from "./types.ts";
import type { WalRecord } from "./wal-record.ts";

export interface ReplayedLog {
  snapshot: SnapshotMetadata | undefined;
  hardState: HardState | undefined;
  /** The entries after the snapshot's index, contiguous. */
  entries: Entry[];
  /** Highest entry index each segment holds (0: none), in segment order. */
  maxIndexPerSegment: number[];
}

export function replayWal(segments: readonly (readonly WalRecord[])[]): ReplayedLog {
  let snapshot: SnapshotMetadata | undefined;
  let hardState: HardState | undefined;
  // ents[k] has index base + k.
  let ents: Entry[] = [];
  let base = 0;
  const maxIndexPerSegment: number[] = [];
  const snapIndex = () => snapshot?.index ?? 0;
  for (const records of segments) {
    let maxIndex = 0;
    for (const r of records) {
      switch (r.kind) {
        case "hardState":
          hardState = r.hardState;
          break;
        case "snapshot":
          if (r.install) {
            snapshot = r.metadata;
            ents = [];
          } else if (r.metadata.index >= snapIndex()) {
            snapshot = r.metadata;
          }
          break;
        case "entries":
          for (const e of r.entries) {
            if (e.index > maxIndex) maxIndex = e.index;
            if (e.index <= snapIndex()) continue;
            if (ents.length === 0 || e.index < base || e.index > base + ents.length) {
              // The first entry, or a gap left by deleted segments (checked at the end).
              ents = [e];
              base = e.index;
            } else {
              ents.length = e.index - base;
              ents.push(e);
            }
          }
          break;
      }
    }
    maxIndexPerSegment.push(maxIndex);
  }
  const from = snapIndex() + 1;
  if (ents.length > 0 && base + ents.length - 1 >= from) {
    if (base > from) {
      throw new Error(`raft WAL is missing entries ${from}..${base - 1} after snapshot ${from - 1}`);
    }
    ents = ents.slice(from - base);
  } else {
    ents = [];
  }
  return { snapshot, hardState, entries: ents, maxIndexPerSegment };
}
