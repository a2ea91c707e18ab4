// An order-preserving encoding of tuples (the keys of rows and index entries): the byte order
// of two encoded tuples is the order of the tuples, element by element, and every element is
// self-delimiting, so the encoding of a prefix is a byte prefix of the whole (prefix scans).
// Order across types: null < false < true < numbers < strings < bytes.

import { ApiError } from "../../core/errors.ts";

export type TupleValue = null | boolean | number | string | Uint8Array;

const T_NULL = 0x01;
const T_FALSE = 0x02;
const T_TRUE = 0x03;
const T_NUMBER = 0x04;
const T_STRING = 0x05;
const T_BYTES = 0x06;
/** Greater than every type tag: `prefix ++ PREFIX_END` bounds a prefix scan. */
export const PREFIX_END = 0xff;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder("utf-8", { fatal: true });

function escaped(out: number[], b: Uint8Array): void {
  for (const x of b) {
    out.push(x);
    if (x === 0) out.push(0xff);
  }
  out.push(0x00, 0x01);
}

export function encodeTuple(values: readonly TupleValue[]): Uint8Array {
  const out: number[] = [];
  for (const v of values) {
    if (v === null) out.push(T_NULL);
    else if (v === false) out.push(T_FALSE);
    else if (v === true) out.push(T_TRUE);
    else if (typeof v === "number") {
      if (Number.isNaN(v)) throw new ApiError("InvalidArgument", "NaN cannot be part of a key");
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v === 0 ? 0 : v); // -0 and 0 are one key
      // IEEE 754 order: flip the sign bit of positives, every bit of negatives.
      if (b[0]! & 0x80) for (let i = 0; i < 8; i++) b[i] = ~b[i]! & 0xff;
      else b[0] = b[0]! | 0x80;
      out.push(T_NUMBER, ...b);
    } else if (typeof v === "string") {
      out.push(T_STRING);
      escaped(out, utf8.encode(v));
    } else {
      out.push(T_BYTES);
      escaped(out, v);
    }
  }
  return Uint8Array.from(out);
}

export function decodeTuple(b: Uint8Array): TupleValue[] {
  const out: TupleValue[] = [];
  let i = 0;
  const unescapeBytes = (): Uint8Array => {
    const bytes: number[] = [];
    for (;;) {
      if (i >= b.length) throw new ApiError("Internal", "truncated tuple");
      const x = b[i++]!;
      if (x !== 0) {
        bytes.push(x);
        continue;
      }
      const next = b[i++];
      if (next === 0xff) bytes.push(0);
      else if (next === 0x01) return Uint8Array.from(bytes);
      else throw new ApiError("Internal", "bad escape in tuple");
    }
  };
  while (i < b.length) {
    const tag = b[i++];
    if (tag === T_NULL) out.push(null);
    else if (tag === T_FALSE) out.push(false);
    else if (tag === T_TRUE) out.push(true);
    else if (tag === T_NUMBER) {
      const n = b.slice(i, i + 8);
      if (n.length < 8) throw new ApiError("Internal", "truncated number in tuple");
      i += 8;
      if (n[0]! & 0x80) n[0] = n[0]! & 0x7f;
      else for (let j = 0; j < 8; j++) n[j] = ~n[j]! & 0xff;
      out.push(new DataView(n.buffer).getFloat64(0));
    } else if (tag === T_STRING) out.push(fromUtf8.decode(unescapeBytes()));
    else if (tag === T_BYTES) out.push(unescapeBytes());
    else throw new ApiError("Internal", `unknown tuple tag ${tag}`);
  }
  return out;
}

/** The exclusive end of every key that starts with `prefix`. */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + 1);
  out.set(prefix);
  out[prefix.length] = PREFIX_END;
  return out;
}
