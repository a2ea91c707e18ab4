// Every PromQL function Prometheus 2.42 documents, with its argument and return types.
import type { ValueType } from "./ast.ts";

export interface FunctionSignature {
  args: ValueType[];
  /** Number of trailing arguments that may be left out (-1: the last repeats any number of times). */
  optional: number;
  variadic?: boolean;
  returns: ValueType;
}

const v = "vector" as const;
const m = "matrix" as const;
const s = "scalar" as const;
const str = "string" as const;

const vectorToVector = ["abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn", "deg", "rad"];
const trig = ["acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh"];
const rangeToVector = [
  "absent_over_time",
  "changes",
  "delta",
  "deriv",
  "idelta",
  "increase",
  "irate",
  "rate",
  "resets",
  "avg_over_time",
  "min_over_time",
  "max_over_time",
  "sum_over_time",
  "count_over_time",
  "stddev_over_time",
  "stdvar_over_time",
  "last_over_time",
  "present_over_time",
];
const dateFuncs = [
  "day_of_month",
  "day_of_week",
  "day_of_year",
  "days_in_month",
  "hour",
  "minute",
  "month",
  "year",
];

export const functions: Record<string, FunctionSignature> = {
  ...Object.fromEntries([...vectorToVector, ...trig].map((n) => [n, { args: [v], optional: 0, returns: v }])),
  ...Object.fromEntries(rangeToVector.map((n) => [n, { args: [m], optional: 0, returns: v }])),
  ...Object.fromEntries(dateFuncs.map((n) => [n, { args: [v], optional: 1, returns: v }])),
  absent: { args: [v], optional: 0, returns: v },
  sort: { args: [v], optional: 0, returns: v },
  sort_desc: { args: [v], optional: 0, returns: v },
  timestamp: { args: [v], optional: 0, returns: v },
  histogram_count: { args: [v], optional: 0, returns: v },
  histogram_sum: { args: [v], optional: 0, returns: v },
  histogram_fraction: { args: [s, s, v], optional: 0, returns: v },
  histogram_quantile: { args: [s, v], optional: 0, returns: v },
  clamp: { args: [v, s, s], optional: 0, returns: v },
  clamp_max: { args: [v, s], optional: 0, returns: v },
  clamp_min: { args: [v, s], optional: 0, returns: v },
  holt_winters: { args: [m, s, s], optional: 0, returns: v },
  label_join: { args: [v, str, str, str], optional: -1, variadic: true, returns: v },
  label_replace: { args: [v, str, str, str, str], optional: 0, returns: v },
  predict_linear: { args: [m, s], optional: 0, returns: v },
  quantile_over_time: { args: [s, m], optional: 0, returns: v },
  round: { args: [v, s], optional: 1, returns: v },
  scalar: { args: [v], optional: 0, returns: s },
  time: { args: [], optional: 0, returns: s },
  pi: { args: [], optional: 0, returns: s },
  vector: { args: [s], optional: 0, returns: v },
};
