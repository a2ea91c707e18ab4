// The pure policy evaluator: a principal's bindings × a permission × a resource → allow or
// deny, with the reason. Deny by default; a binding never reaches beyond its scope.
import type { BindingConditions } from "./api.ts";

export type BindingScope =
  | { type: "cluster" }
  | { type: "org"; org: string }
  | { type: "project"; project: string };

export interface Binding {
  /** For reasons and audit: `rolebinding demo/alice-editor` or `clusterrolebinding root`. */
  id: string;
  principal: string;
  role: string;
  scope: BindingScope;
  conditions?: BindingConditions | undefined;
  /** The allow decision, precomputed by indexes so the hot path allocates nothing. */
  allow?: PolicyDecision;
}

export interface RoleRules {
  permissions: readonly string[];
  excluded: readonly string[];
}

export interface ResourceRef {
  project?: string | undefined;
  /** The project's organization, when it has one (org-scoped bindings need it). */
  org?: string | undefined;
  name?: string | undefined;
  /** Unknown labels (undefined) never satisfy a label condition. */
  labels?: Record<string, string> | undefined;
}

export interface PolicyDecision {
  allowed: boolean;
  reason: string;
  /** The binding that allowed it. */
  binding?: string;
}

/**
 * Wildcards work per segment: `*` matches exactly one whole segment (`creditservice.*.*`,
 * `*.quotas.get`); the pattern `*` alone matches every permission. No partial-segment globs.
 */
export function permissionMatches(pattern: string, permission: string): boolean {
  if (pattern === "*") return true;
  if (pattern === permission) return true;
  const p = pattern.split(".");
  const q = permission.split(".");
  if (p.length !== 3 || q.length !== 3) return false;
  return (
    (p[0] === "*" || p[0] === q[0]) && (p[1] === "*" || p[1] === q[1]) && (p[2] === "*" || p[2] === q[2])
  );
}

export function roleGrants(role: RoleRules, permission: string): boolean {
  return (
    role.permissions.some((p) => permissionMatches(p, permission)) &&
    !role.excluded.some((p) => permissionMatches(p, permission))
  );
}

/** Does the binding's scope contain the resource? Cluster contains everything, an org its projects, a project itself. */
export function scopeContains(scope: BindingScope, resource: ResourceRef): boolean {
  switch (scope.type) {
    case "cluster":
      return true;
    case "org":
      return resource.project !== undefined && resource.org === scope.org;
    case "project":
      return resource.project === scope.project;
  }
}

export function conditionsHold(c: BindingConditions | undefined, resource: ResourceRef): boolean {
  if (!c) return true;
  // A name condition cannot be checked on a list or create of the whole collection: deny.
  if (c.namePrefix !== undefined && (resource.name === undefined || !resource.name.startsWith(c.namePrefix)))
    return false;
  if (c.labels) {
    const have = resource.labels;
    if (!have) return false;
    for (const [k, v] of Object.entries(c.labels)) if (have[k] !== v) return false;
  }
  return true;
}

const describeScope = (s: BindingScope) =>
  s.type === "cluster" ? "the cluster" : s.type === "org" ? `organization ${s.org}` : `project ${s.project}`;
const describeResource = (r: ResourceRef) => (r.project ? `in project ${r.project}` : "at cluster level");

/** Permissions every authenticated principal holds on itself (whoami, changing its own password). */
export const selfPermission = /^iam\.self\.[a-z]+$/;

export const selfDecision: PolicyDecision = Object.freeze({
  allowed: true,
  reason: "every principal may act on itself",
});

export function allowDecision(b: Binding): PolicyDecision {
  return Object.freeze({
    allowed: true,
    reason: `role ${b.role} bound to ${b.principal} in ${describeScope(b.scope)} (${b.id})`,
    binding: b.id,
  });
}

/** What one binding says about a request: it allows it, it would but for its conditions, or nothing. */
export function bindingOutcome(
  b: Binding,
  role: RoleRules | undefined,
  permission: string,
  resource: ResourceRef,
): "allow" | "conditions" | "none" {
  if (!scopeContains(b.scope, resource)) return "none";
  if (!role || !roleGrants(role, permission)) return "none";
  return conditionsHold(b.conditions, resource) ? "allow" : "conditions";
}

export function denyDecision(
  principal: string,
  permission: string,
  resource: ResourceRef,
  sawConditional: boolean,
): PolicyDecision {
  return {
    allowed: false,
    reason: sawConditional
      ? `a binding of ${principal} grants ${permission} ${describeResource(resource)} only under conditions this request does not meet`
      : `no role binding of ${principal} grants ${permission} ${describeResource(resource)}`,
  };
}

export function evaluate(
  principal: string,
  bindings: Iterable<Binding>,
  roles: (name: string) => RoleRules | undefined,
  permission: string,
  resource: ResourceRef,
): PolicyDecision {
  if (selfPermission.test(permission)) return selfDecision;
  let sawConditional = false;
  for (const b of bindings) {
    const o = bindingOutcome(b, roles(b.role), permission, resource);
    if (o === "allow") return b.allow ?? allowDecision(b);
    if (o === "conditions") sawConditional = true;
  }
  return denyDecision(principal, permission, resource, sawConditional);
}
