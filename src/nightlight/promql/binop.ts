// Go's float arithmetic for PromQL's binary operators, and which operators drop the metric name.
import { type Binary, comparisonOps } from "./ast.ts";
import { QueryError } from "./query-error.ts";
import { goPow } from "./value.ts";

/** Go's float arithmetic for an operator; for comparisons, [lhs, whether it holds]. */
export function binop(op: Binary["op"], l: number, r: number): [number, boolean] {
  switch (op) {
    case "+":
      return [l + r, true];
    case "-":
      return [l - r, true];
    case "*":
      return [l * r, true];
    case "/":
      return [l / r, true];
    case "%":
      return [l % r, true];
    case "^":
      return [goPow(l, r), true];
    case "atan2":
      return [Math.atan2(l, r), true];
    case "==":
      return [l, l === r];
    case "!=":
      return [l, l !== r];
    case ">":
      return [l, l > r];
    case "<":
      return [l, l < r];
    case ">=":
      return [l, l >= r];
    case "<=":
      return [l, l <= r];
    default:
      throw new QueryError(`operator "${op}" not allowed here`);
  }
}

export const isComparison = (op: Binary["op"]) => comparisonOps.includes(op);
/** Prometheus 2.42 drops the metric name for these operators only (atan2 keeps it). */
export const dropsName = (op: Binary["op"]) =>
  op === "+" || op === "-" || op === "*" || op === "/" || op === "%" || op === "^";
