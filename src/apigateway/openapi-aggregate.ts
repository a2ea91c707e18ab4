// One API description for the whole cloud: every component's OpenAPI document merged, each
// operation tagged with the component that serves it.
import type { OpenApiDoc } from "./route-table.ts";

export function aggregateOpenApi(docs: Map<string, OpenApiDoc>, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [component, doc] of [...docs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      paths[path] ??= {};
      for (const [method, op] of Object.entries(ops)) {
        const o = op as { tags?: string[] };
        paths[path]![method] = {
          ...o,
          tags: [...new Set([component, ...(o.tags ?? [])])],
          "x-component": component,
        };
      }
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "PhotonCloud API",
      version,
      description: "Every component's API, served through the gateway",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    security: [{ bearer: [] }],
    tags: [...docs.keys()].sort().map((name) => ({ name })),
    paths,
  };
}
