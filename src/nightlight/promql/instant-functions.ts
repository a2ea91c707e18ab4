// PromQL functions over instant vectors and scalars, with Prometheus 2.42's label handling:
// most drop the metric name; sort, label_replace and label_join keep it.
import { isValidLabelName, type Labels, labelValue, metricNameLabel } from "../tsdb/labels.ts";
import { compileAnchoredRegex } from "../tsdb/matcher.ts";
import { type Bucket, bucketQuantile, goFloatCompare } from "./quantile.ts";
import { QueryError } from "./query-error.ts";
import type { Sample, Value } from "./value.ts";

class FunctionError extends QueryError {}

const dropName = (l: Labels): Labels => l.filter(([n]) => n !== metricNameLabel);

const math: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
  acos: Math.acos,
  acosh: Math.acosh,
  asin: Math.asin,
  asinh: Math.asinh,
  atan: Math.atan,
  atanh: Math.atanh,
  cos: Math.cos,
  cosh: Math.cosh,
  sin: Math.sin,
  sinh: Math.sinh,
  tan: Math.tan,
  tanh: Math.tanh,
};

const date: Record<string, (d: Date) => number> = {
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

const vec = (samples: Sample[]): Value => ({ type: "vector", samples });
const scalarArg = (v: Value | undefined): number => (v?.type === "scalar" ? v.v : Number.NaN);
const stringArg = (v: Value | undefined): string => (v?.type === "string" ? v.s : "");
const vectorArg = (v: Value | undefined): Sample[] => (v?.type === "vector" ? v.samples : []);

function setLabel(labels: Labels, name: string, value: string): Labels {
  const out = labels.filter(([n]) => n !== name);
  if (value !== "") out.push([name, value]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Go's regexp Expand for `$1`, `${1}`, `$name`, `${name}` and `$$`. */
function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== "$" || i === template.length - 1) {
      out += c;
      continue;
    }
    const next = template[i + 1]!;
    if (next === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string;
    if (next === "{") {
      const close = template.indexOf("}", i + 2);
      if (close < 0) {
        out += c;
        continue;
      }
      name = template.slice(i + 2, close);
      i = close;
    } else {
      const word = /^[a-zA-Z0-9_]+/.exec(template.slice(i + 1));
      if (!word) {
        out += c;
        continue;
      }
      name = word[0];
      i += name.length;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? "";
    else out += m.groups?.[name] ?? "";
  }
  return out;
}

export function evalInstantFunction(name: string, args: Value[], tMs: number): Value {
  const m = math[name];
  if (m) return vec(vectorArg(args[0]).map((s) => ({ labels: dropName(s.labels), v: m(s.v) })));
  const d = date[name];
  if (d) {
    const input = args.length === 0 ? [{ labels: [], v: tMs / 1000 }] : vectorArg(args[0]);
    return vec(
      input
        .filter((s) => Number.isFinite(s.v) || args.length === 0)
        .map((s) => ({ labels: dropName(s.labels), v: d(new Date(s.v * 1000)) })),
    );
  }
  switch (name) {
    case "time":
      return { type: "scalar", v: tMs / 1000 };
    case "pi":
      return { type: "scalar", v: Math.PI };
    case "vector":
      return vec([{ labels: [], v: scalarArg(args[0]) }]);
    case "scalar": {
      const s = vectorArg(args[0]);
      return { type: "scalar", v: s.length === 1 ? s[0]!.v : Number.NaN };
    }
    case "timestamp":
      return vec(vectorArg(args[0]).map((s) => ({ labels: dropName(s.labels), v: (s.t ?? tMs) / 1000 })));
    case "clamp": {
      const lo = scalarArg(args[1]);
      const hi = scalarArg(args[2]);
      if (hi < lo) return vec([]);
      return vec(
        vectorArg(args[0]).map((s) => ({ labels: dropName(s.labels), v: Math.max(lo, Math.min(hi, s.v)) })),
      );
    }
    case "clamp_max": {
      const hi = scalarArg(args[1]);
      return vec(vectorArg(args[0]).map((s) => ({ labels: dropName(s.labels), v: Math.min(hi, s.v) })));
    }
    case "clamp_min": {
      const lo = scalarArg(args[1]);
      return vec(vectorArg(args[0]).map((s) => ({ labels: dropName(s.labels), v: Math.max(lo, s.v) })));
    }
    case "round": {
      const toNearest = args.length > 1 ? scalarArg(args[1]) : 1;
      const inv = 1 / toNearest;
      return vec(
        vectorArg(args[0]).map((s) => ({ labels: dropName(s.labels), v: Math.floor(s.v * inv + 0.5) / inv })),
      );
    }
    case "sort":
    case "sort_desc": {
      const desc = name === "sort_desc";
      const out = [...vectorArg(args[0])].sort((a, b) => {
        if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : -1;
        if (Number.isNaN(b.v)) return 1;
        return desc ? b.v - a.v : a.v - b.v;
      });
      return vec(out);
    }
    case "label_replace": {
      const dst = stringArg(args[1]);
      const repl = stringArg(args[2]);
      const src = stringArg(args[3]);
      const reSrc = stringArg(args[4]);
      let re: RegExp;
      try {
        re = compileAnchoredRegex(reSrc);
      } catch (err) {
        throw new FunctionError(
          `invalid regular expression in label_replace(): ${reSrc}: ${(err as Error).message}`,
        );
      }
      if (!isValidLabelName(dst))
        throw new FunctionError(`invalid destination label name in label_replace(): ${dst}`);
      return vec(
        vectorArg(args[0]).map((s) => {
          const match = re.exec(labelValue(s.labels, src));
          if (!match) return s;
          return { labels: setLabel(s.labels, dst, expandTemplate(repl, match)), v: s.v, t: s.t };
        }),
      );
    }
    case "label_join": {
      const dst = stringArg(args[1]);
      const sep = stringArg(args[2]);
      const srcs = args.slice(3).map(stringArg);
      for (const l of srcs)
        if (!isValidLabelName(l)) throw new FunctionError(`invalid source label name in label_join(): ${l}`);
      if (!isValidLabelName(dst))
        throw new FunctionError(`invalid destination label name in label_join(): ${dst}`);
      return vec(
        vectorArg(args[0]).map((s) => ({
          labels: setLabel(s.labels, dst, srcs.map((l) => labelValue(s.labels, l)).join(sep)),
          v: s.v,
          t: s.t,
        })),
      );
    }
    case "histogram_quantile":
      return vec(histogramQuantile(scalarArg(args[0]), vectorArg(args[1])));
    case "histogram_count":
    case "histogram_sum":
    case "histogram_fraction":
      // These read native histograms, which nightlight does not store: float series yield nothing.
      return vec([]);
  }
  throw new FunctionError(`function "${name}" is not implemented`);
}

/**
 * A bucket series' bound and group, per label set: the evaluator hands the same label objects
 * at every step of a range query, so this is worked out once per series, not once per step.
 */
const bucketInfo = new WeakMap<Labels, { upper: number | undefined; labels: Labels; key: string }>();

export function bucketOf(l: Labels): { upper: number | undefined; labels: Labels; key: string } {
  let info = bucketInfo.get(l);
  if (!info) {
    const labels = l.filter(([n]) => n !== "le" && n !== metricNameLabel);
    info = {
      upper: parseGoFloat(labelValue(l, "le")),
      labels,
      key: labels.map(([n, v]) => `${n}\xfe${v}`).join("\xff"),
    };
    bucketInfo.set(l, info);
  }
  return info;
}

function histogramQuantile(q: number, samples: Sample[]): Sample[] {
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const s of samples) {
    const { upper, labels, key } = bucketOf(s.labels);
    if (upper === undefined) continue;
    let g = groups.get(key);
    if (!g) {
      g = { labels, buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push({ upperBound: upper, count: s.v });
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, v: bucketQuantile(q, g.buckets) }));
}

/** strconv.ParseFloat as Prometheus applies it to `le`: decimal, exponent, ±Inf, NaN. */
function parseGoFloat(s: string): number | undefined {
  const t = s.trim() === s ? s : "";
  if (/^[+-]?(inf|infinity)$/i.test(t))
    return t.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(t)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?0[xX][0-9a-fA-F]+$/.test(t))
    return undefined;
  return Number(t);
}

export { FunctionError, goFloatCompare };
