// `photon apigateway`: the one front door. Learns each component's routes from its own
// OpenAPI document, verifies tokens at the edge, applies rate limits, and streams requests
// to healthy instances; the components still authorize every call themselves.
import type { Server } from "node:net";
import { z } from "zod";
import { resourceRoutes } from "../core/api/resource-routes.ts";
import { defineRoute } from "../core/api/route.ts";
import { ApiServer } from "../core/api/server.ts";
import { commonOptions, option } from "../core/config.ts";
import { ApiError } from "../core/errors.ts";
import { HttpClient } from "../core/http-client.ts";
import { createRegistry, latencyBuckets } from "../core/metrics.ts";
import { defineRole } from "../core/role.ts";
import { AccessLog } from "./access-log.ts";
import { invokePermission, type RouteSpec, routeKind, tenantRouteLimits } from "./api.ts";
import { AuthMemo } from "./auth-memo.ts";
import { EdgeServer } from "./edge-server.ts";
import { GatewayMetrics } from "./gateway-metrics.ts";
import { aggregateOpenApi } from "./openapi-aggregate.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { RequestIds } from "./request-id.ts";
import { type OpenApiDoc, RouteTable } from "./route-table.ts";
import { authorityOf, claim, defaultTenantCidrs, listRoutes, TargetPolicy } from "./tenant-route-policy.ts";
import { type TenantRoute, TenantRouteTable, toTenantRoute } from "./tenant-route-table.ts";
import { UpstreamPool } from "./upstream-pool.ts";
import { maxWorkers, type WorkerMessage, WorkerPool } from "./worker-processes.ts";

const urlList = z.string().transform((s) =>
  s
    .split("|")
    .map((u) => u.trim())
    .filter(Boolean),
);

export const apigatewayOptions = {
  ...commonOptions,
  port: option(z.number().int().min(0).max(65535), 8080, "HTTP port of the gateway"),
  backends: option(
    z.record(z.string(), z.union([urlList, z.array(z.string())])) as z.ZodType<
      Record<string, string | string[]>
    >,
    {},
    "component=url|url,… (photon up fills these in)",
  ),
  timeoutMs: option(z.number().int().min(1).max(3_600_000), 30_000, "time a backend has to start answering"),
  routeTimeouts: option(
    z.record(z.string(), z.number().int().min(1)),
    {},
    "per component or per 'METHOD /template': ms",
  ),
  attempts: option(z.number().int().min(1).max(10), 3, "instances tried for an idempotent call"),
  ratePerSecond: option(z.number().min(0.001), 200, "requests per second per principal"),
  rateBurst: option(z.number().min(1), 400, "burst per principal"),
  projectRatePerSecond: option(z.number().min(0.001), 1000, "requests per second per project"),
  projectRateBurst: option(z.number().min(1), 2000, "burst per project"),
  peers: option(z.array(z.string()), [], "other gateway replicas (URLs), sharing rate limits"),
  rateSyncMs: option(
    z.number().int().min(10).max(10_000),
    100,
    "how often replicas exchange rate-limit usage",
  ),
  corsOrigins: option(z.array(z.string()), [], "origins allowed by CORS ('*' for any)"),
  accessLog: option(
    z.boolean(),
    true,
    "log every request (JSON, with request ids; buffered, written every 250 ms)",
  ),
  bodyLimitBytes: option(
    z.number().int().min(0),
    5 * 1024 ** 3,
    "largest request body passed to a backend (bytes); larger gets 413",
  ),
  bodyLimits: option(
    z.record(z.string(), z.number().int().min(0)),
    {},
    "per component or per 'METHOD /template': bytes",
  ),
  workers: option(
    z.number().int().min(1).max(maxWorkers),
    1,
    "processes accepting on the gateway's port, like nginx's worker_processes (rate limits stay shared)",
  ),
  refreshMs: option(z.number().int().min(100).max(600_000), 10_000, "how often backends' routes are re-read"),
  tenantTargetCidrs: option(
    z.array(z.string()),
    defaultTenantCidrs,
    "networks a tenant route may send requests to (address/prefix,…)",
  ),
  reservedHosts: option(
    z.array(z.string()),
    ["localhost"],
    "host names of the cloud itself, which no tenant route may claim",
  ),
  tenantRefreshMs: option(
    z.number().int().min(50).max(60_000),
    1_000,
    "how often tenant routes are re-read from the store (other replicas' changes)",
  ),
};

export const apigatewayRole = defineRole({
  name: "apigateway",
  description: "the one authenticated front door to every component's API",
  options: apigatewayOptions,
  async start(config, deps) {
    const log = deps.log.child({ component: "apigateway" });
    const registry = createRegistry("apigateway");
    const pools = new Map<string, UpstreamPool>();
    const docs = new Map<string, OpenApiDoc>();
    let table = new RouteTable();

    const backendUrls = (): Map<string, string[]> => {
      const out = new Map<string, string[]>();
      for (const [name, url] of Object.entries(deps.endpoints))
        if (!name.includes(".") && name !== "apigateway") out.set(name, [url]);
      for (const [name, urls] of Object.entries(config.backends))
        out.set(name, Array.isArray(urls) ? urls : [urls]);
      return out;
    };

    const refresh = async () => {
      for (const [name, urls] of backendUrls()) {
        const pool = pools.get(name);
        if (pool) pool.setInstances(urls);
        else pools.set(name, new UpstreamPool(urls));
        for (const url of urls) {
          try {
            docs.set(
              name,
              await new HttpClient({ baseUrl: url, timeoutMs: 2000, attempts: 1 }).get<OpenApiDoc>(
                "/openapi.json",
              ),
            );
            break;
          } catch (err) {
            log.warn(
              { err, component: name, url },
              "cannot read the component's routes; keeping the last ones",
            );
          }
        }
      }
      const next = new RouteTable();
      for (const [name, doc] of docs) next.addDocument(name, doc);
      for (const c of next.conflicts) log.error(c, "two components declare the same route; the first wins");
      table = next;
    };
    await refresh();
    const refresher = setInterval(() => void refresh(), config.refreshMs);
    refresher.unref();

    // A worker process of a --workers gateway: the parent hands it the listening socket and
    // relays rate-limit usage.
    const isWorker = process.env.PHOTON_GATEWAY_WORKER === "1" && typeof process.send === "function";
    let workers: WorkerPool | undefined;
    const toParent = (m: WorkerMessage) => process.send?.(m);
    const limiter = new RateLimiter({
      siblings: isWorker
        ? (deltas) => toParent({ t: "rate", deltas })
        : config.workers > 1
          ? (deltas) => workers?.broadcast(deltas)
          : undefined,
      principal: { ratePerSecond: config.ratePerSecond, burst: config.rateBurst },
      project: { ratePerSecond: config.projectRatePerSecond, burst: config.projectRateBurst },
      peers: config.peers,
      syncIntervalMs: config.rateSyncMs,
      serviceToken: deps.serviceToken,
      log,
    });
    // Tenant routes: their REST API is served like any component's (a loopback ApiServer behind
    // the edge, so watches stream), and the routes themselves are read back from the store.
    const store = await deps.openStore("apigateway");
    const ownAuthorities = new Set<string>();
    const reservedTargets = () => {
      const out = new Set(ownAuthorities);
      for (const urls of backendUrls().values()) for (const u of urls) out.add(authorityOf(new URL(u)));
      for (const v of Object.values(deps.endpoints)) {
        try {
          out.add(authorityOf(new URL(v.includes("://") ? v : `http://${v}`)));
        } catch {
          // not an address
        }
      }
      return out;
    };
    const targetPolicy = new TargetPolicy(config.tenantTargetCidrs, reservedTargets, config.reservedHosts);
    const routesApi = new ApiServer({
      name: "apigateway",
      logger: log,
      registry: createRegistry("apigateway_routes"),
      auth: deps.auth,
    });
    routesApi.add(
      ...resourceRoutes(routeKind, store, {
        validate: async (spec, obj, previous) => {
          targetPolicy.check(spec);
          const project = obj.metadata.project as string;
          if (!previous && (await listRoutes(store)).length >= tenantRouteLimits.maxRoutes)
            throw new ApiError(
              "QuotaExceeded",
              `this gateway serves at most ${tenantRouteLimits.maxRoutes} tenant routes`,
            );
          await claim(store, project, "host", spec.host, obj.metadata.name);
          await claim(store, project, "target", authorityOf(new URL(spec.target.address)), obj.metadata.name);
        },
      }),
    );
    await routesApi.listen("127.0.0.1", 0);
    const routesPool = new UpstreamPool([routesApi.url()]);
    ownAuthorities.add(authorityOf(new URL(routesApi.url())));
    pools.set("apigateway", routesPool);
    docs.set("apigateway", routesApi.openApi() as OpenApiDoc);
    table.addDocument("apigateway", routesApi.openApi() as OpenApiDoc);

    let tenants = new TenantRouteTable();
    let tenantRevision = -1;
    const tenantPools = new Map<string, UpstreamPool>();
    const refreshTenants = async () => {
      const revision = await store.revision();
      if (revision === tenantRevision) return;
      const routes = (await listRoutes(store)).map((r) =>
        toTenantRoute(r.metadata.project as string, r.metadata.name, r.spec as RouteSpec),
      );
      tenants = new TenantRouteTable(routes);
      tenantRevision = revision;
      const used = new Set(routes.map((r) => r.origin));
      for (const [origin, pool] of tenantPools)
        if (!used.has(origin)) {
          tenantPools.delete(origin);
          void pool.close();
        }
    };
    await refreshTenants();
    const tenantRefresher = setInterval(
      () => void refreshTenants().catch((err) => log.warn({ err }, "cannot re-read tenant routes")),
      config.tenantRefreshMs,
    );
    tenantRefresher.unref();

    const api = new ApiServer({
      name: "apigateway",
      logger: log,
      registry,
      auth: deps.auth,
      openApi: () => aggregateOpenApi(docs, "v1"),
      // The gateway's own endpoints are few and rare; proxied requests are logged by AccessLog.
      accessLog: false,
      readiness: async () =>
        [...docs.keys()].some((k) => k !== "apigateway") ? undefined : "no component's routes are known yet",
    });
    api.add(
      defineRoute({
        method: "POST",
        path: "/internal/v1/ratelimit/sync",
        summary: "Rate-limit usage from a peer gateway replica",
        body: z.strictObject({
          deltas: z.record(z.string().max(300), z.number().int().min(0).max(1_000_000)),
        }),
        permission: "apigateway.ratelimits.update",
        handler: ({ body }) => {
          limiter.absorb(body.deltas);
          if (isWorker) toParent({ t: "rate", deltas: body.deltas, fromPeer: true });
          else workers?.broadcast(body.deltas);
          return { ok: true };
        },
      }),
      defineRoute({
        method: "GET",
        path: "/internal/v1/routes",
        summary: "The route table: which component serves which path",
        permission: "apigateway.routes.list",
        handler: () => ({
          components: Object.fromEntries(
            [...pools].map(([name, p]) => [
              name,
              { instances: p.urls(), routes: Object.keys(docs.get(name)?.paths ?? {}).length },
            ]),
          ),
        }),
      }),
    );

    const accessLog = new AccessLog(log, config.accessLog);
    const metrics = new GatewayMetrics(registry, latencyBuckets);
    const ownPaths = new Set([
      "/healthz",
      "/readyz",
      "/metrics",
      "/openapi.json",
      ...api.routeList().map((r) => r.path),
    ]);
    let draining = false;
    const edge = new EdgeServer({
      table: () => table,
      pool: (component) => pools.get(component),
      auth: new AuthMemo(deps.auth, () => performance.now()),
      requestIds: new RequestIds(),
      limiter,
      isOwnPath: (path) => ownPaths.has(path),
      serveOwn: async (head, requestId, body) => {
        const res = await api.app.inject({
          method: head.method as "GET",
          url: head.target,
          headers: {
            "x-request-id": requestId,
            ...(head.authorization ? { authorization: head.authorization } : {}),
            ...(head.contentType ? { "content-type": head.contentType } : {}),
          },
          ...(body ? { payload: body } : {}),
        });
        return { status: res.statusCode, headers: res.headers, body: res.rawPayload };
      },
      // Without per-route settings (the usual case) no key is built per request.
      timeoutMs: perRoute(config.routeTimeouts, config.timeoutMs),
      bodyLimitBytes: perRoute(config.bodyLimits, config.bodyLimitBytes),
      attempts: config.attempts,
      tenants: () => tenants,
      tenantPool: (route: TenantRoute) => {
        const known = tenantPools.get(route.origin);
        if (known) return known;
        const pool = new UpstreamPool([route.origin]);
        tenantPools.set(route.origin, pool);
        return pool;
      },
      mayInvoke: (principal, route) =>
        deps.auth.authorize(principal, {
          permission: invokePermission,
          project: route.project,
          name: route.name,
        }),
      corsOrigins: config.corsOrigins,
      draining: () => draining,
      now: () => performance.now(),
      done: (c, status) => {
        const ms = performance.now() - c.startedMs;
        metrics.observe(c.component, status, ms / 1000);
        if (status >= 500) log.warn({ status, component: c.component, reqId: c.requestId }, "proxy failed");
        if (accessLog.enabled)
          accessLog.add({
            timeMs: Date.now(),
            method: c.head?.method ?? "-",
            path: c.head?.path ?? "-",
            status,
            durationMs: ms,
            requestId: c.requestId,
            component: c.component,
            subject: c.subject,
            remote: c.remoteAddress,
          });
      },
    });

    await api.app.ready();
    if (isWorker) {
      process.on("message", (m: WorkerMessage, handle: unknown) => {
        if (m.t === "listen") edge.adopt(handle as Server);
        else if (m.t === "rate") limiter.absorb(m.deltas);
      });
      toParent({ t: "ready" });
    } else {
      await edge.listen(config.listen, config.port);
      ownAuthorities.add(authorityOf(new URL(edge.url())));
      if (config.workers > 1)
        workers = new WorkerPool({
          count: config.workers,
          server: edge.server,
          env: {
            PHOTON_GATEWAY_WORKER: "1",
            PHOTON_GATEWAY_WORKER_CONFIG: JSON.stringify({ ...config, workers: 1 }),
            PHOTON_GATEWAY_WORKER_ENDPOINTS: JSON.stringify(deps.endpoints),
          },
          log,
          onRate: (deltas, fromPeer, from) => {
            limiter.absorb(deltas, !fromPeer);
            workers?.broadcast(deltas, from);
          },
        });
    }
    return {
      endpoints: { api: isWorker ? "worker" : edge.url() },
      async close() {
        clearInterval(refresher);
        clearInterval(tenantRefresher);
        draining = true;
        limiter.close();
        await workers?.close();
        await edge.close(config.shutdownGraceMs);
        accessLog.close();
        await api.close();
        await Promise.all([...pools.values(), ...tenantPools.values()].map((p) => p.close()));
        await routesApi.close();
        await store.close();
      },
    };
  },
});

/** A per-route setting: "METHOD /template" first, then the component, then the default. */
function perRoute(
  settings: Record<string, number>,
  fallback: number,
): (method: string, match: { template: string; component: string }) => number {
  if (Object.keys(settings).length === 0) return () => fallback;
  return (method, match) => settings[`${method} ${match.template}`] ?? settings[match.component] ?? fallback;
}
