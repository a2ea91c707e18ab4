// CLI output: a table for people, or --output json|yaml for scripts.
import Table from "cli-table3";
import { stringify } from "yaml";

export type OutputFormat = "table" | "json" | "yaml";

export function print(
  format: OutputFormat,
  data: unknown,
  columns?: Array<[string, (row: never) => unknown]>,
): void {
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return;
  }
  if (format === "yaml") {
    process.stdout.write(stringify(data));
    return;
  }
  const rows = Array.isArray(data) ? data : [data];
  if (!columns) {
    process.stdout.write(stringify(data));
    return;
  }
  const table = new Table({
    head: columns.map(([h]) => h),
    style: { head: [], border: [], compact: true },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const row of rows) table.push(columns.map(([, f]) => cell(f(row as never))));
  process.stdout.write(`${table.toString()}\n`);
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
