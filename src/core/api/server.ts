// The HTTP API framework every component serves through: fastify underneath, and once, for
// every route: request ids, access logs, zod validation, authentication and the permission
// check, deadlines, metrics, the one error body, /healthz, /readyz, /metrics, /openapi.json.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { Logger } from "pino";
import type { z } from "zod";
import { ApiError, codeForStatus, type ErrorBody } from "../errors.ts";
import { Counter, Histogram, latencyBuckets, type Registry } from "../metrics.ts";
import { type Authenticator, type Authorizer, anonymous, type Principal } from "./auth.ts";
import { openApiDocument } from "./openapi.ts";
import { type AnyRoute, fastifyPath } from "./route.ts";
import { describeZodError } from "./zod-message.ts";

export interface ApiServerOptions {
  name: string;
  version?: string;
  logger: Logger;
  registry: Registry;
  auth: Authenticator & Authorizer;
  /** Default request body limit; routes may override. */
  bodyLimitBytes?: number;
  /** Default handler deadline; routes may override. */
  requestTimeoutMs?: number;
  /** Log every request and its completion (on by default; benchmarks turn it off). */
  accessLog?: boolean;
  /** On close, cut connections still open after this long (servers with endless streams). */
  closeDrainMs?: number;
  /** Serves this document at /openapi.json instead of the one built from this server's routes. */
  openApi?: () => Record<string, unknown>;
  /** Resolves to undefined when ready, or to the reason it is not. */
  readiness?: () => Promise<string | undefined>;
}

export const apiDefaults = {
  bodyLimitBytes: 1_048_576,
  requestTimeoutMs: 30_000,
  /** Time allowed to receive a whole request from a client (slowloris bound). */
  receiveTimeoutMs: 60_000,
};

const principals = new WeakMap<FastifyRequest, Principal>();

export class ApiServer {
  readonly app: FastifyInstance;
  private readonly routes: AnyRoute[] = [];
  private draining = false;

  constructor(private readonly opts: ApiServerOptions) {
    this.app = Fastify({
      loggerInstance: opts.logger,
      bodyLimit: opts.bodyLimitBytes ?? apiDefaults.bodyLimitBytes,
      requestTimeout: apiDefaults.receiveTimeoutMs,
      genReqId: (req) => {
        const given = req.headers["x-request-id"];
        return typeof given === "string" && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
      },
      requestIdHeader: false,
      logController: new LogController({ disableRequestLogging: opts.accessLog === false }),
      return503OnClosing: true,
      forceCloseConnections: "idle",
    }) as unknown as FastifyInstance;
    const requests = new Counter({
      name: "photon_http_requests_total",
      help: "HTTP requests served, by route, method and status",
      labelNames: ["route", "method", "status"],
      registers: [opts.registry],
    });
    const latency = new Histogram({
      name: "photon_http_request_duration_seconds",
      help: "HTTP request handling time",
      labelNames: ["route", "method"],
      buckets: latencyBuckets,
      registers: [opts.registry],
    });
    this.app.addHook("onRequest", async (req, reply) => {
      reply.header("x-request-id", req.id);
    });
    this.app.addHook("onResponse", async (req, reply) => {
      const route = req.routeOptions.url ?? "unmatched";
      requests.inc({ route, method: req.method, status: String(reply.statusCode) });
      latency.observe({ route, method: req.method }, reply.elapsedTime / 1000);
    });
    this.app.setErrorHandler((err: FastifyError | ApiError, req, reply) => this.sendError(err, req, reply));
    this.app.setNotFoundHandler((req, reply) =>
      this.sendError(
        new ApiError("NotFound", `no route for ${req.method} ${req.url.split("?")[0]}`),
        req,
        reply,
      ),
    );
    this.addBuiltins();
  }

  add(...routes: AnyRoute[]): this {
    for (const r of routes) this.register(r);
    return this;
  }

  routeList(): readonly AnyRoute[] {
    return this.routes;
  }

  openApi(): Record<string, unknown> {
    return openApiDocument(`PhotonCloud ${this.opts.name}`, this.opts.version ?? "v1", this.routes);
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await this.app.listen({ host, port });
    return this.app.server.address() as AddressInfo;
  }

  url(): string {
    const a = this.app.server.address() as AddressInfo;
    const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
    return `http://${host}:${a.port}`;
  }

  /**
   * Stops accepting, lets in-flight requests finish (readyz turns 503 first). With
   * `closeDrainMs`, connections still open after that long are cut.
   */
  async close(): Promise<void> {
    this.draining = true;
    const drain = this.opts.closeDrainMs;
    const cut =
      drain === undefined ? undefined : setTimeout(() => this.app.server.closeAllConnections(), drain);
    try {
      await this.app.close();
    } finally {
      clearTimeout(cut);
    }
  }

  private addBuiltins(): void {
    const health = (text: string) => ({ status: text });
    // Probes, scrapes and the gateway's document polls come every few seconds: warn-level access logs only.
    const quiet = { logLevel: "warn" } as const;
    this.app.get("/healthz", quiet, async () => health("ok"));
    this.app.get("/readyz", quiet, async (_req, reply) => {
      const reason = this.draining ? "shutting down" : await this.opts.readiness?.();
      if (reason) return reply.code(503).send({ status: "unavailable", reason });
      return health("ready");
    });
    this.app.get("/metrics", quiet, async (_req, reply) => {
      reply.header("content-type", this.opts.registry.contentType);
      return this.opts.registry.metrics();
    });
    this.app.get("/openapi.json", quiet, async () =>
      this.opts.openApi ? this.opts.openApi() : this.openApi(),
    );
  }

  private register(route: AnyRoute): void {
    this.routes.push(route);
    const timeoutMs = route.timeoutMs ?? this.opts.requestTimeoutMs ?? apiDefaults.requestTimeoutMs;
    this.app.route({
      method: route.method,
      url: fastifyPath(route.path),
      ...(route.bodyLimitBytes ? { bodyLimit: route.bodyLimitBytes } : {}),
      ...(route.machineChatter ? { logLevel: "warn" } : {}),
      // Who is calling comes first, before the body is even read: a caller without a valid
      // token gets 401 whatever it sent, and learns nothing from validation errors.
      onRequest: async (req) => {
        principals.set(req, await this.authenticate(req, route));
      },
      handler: async (req, reply) => {
        const principal = principals.get(req) ?? anonymous;
        const params = parse("path", route.params, req.params);
        const query = parse("query", route.query, req.query);
        if (route.body && (req.body === undefined || req.body === null)) {
          throw new ApiError(
            "InvalidArgument",
            "a JSON request body is required (Content-Type: application/json)",
          );
        }
        const body = parse("body", route.body, req.body);
        // Then the permission, on the validated path: the project and name decided on are
        // exactly those the handler acts on.
        await this.authorize(req, route, principal, params);
        const controller = new AbortController();
        req.raw.once("close", () => controller.abort());
        const ctx = {
          params,
          query,
          body,
          principal,
          requestId: req.id,
          log: req.log,
          request: req,
          reply,
          signal: controller.signal,
        };
        const result = await withDeadline(Promise.resolve(route.handler(ctx)), timeoutMs, controller, route);
        if (reply.sent || reply.raw.headersSent) return reply;
        reply.code(route.successStatus ?? 200);
        return result === undefined ? reply.send() : reply.send(result);
      },
    });
  }

  private async authenticate(req: FastifyRequest, route: AnyRoute): Promise<Principal> {
    if (route.permission === "public") return anonymous;
    const principal = await this.opts.auth.authenticate({ authorization: req.headers.authorization });
    if (!principal)
      throw new ApiError(
        "Unauthenticated",
        "this call needs a token (Authorization: Bearer …); run `photon login`",
      );
    return principal;
  }

  private async authorize(
    req: FastifyRequest,
    route: AnyRoute,
    principal: Principal,
    params: unknown,
  ): Promise<void> {
    if (route.permission === "public") return;
    const p = (params ?? {}) as Record<string, unknown>;
    const project = typeof p.project === "string" ? p.project : undefined;
    const name = typeof p.name === "string" ? p.name : undefined;
    const decision = await this.opts.auth.authorize(principal, {
      permission: route.permission,
      project,
      name,
    });
    if (!decision.allowed) {
      req.log.warn(
        { principal: principal.subject, permission: route.permission, project, reason: decision.reason },
        "denied",
      );
      throw new ApiError(
        "PermissionDenied",
        `${principal.name} may not ${route.permission}${project ? ` in project ${project}` : ""}: ${decision.reason}`,
      );
    }
  }

  private sendError(
    err: FastifyError | ApiError | Error,
    req: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply {
    const apiErr = toApiError(err);
    if (apiErr.status >= 500) req.log.error({ err }, "request failed");
    else req.log.info({ code: apiErr.code, msg: apiErr.message }, "request rejected");
    if (reply.raw.headersSent) {
      reply.raw.destroy();
      return reply;
    }
    const body: ErrorBody = apiErr.toBody();
    if (apiErr.code === "Internal")
      body.error.message = `internal error; quote request id ${req.id} when reporting it`;
    return reply.code(apiErr.status).type("application/json").send(body);
  }
}

function parse<T>(where: string, schema: z.ZodType<T> | undefined, value: unknown): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new ApiError("InvalidArgument", describeZodError(where, r.error));
  return r.data;
}

async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  controller: AbortController,
  route: AnyRoute,
): Promise<T> {
  if (!timeoutMs) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new ApiError(
          "DeadlineExceeded",
          `${route.method} ${route.path} did not finish within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as FastifyError & { type?: string };
  if (e?.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return new ApiError("PayloadTooLarge", `request body is larger than this route accepts: ${e.message}`);
  }
  if (e?.code === "FST_ERR_CTP_INVALID_JSON_BODY" || (e instanceof SyntaxError && e.statusCode === 400)) {
    return new ApiError("InvalidArgument", `request body is not valid JSON: ${e.message}`);
  }
  if (e?.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return new ApiError("InvalidArgument", `unsupported Content-Type; send application/json (${e.message})`);
  }
  if (e?.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
    return new ApiError("InvalidArgument", "Content-Type is application/json but the body is empty");
  }
  if (typeof e?.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError(codeForStatus(e.statusCode), e.message);
  }
  return new ApiError("Internal", e?.message ?? String(err));
}
