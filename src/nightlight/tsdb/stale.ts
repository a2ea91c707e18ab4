// Prometheus marks a series that disappeared with a special NaN (bits 0x7ff0000000000002). V8 may
// set the quiet bit when it copies a NaN, but keeps the low word, so both forms are recognised.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = little ? 1 : 0;
const LO = little ? 0 : 1;

export const staleNaN: number = (() => {
  u32[HI] = 0x7ff00000;
  u32[LO] = 2;
  return f64[0]!;
})();

export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  f64[0] = v;
  return u32[LO] === 2 && (u32[HI]! & 0x7ff7ffff) === 0x7ff00000;
}

/** Splits a float into its high and low 32-bit words (IEEE 754 bit pattern). */
export function floatWords(v: number): [number, number] {
  f64[0] = v;
  return [u32[HI]!, u32[LO]!];
}

export function wordsFloat(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0]!;
}
