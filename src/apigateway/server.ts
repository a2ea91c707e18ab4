// `photon apigateway`: the one front door. Learns each component's routes from its own
// OpenAPI document, verifies tokens at the edge, applies rate limits, and streams requests
// to healthy instances; the components still authorize every call themselves.
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { anonymous, type Principal } from "../core/api/auth.ts";
import { defineRoute } from "../core/api/route.ts";
import { ApiServer } from "../core/api/server.ts";
import { commonOptions, option } from "../core/config.ts";
import { ApiError } from "../core/errors.ts";
import { HttpClient } from "../core/http-client.ts";
import { Counter, createRegistry, Histogram, latencyBuckets } from "../core/metrics.ts";
import { defineRole } from "../core/role.ts";
import { aggregateOpenApi } from "./openapi-aggregate.ts";
import { forward } from "./proxy.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { type OpenApiDoc, RouteTable } from "./route-table.ts";
import { UpstreamPool } from "./upstream-pool.ts";

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
  accessLog: option(z.boolean(), true, "log every request (JSON, with request ids)"),
  refreshMs: option(z.number().int().min(100).max(600_000), 10_000, "how often backends' routes are re-read"),
};

const allMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

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

    const limiter = new RateLimiter({
      principal: { ratePerSecond: config.ratePerSecond, burst: config.rateBurst },
      project: { ratePerSecond: config.projectRatePerSecond, burst: config.projectRateBurst },
      peers: config.peers,
      syncIntervalMs: config.rateSyncMs,
      serviceToken: deps.serviceToken,
      log,
    });
    const proxied = new Counter({
      name: "photon_gateway_requests_total",
      help: "Requests proxied, by component and status",
      labelNames: ["component", "status"],
      registers: [registry],
    });
    const upstreamLatency = new Histogram({
      name: "photon_gateway_request_duration_seconds",
      help: "Time to proxy a request",
      labelNames: ["component"],
      buckets: latencyBuckets,
      registers: [registry],
    });

    const api = new ApiServer({
      name: "apigateway",
      logger: log,
      registry,
      auth: deps.auth,
      openApi: () => aggregateOpenApi(docs, "v1"),
      accessLog: config.accessLog,
      readiness: async () => (docs.size === 0 ? "no component's routes are known yet" : undefined),
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

    const cors = (req: FastifyRequest, reply: FastifyReply) => {
      const origin = req.headers.origin;
      if (!origin || !(config.corsOrigins.includes("*") || config.corsOrigins.includes(origin))) return false;
      reply.raw.setHeader("access-control-allow-origin", config.corsOrigins.includes("*") ? "*" : origin);
      reply.raw.setHeader("vary", "Origin");
      reply.raw.setHeader("access-control-expose-headers", "x-request-id, retry-after");
      return true;
    };

    const sendError = (reply: FastifyReply, err: ApiError, requestId: string) => {
      const res = reply.raw;
      if (res.headersSent) return void res.destroy();
      res.writeHead(err.status, { "content-type": "application/json", "x-request-id": requestId });
      res.end(JSON.stringify(err.toBody()));
    };

    await api.app.register(async (scope) => {
      // Bodies pass through untouched: no parsing, no buffering.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", (_req, _payload, done) => done(null));
      scope.route({
        method: [...allMethods],
        url: "/*",
        handler: async (req, reply) => {
          const started = performance.now();
          const path = req.url.split("?")[0]!;
          reply.hijack();
          const corsOk = cors(req, reply);
          let component = "none";
          try {
            if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
              const methods = table.methodsAt(path);
              if (!corsOk || methods.length === 0)
                throw new ApiError("NotFound", `no route for OPTIONS ${path}`);
              reply.raw.writeHead(204, {
                "access-control-allow-methods": methods.join(", "),
                "access-control-allow-headers": "authorization, content-type, x-request-id",
                "access-control-max-age": "600",
              });
              return void reply.raw.end();
            }
            const match = table.match(req.method, path);
            if (!match) {
              const methods = table.methodsAt(path);
              throw methods.length
                ? new ApiError(
                    "InvalidArgument",
                    `${req.method} is not allowed on ${path}; allowed: ${methods.join(", ")}`,
                  )
                : new ApiError(
                    "NotFound",
                    `no component serves ${req.method} ${path}; \`photon\` lists what exists`,
                  );
            }
            component = match.component;
            let principal: Principal = anonymous;
            if (!match.isPublic) {
              const who = await deps.auth.authenticate({ authorization: req.headers.authorization });
              if (!who)
                throw new ApiError(
                  "Unauthenticated",
                  "this call needs a token (Authorization: Bearer …); run `photon login`",
                );
              principal = who;
            }
            const project = /^\/v1\/projects\/([^/]+)/.exec(path)?.[1];
            const admitted = limiter.admit(
              principal === anonymous ? `ip:${req.ip}` : principal.subject,
              project,
            );
            if (!admitted.allowed) {
              reply.raw.setHeader("retry-after", String(admitted.retryAfterSeconds));
              throw new ApiError(
                "RateLimited",
                `rate limit reached for ${principal === anonymous ? "this address" : principal.name}${project ? ` or project ${project}` : ""}; retry after ${admitted.retryAfterSeconds} s`,
              );
            }
            const pool = pools.get(match.component);
            if (!pool) throw new ApiError("Unavailable", `no instance of ${match.component} is known`);
            await forward(req.raw, reply.raw, {
              component: match.component,
              upstream: pool,
              timeoutMs:
                config.routeTimeouts[`${req.method} ${match.template}`] ??
                config.routeTimeouts[match.component] ??
                config.timeoutMs,
              requestId: req.id,
              subject: principal === anonymous ? undefined : principal.subject,
              clientAddress: req.ip,
              attempts: config.attempts,
            });
          } catch (err) {
            const e = err instanceof ApiError ? err : new ApiError("Unavailable", (err as Error).message);
            if (e.status >= 500) req.log.warn({ err, component }, "proxy failed");
            sendError(reply, e, req.id);
          } finally {
            proxied.inc({ component, status: String(reply.raw.statusCode) });
            upstreamLatency.observe({ component }, (performance.now() - started) / 1000);
          }
        },
      });
    });

    await api.listen(config.listen, config.port);
    return {
      endpoints: { api: api.url() },
      async close() {
        clearInterval(refresher);
        limiter.close();
        await api.close();
        await Promise.all([...pools.values()].map((p) => p.close()));
      },
    };
  },
});
