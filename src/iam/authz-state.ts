// Everything a verifier needs to decide without a network hop, kept current from iam's
// authz feed: roles, bindings indexed by principal and scope, group memberships, projects'
// organizations, active principals, the revocation list and the public signing keys.
// No I/O: the feed (authz-feed.ts / client.ts) applies events; the verifier reads.
import { createPublicKey, type KeyObject } from "node:crypto";
import type { AnyResource } from "../core/resource/model.ts";
import type { WatchEventType } from "../core/resource/store.ts";
import {
  builtinRoles,
  type ClusterRoleBindingSpec,
  type GroupSpec,
  type ProjectSpec,
  type RevocationSpec,
  type RoleBindingSpec,
  type RoleSpec,
  type ServiceAccountSpec,
  type SigningKeyPublic,
  type UserSpec,
} from "./api.ts";
import {
  allowDecision,
  type Binding,
  conditionsHold,
  denyDecision,
  type PolicyDecision,
  type ResourceRef,
  type RoleRules,
  roleGrants,
  selfDecision,
  selfPermission,
} from "./policy.ts";

export interface AuthzEvent {
  type: WatchEventType;
  object: AnyResource;
}

/** Permissions remembered per role as granted or not; cleared when full (any string can be asked). */
export const roleGrantMemoSize = 1024;

/** A role as bindings see it: changed in place when the role changes, so bindings need no update. */
interface RoleEntry {
  rules: RoleRules | undefined;
  /** permission → granted, filled as decisions ask. */
  grants: Map<string, boolean>;
}

/**
 * One binding in the decision index: just what a decision reads, in one small object, and a
 * link to the next binding of the same principal in the same scope (usually there is none).
 */
interface Grant {
  binding: Binding;
  role: RoleEntry;
  conditions: Binding["conditions"];
  allow: PolicyDecision;
  next: Grant | undefined;
}

/**
 * A principal's project-scoped grants, compact: the projects it is bound in and, at the same
 * index, the grants there. A decision finds the principal with one hash lookup on its
 * subject (a string whose hash is already known) and scans a short array — no key string
 * built and hashed per request, and a handful of cache lines per principal whatever the
 * number of projects. A principal bound in many projects (a group, an operator) also gets a
 * map, so its lookups stay O(1).
 */
interface ProjectGrants {
  projects: string[];
  grants: Grant[];
  byProject: Map<string, Grant> | undefined;
}

/** Beyond this many projects a principal's grants are looked up in a map instead of scanned. */
export const projectScanLimit = 16;

export interface VerifierKey extends SigningKeyPublic {
  key: KeyObject;
}

/** scan()'s answer when a grant would allow but for its conditions (the deny reason says so). */
const conditional = Symbol("conditional");

export class AuthzState {
  private readonly roles = new Map<string, RoleEntry>();
  /**
   * The decision index, so that a decision costs a few hash lookups whatever the number of
   * projects: cluster grants by principal, org grants by `org NUL principal`, project grants
   * by principal as a compact array (ProjectGrants). Keying project grants by
   * `project NUL principal` built and hashed a new string on every decision and scattered a
   * principal's grants over a table of every binding: at 10,000 projects a decision cost
   * twice what it cost at 10; with the compact array it costs about the same.
   */
  private readonly clusterGrants = new Map<string, Grant>();
  private readonly orgGrants = new Map<string, Grant>();
  private readonly projectGrants = new Map<string, ProjectGrants>();
  /** Principals holding org-scoped bindings, and how many: only they need the project's org. */
  private readonly orgBound = new Map<string, number>();
  /** Every binding of a principal, for whoami (never on the decision path). */
  private readonly bySubject = new Map<string, Set<Binding>>();
  /** binding id → binding, to find what a MODIFIED/DELETED event replaces. */
  private readonly bindings = new Map<string, Binding>();
  private readonly groupMembers = new Map<string, Set<string>>();
  private readonly memberOf = new Map<string, Set<string>>();
  private readonly projects = new Map<string, string | undefined>();
  private readonly users = new Map<string, { disabled: boolean; displayName: string }>();
  private readonly serviceAccounts = new Map<string, { disabled: boolean }>();
  private readonly revokedTokens = new Map<string, number>();
  private readonly revokedSessions = new Map<string, number>();
  private readonly revokedSubjects = new Map<string, { issuedBeforeMs: number; expiresAt: number }>();
  readonly keys = new Map<string, VerifierKey>();
  /** Bumped on every applied event, so caches keyed on it know when to drop. */
  generation = 0;

  constructor() {
    // Built-in roles hold even before the feed delivers them (they cannot change anyway).
    for (const [name, spec] of Object.entries(builtinRoles)) this.setRole(name, spec);
  }

  apply(e: AuthzEvent): void {
    this.generation++;
    const o = e.object;
    const gone = e.type === "DELETED";
    switch (o.kind) {
      case "Role": {
        if (builtinRoles[o.metadata.name]) return;
        const spec = o.spec as RoleSpec;
        this.setRole(
          o.metadata.name,
          gone ? undefined : { permissions: spec.permissions, excluded: spec.excluded ?? [] },
        );
        return;
      }
      case "RoleBinding": {
        const spec = o.spec as RoleBindingSpec;
        const project = o.metadata.project ?? "";
        const id = `rolebinding ${project}/${o.metadata.name}`;
        this.removeBinding(id);
        if (!gone)
          this.addBinding({
            id,
            principal: spec.principal,
            role: spec.role,
            scope: { type: "project", project },
            conditions: spec.conditions,
          });
        return;
      }
      case "ClusterRoleBinding": {
        const spec = o.spec as ClusterRoleBindingSpec;
        const id = `clusterrolebinding ${o.metadata.name}`;
        this.removeBinding(id);
        if (!gone)
          this.addBinding({
            id,
            principal: spec.principal,
            role: spec.role,
            scope: spec.scope,
            conditions: spec.conditions,
          });
        return;
      }
      case "Group": {
        const group = o.metadata.name;
        for (const m of this.groupMembers.get(group) ?? []) this.memberOf.get(m)?.delete(group);
        this.groupMembers.delete(group);
        if (gone) return;
        const members = new Set((o.spec as GroupSpec).members);
        this.groupMembers.set(group, members);
        for (const m of members) {
          const set = this.memberOf.get(m) ?? new Set<string>();
          this.memberOf.set(m, set);
          set.add(group);
        }
        return;
      }
      case "Project":
        if (gone) this.projects.delete(o.metadata.name);
        else this.projects.set(o.metadata.name, (o.spec as ProjectSpec).organization);
        return;
      case "User": {
        const spec = o.spec as UserSpec;
        if (gone) this.users.delete(o.metadata.name);
        else
          this.users.set(o.metadata.name, {
            disabled: spec.disabled,
            displayName: spec.displayName || o.metadata.name,
          });
        return;
      }
      case "ServiceAccount": {
        const key = `${o.metadata.project}/${o.metadata.name}`;
        if (gone) this.serviceAccounts.delete(key);
        else this.serviceAccounts.set(key, { disabled: (o.spec as ServiceAccountSpec).disabled });
        return;
      }
      case "Revocation": {
        const spec = o.spec as RevocationSpec;
        // Removal only happens once the entry has expired, so deleting it changes no decision.
        if (gone) {
          this.forgetRevocation(spec);
          return;
        }
        if (spec.type === "token") this.revokedTokens.set(spec.value, spec.expiresAt);
        else if (spec.type === "session") this.revokedSessions.set(spec.value, spec.expiresAt);
        else
          this.revokedSubjects.set(spec.value, {
            issuedBeforeMs: spec.issuedBeforeMs ?? spec.expiresAt * 1000,
            expiresAt: spec.expiresAt,
          });
        return;
      }
      case "SigningKey": {
        const spec = o.spec as SigningKeyPublic;
        if (gone) this.keys.delete(spec.kid);
        else
          this.keys.set(spec.kid, {
            ...spec,
            key: createPublicKey({ key: spec.publicJwk as never, format: "jwk" }),
          });
        return;
      }
    }
  }

  /** Groups the subject belongs to, as `group:<name>` subjects. */
  groupsOf(subject: string): string[] {
    return [...(this.memberOf.get(subject) ?? [])].map((g) => `group:${g}`);
  }

  orgOf(project: string): string | undefined {
    return this.projects.get(project);
  }

  projectCount(): number {
    return this.projects.size;
  }

  bindingCount(): number {
    return this.bindings.size;
  }

  /** Is the subject a known, enabled user or service account? */
  subjectActive(subject: string): { active: boolean; name: string; reason?: string } {
    if (subject.startsWith("user:")) {
      const u = this.users.get(subject.slice(5));
      if (!u) return { active: false, name: subject, reason: "the user no longer exists" };
      return u.disabled
        ? { active: false, name: u.displayName, reason: "the user is disabled" }
        : { active: true, name: u.displayName };
    }
    if (subject.startsWith("serviceaccount:")) {
      const sa = this.serviceAccounts.get(subject.slice(15));
      if (!sa) return { active: false, name: subject, reason: "the service account no longer exists" };
      return sa.disabled
        ? { active: false, name: subject, reason: "the service account is disabled" }
        : { active: true, name: subject };
    }
    return { active: false, name: subject, reason: "unknown kind of principal" };
  }

  /** Why a token is revoked, or undefined. Times in epoch seconds. */
  revoked(claims: {
    jti: string;
    sid?: string | undefined;
    sub: string;
    iat: number;
    iat_ms?: number | undefined;
  }): string | undefined {
    if (this.revokedTokens.has(claims.jti)) return "the token has been revoked";
    if (claims.sid && this.revokedSessions.has(claims.sid)) return "the session has been revoked";
    const s = this.revokedSubjects.get(claims.sub);
    if (s && (claims.iat_ms ?? claims.iat * 1000) < s.issuedBeforeMs)
      return "every token of this principal issued before its revocation is revoked";
    return undefined;
  }

  revocationCount(): number {
    return this.revokedTokens.size + this.revokedSessions.size + this.revokedSubjects.size;
  }

  /** The bindings that could apply to a request in `project` (or at cluster level), via the index. */
  candidateBindings(subject: string, project: string | undefined): Binding[] {
    const out: Binding[] = [];
    const org = project === undefined ? undefined : this.projects.get(project);
    const collect = (g: Grant | undefined) => {
      for (; g; g = g.next) out.push(g.binding);
    };
    for (const s of [subject, ...this.groupsOf(subject)]) {
      collect(this.clusterGrants.get(s));
      if (project === undefined) continue;
      if (org !== undefined) collect(this.orgGrants.get(`${org}\0${s}`));
      collect(this.projectGrant(s, project));
    }
    return out;
  }

  /** Every binding naming the subject directly or through a group (for whoami). */
  bindingsOf(subject: string): Binding[] {
    const out: Binding[] = [];
    for (const s of [subject, ...this.groupsOf(subject)]) out.push(...(this.bySubject.get(s) ?? []));
    return out;
  }

  /**
   * The evaluator's decision over the indexed candidates only: the bindings of the subject and
   * its groups at cluster level, in the project's organization and in the project — at most
   * three hash lookups per principal, so a decision costs the same at 10 or 10,000 projects.
   * Allocates nothing when it allows without conditions.
   */
  authorize(subject: string, permission: string, resource: Omit<ResourceRef, "org">): PolicyDecision {
    if (permission.startsWith("iam.self.") && selfPermission.test(permission)) return selfDecision;
    const project = resource.project;
    const ref: ResourceRef = { project, org: undefined, name: resource.name, labels: resource.labels };
    let orgKnown = false;
    let sawConditional = false;
    const groups = this.memberOf.get(subject)?.values();
    for (let s: string | undefined = subject; s !== undefined; ) {
      const c = this.scan(this.clusterGrants.get(s), permission, ref);
      if (c === conditional) sawConditional = true;
      else if (c) return c;
      if (project !== undefined) {
        // The project's organization matters only to principals with org-scoped bindings.
        if (this.orgBound.has(s)) {
          if (!orgKnown) {
            ref.org = this.projects.get(project);
            orgKnown = true;
          }
          const o =
            ref.org === undefined
              ? undefined
              : this.scan(this.orgGrants.get(`${ref.org}\0${s}`), permission, ref);
          if (o === conditional) sawConditional = true;
          else if (o) return o;
        }
        const p = this.scan(this.projectGrant(s, project), permission, ref);
        if (p === conditional) sawConditional = true;
        else if (p) return p;
      }
      const next = groups?.next();
      s = next && !next.done ? `group:${next.value}` : undefined;
    }
    return denyDecision(subject, permission, ref, sawConditional);
  }

  /** The chain of the principal's grants in the project. */
  private projectGrant(principal: string, project: string): Grant | undefined {
    const pg = this.projectGrants.get(principal);
    if (pg === undefined) return undefined;
    if (pg.byProject !== undefined) return pg.byProject.get(project);
    const ps = pg.projects;
    for (let i = 0; i < ps.length; i++) if (ps[i] === project) return pg.grants[i];
    return undefined;
  }

  private setProjectGrant(principal: string, project: string, g: Grant | undefined): void {
    let pg = this.projectGrants.get(principal);
    if (pg === undefined) {
      if (g === undefined) return;
      pg = { projects: [], grants: [], byProject: undefined };
      this.projectGrants.set(principal, pg);
    }
    const i = pg.projects.indexOf(project);
    if (g === undefined) {
      if (i < 0) return;
      // Swap-remove: order does not matter, each project appears once.
      const last = pg.projects.length - 1;
      pg.projects[i] = pg.projects[last]!;
      pg.grants[i] = pg.grants[last]!;
      pg.projects.pop();
      pg.grants.pop();
      pg.byProject?.delete(project);
      if (pg.projects.length === 0) this.projectGrants.delete(principal);
      else if (pg.projects.length <= projectScanLimit / 2) pg.byProject = undefined;
      return;
    }
    if (i >= 0) pg.grants[i] = g;
    else {
      pg.projects.push(project);
      pg.grants.push(g);
    }
    if (pg.byProject !== undefined) pg.byProject.set(project, g);
    else if (pg.projects.length > projectScanLimit)
      pg.byProject = new Map(pg.projects.map((p, j) => [p, pg.grants[j]!]));
  }

  /** The first grant in the chain that allows; `conditional` if one would but for its conditions. */
  private scan(
    g: Grant | undefined,
    permission: string,
    ref: ResourceRef,
  ): PolicyDecision | typeof conditional | undefined {
    let saw = false;
    for (; g; g = g.next) {
      if (!this.grants(g.role, permission)) continue;
      if (g.conditions === undefined || conditionsHold(g.conditions, ref)) return g.allow;
      saw = true;
    }
    return saw ? conditional : undefined;
  }

  /** Does the role grant the permission? Memoized per role: roles hold a handful of patterns, asked the same few permissions. */
  private grants(role: RoleEntry, permission: string): boolean {
    const known = role.grants.get(permission);
    if (known !== undefined) return known;
    const granted = role.rules !== undefined && roleGrants(role.rules, permission);
    if (role.grants.size >= roleGrantMemoSize) role.grants.clear();
    role.grants.set(permission, granted);
    return granted;
  }

  private roleEntry(name: string): RoleEntry {
    let e = this.roles.get(name);
    if (!e) {
      e = { rules: undefined, grants: new Map() };
      this.roles.set(name, e);
    }
    return e;
  }

  /** Changes the entry in place (bindings point at it); undefined = the role is gone. */
  private setRole(name: string, rules: RoleRules | undefined): void {
    const e = this.roleEntry(name);
    e.rules = rules;
    e.grants = new Map();
  }

  /** The head of the chain of grants the binding belongs to. */
  private chainOf(b: Binding): Grant | undefined {
    switch (b.scope.type) {
      case "cluster":
        return this.clusterGrants.get(b.principal);
      case "org":
        return this.orgGrants.get(`${b.scope.org}\0${b.principal}`);
      case "project":
        return this.projectGrant(b.principal, b.scope.project);
    }
  }

  private setChain(b: Binding, head: Grant | undefined): void {
    const set = (m: Map<string, Grant>, key: string) => (head ? m.set(key, head) : m.delete(key));
    switch (b.scope.type) {
      case "cluster":
        set(this.clusterGrants, b.principal);
        return;
      case "org":
        set(this.orgGrants, `${b.scope.org}\0${b.principal}`);
        return;
      case "project":
        this.setProjectGrant(b.principal, b.scope.project, head);
        return;
    }
  }

  private addBinding(b: Binding): void {
    b.allow = allowDecision(b);
    this.bindings.set(b.id, b);
    const set = this.bySubject.get(b.principal) ?? new Set<Binding>();
    this.bySubject.set(b.principal, set);
    set.add(b);
    this.setChain(b, {
      binding: b,
      role: this.roleEntry(b.role),
      conditions: b.conditions,
      allow: b.allow,
      next: this.chainOf(b),
    });
    if (b.scope.type === "org") this.orgBound.set(b.principal, (this.orgBound.get(b.principal) ?? 0) + 1);
  }

  private removeBinding(id: string): void {
    const b = this.bindings.get(id);
    if (!b) return;
    this.bindings.delete(id);
    const set = this.bySubject.get(b.principal);
    set?.delete(b);
    if (set?.size === 0) this.bySubject.delete(b.principal);
    let kept: Grant | undefined;
    for (let g = this.chainOf(b); g; g = g.next) if (g.binding !== b) kept = { ...g, next: kept };
    this.setChain(b, kept);
    if (b.scope.type === "org") {
      const n = (this.orgBound.get(b.principal) ?? 1) - 1;
      if (n > 0) this.orgBound.set(b.principal, n);
      else this.orgBound.delete(b.principal);
    }
  }

  private forgetRevocation(spec: RevocationSpec): void {
    if (spec.type === "token") this.revokedTokens.delete(spec.value);
    else if (spec.type === "session") this.revokedSessions.delete(spec.value);
    else this.revokedSubjects.delete(spec.value);
  }
}
