// Protected routes no OpenAPI document lists, so the isolation matrix names them here: the
// Prometheus-compatible API nightlight serves (its own wire contract, project in a header)
// and the gateway's internal endpoints (its /openapi.json is the aggregate of the components
// behind it). Keyed by matrix target name.
import type { RouteCase } from "./openapi-example.ts";

const route = (
  method: string,
  path: string,
  permission: string,
  extra: Partial<RouteCase> = {},
): RouteCase => ({
  method,
  path,
  permission,
  hasProject: false,
  url: (base) => base + path,
  body: undefined,
  bodyVariants: [undefined],
  ...extra,
});

// nightlight takes the project (tenant) from this header (src/nightlight/prom-api.ts).
const tenant = { headers: (project: string) => ({ "x-photon-project": project }) };

export const routesOutsideOpenApi: Record<string, RouteCase[]> = {
  nightlight: [
    ...["GET", "POST"].flatMap((m) => [
      route(m, "/api/v1/query?query=up", "nightlight.metrics.read", tenant),
      route(m, "/api/v1/query_range?query=up&start=0&end=60&step=15", "nightlight.metrics.read", tenant),
      route(m, "/api/v1/series?match[]=up", "nightlight.metrics.read", tenant),
      route(m, "/api/v1/labels", "nightlight.metrics.read", tenant),
    ]),
    route("GET", "/api/v1/label/job/values", "nightlight.metrics.read", tenant),
    route("GET", "/api/v1/metadata", "nightlight.metrics.read", tenant),
    route("POST", "/api/v1/write", "nightlight.metrics.write", {
      ...tenant,
      rawBody: { contentType: "application/x-protobuf", data: new Uint8Array([0]) },
    }),
    route("POST", "/internal/replica/select", "nightlight.metrics.read", {
      ...tenant,
      body: { matchers: [], mint: 0, maxt: 1 },
      bodyVariants: [{ matchers: [], mint: 0, maxt: 1 }],
    }),
    route("GET", "/internal/replica/tenants", "nightlight.metrics.read", tenant),
  ],
  apigateway: [
    route("POST", "/internal/v1/ratelimit/sync", "apigateway.ratelimits.update", {
      body: { deltas: {} },
      bodyVariants: [{ deltas: {} }],
    }),
    route("GET", "/internal/v1/routes", "apigateway.routes.list"),
  ],
};
