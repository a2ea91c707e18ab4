import { type Entry, entrySizeBytes } from "./types.ts";

/**
 * The longest prefix of `ents` whose total size is within maxBytes, but never fewer than
 * one entry: a single oversized entry must still be able to move, or the log would wedge.
 */
export function limitSize(ents: Entry[], maxBytes: number): Entry[] {
  if (ents.length === 0) return ents;
  let size = entrySizeBytes(ents[0]!);
  let n = 1;
  for (; n < ents.length; n++) {
    size += entrySizeBytes(ents[n]!);
    if (size > maxBytes) break;
  }
  return n === ents.length ? ents : ents.slice(0, n);
}

export function totalSizeBytes(ents: readonly Entry[]): number {
  let size = 0;
  for (const e of ents) size += entrySizeBytes(e);
  return size;
}

export function payloadSizeBytes(ents: readonly Entry[]): number {
  let size = 0;
  for (const e of ents) size += e.data.byteLength;
  return size;
}
