// How a byte range of a volume maps onto its fixed-size chunks. Pure.

export interface ChunkPiece {
  /** Chunk index within the volume. */
  index: number;
  /** Byte offset inside the chunk. */
  at: number;
  length: number;
  /** Offset of this piece within the caller's range (and buffer). */
  rangeOffset: number;
  /** The piece covers its whole chunk. */
  whole: boolean;
}

export function chunkPieces(offset: number, length: number, chunkSizeBytes: number): ChunkPiece[] {
  const out: ChunkPiece[] = [];
  let pos = offset;
  const end = offset + length;
  while (pos < end) {
    const index = Math.floor(pos / chunkSizeBytes);
    const at = pos - index * chunkSizeBytes;
    const n = Math.min(chunkSizeBytes - at, end - pos);
    out.push({ index, at, length: n, rangeOffset: pos - offset, whole: at === 0 && n === chunkSizeBytes });
    pos += n;
  }
  return out;
}

/** Chunk sizes a volume may use: powers of two from 64 KiB to 64 MiB. */
export function validChunkSize(n: number): boolean {
  return Number.isInteger(n) && n >= 65_536 && n <= 67_108_864 && (n & (n - 1)) === 0;
}
