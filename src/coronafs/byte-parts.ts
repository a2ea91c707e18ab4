// A run of bytes held as the pieces the socket delivered it in (no copy into one buffer).
// Pure.

export function partsLength(parts: readonly Buffer[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** The bytes [start, start + length) of the run, as views of the original pieces. */
export function sliceParts(parts: readonly Buffer[], start: number, length: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = start;
  let want = length;
  for (const p of parts) {
    if (want === 0) break;
    if (skip >= p.length) {
      skip -= p.length;
      continue;
    }
    const n = Math.min(p.length - skip, want);
    out.push(skip === 0 && n === p.length ? p : p.subarray(skip, skip + n));
    skip = 0;
    want -= n;
  }
  return out;
}
