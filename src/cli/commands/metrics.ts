// `photon metrics query '<promql>'`: an instant query as a table, or a range query as a table
// of series with a terminal sparkline each.
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import type { QueryData } from "../../nightlight/api.ts";
import { NightlightClient } from "../../nightlight/client.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

const bars = "▁▂▃▄▅▆▇█";
/** Widest sparkline drawn (longer series are resampled to fit). */
export const maxSparklineWidth = 60;

/** Renders values as block characters scaled between their min and max; NaN as a space. */
export function sparkline(values: number[], width = maxSparklineWidth): string {
  let vs = values;
  if (vs.length > width) {
    const step = vs.length / width;
    vs = Array.from({ length: width }, (_, i) => values[Math.floor(i * step)]!);
  }
  const finite = vs.filter(Number.isFinite);
  if (finite.length === 0) return " ".repeat(vs.length);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return vs
    .map((v) => {
      if (!Number.isFinite(v)) return " ";
      if (max === min) return bars[3];
      return bars[Math.min(bars.length - 1, Math.floor(((v - min) / (max - min)) * bars.length))];
    })
    .join("");
}

const metricText = (m: Record<string, string>) => {
  const { __name__: name, ...rest } = m;
  const labels = Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",");
  return `${name ?? ""}${labels ? `{${labels}}` : name ? "" : "{}"}`;
};

function parseSeconds(s: string, what: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(s);
  if (!m) throw new ApiError("InvalidArgument", `${what} must look like 30s, 5m, 1h or 2d; got "${s}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
}

export function queryRows(data: QueryData): { series: string; value: string; trend?: string }[] {
  switch (data.resultType) {
    case "scalar":
    case "string":
      return [{ series: data.resultType, value: data.result[1] }];
    case "vector":
      return data.result.map((r) => ({ series: metricText(r.metric), value: r.value[1] }));
    case "matrix":
      return data.result.map((r) => ({
        series: metricText(r.metric),
        value: r.values.at(-1)?.[1] ?? "",
        trend: sparkline(r.values.map(([, v]) => Number(v))),
      }));
  }
}

export function registerMetrics(program: Command, env: CliEnv): void {
  const metrics = program.command("metrics").description("query metrics (PromQL) in nightlight");
  metrics
    .command("query <promql>")
    .description("evaluate PromQL now (table), or over --range with a sparkline per series")
    .option("--time <unixSeconds>", "evaluation time of an instant query (default: now)")
    .option("--range <duration>", "range query over the last 30s|5m|1h|2d, drawn as sparklines")
    .option("--step <duration>", "resolution of a range query (default: range/60)")
    .option("--project <project>", "tenant to query (default: the token's project)")
    .action(async (promql: string, o: { time?: string; range?: string; step?: string; project?: string }) => {
      const ctx = env.context();
      const baseUrl = ctx.endpoints.nightlight;
      if (!baseUrl)
        throw new ApiError(
          "FailedPrecondition",
          `context "${ctx.name}" has no nightlight endpoint; is nightlight running?`,
        );
      const project = o.project ?? ctx.project;
      const client = new NightlightClient({ baseUrl, token: ctx.token, ...(project ? { project } : {}) });
      let data: QueryData;
      if (o.range) {
        const range = parseSeconds(o.range, "--range");
        const step = o.step ? parseSeconds(o.step, "--step") : Math.max(1, Math.round(range / 60));
        const end = Math.floor(Date.now() / 1000);
        data = await client.queryRange(promql, end - range, end, step);
      } else {
        data = await client.query(promql, o.time !== undefined ? Number(o.time) : undefined);
      }
      if (env.format() !== "table") return print(env.format(), data);
      const rows = queryRows(data);
      if (rows.length === 0) {
        process.stdout.write("no data\n");
        return;
      }
      type Row = (typeof rows)[0];
      print("table", rows, [
        ["SERIES", (r: Row) => r.series],
        ["VALUE", (r: Row) => r.value],
        ...(data.resultType === "matrix"
          ? ([["TREND", (r: Row) => r.trend]] as [string, (r: Row) => unknown][])
          : []),
      ]);
    });
}
