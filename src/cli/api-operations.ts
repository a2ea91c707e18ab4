// Every operation the cloud serves, read from the aggregated OpenAPI document of the gateway
// (or of each component when no gateway runs), and how to turn `name=value` arguments into
// one concrete call. Pure apart from loadOperations.
import { ApiError } from "../core/errors.ts";
import type { CliEnv } from "./cli-env.ts";

export interface Operation {
  operationId: string;
  method: string;
  /** OpenAPI template, e.g. /v1/projects/{project}/quotas/{name} */
  path: string;
  component: string;
  summary: string;
  /** The endpoint that serves it (the gateway, or the component itself). */
  source: string;
}

interface Doc {
  paths?: Record<
    string,
    Record<string, { operationId?: string; summary?: string; "x-component"?: string; tags?: string[] }>
  >;
}

export function operationsOf(doc: Doc, source: string): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths ?? {}))
    for (const [method, op] of Object.entries(ops)) {
      if (!op.operationId) continue;
      out.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        component: op["x-component"] ?? op.tags?.[0] ?? source,
        summary: op.summary ?? "",
        source,
      });
    }
  return out.sort((a, b) => a.component.localeCompare(b.component) || a.path.localeCompare(b.path));
}

export async function loadOperations(env: CliEnv): Promise<Operation[]> {
  const ctx = env.context();
  const sources = ctx.endpoints.apigateway
    ? ["apigateway"]
    : Object.keys(ctx.endpoints).filter((k) => !k.includes("."));
  const out: Operation[] = [];
  for (const source of sources)
    out.push(...operationsOf(await env.client(source).get<Doc>("/openapi.json"), source));
  return out;
}

export interface PlannedCall {
  method: string;
  /** Path with parameters filled in and the query string appended. */
  url: string;
}

/** Fills path parameters from `name=value` arguments; the remaining ones become the query. */
export function planCall(op: Operation, args: readonly string[]): PlannedCall {
  const values = new Map<string, string>();
  for (const a of args) {
    const eq = a.indexOf("=");
    if (eq <= 0) throw new ApiError("InvalidArgument", `"${a}" is not name=value`);
    values.set(a.slice(0, eq), a.slice(eq + 1));
  }
  const missing: string[] = [];
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = values.get(name);
    values.delete(name);
    if (v === undefined) missing.push(name);
    return encodeURIComponent(v ?? "");
  });
  if (missing.length)
    throw new ApiError(
      "InvalidArgument",
      `${op.operationId} needs ${missing.map((m) => `${m}=…`).join(" ")} (${op.method} ${op.path})`,
    );
  const query = new URLSearchParams([...values]).toString();
  return { method: op.method, url: query ? `${path}?${query}` : path };
}
