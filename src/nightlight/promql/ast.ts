// The PromQL syntax tree. Times and durations are in milliseconds.
import type { Matcher } from "../tsdb/matcher.ts";

export type ValueType = "scalar" | "vector" | "matrix" | "string";

/** `@ <time>`, `@ start()` or `@ end()`. */
export type AtModifier = number | "start" | "end";

export interface VectorSelector {
  type: "vector";
  name?: string;
  matchers: Matcher[];
  offsetMs: number;
  at?: AtModifier;
}

export interface MatrixSelector {
  type: "matrix";
  vector: VectorSelector;
  rangeMs: number;
}

export interface Subquery {
  type: "subquery";
  expr: Expr;
  rangeMs: number;
  /** 0 = the default evaluation interval. */
  stepMs: number;
  offsetMs: number;
  at?: AtModifier;
}

export interface Call {
  type: "call";
  func: string;
  args: Expr[];
}

export const aggregationOps = [
  "sum",
  "avg",
  "count",
  "min",
  "max",
  "group",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "quantile",
  "count_values",
] as const;
export type AggregationOp = (typeof aggregationOps)[number];

export interface Aggregate {
  type: "aggregate";
  op: AggregationOp;
  expr: Expr;
  param?: Expr;
  grouping: string[];
  without: boolean;
}

export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "^"
  | "atan2"
  | "=="
  | "!="
  | ">"
  | "<"
  | ">="
  | "<="
  | "and"
  | "or"
  | "unless";

export interface VectorMatching {
  card: "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many";
  on: boolean;
  labels: string[];
  include: string[];
}

export interface Binary {
  type: "binary";
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  matching?: VectorMatching;
}

export interface Unary {
  type: "unary";
  op: "-" | "+";
  expr: Expr;
}

export interface Paren {
  type: "paren";
  expr: Expr;
}

export interface NumberLiteral {
  type: "number";
  value: number;
}

export interface StringLiteral {
  type: "string";
  value: string;
}

export type Expr =
  | VectorSelector
  | MatrixSelector
  | Subquery
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren
  | NumberLiteral
  | StringLiteral;

export const comparisonOps: readonly BinaryOp[] = ["==", "!=", ">", "<", ">=", "<="];
export const setOps: readonly BinaryOp[] = ["and", "or", "unless"];
