// Public schemas of apigateway: tenant routes, by which a project publishes its own services
// (host + path prefix → an address inside its network) through the cloud's front door.
import { z } from "zod";
import { defineKind } from "../core/resource/kind.ts";
import { nameSchema } from "../core/resource/model.ts";

export const tenantRouteLimits = {
  /** Routes the gateway serves at most (all projects together); more are refused at create. */
  maxRoutes: 10_000,
  maxPathPrefixLength: 1024,
};

/** A DNS host name, lowercase, at least two labels (no IP literals: those are the cloud's own). */
const hostSchema = z
  .string()
  .max(253)
  .regex(
    /^(?=.*[a-z-])[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/,
    "host must be a lowercase DNS name with at least two labels, e.g. shop.example.com",
  );

export const routeTargetSchema = z.strictObject({
  /** http://ip:port (an address inside the project's network); an optional base path is prepended. */
  address: z
    .string()
    .max(1024)
    .url()
    .regex(/^https?:\/\//, "address must be an http:// or https:// URL"),
});

export const routeSpecSchema = z.strictObject({
  host: hostSchema,
  /** Requests whose path is this or below it ("/api" matches /api and /api/x, not /apix). */
  pathPrefix: z
    .string()
    .max(tenantRouteLimits.maxPathPrefixLength)
    .regex(/^\/[!-~]*$/, "pathPrefix must start with / and hold no spaces or control characters")
    .default("/"),
  target: routeTargetSchema,
  /** public: anyone; token: a token of someone allowed apigateway.routes.invoke in the project. */
  access: z.enum(["public", "token"]).default("token"),
  /** Remove the prefix from the path sent to the target. */
  stripPrefix: z.boolean().default(false),
});
export type RouteSpec = z.infer<typeof routeSpecSchema>;

export const routeKind = defineKind({
  component: "apigateway",
  apiVersion: "apigateway/v1",
  kind: "Route",
  plural: "routes",
  scope: "project",
  spec: routeSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "A tenant route: requests for host + path prefix go to an address of the project",
});

/**
 * Which project holds a host or a target address: one claim each, created atomically with the
 * route, so two projects can never share either. Internal; not exposed through the API.
 */
export const routeClaimKind = defineKind({
  component: "apigateway",
  apiVersion: "apigateway/v1",
  kind: "RouteClaim",
  plural: "routeclaims",
  scope: "cluster",
  spec: z.strictObject({ what: z.enum(["host", "target"]), value: z.string(), project: nameSchema }),
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "The project a tenant route host or target address belongs to",
});

/** The permission a token-protected tenant route asks of its caller, in the route's project. */
export const invokePermission = "apigateway.routes.invoke";
