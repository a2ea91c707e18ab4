// The PromQL evaluator: a pure tree walk over a Queryable (no clock, no I/O of its own). A range
// query evaluates the expression at each step; selectors fetch their series once per query
// (bounds computed up front) and binary-search them per step.
import { type Labels, labelsKey, labelValue, metricNameLabel } from "../tsdb/labels.ts";
import type { Matcher } from "../tsdb/matcher.ts";
import type { SelectedSeries } from "../tsdb/tsdb.ts";
import type {
  Aggregate,
  AtModifier,
  Binary,
  Call,
  Expr,
  MatrixSelector,
  Subquery,
  VectorMatching,
  VectorSelector,
} from "./ast.ts";
import { binop, dropsName, isComparison } from "./binop.ts";
import { evalInstantFunction } from "./instant-functions.ts";
import { dropName, keyOf } from "./label-cache.ts";
import { quantile } from "./quantile.ts";
import { QueryError } from "./query-error.ts";
import { rangeFunctions } from "./range-functions.ts";
import { evalSeriesMajor } from "./series-major.ts";
import { formatFloat, type Points, type Sample, type Value } from "./value.ts";

export { binop, dropName, keyOf, QueryError };

export interface Queryable {
  select(matchers: readonly Matcher[], mint: number, maxt: number): SelectedSeries[];
}

export interface EvalOptions {
  startMs: number;
  endMs: number;
  stepMs: number;
  lookbackMs?: number;
  /** Step of subqueries written without one (Prometheus: the global evaluation interval). */
  defaultSubqueryStepMs?: number;
  /** Most samples a query may load (Prometheus's --query.max-samples). */
  maxSamples?: number;
  /** Skip the series-major path (tests compare the two). */
  stepByStep?: boolean;
}

export const defaultLookbackMs = 300_000;
export const defaultMaxSamples = 50_000_000;

export interface RangeResult {
  labels: Labels;
  ts: number[];
  vs: number[];
}

function upperBound(ts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(ts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function assertNoDuplicates(samples: Sample[]): void {
  if (samples.length < 2) return;
  const seen = new Set<string>();
  for (const s of samples) {
    const k = keyOf(s.labels);
    if (seen.has(k)) throw new QueryError("vector cannot contain metrics with the same labelset");
    seen.add(k);
  }
}

export class Evaluator {
  private readonly lookbackMs: number;
  private readonly subStepMs: number;
  private readonly bounds = new Map<VectorSelector, [number, number]>();
  private readonly data = new Map<VectorSelector, SelectedSeries[]>();
  private readonly subqueryMemo = new Map<Subquery, Map<number, Sample[]>>();
  private samplesLoaded = 0;

  constructor(
    private readonly q: Queryable,
    private readonly expr: Expr,
    private readonly opts: EvalOptions,
  ) {
    this.lookbackMs = opts.lookbackMs ?? defaultLookbackMs;
    this.subStepMs = opts.defaultSubqueryStepMs ?? 60_000;
    this.collectBounds(expr, opts.startMs, opts.endMs);
  }

  /** What the query will select (matchers and time bounds), so a caller can fetch it ahead. */
  selections(): { matchers: readonly Matcher[]; mint: number; maxt: number }[] {
    return [...this.bounds].map(([vs, [mint, maxt]]) => ({ matchers: vs.matchers, mint, maxt }));
  }

  private at(at: AtModifier | undefined): number | undefined {
    if (at === undefined) return undefined;
    if (at === "start") return this.opts.startMs;
    if (at === "end") return this.opts.endMs;
    return at;
  }

  private collectBounds(e: Expr, tmin: number, tmax: number): void {
    const widen = (vs: VectorSelector, lo: number, hi: number) => {
      const b = this.bounds.get(vs);
      this.bounds.set(vs, b ? [Math.min(b[0], lo), Math.max(b[1], hi)] : [lo, hi]);
    };
    switch (e.type) {
      case "vector": {
        const at = this.at(e.at);
        const [a, b] = at !== undefined ? [at, at] : [tmin, tmax];
        widen(e, a - e.offsetMs - this.lookbackMs, b - e.offsetMs);
        return;
      }
      case "matrix": {
        const at = this.at(e.vector.at);
        const [a, b] = at !== undefined ? [at, at] : [tmin, tmax];
        widen(e.vector, a - e.vector.offsetMs - e.rangeMs, b - e.vector.offsetMs);
        return;
      }
      case "subquery": {
        const at = this.at(e.at);
        const [a, b] = at !== undefined ? [at, at] : [tmin, tmax];
        this.collectBounds(e.expr, a - e.offsetMs - e.rangeMs, b - e.offsetMs);
        return;
      }
      case "call":
        for (const a of e.args) this.collectBounds(a, tmin, tmax);
        return;
      case "aggregate":
        this.collectBounds(e.expr, tmin, tmax);
        if (e.param) this.collectBounds(e.param, tmin, tmax);
        return;
      case "binary":
        this.collectBounds(e.lhs, tmin, tmax);
        this.collectBounds(e.rhs, tmin, tmax);
        return;
      case "unary":
      case "paren":
        this.collectBounds(e.expr, tmin, tmax);
        return;
      default:
        return;
    }
  }

  private series(vs: VectorSelector): SelectedSeries[] {
    let d = this.data.get(vs);
    if (!d) {
      const [mint, maxt] = this.bounds.get(vs)!;
      d = this.q.select(vs.matchers, mint, maxt);
      for (const s of d) this.samplesLoaded += s.ts.length;
      const max = this.opts.maxSamples ?? defaultMaxSamples;
      if (this.samplesLoaded > max)
        throw new QueryError(
          `query processing would load too many samples into memory in query execution (limit ${max}); narrow the selectors or the time range`,
        );
      this.data.set(vs, d);
    }
    return d;
  }

  /** Evaluates at every step; returns the series of the result (vector/scalar results only). */
  evalRange(): RangeResult[] {
    const { startMs, endMs, stepMs } = this.opts;
    const fast = this.opts.stepByStep
      ? undefined
      : evalSeriesMajor(
          this.expr,
          { startMs, stepMs, n: Math.floor((endMs - startMs) / stepMs) + 1 },
          {
            series: (vs) => this.series(vs),
            distinctWithoutName: (vs) => this.distinctWithoutName(vs),
            lookbackMs: this.lookbackMs,
          },
        );
    if (fast) return fast;
    const out = new Map<string, RangeResult>();
    for (let t = this.opts.startMs; t <= this.opts.endMs; t += this.opts.stepMs) {
      const v = this.eval(this.expr, t);
      if (v.type === "scalar") {
        const r = out.get("") ?? { labels: [], ts: [], vs: [] };
        out.set("", r);
        r.ts.push(t);
        r.vs.push(v.v);
      } else if (v.type === "vector") {
        for (const s of v.samples) {
          const k = keyOf(s.labels);
          let r = out.get(k);
          if (!r) {
            r = { labels: s.labels, ts: [], vs: [] };
            out.set(k, r);
          } else if (r.ts[r.ts.length - 1] === t)
            throw new QueryError("vector cannot contain metrics with the same labelset");
          r.ts.push(t);
          r.vs.push(s.v);
        }
      } else
        throw new QueryError(
          `invalid expression type "${v.type === "matrix" ? "range vector" : v.type}" for range query, must be Scalar or instant Vector`,
          "bad_data",
        );
    }
    return [...out.values()];
  }

  evalInstant(t: number): Value {
    return this.eval(this.expr, t);
  }

  eval(e: Expr, t: number): Value {
    switch (e.type) {
      case "number":
        return { type: "scalar", v: e.value };
      case "string":
        return { type: "string", s: e.value };
      case "paren":
        return this.eval(e.expr, t);
      case "unary": {
        const v = this.eval(e.expr, t);
        if (e.op === "+") return v;
        if (v.type === "scalar") return { type: "scalar", v: -v.v };
        if (v.type === "vector")
          return { type: "vector", samples: v.samples.map((s) => ({ labels: dropName(s.labels), v: -s.v })) };
        return v;
      }
      case "vector":
        return { type: "vector", samples: this.instantSelect(e, t) };
      case "matrix":
        return this.matrixSelect(e, t);
      case "subquery":
        return this.subquery(e, t);
      case "call":
        return this.call(e, t);
      case "aggregate":
        return { type: "vector", samples: this.aggregate(e, t) };
      case "binary":
        return this.binary(e, t);
    }
  }

  private instantSelect(vs: VectorSelector, t: number): Sample[] {
    const ref = (this.at(vs.at) ?? t) - vs.offsetMs;
    const out: Sample[] = [];
    for (const s of this.series(vs)) {
      const i = upperBound(s.ts, ref) - 1;
      if (i < 0) continue;
      const st = s.ts[i]!;
      if (st < ref - this.lookbackMs) continue;
      if (s.stale[i] === 1) continue;
      out.push({ labels: s.labels, v: s.vs[i]!, t: st });
    }
    return out;
  }

  private matrixSelect(m: MatrixSelector, t: number): Value {
    const ref = (this.at(m.vector.at) ?? t) - m.vector.offsetMs;
    const start = ref - m.rangeMs;
    const series: Points[] = [];
    const list = this.series(m.vector);
    // Steps of a range query move forward: resume each series' window where it last was.
    let cur = this.cursors.get(m);
    const forward = cur !== undefined && ref >= cur.ref;
    if (!cur) {
      cur = { ref, lo: new Int32Array(list.length), hi: new Int32Array(list.length) };
      this.cursors.set(m, cur);
    }
    cur.ref = ref;
    for (let k = 0; k < list.length; k++) {
      const s = list[k]!;
      const len = s.ts.length;
      let lo: number;
      let hi: number;
      if (forward && (cur.lo[k]! + 64 >= len || s.ts[cur.lo[k]! + 64]! >= start)) {
        lo = cur.lo[k]!;
        while (lo < len && s.ts[lo]! < start) lo++;
        hi = Math.max(cur.hi[k]!, lo);
        while (hi < len && s.ts[hi]! <= ref) hi++;
      } else {
        lo = lowerBound(s.ts, start);
        hi = upperBound(s.ts, ref);
      }
      cur.lo[k] = lo;
      cur.hi[k] = hi;
      if (hi <= lo) continue;
      let anyStale = false;
      if (this.hasStale(s))
        for (let i = lo; i < hi; i++)
          if (s.stale[i] === 1) {
            anyStale = true;
            break;
          }
      if (!anyStale) {
        series.push({ labels: s.labels, ts: s.ts, vs: s.vs, lo, hi });
        continue;
      }
      const ts: number[] = [];
      const vs: number[] = [];
      for (let i = lo; i < hi; i++) {
        if (s.stale[i] === 1) continue;
        ts.push(s.ts[i]!);
        vs.push(s.vs[i]!);
      }
      if (ts.length > 0)
        series.push({ labels: s.labels, ts, vs: Float64Array.from(vs), lo: 0, hi: ts.length });
    }
    return { type: "matrix", series, rangeStartMs: start, rangeEndMs: ref };
  }

  private readonly cursors = new Map<MatrixSelector, { ref: number; lo: Int32Array; hi: Int32Array }>();
  private readonly staleSeries = new WeakMap<SelectedSeries, boolean>();
  /** Whether a series has any staleness marker at all (most have none: skip the scans). */
  private hasStale(s: SelectedSeries): boolean {
    let h = this.staleSeries.get(s);
    if (h === undefined) {
      h = s.stale.includes(1);
      this.staleSeries.set(s, h);
    }
    return h;
  }

  private readonly uniqueWithoutName = new WeakMap<VectorSelector, boolean>();
  /** Whether the selector's series stay distinct once the metric name is dropped. */
  private distinctWithoutName(vs: VectorSelector): boolean {
    let u = this.uniqueWithoutName.get(vs);
    if (u === undefined) {
      const keys = new Set<string>();
      for (const s of this.series(vs)) keys.add(keyOf(dropName(s.labels)));
      u = keys.size === this.series(vs).length;
      this.uniqueWithoutName.set(vs, u);
    }
    return u;
  }

  private subquery(sq: Subquery, t: number): Value {
    const ref = (this.at(sq.at) ?? t) - sq.offsetMs;
    const step = sq.stepMs || this.subStepMs;
    const start = ref - sq.rangeMs;
    let first = Math.floor(start / step) * step;
    if (first < start) first += step;
    let memo = this.subqueryMemo.get(sq);
    if (!memo) {
      memo = new Map();
      this.subqueryMemo.set(sq, memo);
    }
    const acc = new Map<string, { labels: Labels; ts: number[]; vs: number[] }>();
    for (let ti = first; ti <= ref; ti += step) {
      let samples = memo.get(ti);
      if (!samples) {
        const v = this.eval(sq.expr, ti);
        samples = v.type === "scalar" ? [{ labels: [], v: v.v }] : v.type === "vector" ? v.samples : [];
        // Bound the memo: a step's results are only reused by nearby outer steps.
        if (memo.size > 100_000) memo.clear();
        memo.set(ti, samples);
      }
      for (const s of samples) {
        const k = keyOf(s.labels);
        let a = acc.get(k);
        if (!a) {
          a = { labels: s.labels, ts: [], vs: [] };
          acc.set(k, a);
        }
        a.ts.push(ti);
        a.vs.push(s.v);
      }
    }
    return {
      type: "matrix",
      series: [...acc.values()].map((a) => ({
        labels: a.labels,
        ts: a.ts,
        vs: Float64Array.from(a.vs),
        lo: 0,
        hi: a.ts.length,
      })),
      rangeStartMs: start,
      rangeEndMs: ref,
    };
  }

  private call(c: Call, t: number): Value {
    const fn = rangeFunctions[c.func];
    if (fn) {
      const matrixIndex = c.func === "quantile_over_time" ? 1 : 0;
      const params: number[] = [];
      c.args.forEach((a, i) => {
        if (i !== matrixIndex) params.push(this.scalarOf(a, t));
      });
      if (c.func === "holt_winters") {
        if (!(params[0]! > 0 && params[0]! < 1))
          throw new QueryError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${params[0]}`);
        if (!(params[1]! > 0 && params[1]! < 1))
          throw new QueryError(`invalid trend factor. Expected: 0 < tf < 1, got: ${params[1]}`);
      }
      const m = this.eval(c.args[matrixIndex]!, t);
      if (m.type !== "matrix") throw new QueryError(`expected a range vector in ${c.func}`);
      const out: Sample[] = [];
      // One argument object reused across series (this loop runs per series per step).
      const args = {
        ts: [] as ArrayLike<number>,
        vs: [] as ArrayLike<number>,
        lo: 0,
        hi: 0,
        rangeStartMs: m.rangeStartMs,
        rangeEndMs: m.rangeEndMs,
        evalMs: t,
        params,
        noResets: false,
      };
      for (const s of m.series) {
        args.ts = s.ts;
        args.vs = s.vs;
        args.lo = s.lo;
        args.hi = s.hi;
        const v = fn(args);
        if (v === undefined) continue;
        out.push({ labels: c.func === "last_over_time" ? s.labels : dropName(s.labels), v });
      }
      const arg = c.args[matrixIndex]!;
      const provablyDistinct = arg.type === "matrix" && this.distinctWithoutName(arg.vector);
      if (c.func !== "last_over_time" && !provablyDistinct) assertNoDuplicates(out);
      return { type: "vector", samples: out };
    }
    if (c.func === "absent_over_time") {
      const m = this.eval(c.args[0]!, t);
      if (m.type === "matrix" && m.series.length > 0) return { type: "vector", samples: [] };
      return { type: "vector", samples: [{ labels: absentLabels(c.args[0]!), v: 1 }] };
    }
    if (c.func === "absent") {
      const v = this.eval(c.args[0]!, t);
      if (v.type === "vector" && v.samples.length > 0) return { type: "vector", samples: [] };
      return { type: "vector", samples: [{ labels: absentLabels(c.args[0]!), v: 1 }] };
    }
    const args = c.args.map((a) => this.eval(a, t));
    const r = evalInstantFunction(c.func, args, t);
    if (
      r.type === "vector" &&
      !["sort", "sort_desc", "label_replace", "label_join", "vector"].includes(c.func)
    )
      assertNoDuplicates(r.samples);
    if (r.type === "vector" && (c.func === "label_replace" || c.func === "label_join"))
      assertNoDuplicates(r.samples);
    return r;
  }

  private scalarOf(e: Expr, t: number): number {
    const v = this.eval(e, t);
    if (v.type !== "scalar") throw new QueryError("expected a scalar argument");
    return v.v;
  }

  private aggregate(a: Aggregate, t: number): Sample[] {
    const input = this.eval(a.expr, t);
    if (input.type !== "vector") throw new QueryError("aggregation over a non-vector");
    let param = 0;
    let label = "";
    if (a.param) {
      const p = this.eval(a.param, t);
      if (p.type === "scalar") param = p.v;
      else if (p.type === "string") label = p.s;
    }
    return aggregate(a, input.samples, param, label);
  }

  private binary(b: Binary, t: number): Value {
    const l = this.eval(b.lhs, t);
    const r = this.eval(b.rhs, t);
    if (l.type === "scalar" && r.type === "scalar") {
      const [v, keep] = binop(b.op, l.v, r.v);
      return { type: "scalar", v: b.bool ? (keep ? 1 : 0) : v };
    }
    if (l.type === "vector" && r.type === "vector") {
      const m = b.matching!;
      if (b.op === "and" || b.op === "or" || b.op === "unless")
        return { type: "vector", samples: setOp(b.op, l.samples, r.samples, m) };
      return { type: "vector", samples: vectorBinop(b, l.samples, r.samples, m) };
    }
    if (l.type === "vector" && r.type === "scalar")
      return { type: "vector", samples: vectorScalar(b, l.samples, r.v, false) };
    if (l.type === "scalar" && r.type === "vector")
      return { type: "vector", samples: vectorScalar(b, r.samples, l.v, true) };
    throw new QueryError("binary expression must contain only scalar and instant vector types");
  }
}

function absentLabels(e: Expr): Labels {
  const vs = e.type === "vector" ? e : e.type === "matrix" ? e.vector : undefined;
  if (!vs) return [];
  const out = new Map<string, string>();
  const dropped = new Set<string>();
  for (const m of vs.matchers) {
    if (m.name === metricNameLabel) continue;
    if (m.type === "=" && !out.has(m.name) && !dropped.has(m.name)) out.set(m.name, m.value);
    else {
      out.delete(m.name);
      dropped.add(m.name);
    }
  }
  return [...out.entries()].filter(([, v]) => v !== "").sort((x, y) => (x[0] < y[0] ? -1 : 1));
}

function vectorScalar(b: Binary, vec: Sample[], scalar: number, swap: boolean): Sample[] {
  const out: Sample[] = [];
  for (const s of vec) {
    let [lv, rv] = [s.v, scalar];
    if (swap) [lv, rv] = [rv, lv];
    let [value, keep] = binop(b.op, lv, rv);
    if (isComparison(b.op) && swap) value = rv;
    if (b.bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    const drop = dropsName(b.op) || b.bool;
    out.push({ labels: drop ? dropName(s.labels) : s.labels, v: value });
  }
  return out;
}

function signature(labels: Labels, m: VectorMatching): string {
  let k = "";
  if (m.on) {
    for (const name of [...m.labels].sort()) k += `${name}\xfe${labelValue(labels, name)}\xff`;
    return k;
  }
  for (const [n, v] of labels) {
    if (n === metricNameLabel || m.labels.includes(n)) continue;
    k += `${n}\xfe${v}\xff`;
  }
  return k;
}

function setOp(op: "and" | "or" | "unless", lhs: Sample[], rhs: Sample[], m: VectorMatching): Sample[] {
  if (op === "and") {
    const right = new Set(rhs.map((s) => signature(s.labels, m)));
    return lhs.filter((s) => right.has(signature(s.labels, m)));
  }
  if (op === "unless") {
    const right = new Set(rhs.map((s) => signature(s.labels, m)));
    return lhs.filter((s) => !right.has(signature(s.labels, m)));
  }
  const left = new Set(lhs.map((s) => signature(s.labels, m)));
  return [...lhs, ...rhs.filter((s) => !left.has(signature(s.labels, m)))];
}

function resultLabels(lhs: Labels, rhs: Labels, b: Binary, m: VectorMatching): Labels {
  let out: [string, string][] = lhs.map(([n, v]) => [n, v]);
  if (dropsName(b.op) || b.bool) out = out.filter(([n]) => n !== metricNameLabel);
  if (m.card === "one-to-one") {
    out = m.on ? out.filter(([n]) => m.labels.includes(n)) : out.filter(([n]) => !m.labels.includes(n));
  }
  for (const name of m.include) {
    const v = labelValue(rhs, name);
    out = out.filter(([n]) => n !== name);
    if (v !== "") out.push([name, v]);
  }
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

function vectorBinop(b: Binary, lhsIn: Sample[], rhsIn: Sample[], m: VectorMatching): Sample[] {
  let lhs = lhsIn;
  let rhs = rhsIn;
  if (m.card === "one-to-many") [lhs, rhs] = [rhs, lhs];
  const right = new Map<string, Sample>();
  for (const s of rhs) {
    const sig = signature(s.labels, m);
    if (right.has(sig)) {
      const side = m.card === "one-to-many" ? "left" : "right";
      throw new QueryError(
        `found duplicate series for the match group ${describeSig(s.labels, m)} on the ${side} hand-side of the operation: [${describeLabels(right.get(sig)!.labels)}, ${describeLabels(s.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(sig, s);
  }
  const matched = new Map<string, Set<string> | null>();
  const out: Sample[] = [];
  for (const ls of lhs) {
    const sig = signature(ls.labels, m);
    const rs = right.get(sig);
    if (!rs) continue;
    let [vl, vr] = [ls.v, rs.v];
    if (m.card === "one-to-many") [vl, vr] = [vr, vl];
    let [value, keep] = binop(b.op, vl, vr);
    if (b.bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    const labels = resultLabels(ls.labels, rs.labels, b, m);
    const seen = matched.get(sig);
    if (m.card === "one-to-one") {
      if (seen !== undefined)
        throw new QueryError(
          "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
        );
      matched.set(sig, null);
    } else {
      const k = labelsKey(labels);
      let set = seen;
      if (!set) {
        set = new Set();
        matched.set(sig, set);
      }
      if (set.has(k))
        throw new QueryError("multiple matches for labels: grouping labels must ensure unique matches");
      set.add(k);
    }
    out.push({ labels, v: value });
  }
  return out;
}

function describeLabels(l: Labels): string {
  return `{${l.map(([n, v]) => `${n}="${v}"`).join(", ")}}`;
}

function describeSig(l: Labels, m: VectorMatching): string {
  const names = m.on
    ? m.labels
    : l.map(([n]) => n).filter((n) => n !== metricNameLabel && !m.labels.includes(n));
  return `{${names.map((n) => `${n}="${labelValue(l, n)}"`).join(", ")}}`;
}

interface Group {
  labels: Labels;
  value: number;
  mean: number;
  count: number;
  values: number[];
  heap: Sample[];
}

function groupingLabels(labels: Labels, a: Aggregate): Labels {
  if (a.without) return labels.filter(([n]) => n !== metricNameLabel && !a.grouping.includes(n));
  return labels.filter(([n]) => a.grouping.includes(n));
}

// Label sets are the same objects from step to step (selectors and dropName return stable
// arrays), so each one's group is computed once per aggregation node.
const groupCaches = new WeakMap<Aggregate, WeakMap<Labels, { labels: Labels; key: string }>>();
function groupOf(labels: Labels, a: Aggregate): { labels: Labels; key: string } {
  let cache = groupCaches.get(a);
  if (!cache) {
    cache = new WeakMap();
    groupCaches.set(a, cache);
  }
  let g = cache.get(labels);
  if (!g) {
    const gl = groupingLabels(labels, a);
    g = { labels: gl, key: labelsKey(gl) };
    cache.set(labels, g);
  }
  return g;
}

const noValues: number[] = [];
const noSamples: Sample[] = [];

function aggregate(a: Aggregate, samples: Sample[], param: number, label: string): Sample[] {
  if (a.op === "count_values") {
    const counts = new Map<string, { labels: Labels; n: number }>();
    for (const s of samples) {
      const base = groupingLabels(s.labels, a).filter(([n]) => n !== label);
      const labels = [...base, [label, formatValueLabel(s.v)] as [string, string]].sort((x, y) =>
        x[0] < y[0] ? -1 : 1,
      );
      const k = labelsKey(labels);
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { labels, n: 1 });
    }
    return [...counts.values()].map((c) => ({ labels: c.labels, v: c.n }));
  }
  const k = Math.trunc(param);
  if ((a.op === "topk" || a.op === "bottomk") && k < 1) return [];
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  for (const s of samples) {
    const { labels: gl, key } = groupOf(s.labels, a);
    let g = groups.get(key);
    if (!g) {
      // Only quantile and topk/bottomk keep their members.
      const keep = a.op === "quantile" || a.op === "topk" || a.op === "bottomk";
      g = {
        labels: gl,
        value: s.v,
        mean: s.v,
        count: 1,
        values: keep ? [s.v] : noValues,
        heap: keep ? [s] : noSamples,
      };
      groups.set(key, g);
      order.push(g);
      if (a.op === "stddev" || a.op === "stdvar") g.value = 0;
      if (a.op === "count" || a.op === "group") g.value = 1;
      continue;
    }
    const v = s.v;
    switch (a.op) {
      case "sum":
        g.value += v;
        break;
      case "avg": {
        g.count++;
        if (!Number.isFinite(g.mean) && !Number.isNaN(g.mean)) {
          if (!Number.isFinite(v) && !Number.isNaN(v) && g.mean > 0 === v > 0) break;
          if (Number.isFinite(v)) break;
        }
        g.mean += v / g.count - g.mean / g.count;
        break;
      }
      case "count":
        g.value++;
        break;
      case "group":
        break;
      case "min":
        if (g.value > v || Number.isNaN(g.value)) g.value = v;
        break;
      case "max":
        if (g.value < v || Number.isNaN(g.value)) g.value = v;
        break;
      case "stddev":
      case "stdvar": {
        g.count++;
        const delta = v - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (v - g.mean);
        break;
      }
      case "quantile":
        g.values.push(v);
        break;
      case "topk":
      case "bottomk":
        g.heap.push(s);
        break;
    }
  }
  const out: Sample[] = [];
  for (const g of order) {
    switch (a.op) {
      case "avg":
        out.push({ labels: g.labels, v: g.mean });
        break;
      case "stddev":
        out.push({ labels: g.labels, v: Math.sqrt(g.value / g.count) });
        break;
      case "stdvar":
        out.push({ labels: g.labels, v: g.value / g.count });
        break;
      case "quantile":
        out.push({ labels: g.labels, v: quantile(param, g.values) });
        break;
      case "topk":
      case "bottomk": {
        const top = a.op === "topk";
        // NaN ranks last either way, as in Prometheus's heaps.
        const sorted = [...g.heap].sort((x, y) => {
          if (Number.isNaN(x.v)) return Number.isNaN(y.v) ? 0 : 1;
          if (Number.isNaN(y.v)) return -1;
          return top ? y.v - x.v : x.v - y.v;
        });
        for (const s of sorted.slice(0, k)) out.push({ labels: s.labels, v: s.v });
        break;
      }
      default:
        out.push({ labels: g.labels, v: g.value });
    }
  }
  return out;
}

/** count_values labels use Go's 'f' formatting, like the API's values. */
const formatValueLabel = formatFloat;

export function evaluateInstantQuery(
  q: Queryable,
  expr: Expr,
  tMs: number,
  opts?: Partial<EvalOptions>,
): Value {
  return new Evaluator(q, expr, { startMs: tMs, endMs: tMs, stepMs: 1, ...opts }).evalInstant(tMs);
}

export function evaluateRangeQuery(q: Queryable, expr: Expr, opts: EvalOptions): RangeResult[] {
  return new Evaluator(q, expr, opts).evalRange();
}
