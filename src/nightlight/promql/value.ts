// Values a PromQL expression evaluates to, and Prometheus's float formatting for the JSON API.
import type { Labels } from "../tsdb/labels.ts";

export interface Sample {
  labels: Labels;
  v: number;
  /** The sample's own timestamp (ms), when it came straight from a selector (for timestamp()). */
  t?: number;
}

/** A series' samples ts[lo..hi), vs[lo..hi) (views into shared arrays, no copies). */
export interface Points {
  labels: Labels;
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  lo: number;
  hi: number;
}

export type Value =
  | { type: "scalar"; v: number }
  | { type: "string"; s: string }
  | { type: "vector"; samples: Sample[] }
  | { type: "matrix"; series: Points[]; rangeStartMs: number; rangeEndMs: number };

/** Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest decimal that round-trips, no exponent. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  const s = String(v);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const neg = s.startsWith("-");
  const mantissa = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const [intPart, frac = ""] = mantissa.split(".");
  const digits = intPart! + frac;
  const point = intPart!.length + exp;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

/** Go's math.Pow special cases where they differ from JavaScript's `**`. */
export function goPow(x: number, y: number): number {
  if (y === 0) return 1;
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}
