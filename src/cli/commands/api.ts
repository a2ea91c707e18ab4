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

function readBody(spec: string): string {
  if (spec === "-") return readFileSync(0, "utf8");
  if (spec.startsWith("@")) return readFileSync(spec.slice(1), "utf8");
  return spec;
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
    .action(async (operationId: string, params: string[], o: { body?: string }) => {
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
        signal: AbortSignal.timeout(callTimeoutMs),
      }).catch((err: Error) => {
        throw new ApiError(
          "Unavailable",
          `cannot reach ${base}: ${err.message}; is the cloud up (\`photon up\`)?`,
        );
      });
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
