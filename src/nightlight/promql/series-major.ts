// Series-major evaluation of a range query, for the expressions dashboards are made of: a
// selector's or a range function's values are computed for all steps of one series at a time
// (forward cursors, no per-step objects), and an aggregation works out each input series' group
// once per query instead of once per step. Anything outside this subset (or a case where the
// step-by-step evaluator's checks could fire) answers `undefined`, and the caller evaluates the
// query step by step as before; both paths apply the same arithmetic in the same order.
import { type Labels, labelsKey, metricNameLabel } from "../tsdb/labels.ts";
import type { SelectedSeries } from "../tsdb/tsdb.ts";
import type { Aggregate, Binary, Call, Expr, MatrixSelector, VectorSelector } from "./ast.ts";
import { binop, dropsName, isComparison } from "./binop.ts";
import { bucketOf } from "./instant-functions.ts";
import { dropName, keyOf } from "./label-cache.ts";
import { type Bucket, bucketQuantile, quantile, sortedBucketQuantile } from "./quantile.ts";
import { QueryError } from "./query-error.ts";
import { type RangeArgs, rangeFunctions } from "./range-functions.ts";

/** One series of an intermediate result: a value at each step where `has` is 1. */
export interface StepSeries {
  labels: Labels;
  vs: Float64Array;
  has: Uint8Array;
}

export interface StepGrid {
  startMs: number;
  stepMs: number;
  /** Number of steps: t_i = startMs + i * stepMs. */
  n: number;
}

export interface SeriesMajorContext {
  /** The selector's series over the query's bounds (counted against the samples limit). */
  series(vs: VectorSelector): SelectedSeries[];
  /** Whether the selector's series stay distinct once the metric name is dropped. */
  distinctWithoutName(vs: VectorSelector): boolean;
  lookbackMs: number;
}

/** Thrown inside when the expression turns out to need the step-by-step evaluator. */
class NotSeriesMajor extends Error {}

const simpleAggregations = new Set(["sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"]);
const perStepAggregations = new Set(["topk", "bottomk", "quantile"]);

/** Whether `e` is in the subset (decided from the syntax alone, before any data is read). */
export function seriesMajorSupports(e: Expr): boolean {
  switch (e.type) {
    case "paren":
      return seriesMajorSupports(e.expr);
    case "vector":
      return e.at === undefined;
    case "unary":
      return seriesMajorSupports(e.expr);
    case "aggregate":
      if (simpleAggregations.has(e.op)) return e.param === undefined && seriesMajorSupports(e.expr);
      if (perStepAggregations.has(e.op)) return literal(e.param) !== undefined && seriesMajorSupports(e.expr);
      return false;
    case "call":
      if (e.func === "histogram_quantile")
        return e.args.length === 2 && literal(e.args[0]) !== undefined && seriesMajorSupports(e.args[1]!);
      return rangeCallArgs(e) !== undefined;
    case "binary":
      return vectorScalarSides(e) !== undefined;
    default:
      return false;
  }
}

/** A number literal (possibly in parentheses), else undefined. */
function literal(e: Expr | undefined): number | undefined {
  if (!e) return undefined;
  if (e.type === "paren") return literal(e.expr);
  return e.type === "number" ? e.value : undefined;
}

/** A range function over a plain matrix selector with literal parameters. */
function rangeCallArgs(c: Call): { m: MatrixSelector; params: number[] } | undefined {
  if (!rangeFunctions[c.func] || c.func === "holt_winters") return undefined;
  const matrixIndex = c.func === "quantile_over_time" ? 1 : 0;
  const m = c.args[matrixIndex];
  if (m?.type !== "matrix" || m.vector.at !== undefined) return undefined;
  const params: number[] = [];
  for (let i = 0; i < c.args.length; i++) {
    if (i === matrixIndex) continue;
    const v = literal(c.args[i]);
    if (v === undefined) return undefined;
    params.push(v);
  }
  return { m, params };
}

function vectorScalarSides(b: Binary): { vec: Expr; scalar: number; swap: boolean } | undefined {
  if (b.op === "and" || b.op === "or" || b.op === "unless") return undefined;
  const r = literal(b.rhs);
  if (r !== undefined && literal(b.lhs) === undefined && seriesMajorSupports(b.lhs))
    return { vec: b.lhs, scalar: r, swap: false };
  const l = literal(b.lhs);
  if (l !== undefined && r === undefined && seriesMajorSupports(b.rhs))
    return { vec: b.rhs, scalar: l, swap: true };
  return undefined;
}

/**
 * The range query's result series (labels, step times and values), or undefined when it must be
 * evaluated step by step. Series with equal label sets are merged as the step-by-step evaluator
 * does, and the same error is raised when two of them have a value at the same step.
 */
export function evalSeriesMajor(
  e: Expr,
  grid: StepGrid,
  ctx: SeriesMajorContext,
): { labels: Labels; ts: number[]; vs: number[] }[] | undefined {
  if (!seriesMajorSupports(e)) return undefined;
  let result: StepSeries[];
  try {
    result = new SeriesMajor(grid, ctx).eval(e);
  } catch (err) {
    if (err instanceof NotSeriesMajor) return undefined;
    throw err;
  }
  const out = new Map<string, { labels: Labels; ts: number[]; vs: number[]; has: Uint8Array }>();
  for (const s of result) {
    const k = keyOf(s.labels);
    const prev = out.get(k);
    if (!prev) {
      const ts: number[] = [];
      const vs: number[] = [];
      for (let i = 0; i < grid.n; i++)
        if (s.has[i] === 1) {
          ts.push(grid.startMs + i * grid.stepMs);
          vs.push(s.vs[i]!);
        }
      if (ts.length > 0) out.set(k, { labels: s.labels, ts, vs, has: s.has });
      continue;
    }
    // Rare: two series that became equal (e.g. once their names were dropped). Merge by step.
    const has = new Uint8Array(grid.n);
    const values = new Float64Array(grid.n);
    for (let j = 0; j < prev.ts.length; j++) {
      const i = Math.round((prev.ts[j]! - grid.startMs) / grid.stepMs);
      has[i] = 1;
      values[i] = prev.vs[j]!;
    }
    for (let i = 0; i < grid.n; i++) {
      if (s.has[i] !== 1) continue;
      if (has[i] === 1) throw new QueryError("vector cannot contain metrics with the same labelset");
      has[i] = 1;
      values[i] = s.vs[i]!;
    }
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < grid.n; i++)
      if (has[i] === 1) {
        ts.push(grid.startMs + i * grid.stepMs);
        vs.push(values[i]!);
      }
    out.set(k, { labels: s.labels, ts, vs, has });
  }
  return [...out.values()].map(({ labels, ts, vs }) => ({ labels, ts, vs }));
}

class SeriesMajor {
  constructor(
    private readonly grid: StepGrid,
    private readonly ctx: SeriesMajorContext,
  ) {}

  private blank(labels: Labels): StepSeries {
    return { labels, vs: new Float64Array(this.grid.n), has: new Uint8Array(this.grid.n) };
  }

  eval(e: Expr): StepSeries[] {
    switch (e.type) {
      case "paren":
        return this.eval(e.expr);
      case "vector":
        return this.select(e);
      case "unary": {
        const input = this.eval(e.expr);
        if (e.op === "+") return input;
        return input.map((s) => {
          const vs = new Float64Array(s.vs.length);
          for (let i = 0; i < vs.length; i++) vs[i] = -s.vs[i]!;
          return { labels: dropName(s.labels), vs, has: s.has };
        });
      }
      case "aggregate":
        return this.aggregate(e);
      case "call":
        return e.func === "histogram_quantile" ? this.histogramQuantile(e) : this.rangeCall(e);
      case "binary":
        return this.vectorScalar(e);
      default:
        throw new NotSeriesMajor();
    }
  }

  /** An instant selector at every step: the last sample within the lookback, unless stale. */
  private select(sel: VectorSelector): StepSeries[] {
    const { n, startMs, stepMs } = this.grid;
    const lookback = this.ctx.lookbackMs;
    const out: StepSeries[] = [];
    for (const s of this.ctx.series(sel)) {
      const ts = s.ts;
      const len = ts.length;
      const r = this.blank(s.labels);
      let any = false;
      let j = 0;
      for (let i = 0; i < n; i++) {
        const ref = startMs + i * stepMs - sel.offsetMs;
        while (j < len && ts[j]! <= ref) j++;
        const k = j - 1;
        if (k < 0 || ts[k]! < ref - lookback || s.stale[k] === 1) continue;
        r.vs[i] = s.vs[k]!;
        r.has[i] = 1;
        any = true;
      }
      if (any) out.push(r);
    }
    return out;
  }

  /** A range function over a matrix selector: each series' window slides forward step by step. */
  private rangeCall(c: Call): StepSeries[] {
    const parsed = rangeCallArgs(c);
    if (!parsed) throw new NotSeriesMajor();
    const { m, params } = parsed;
    const fn = rangeFunctions[c.func]!;
    // The step-by-step evaluator checks every step for series equal without their names.
    const keepName = c.func === "last_over_time";
    if (!keepName && !this.ctx.distinctWithoutName(m.vector)) throw new NotSeriesMajor();
    const { n, startMs, stepMs } = this.grid;
    const args: RangeArgs = {
      ts: [],
      vs: [],
      lo: 0,
      hi: 0,
      rangeStartMs: 0,
      rangeEndMs: 0,
      evalMs: 0,
      params,
      noResets: false,
    };
    const counter = c.func === "rate" || c.func === "increase";
    const out: StepSeries[] = [];
    for (const s of this.ctx.series(m.vector)) {
      const [ts, vs] = withoutStale(s);
      const len = ts.length;
      const r = this.blank(keepName ? s.labels : dropName(s.labels));
      args.ts = ts;
      args.vs = vs;
      // Drops before each index (counter resets), so a window without any skips the scan.
      const drops = counter ? dropsBefore(vs) : undefined;
      let any = false;
      let lo = 0;
      let hi = 0;
      for (let i = 0; i < n; i++) {
        const t = startMs + i * stepMs;
        const ref = t - m.vector.offsetMs;
        const start = ref - m.rangeMs;
        while (lo < len && ts[lo]! < start) lo++;
        if (hi < lo) hi = lo;
        while (hi < len && ts[hi]! <= ref) hi++;
        if (hi <= lo) continue;
        args.lo = lo;
        args.hi = hi;
        args.rangeStartMs = start;
        args.rangeEndMs = ref;
        args.evalMs = t;
        // vs[lo] < 0 would count as a drop from the scan's initial 0, but adds 0 to the result.
        if (drops) args.noResets = drops[hi - 1] === drops[lo];
        const v = fn(args);
        if (v === undefined) continue;
        r.vs[i] = v;
        r.has[i] = 1;
        any = true;
      }
      if (any) out.push(r);
    }
    return out;
  }

  private vectorScalar(b: Binary): StepSeries[] {
    const sides = vectorScalarSides(b);
    if (!sides) throw new NotSeriesMajor();
    const { scalar, swap } = sides;
    const drop = dropsName(b.op) || b.bool;
    const comparison = isComparison(b.op);
    const out: StepSeries[] = [];
    for (const s of this.eval(sides.vec)) {
      const r = this.blank(drop ? dropName(s.labels) : s.labels);
      let any = false;
      for (let i = 0; i < s.vs.length; i++) {
        if (s.has[i] !== 1) continue;
        const lv = swap ? scalar : s.vs[i]!;
        const rv = swap ? s.vs[i]! : scalar;
        let [value, keep] = binop(b.op, lv, rv);
        if (comparison && swap) value = rv;
        if (b.bool) {
          value = keep ? 1 : 0;
          keep = true;
        }
        if (!keep) continue;
        r.vs[i] = value;
        r.has[i] = 1;
        any = true;
      }
      if (any) out.push(r);
    }
    return out;
  }

  private aggregate(a: Aggregate): StepSeries[] {
    const input = this.eval(a.expr);
    // Each input series' group, once per query.
    const groupIndex = new Map<string, number>();
    const groupLabels: Labels[] = [];
    const member = new Int32Array(input.length);
    for (let k = 0; k < input.length; k++) {
      const l = input[k]!.labels;
      const gl = a.without
        ? l.filter(([name]) => name !== metricNameLabel && !a.grouping.includes(name))
        : l.filter(([name]) => a.grouping.includes(name));
      const key = labelsKey(gl);
      let g = groupIndex.get(key);
      if (g === undefined) {
        g = groupLabels.length;
        groupIndex.set(key, g);
        groupLabels.push(gl);
      }
      member[k] = g;
    }
    if (perStepAggregations.has(a.op)) return this.perStepAggregate(a, input, member, groupLabels);
    const n = this.grid.n;
    const groups = groupLabels.map((l) => this.blank(l));
    // Running state beside each group's value (avg: mean; stddev/stdvar: mean; count of members).
    const mean = groups.map(() => new Float64Array(n));
    const count = groups.map(() => new Float64Array(n));
    const op = a.op;
    // Series-major, but each (group, step) still sees its members in input order.
    for (let k = 0; k < input.length; k++) {
      const s = input[k]!;
      const g = groups[member[k]!]!;
      const gv = g.vs;
      const gm = mean[member[k]!]!;
      const gc = count[member[k]!]!;
      for (let i = 0; i < n; i++) {
        if (s.has[i] !== 1) continue;
        const v = s.vs[i]!;
        if (g.has[i] !== 1) {
          g.has[i] = 1;
          gv[i] = op === "stddev" || op === "stdvar" ? 0 : op === "count" || op === "group" ? 1 : v;
          gm[i] = v;
          gc[i] = 1;
          continue;
        }
        switch (op) {
          case "sum":
            gv[i] = gv[i]! + v;
            break;
          case "avg": {
            const c = gc[i]! + 1;
            gc[i] = c;
            const m = gm[i]!;
            if (!Number.isFinite(m) && !Number.isNaN(m)) {
              if (!Number.isFinite(v) && !Number.isNaN(v) && m > 0 === v > 0) break;
              if (Number.isFinite(v)) break;
            }
            gm[i] = m + (v / c - m / c);
            break;
          }
          case "count":
            gv[i] = gv[i]! + 1;
            break;
          case "min":
            if (gv[i]! > v || Number.isNaN(gv[i]!)) gv[i] = v;
            break;
          case "max":
            if (gv[i]! < v || Number.isNaN(gv[i]!)) gv[i] = v;
            break;
          case "stddev":
          case "stdvar": {
            const c = gc[i]! + 1;
            gc[i] = c;
            const delta = v - gm[i]!;
            gm[i] = gm[i]! + delta / c;
            gv[i] = gv[i]! + delta * (v - gm[i]!);
            break;
          }
          default:
            break;
        }
      }
    }
    for (let g = 0; g < groups.length; g++) {
      const r = groups[g]!;
      for (let i = 0; i < n; i++) {
        if (r.has[i] !== 1) continue;
        if (op === "avg") r.vs[i] = mean[g]![i]!;
        else if (op === "stddev") r.vs[i] = Math.sqrt(r.vs[i]! / count[g]![i]!);
        else if (op === "stdvar") r.vs[i] = r.vs[i]! / count[g]![i]!;
      }
    }
    return groups;
  }

  /** topk, bottomk and quantile need each step's members together. */
  private perStepAggregate(
    a: Aggregate,
    input: StepSeries[],
    member: Int32Array,
    groupLabels: Labels[],
  ): StepSeries[] {
    const param = literal(a.param)!;
    const nGroups = groupLabels.length;
    const n = this.grid.n;
    const byGroup: number[][] = Array.from({ length: nGroups }, () => []);
    for (let k = 0; k < input.length; k++) byGroup[member[k]!]!.push(k);
    if (a.op === "quantile") {
      const out: StepSeries[] = [];
      for (let g = 0; g < nGroups; g++) {
        const r = this.blank(groupLabels[g]!);
        const values: number[] = [];
        for (let i = 0; i < n; i++) {
          values.length = 0;
          for (const k of byGroup[g]!) if (input[k]!.has[i] === 1) values.push(input[k]!.vs[i]!);
          if (values.length === 0) continue;
          r.vs[i] = quantile(param, values);
          r.has[i] = 1;
        }
        out.push(r);
      }
      return out;
    }
    const k = Math.trunc(param);
    if (k < 1) return [];
    const top = a.op === "topk";
    const out = input.map((s) => this.blank(s.labels));
    const present: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let g = 0; g < nGroups; g++) {
        present.length = 0;
        for (const m of byGroup[g]!) if (input[m]!.has[i] === 1) present.push(m);
        // NaN ranks last either way, as in Prometheus's heaps; ties keep input order.
        present.sort((x, y) => {
          const xv = input[x]!.vs[i]!;
          const yv = input[y]!.vs[i]!;
          if (Number.isNaN(xv)) return Number.isNaN(yv) ? 0 : 1;
          if (Number.isNaN(yv)) return -1;
          return top ? yv - xv : xv - yv;
        });
        for (let j = 0; j < Math.min(k, present.length); j++) {
          const m = present[j]!;
          out[m]!.vs[i] = input[m]!.vs[i]!;
          out[m]!.has[i] = 1;
        }
      }
    }
    return out;
  }

  private histogramQuantile(c: Call): StepSeries[] {
    const q = literal(c.args[0])!;
    const input = this.eval(c.args[1]!);
    const n = this.grid.n;
    const groupIndex = new Map<string, number>();
    const groupLabels: Labels[] = [];
    const members: { k: number; upper: number }[][] = [];
    for (let k = 0; k < input.length; k++) {
      const { upper, labels, key } = bucketOf(input[k]!.labels);
      if (upper === undefined) continue;
      let g = groupIndex.get(key);
      if (g === undefined) {
        g = groupLabels.length;
        groupIndex.set(key, g);
        groupLabels.push(labels);
        members.push([]);
      }
      members[g]!.push({ k, upper });
    }
    const out: StepSeries[] = [];
    let widest = 0;
    for (const m of members) widest = Math.max(widest, m.length);
    const uppers = new Float64Array(widest);
    const counts = new Float64Array(widest);
    for (let g = 0; g < groupLabels.length; g++) {
      const r = this.blank(groupLabels[g]!);
      // Sorted by bound once (stable, as bucketQuantile sorts each step's buckets); a NaN bound
      // makes that order step-dependent, so such a group sorts per step.
      const list = members[g]!;
      const nanBound = list.some((m) => Number.isNaN(m.upper));
      if (!nanBound) list.sort((x, y) => x.upper - y.upper);
      for (let i = 0; i < n; i++) {
        let len = 0;
        for (const { k, upper } of list)
          if (input[k]!.has[i] === 1) {
            uppers[len] = upper;
            counts[len] = input[k]!.vs[i]!;
            len++;
          }
        if (len === 0) continue;
        if (nanBound) {
          const buckets: Bucket[] = [];
          for (let j = 0; j < len; j++) buckets.push({ upperBound: uppers[j]!, count: counts[j]! });
          r.vs[i] = bucketQuantile(q, buckets);
        } else r.vs[i] = sortedBucketQuantile(q, uppers, counts, len);
        r.has[i] = 1;
      }
      out.push(r);
    }
    return out;
  }
}

/** drops[i]: how many j in 1..i have vs[j] < vs[j-1]. */
function dropsBefore(vs: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(vs.length);
  for (let i = 1; i < vs.length; i++) out[i] = out[i - 1]! + (vs[i]! < vs[i - 1]! ? 1 : 0);
  return out;
}

/** A series' samples without staleness markers (a range vector never contains them). */
function withoutStale(s: SelectedSeries): [ArrayLike<number>, ArrayLike<number>] {
  if (!s.stale.includes(1)) return [s.ts, s.vs];
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < s.ts.length; i++) {
    if (s.stale[i] === 1) continue;
    ts.push(s.ts[i]!);
    vs.push(s.vs[i]!);
  }
  return [Float64Array.from(ts), Float64Array.from(vs)];
}
