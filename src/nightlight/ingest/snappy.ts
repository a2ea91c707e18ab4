// Snappy block format (the framing remote_write uses): a varint of the uncompressed length, then
// literals and back-references. Pure codec; decompression bounds its output by `maxBytes`.

/** Largest body remote_write may expand to (Prometheus's own receiver allows 32 MiB). */
export const maxDecompressedBytes = 32 * 1024 * 1024;

export class SnappyError extends Error {}

export function snappyUncompressedLength(src: Uint8Array): number {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5 && i < src.length; i++) {
    const b = src[i]!;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result;
    shift += 7;
  }
  throw new SnappyError("snappy: bad length preamble");
}

export function snappyDecompress(src: Uint8Array, maxBytes = maxDecompressedBytes): Uint8Array {
  let pos = 0;
  let len = 0;
  let shift = 0;
  for (;;) {
    if (pos >= src.length || shift > 28) throw new SnappyError("snappy: bad length preamble");
    const b = src[pos++]!;
    len += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  if (len > maxBytes)
    throw new SnappyError(`snappy: body expands to ${len} bytes, above the ${maxBytes} limit`);
  const out = new Uint8Array(len);
  let o = 0;
  while (pos < src.length) {
    const tag = src[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        if (pos + bytes > src.length) throw new SnappyError("snappy: truncated literal length");
        n = 0;
        for (let i = 0; i < bytes; i++) n += src[pos + i]! * 2 ** (8 * i);
        pos += bytes;
      }
      n += 1;
      if (pos + n > src.length || o + n > len) throw new SnappyError("snappy: literal overruns the block");
      // Short literals (most of them) are copied by hand: a subarray per literal costs more.
      if (n <= 32) for (let i = 0; i < n; i++) out[o + i] = src[pos + i]!;
      else out.set(src.subarray(pos, pos + n), o);
      pos += n;
      o += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= src.length) throw new SnappyError("snappy: truncated copy");
      n = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | src[pos++]!;
    } else if (kind === 2) {
      if (pos + 2 > src.length) throw new SnappyError("snappy: truncated copy");
      n = (tag >>> 2) + 1;
      offset = src[pos]! | (src[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > src.length) throw new SnappyError("snappy: truncated copy");
      n = (tag >>> 2) + 1;
      offset = (src[pos]! | (src[pos + 1]! << 8) | (src[pos + 2]! << 16)) + src[pos + 3]! * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > o || o + n > len) throw new SnappyError("snappy: bad back-reference");
    if (offset >= n && n > 32) out.copyWithin(o, o - offset, o - offset + n);
    else for (let i = 0; i < n; i++) out[o + i] = out[o - offset + i]!;
    o += n;
  }
  if (o !== len) throw new SnappyError(`snappy: got ${o} bytes, the preamble said ${len}`);
  return out;
}

const blockBytes = 65536;
const hashBits = 14;

function emitLiteral(out: number[], src: Uint8Array, from: number, to: number): void {
  const n = to - from - 1;
  if (n < 60) out.push(n << 2);
  else if (n < 256) out.push(60 << 2, n);
  else if (n < 65536) out.push(61 << 2, n & 255, n >>> 8);
  else out.push(62 << 2, n & 255, (n >>> 8) & 255, n >>> 16);
  for (let i = from; i < to; i++) out.push(src[i]!);
}

function emitCopy(out: number[], offset: number, length: number): void {
  let left = length;
  while (left > 0) {
    // Keep at least 4 bytes for the last piece so it can use any copy form.
    let n = Math.min(left, 64);
    if (left - n > 0 && left - n < 4) n = left - 4;
    out.push(((n - 1) << 2) | 2, offset & 255, offset >>> 8);
    left -= n;
  }
}

/** A straightforward greedy compressor; its output is valid for any snappy decoder. */
export function snappyCompress(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let len = src.length;
  do {
    out.push((len & 0x7f) | (len > 0x7f ? 0x80 : 0));
    len = Math.floor(len / 128);
  } while (len > 0);
  const table = new Int32Array(1 << hashBits);
  for (let start = 0; start < src.length; start += blockBytes) {
    const end = Math.min(src.length, start + blockBytes);
    table.fill(-1);
    let lit = start;
    let i = start;
    while (i + 4 <= end) {
      const word = src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24);
      const h = Math.imul(word, 0x1e35a7bd) >>> (32 - hashBits);
      const cand = table[h]!;
      table[h] = i;
      if (
        cand >= start &&
        src[cand] === src[i] &&
        src[cand + 1] === src[i + 1] &&
        src[cand + 2] === src[i + 2] &&
        src[cand + 3] === src[i + 3]
      ) {
        if (lit < i) emitLiteral(out, src, lit, i);
        let n = 4;
        while (i + n < end && src[cand + n] === src[i + n]) n++;
        emitCopy(out, i - cand, n);
        i += n;
        lit = i;
      } else i++;
    }
    if (lit < end) emitLiteral(out, src, lit, end);
  }
  return Uint8Array.from(out);
}
