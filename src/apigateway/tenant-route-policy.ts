// What a project may publish as a tenant route: a host no other project holds, and a target
// that is an IP address inside the networks the operator allows (never the cloud's own
// endpoints, never an address another project already routes to). Claims are resources
// created atomically, so two projects racing for one host cannot both win.
import { createHash } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { ApiError } from "../core/errors.ts";
import type { AnyResource } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import { type RouteSpec, routeClaimKind, routeKind, tenantRouteLimits } from "./api.ts";

/** Networks tenant addresses may be in by default: the private ranges VPCs use (not loopback, where a single node's control plane listens). */
export const defaultTenantCidrs = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "fd00::/8",
];

export class TargetPolicy {
  private readonly allowed = new BlockList();

  /**
   * @param cidrs networks a target address may be in
   * @param reserved host:port pairs a route may never target (the cloud's own endpoints)
   * @param reservedHosts host names a route may never claim (the cloud's own API names)
   */
  constructor(
    readonly cidrs: readonly string[],
    private readonly reserved: () => Set<string>,
    private readonly reservedHosts: readonly string[],
  ) {
    for (const c of cidrs) {
      const [addr, bits] = c.split("/");
      const family = isIP(addr ?? "");
      if (!family || bits === undefined || !/^\d+$/.test(bits))
        throw new Error(`--tenant-target-cidrs: "${c}" is not an address/prefix`);
      this.allowed.addSubnet(addr!, Number(bits), family === 6 ? "ipv6" : "ipv4");
    }
  }

  /** Throws the answer a person can act on when the spec may not be served. */
  check(spec: RouteSpec): void {
    if (this.reservedHosts.includes(spec.host))
      throw new ApiError(
        "InvalidArgument",
        `host ${spec.host} is the cloud's own; choose a name of your domain`,
      );
    const u = new URL(spec.target.address);
    const ip = u.hostname.replace(/^\[|\]$/g, "");
    const family = isIP(ip);
    if (!family)
      throw new ApiError(
        "InvalidArgument",
        `target address ${spec.target.address} must name an IP address (an address inside the project's network), not a host name`,
      );
    if (!this.allowed.check(ip, family === 6 ? "ipv6" : "ipv4"))
      throw new ApiError(
        "FailedPrecondition",
        `target ${ip} is outside the networks tenant routes may reach (${this.cidrs.join(", ") || "none"}; the operator sets them with --tenant-target-cidrs)`,
      );
    if (this.reserved().has(authorityOf(u)))
      throw new ApiError("PermissionDenied", `target ${u.host} is one of the cloud's own endpoints`);
  }
}

/** host:port of a URL, with the scheme's default port filled in. */
export function authorityOf(u: URL): string {
  const host = u.hostname.replace(/^\[|\]$/g, "");
  return `${host}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
}

/** The claim of a host or target is named by a hash of it: a valid resource name whatever the value. */
const claimName = (what: "host" | "target", value: string) =>
  `${what[0]}${createHash("sha256").update(`${what}\0${value}`).digest("hex").slice(0, 40)}`;

/** Every route (of one project, or of all), page by page. */
export async function listRoutes(store: ResourceStore, project?: string): Promise<AnyResource[]> {
  const out: AnyResource[] = [];
  let cont: string | undefined;
  do {
    const page = await store.list(routeKind.kind, project, {
      limit: 1000,
      ...(cont ? { continue: cont } : {}),
    });
    out.push(...page.items);
    cont = page.continue;
  } while (cont && out.length < tenantRouteLimits.maxRoutes * 2);
  return out;
}

/** Does a project still route the value? (A claim whose holder no longer does is stale.) */
async function stillUses(store: ResourceStore, project: string, what: "host" | "target", value: string) {
  return (await listRoutes(store, project)).some((r) => {
    const spec = r.spec as RouteSpec;
    return what === "host" ? spec.host === value : authorityOf(new URL(spec.target.address)) === value;
  });
}

/** Claims a host or target address for a project; one left behind by routes since changed is taken over. */
export async function claim(
  store: ResourceStore,
  project: string,
  what: "host" | "target",
  value: string,
  thisRoute: string,
): Promise<void> {
  const name = claimName(what, value);
  const want = { what, value, project };
  const obj: AnyResource = {
    apiVersion: routeClaimKind.apiVersion,
    kind: routeClaimKind.kind,
    metadata: { name, uid: "", revision: 0, labels: {}, annotations: {}, createdAt: "", updatedAt: "" },
    spec: want,
    status: {},
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await store.create(obj);
      return;
    } catch (e) {
      if ((e as ApiError).code !== "AlreadyExists") throw e;
    }
    const existing = await store.get({ kind: routeClaimKind.kind, name });
    if (!existing) continue;
    const held = existing.spec as typeof want;
    if (held.project === project) return;
    if (await stillUses(store, held.project, what, value))
      throw new ApiError(
        "AlreadyExists",
        what === "host"
          ? `host ${value} belongs to another project; route ${thisRoute} cannot use it`
          : `target ${value} is already routed by another project; route ${thisRoute} cannot use it`,
      );
    try {
      await store.update({ ...existing, spec: want }, { revision: existing.metadata.revision });
      return;
    } catch (e) {
      if ((e as ApiError).code !== "Conflict") throw e;
    }
  }
  throw new ApiError("Conflict", `${what} ${value} is being claimed concurrently; retry`);
}
