// Functions over the samples of a range vector, with Prometheus 2.42's arithmetic (rate
// extrapolation, regression, Holt-Winters, …). Each returns undefined where Prometheus returns
// no sample for the series.
import { quantile } from "./quantile.ts";

type Arr = ArrayLike<number>;

export interface RangeArgs {
  ts: Arr;
  vs: Arr;
  /** The selected window [rangeStartMs, rangeEndMs] and the evaluation time. */
  rangeStartMs: number;
  rangeEndMs: number;
  evalMs: number;
  /** Scalar arguments (quantile, smoothing factors, prediction offset). */
  params: number[];
}

/** rate, increase and delta: the change over the window, extrapolated to its edges. */
export function extrapolatedRate(a: RangeArgs, isCounter: boolean, isRate: boolean): number | undefined {
  const { ts, vs } = a;
  const n = ts.length;
  if (n < 2) return undefined;
  let result = vs[n - 1]! - vs[0]!;
  if (isCounter) {
    let last = 0;
    for (let i = 0; i < n; i++) {
      const v = vs[i]!;
      if (v < last) result += last;
      last = v;
    }
  }
  const sampled = (ts[n - 1]! - ts[0]!) / 1000;
  const avgBetween = sampled / (n - 1);
  let durationToStart = (ts[0]! - a.rangeStartMs) / 1000;
  const durationToEnd = (a.rangeEndMs - ts[n - 1]!) / 1000;
  if (isCounter && result > 0 && vs[0]! >= 0) {
    const durationToZero = sampled * (vs[0]! / result);
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
  const n = a.ts.length;
  if (n < 2) return undefined;
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

export function linearRegression(ts: Arr, vs: Arr, interceptMs: number): [number, number] {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = vs[0]!;
  let constY = true;
  for (let i = 0; i < ts.length; i++) {
    const y = vs[i]!;
    if (constY && i > 0 && y !== initY) constY = false;
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
  const n = a.vs.length;
  if (n < 2) return undefined;
  let s0 = 0;
  let s1 = a.vs[0]!;
  let b = a.vs[1]! - a.vs[0]!;
  for (let i = 1; i < n; i++) {
    const x = sf * a.vs[i]!;
    b = i - 1 === 0 ? b : tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

function avgOverTime(vs: Arr): number {
  let mean = 0;
  let count = 0;
  let c = 0;
  for (let i = 0; i < vs.length; i++) {
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

function variance(vs: Arr): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = 0; i < vs.length; i++) {
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
  deriv: (a) => (a.ts.length < 2 ? undefined : linearRegression(a.ts, a.vs, a.ts[0]!)[0]),
  predict_linear: (a) => {
    if (a.ts.length < 2) return undefined;
    const [slope, intercept] = linearRegression(a.ts, a.vs, a.evalMs);
    return slope * a.params[0]! + intercept;
  },
  holt_winters: holtWinters,
  changes: (a) => {
    let changes = 0;
    for (let i = 1; i < a.vs.length; i++) {
      const cur = a.vs[i]!;
      const prev = a.vs[i - 1]!;
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
    }
    return changes;
  },
  resets: (a) => {
    let resets = 0;
    for (let i = 1; i < a.vs.length; i++) if (a.vs[i]! < a.vs[i - 1]!) resets++;
    return resets;
  },
  avg_over_time: (a) => avgOverTime(a.vs),
  sum_over_time: (a) => {
    let sum = 0;
    let c = 0;
    for (let i = 0; i < a.vs.length; i++) [sum, c] = kahanInc(a.vs[i]!, sum, c);
    return Number.isFinite(sum + c) ? sum + c : sum;
  },
  count_over_time: (a) => a.vs.length,
  min_over_time: (a) => {
    let min = a.vs[0]!;
    for (let i = 0; i < a.vs.length; i++) if (a.vs[i]! < min || Number.isNaN(min)) min = a.vs[i]!;
    return min;
  },
  max_over_time: (a) => {
    let max = a.vs[0]!;
    for (let i = 0; i < a.vs.length; i++) if (a.vs[i]! > max || Number.isNaN(max)) max = a.vs[i]!;
    return max;
  },
  stddev_over_time: (a) => Math.sqrt(variance(a.vs)),
  stdvar_over_time: (a) => variance(a.vs),
  last_over_time: (a) => a.vs[a.vs.length - 1],
  present_over_time: () => 1,
  quantile_over_time: (a) => quantile(a.params[0]!, Array.from(a.vs)),
};
