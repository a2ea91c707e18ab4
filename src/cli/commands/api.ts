// `photon api`: every operation of every component, straight from the cloud's OpenAPI
// description, for what no dedicated command covers yet (`photon api call <operationId>`).
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ApiError, type ErrorBody } from "../../core/errors.ts";
import { loadOperations, type Operation, planCall } from "../api-operations.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

/** Longest time one `photon api call` waits for its answer. */
const callTimeoutMs = 60_000;
/** Longest single event of a stream the CLI holds while waiting for its end of line. */
const maxEventBytes = 16 * 1024 * 1024;

function readBody(spec: string): string {
  if (spec === "-") return readFileSync(0, "utf8");
  if (spec.startsWith("@")) return readFileSync(spec.slice(1), "utf8");
  return spec;
}

function wholeNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new ApiError("InvalidArgument", `"${v}" is not a whole number ≥ 1`);
  return n;
}

/** A list with watch=1, or an operation that only streams (its path ends in /watch). */
function isWatch(params: readonly string[], op: Operation): boolean {
  return params.some((p) => /^watch=(1|true)$/.test(p)) || op.path.endsWith("/watch");
}

/**
 * Prints a stream of NDJSON events as they arrive (one JSON document per line with -o json,
 * a YAML document each otherwise), until the server ends it or maxEvents have been printed.
 */
async function printEvents(
  body: ReadableStream<Uint8Array>,
  format: "table" | "json" | "yaml",
  maxEvents: number | undefined,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  let printed = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      pending += decoder.decode(value, { stream: true });
      if (pending.length > maxEventBytes)
        throw new ApiError("Internal", `an event of the stream is over ${maxEventBytes} bytes`);
      let nl = pending.indexOf("\n");
      while (nl >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        nl = pending.indexOf("\n");
        if (!line) continue;
        const event = JSON.parse(line) as unknown;
        if (format === "json") process.stdout.write(`${JSON.stringify(event)}\n`);
        else print("yaml", [event]);
        printed++;
        if (maxEvents !== undefined && printed >= maxEvents) return;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export function registerApi(program: Command, env: CliEnv): void {
  const api = program
    .command("api")
    .description("every operation of the cloud's API, from its OpenAPI description (`photon api list`)");

  api
    .command("list")
    .description("list every operation: its id, method, path and component")
    .option("--component <name>", "only this component's operations")
    .action(async (o: { component?: string }) => {
      const ops = (await loadOperations(env)).filter((op) => !o.component || op.component === o.component);
      print(
        env.format(),
        ops.map(({ source: _, ...op }) => op),
        [
          ["OPERATION", (op: Operation) => op.operationId],
          ["METHOD", (op: Operation) => op.method],
          ["PATH", (op: Operation) => op.path],
          ["COMPONENT", (op: Operation) => op.component],
        ],
      );
    });

  api
    .command("call <operationId> [params...]")
    .description(
      "call one operation: path and query parameters as name=value (e.g. `photon api call getV1ProjectsProjectQuotasName project=demo name=default`)",
    )
    .option("--body <json>", "request body: JSON text, @file, or - for stdin")
    .option(
      "--max-events <n>",
      "for a stream of events (a watch, application/x-ndjson): stop after n of them",
      wholeNumber,
    )
    .action(async (operationId: string, params: string[], o: { body?: string; maxEvents?: number }) => {
      const ops = await loadOperations(env);
      const op = ops.find((x) => x.operationId === operationId);
      if (!op) {
        const near = ops.filter((x) =>
          x.operationId.toLowerCase().includes(operationId.toLowerCase().slice(0, 12)),
        );
        throw new ApiError(
          "NotFound",
          `no operation ${operationId}; \`photon api list\` shows them all${
            near.length
              ? ` (did you mean ${near
                  .slice(0, 3)
                  .map((x) => x.operationId)
                  .join(", ")}?)`
              : ""
          }`,
        );
      }
      const call = planCall(op, params);
      let body: string | undefined;
      if (o.body !== undefined) {
        body = readBody(o.body);
        try {
          JSON.parse(body);
        } catch (err) {
          throw new ApiError("InvalidArgument", `--body is not valid JSON: ${(err as Error).message}`);
        }
      }
      const ctx = env.context();
      const base = (ctx.endpoints.apigateway ?? ctx.endpoints[op.source] ?? "").replace(/\/+$/, "");
      const res = await fetch(`${base}${call.url}`, {
        method: call.method,
        headers: {
          accept: "application/json",
          ...(ctx.token ? { authorization: `Bearer ${ctx.token}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        // A watch streams for as long as the caller wants it; only a plain call has a deadline.
        ...(isWatch(params, op) ? {} : { signal: AbortSignal.timeout(callTimeoutMs) }),
      }).catch((err: Error) => {
        throw new ApiError(
          "Unavailable",
          `cannot reach ${base}: ${err.message}; is the cloud up (\`photon up\`)?`,
        );
      });
      if (res.ok && res.body && (res.headers.get("content-type") ?? "").includes("ndjson")) {
        await printEvents(res.body, env.format(), o.maxEvents);
        return;
      }
      const text = await res.text();
      const json =
        (res.headers.get("content-type") ?? "").includes("json") && text ? JSON.parse(text) : undefined;
      if (!res.ok) {
        const e = (json as ErrorBody | undefined)?.error;
        throw new ApiError(
          e?.code ?? (res.status >= 500 ? "Unavailable" : "InvalidArgument"),
          e?.message ?? `${res.status}: ${text.slice(0, 300)}`,
        );
      }
      if (json !== undefined) print(env.format(), json);
      else if (text) process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    });
}
