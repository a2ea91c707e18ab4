// wrk at a fixed offered load, for latency: each connection waits a fixed pause between its
// requests (wrk's Lua `delay` hook), so N connections offer about N / pause requests per
// second whatever the target's speed, as long as answers take far less than the pause. At
// saturation (the throughput runs) latency is mostly queueing in front of the slowest process
// on the machine; at a fixed rate well below every target's capacity it is the path itself.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { WrkResult } from "../support/wrk.ts";

/** Longest pause wrk's delay hook is given; longer would make a run too sparse to measure. */
const maxPauseMs = 1_000;

export interface PacedRun {
  /** Total requests per second asked for, spread over the connections. */
  ratePerSecond: number;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  /** Where the Lua script is written. */
  dir: string;
}

/** The pause between one connection's requests that gives `ratePerSecond` in total. */
export function pauseMs(ratePerSecond: number, connections: number): number {
  return Math.max(1, Math.min(maxPauseMs, Math.round((connections * 1000) / ratePerSecond)));
}

const toMs = (v: string, unit: string) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? Number.NaN);

export function runPacedWrk(url: string, o: PacedRun): WrkResult {
  const script = join(o.dir, "paced.lua");
  writeFileSync(script, `function delay()\n  return ${pauseMs(o.ratePerSecond, o.connections)}\nend\n`);
  const args = [
    "-t",
    "1",
    "-c",
    String(o.connections),
    "-d",
    `${o.seconds}s`,
    "--latency",
    "--timeout",
    "5s",
  ];
  for (const [k, v] of Object.entries(o.headers)) args.push("-H", `${k}: ${v}`);
  const r = spawnSync("wrk", [...args, "-s", script, url], {
    encoding: "utf8",
    timeout: (o.seconds + 30) * 1000,
  });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr || r.stdout}`);
  const out = r.stdout;
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(out);
    return m ? toMs(m[1]!, m[2]!) : Number.NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50Ms: pct("50"),
    p99Ms: pct("99"),
    errors: non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
  };
}
