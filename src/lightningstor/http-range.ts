// The Range header of GET Object as S3 reads it: one byte range, bytes=a-b | a- | -n.
// Malformed or multi-range headers are ignored (the whole object is sent), as S3 does;
// a range that starts past the end is InvalidRange.
import { S3Error } from "./s3-error.ts";

export interface ByteRange {
  start: number;
  /** Exclusive. */
  end: number;
}

export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  const [a, b] = [m[1] as string, m[2] as string];
  let start: number;
  let end: number;
  if (a === "") {
    const n = Number(b);
    if (n === 0) throw unsatisfiable(size);
    start = Math.max(size - n, 0);
    end = size;
  } else {
    start = Number(a);
    end = b === "" ? size : Math.min(Number(b) + 1, size);
    if (b !== "" && Number(b) < start) return undefined;
  }
  if (start >= size) throw unsatisfiable(size);
  return { start, end };
}

const unsatisfiable = (size: number) =>
  new S3Error(
    "InvalidRange",
    "The requested range is not satisfiable",
    { ActualObjectSize: String(size) },
    { "content-range": `bytes */${size}` },
  );
