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
  bindingOutcome,
  denyDecision,
  type PolicyDecision,
  type ResourceRef,
  type RoleRules,
  selfDecision,
  selfPermission,
} from "./policy.ts";

export interface AuthzEvent {
  type: WatchEventType;
  object: AnyResource;
}

interface SubjectBindings {
  cluster: Map<string, Binding>;
  org: Map<string, Map<string, Binding>>;
  project: Map<string, Map<string, Binding>>;
}

export interface VerifierKey extends SigningKeyPublic {
  key: KeyObject;
}

export class AuthzState {
  private readonly roles = new Map<string, RoleRules>();
  private readonly bySubject = new Map<string, SubjectBindings>();
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
    for (const [name, spec] of Object.entries(builtinRoles)) this.roles.set(name, spec);
  }

  apply(e: AuthzEvent): void {
    this.generation++;
    const o = e.object;
    const gone = e.type === "DELETED";
    switch (o.kind) {
      case "Role": {
        if (builtinRoles[o.metadata.name]) return;
        const spec = o.spec as RoleSpec;
        if (gone) this.roles.delete(o.metadata.name);
        else
          this.roles.set(o.metadata.name, { permissions: spec.permissions, excluded: spec.excluded ?? [] });
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
    for (const s of [subject, ...this.groupsOf(subject)]) {
      const sb = this.bySubject.get(s);
      if (!sb) continue;
      for (const b of sb.cluster.values()) out.push(b);
      if (project === undefined) continue;
      if (org !== undefined) for (const b of sb.org.get(org)?.values() ?? []) out.push(b);
      for (const b of sb.project.get(project)?.values() ?? []) out.push(b);
    }
    return out;
  }

  /** Every binding naming the subject directly or through a group (for whoami). */
  bindingsOf(subject: string): Binding[] {
    const out: Binding[] = [];
    for (const s of [subject, ...this.groupsOf(subject)]) {
      const sb = this.bySubject.get(s);
      if (!sb) continue;
      out.push(...sb.cluster.values());
      for (const m of sb.org.values()) out.push(...m.values());
      for (const m of sb.project.values()) out.push(...m.values());
    }
    return out;
  }

  /**
   * The evaluator's decision over the indexed candidates only: the bindings of the subject and
   * its groups at cluster level, in the project's organization and in the project. Walks the
   * index in place (no arrays built), so a decision costs the same at 10 or 10,000 projects.
   */
  authorize(subject: string, permission: string, resource: Omit<ResourceRef, "org">): PolicyDecision {
    if (selfPermission.test(permission)) return selfDecision;
    const project = resource.project;
    const ref: ResourceRef = { project, org: undefined, name: resource.name, labels: resource.labels };
    let orgKnown = false;
    let sawConditional = false;
    const check = (bs: Map<string, Binding> | undefined): PolicyDecision | undefined => {
      if (!bs) return undefined;
      for (const b of bs.values()) {
        const o = bindingOutcome(b, this.roles.get(b.role), permission, ref);
        if (o === "allow") return b.allow;
        if (o === "conditions") sawConditional = true;
      }
      return undefined;
    };
    const groups = this.memberOf.get(subject)?.values();
    for (let s: string | undefined = subject; s !== undefined; ) {
      const sb = this.bySubject.get(s);
      if (sb) {
        let d = sb.cluster.size ? check(sb.cluster) : undefined;
        if (!d && project !== undefined) {
          // The project's organization matters only to subjects with org-scoped bindings.
          if (sb.org.size && !orgKnown) {
            ref.org = this.projects.get(project);
            orgKnown = true;
          }
          d =
            (ref.org === undefined ? undefined : check(sb.org.get(ref.org))) ??
            check(sb.project.get(project));
        }
        if (d) return d;
      }
      const next = groups?.next();
      s = next && !next.done ? `group:${next.value}` : undefined;
    }
    return denyDecision(subject, permission, ref, sawConditional);
  }

  private addBinding(b: Binding): void {
    b.allow = allowDecision(b);
    this.bindings.set(b.id, b);
    const sb: SubjectBindings = this.bySubject.get(b.principal) ?? {
      cluster: new Map(),
      org: new Map(),
      project: new Map(),
    };
    this.bySubject.set(b.principal, sb);
    if (b.scope.type === "cluster") sb.cluster.set(b.id, b);
    else {
      const [map, key] = b.scope.type === "org" ? [sb.org, b.scope.org] : [sb.project, b.scope.project];
      const inner = map.get(key) ?? new Map<string, Binding>();
      map.set(key, inner);
      inner.set(b.id, b);
    }
  }

  private removeBinding(id: string): void {
    const b = this.bindings.get(id);
    if (!b) return;
    this.bindings.delete(id);
    const sb = this.bySubject.get(b.principal);
    if (!sb) return;
    if (b.scope.type === "cluster") sb.cluster.delete(id);
    else {
      const [map, key] = b.scope.type === "org" ? [sb.org, b.scope.org] : [sb.project, b.scope.project];
      const inner = map.get(key);
      inner?.delete(id);
      if (inner?.size === 0) map.delete(key);
    }
    if (sb.cluster.size === 0 && sb.org.size === 0 && sb.project.size === 0)
      this.bySubject.delete(b.principal);
  }

  private forgetRevocation(spec: RevocationSpec): void {
    if (spec.type === "token") this.revokedTokens.delete(spec.value);
    else if (spec.type === "session") this.revokedSessions.delete(spec.value);
    else this.revokedSubjects.delete(spec.value);
  }
}
