// Which tenant route serves a request: by Host, then the longest path prefix. Pure: routes in,
// a matcher out; rebuilt whole when routes change, never mutated.
import type { RouteSpec } from "./api.ts";

export interface TenantRoute {
  project: string;
  name: string;
  spec: RouteSpec;
  /** The target URL without a trailing slash (its base path is prepended to the forwarded path). */
  origin: string;
  basePath: string;
}

export class TenantRouteTable {
  /** host → routes, longest prefix first */
  private readonly byHost = new Map<string, TenantRoute[]>();

  constructor(routes: Iterable<TenantRoute> = []) {
    for (const r of routes) {
      const list = this.byHost.get(r.spec.host) ?? [];
      list.push(r);
      this.byHost.set(r.spec.host, list);
    }
    for (const list of this.byHost.values())
      list.sort((a, b) => b.spec.pathPrefix.length - a.spec.pathPrefix.length);
  }

  get size(): number {
    return this.byHost.size;
  }

  /** Is this host one a tenant publishes? (The platform API answers every other host.) */
  hasHost(host: string): boolean {
    return this.byHost.has(host);
  }

  match(host: string, path: string): TenantRoute | undefined {
    const list = this.byHost.get(host);
    if (!list) return undefined;
    for (const r of list) if (underPrefix(path, r.spec.pathPrefix)) return r;
    return undefined;
  }
}

/** "/api" covers /api, /api/ and /api/x, not /apix; "/" and "/api/" cover what starts with them. */
export function underPrefix(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  return prefix.endsWith("/") || path.length === prefix.length || path.charCodeAt(prefix.length) === 47;
}

/** The request target sent to the route's address: base path + (stripped) path + query. */
export function targetFor(route: TenantRoute, requestTarget: string, path: string): string {
  const query = requestTarget.slice(path.length);
  let rest = path;
  if (route.spec.stripPrefix && route.spec.pathPrefix !== "/") {
    rest = path.slice(route.spec.pathPrefix.replace(/\/$/, "").length);
    if (!rest.startsWith("/")) rest = `/${rest}`;
  }
  const joined = route.basePath ? `${route.basePath}${rest === "/" && route.basePath ? "" : rest}` : rest;
  return `${joined || "/"}${query}`;
}

/** The Host header's name: lowercase, without the port, without a trailing dot. */
export function hostName(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  let h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) return h; // an IPv6 literal is never a tenant host
  const colon = h.indexOf(":");
  if (colon >= 0) h = h.slice(0, colon);
  if (h.endsWith(".")) h = h.slice(0, -1);
  return h;
}

export function toTenantRoute(project: string, name: string, spec: RouteSpec): TenantRoute {
  const u = new URL(spec.target.address);
  const basePath = u.pathname === "/" ? "" : u.pathname.replace(/\/$/, "");
  return { project, name, spec, origin: `${u.protocol}//${u.host}`, basePath };
}
