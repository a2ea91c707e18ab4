// A route is its schema: path, query and body are declared once as zod schemas, and
// validation, OpenAPI and handler types all come from that one declaration.
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Principal } from "./auth.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  requestId: string;
  log: FastifyBaseLogger;
  request: FastifyRequest;
  /** For streaming replies (watches); a handler that uses it returns undefined. */
  reply: FastifyReply;
  /** Aborted when the client goes away or the route's deadline passes. */
  signal: AbortSignal;
}

export interface RouteDef<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: HttpMethod;
  /** OpenAPI-style path: /v1/projects/{project}/quotas/{name} */
  path: string;
  summary: string;
  tags?: string[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response?: z.ZodType<R>;
  /** Status of a successful reply (200 unless said). */
  successStatus?: number;
  /**
   * The permission this route needs, `<component>.<resource>.<verb>`, or "public" for the few
   * routes anyone may call (health, discovery, the token endpoint).
   */
  permission: string | "public";
  /** Overrides the server's default body limit for this route. */
  bodyLimitBytes?: number;
  /** Deadline for the handler; a slow handler gets 504 DeadlineExceeded. 0 = none (streams). */
  timeoutMs?: number;
  /**
   * Machines call this route every few seconds (heartbeats): its access log lines are written
   * only at warn level, so they do not bury an operator's terminal.
   */
  machineChatter?: boolean;
  handler: (ctx: RouteContext<P, Q, B>) => Promise<R | undefined> | R | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of routes has to erase the types.
export type AnyRoute = RouteDef<any, any, any, any>;

export function defineRoute<P, Q, B, R>(def: RouteDef<P, Q, B, R>): RouteDef<P, Q, B, R> {
  return def;
}

/** `/v1/projects/{project}` → `/v1/projects/:project` */
export const fastifyPath = (path: string) => path.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1");
