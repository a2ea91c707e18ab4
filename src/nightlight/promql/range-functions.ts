// Functions over the samples of a range vector, with Prometheus 2.42's arithmetic (rate
// extrapolation, regression, Holt-Winters, …). Each returns undefined where Prometheus returns
// no sample for the series.
import { quantile } from "./quantile.ts";

type Arr = ArrayLike<number>;

export interface RangeArgs {
  /** Samples ts[lo..hi) and vs[lo..hi) are the window (no copies are made per step). */
  ts: Arr;
  vs: Arr;
  lo: number;
  hi: number;
  /** The selected window [rangeStartMs, rangeEndMs] and the evaluation time. */
  rangeStartMs: number;
  rangeEndMs: number;
  evalMs: number;
  /** Scalar arguments (quantile, smoothing factors, prediction offset). */
  params: number[];
  /** Set when the caller knows no value in the window is below its predecessor (no scan needed). */
  noResets: boolean;
}

/** rate, increase and delta: the change over the window, extrapolated to its edges. */
export function extrapolatedRate(a: RangeArgs, isCounter: boolean, isRate: boolean): number | undefined {
  const { ts, vs, lo, hi } = a;
  const n = hi - lo;
  if (n < 2) return undefined;
  let result = vs[hi - 1]! - vs[lo]!;
  if (isCounter && !a.noResets) {
    let last = 0;
    for (let i = lo; i < hi; i++) {
      const v = vs[i]!;
      if (v < last) result += last;
      last = v;
    }
  }
  const sampled = (ts[hi - 1]! - ts[lo]!) / 1000;
  const avgBetween = sampled / (n - 1);
  let durationToStart = (ts[lo]! - a.rangeStartMs) / 1000;
  const durationToEnd = (a.rangeEndMs - ts[hi - 1]!) / 1000;
  if (isCounter && result > 0 && vs[lo]! >= 0) {
    const durationToZero = sampled * (vs[lo]! / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = avgBetween * 1.1;
  let interval = sampled;
  interval += durationToStart < threshold ? durationToStart : avgBetween / 2;
  interval += durationToEnd < threshold ? durationToEnd : avgBetween / 2;
  result = result * (interval / sampled);
  if (isRate) result = result / ((a.rangeEndMs - a.rangeStartMs) / 1000);
  return result;
}

/** irate and idelta: from the last two samples. */
export function instantValue(a: RangeArgs, isRate: boolean): number | undefined {
  const n = a.hi;
  if (a.hi - a.lo < 2) return undefined;
  const last = a.vs[n - 1]!;
  const prev = a.vs[n - 2]!;
  let result = isRate && last < prev ? last : last - prev;
  const interval = a.ts[n - 1]! - a.ts[n - 2]!;
  if (interval === 0) return undefined;
  if (isRate) result /= interval / 1000;
  return result;
}

function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  let cc = c;
  if (Math.abs(sum) >= Math.abs(inc)) cc += sum - t + inc;
  else cc += inc - t + sum;
  return [t, cc];
}

export function linearRegression(
  ts: Arr,
  vs: Arr,
  lo: number,
  hi: number,
  interceptMs: number,
): [number, number] {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = vs[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = vs[i]!;
    if (constY && i > lo && y !== initY) constY = false;
    n += 1;
    const x = (ts[i]! - interceptMs) / 1e3;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(y, sumY, cY);
    [sumXY, cXY] = kahanInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [Number.NaN, Number.NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

function holtWinters(a: RangeArgs): number | undefined {
  const [sf, tf] = a.params as [number, number];
  const { vs, lo, hi } = a;
  if (hi - lo < 2) return undefined;
  let s0 = 0;
  let s1 = vs[lo]!;
  let b = vs[lo + 1]! - vs[lo]!;
  for (let i = lo + 1; i < hi; i++) {
    const x = sf * vs[i]!;
    b = i - 1 === lo ? b : tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

function avgOverTime(vs: Arr, lo: number, hi: number): number {
  let mean = 0;
  let count = 0;
  let c = 0;
  for (let i = lo; i < hi; i++) {
    const v = vs[i]!;
    count++;
    if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
      if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    [mean, c] = kahanInc(v / count - mean / count, mean, c);
  }
  if (!Number.isFinite(mean) && !Number.isNaN(mean)) return mean;
  return mean + c;
}

function variance(vs: Arr, lo: number, hi: number): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = lo; i < hi; i++) {
    const v = vs[i]!;
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    [aux, cAux] = kahanInc(delta * (v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

export const rangeFunctions: Record<string, (a: RangeArgs) => number | undefined> = {
  rate: (a) => extrapolatedRate(a, true, true),
  increase: (a) => extrapolatedRate(a, true, false),
  delta: (a) => extrapolatedRate(a, false, false),
  irate: (a) => instantValue(a, true),
  idelta: (a) => instantValue(a, false),
  deriv: (a) => (a.hi - a.lo < 2 ? undefined : linearRegression(a.ts, a.vs, a.lo, a.hi, a.ts[a.lo]!)[0]),
  predict_linear: (a) => {
    if (a.hi - a.lo < 2) return undefined;
    const [slope, intercept] = linearRegression(a.ts, a.vs, a.lo, a.hi, a.evalMs);
    return slope * a.params[0]! + intercept;
  },
  holt_winters: holtWinters,
  changes: (a) => {
    let changes = 0;
    for (let i = a.lo + 1; i < a.hi; i++) {
      const cur = a.vs[i]!;
      const prev = a.vs[i - 1]!;
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
    }
    return changes;
  },
  resets: (a) => {
    let resets = 0;
    for (let i = a.lo + 1; i < a.hi; i++) if (a.vs[i]! < a.vs[i - 1]!) resets++;
    return resets;
  },
  avg_over_time: (a) => avgOverTime(a.vs, a.lo, a.hi),
  sum_over_time: (a) => {
    let sum = 0;
    let c = 0;
    for (let i = a.lo; i < a.hi; i++) [sum, c] = kahanInc(a.vs[i]!, sum, c);
    return Number.isFinite(sum + c) ? sum + c : sum;
  },
  count_over_time: (a) => a.hi - a.lo,
  min_over_time: (a) => {
    let min = a.vs[a.lo]!;
    for (let i = a.lo; i < a.hi; i++) if (a.vs[i]! < min || Number.isNaN(min)) min = a.vs[i]!;
    return min;
  },
  max_over_time: (a) => {
    let max = a.vs[a.lo]!;
    for (let i = a.lo; i < a.hi; i++) if (a.vs[i]! > max || Number.isNaN(max)) max = a.vs[i]!;
    return max;
  },
  stddev_over_time: (a) => Math.sqrt(variance(a.vs, a.lo, a.hi)),
  stdvar_over_time: (a) => variance(a.vs, a.lo, a.hi),
  last_over_time: (a) => a.vs[a.hi - 1],
  present_over_time: () => 1,
  quantile_over_time: (a) => quantile(a.params[0]!, Array.prototype.slice.call(a.vs, a.lo, a.hi) as number[]),
};
