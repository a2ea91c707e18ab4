// Property tests of the pure policy evaluator and of the binding index that serves it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { builtinRoles } from "../../src/iam/api.ts";
import { AuthzState } from "../../src/iam/authz-state.ts";
import { resourceOf } from "../../src/iam/internal-kinds.ts";
import {
  type Binding,
  type BindingScope,
  evaluate,
  permissionMatches,
  type RoleRules,
  roleGrants,
} from "../../src/iam/policy.ts";

const word = fc.constantFrom(
  "creditservice",
  "iam",
  "quotas",
  "vms",
  "get",
  "list",
  "create",
  "delete",
  "update",
  "x",
);
const permission = fc.tuple(word, word, word).map(([a, b, c]) => `${a}.${b}.${c}`);
const patternSeg = fc.oneof(word, fc.constant("*"));
const pattern = fc.oneof(
  { weight: 1, arbitrary: fc.constant("*") },
  { weight: 6, arbitrary: fc.tuple(patternSeg, patternSeg, patternSeg).map(([a, b, c]) => `${a}.${b}.${c}`) },
);
const project = fc.constantFrom("a", "b", "c", "d");
const org = fc.constantFrom("o1", "o2");
const subject = fc.constantFrom("user:alice", "user:bob", "group:devs", "serviceaccount:a/ci");
const scope: fc.Arbitrary<BindingScope> = fc.oneof(
  fc.constant({ type: "cluster" as const }),
  org.map((o) => ({ type: "org" as const, org: o })),
  project.map((p) => ({ type: "project" as const, project: p })),
);
const roleName = fc.constantFrom("admin", "editor", "viewer", "custom-1", "custom-2");
const conditions = fc.option(
  fc.record(
    { namePrefix: fc.option(fc.constantFrom("web-", "db-"), { nil: undefined }) },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
const binding: fc.Arbitrary<Binding> = fc
  .record({ principal: subject, role: roleName, scope, conditions })
  .map((b) => ({ ...b, id: "b" }));
const customRoles = fc.record({
  "custom-1": fc.array(pattern, { minLength: 1, maxLength: 3 }),
  "custom-2": fc.array(pattern, { minLength: 1, maxLength: 3 }),
});
const orgOfProject: Record<string, string | undefined> = { a: "o1", b: "o1", c: "o2", d: undefined };

function rolesFrom(custom: Record<string, string[]>): (n: string) => RoleRules | undefined {
  return (n) => builtinRoles[n] ?? (custom[n] ? { permissions: custom[n]!, excluded: [] } : undefined);
}

/** The documented wildcard semantics, written independently: `*` alone is everything, else segment-wise. */
function referenceMatch(p: string, perm: string): boolean {
  if (p === "*") return true;
  const ps = p.split(".");
  const qs = perm.split(".");
  return ps.length === 3 && ps.every((s, i) => s === "*" || s === qs[i]);
}

const resource = fc.record({
  project: fc.option(project, { nil: undefined }),
  name: fc.option(fc.constantFrom("web-1", "db-1", "cache"), { nil: undefined }),
});

describe("policy evaluator properties", () => {
  test("deny by default: no bindings, no access (except acting on oneself)", () => {
    fc.assert(
      fc.property(subject, permission, resource, (s, p, r) => {
        const d = evaluate(s, [], rolesFrom({}), p, {
          ...r,
          org: r.project ? orgOfProject[r.project] : undefined,
        });
        assert.equal(d.allowed, false);
        assert.match(d.reason, /no role binding/);
      }),
    );
  });

  test("wildcards match exactly as documented: per whole segment, `*` alone matches all", () => {
    fc.assert(
      fc.property(pattern, permission, (pat, perm) =>
        assert.equal(permissionMatches(pat, perm), referenceMatch(pat, perm)),
      ),
    );
    assert.ok(permissionMatches("creditservice.*.*", "creditservice.quotas.get"));
    assert.ok(permissionMatches("*.quotas.get", "creditservice.quotas.get"));
    assert.ok(
      !permissionMatches("credit*.quotas.get", "creditservice.quotas.get"),
      "no partial-segment globs",
    );
    assert.ok(
      !permissionMatches("creditservice.*", "creditservice.quotas.get"),
      "a pattern has three segments or is *",
    );
  });

  test("a binding's scope never widens: a project binding grants nothing elsewhere, an org binding nothing outside its org", () => {
    fc.assert(
      fc.property(binding, customRoles, permission, resource, (b, custom, p, r) => {
        const ref = { ...r, org: r.project ? orgOfProject[r.project] : undefined };
        const d = evaluate(b.principal, [b], rolesFrom(custom), p, ref);
        if (!d.allowed) return;
        if (b.scope.type === "project") assert.equal(r.project, b.scope.project);
        if (b.scope.type === "org") {
          assert.ok(r.project !== undefined);
          assert.equal(orgOfProject[r.project!], b.scope.org);
        }
        assert.ok(
          roleGrants(rolesFrom(custom)(b.role)!, p),
          "allowed only by a role that grants the permission",
        );
        if (b.conditions?.namePrefix) assert.ok(r.name?.startsWith(b.conditions.namePrefix));
      }),
    );
  });

  test("adding a binding never takes access away (monotonic), removing one never adds it", () => {
    fc.assert(
      fc.property(
        fc.array(binding, { maxLength: 6 }),
        binding,
        customRoles,
        permission,
        resource,
        (bs, extra, custom, p, r) => {
          const ref = { ...r, org: r.project ? orgOfProject[r.project] : undefined };
          const before = evaluate(
            "user:alice",
            bs.filter((b) => b.principal === "user:alice"),
            rolesFrom(custom),
            p,
            ref,
          ).allowed;
          const withExtra = [...bs, { ...extra, principal: "user:alice" }];
          const afterAdd = evaluate(
            "user:alice",
            withExtra.filter((b) => b.principal === "user:alice"),
            rolesFrom(custom),
            p,
            ref,
          ).allowed;
          if (before) assert.equal(afterAdd, true);
        },
      ),
    );
  });

  test("editor never reaches role bindings, viewer never writes", () => {
    fc.assert(
      fc.property(project, fc.constantFrom("create", "update", "delete"), word, (p, verb, res) => {
        const view: Binding = {
          id: "v",
          principal: "user:alice",
          role: "viewer",
          scope: { type: "project", project: p },
        };
        assert.equal(
          evaluate("user:alice", [view], rolesFrom({}), `creditservice.${res}.${verb}`, { project: p })
            .allowed,
          false,
        );
        const edit: Binding = { ...view, role: "editor" };
        assert.equal(
          evaluate("user:alice", [edit], rolesFrom({}), `iam.rolebindings.${verb}`, { project: p }).allowed,
          false,
        );
      }),
    );
  });

  test("the indexed AuthzState decides exactly like the evaluator over every binding (groups included)", () => {
    fc.assert(
      fc.property(
        fc.array(binding, { maxLength: 12 }),
        customRoles,
        fc.boolean(),
        subject,
        permission,
        resource,
        (bs, custom, aliceInDevs, who, p, r) => {
          const state = new AuthzState();
          for (const [name, perms] of Object.entries(custom))
            state.apply({
              type: "ADDED",
              object: resourceOf("Role", name, { permissions: perms, excluded: [] }),
            });
          for (const [name, o] of Object.entries(orgOfProject))
            state.apply({
              type: "ADDED",
              object: resourceOf("Project", name, { organization: o, displayName: "" }),
            });
          state.apply({
            type: "ADDED",
            object: resourceOf("Group", "devs", { members: aliceInDevs ? ["user:alice"] : [] }),
          });
          bs.forEach((b, i) => {
            const spec = {
              principal: b.principal,
              role: b.role,
              ...(b.conditions ? { conditions: b.conditions } : {}),
            };
            if (b.scope.type === "project")
              state.apply({
                type: "ADDED",
                object: resourceOf("RoleBinding", `b${i}`, spec, b.scope.project),
              });
            else
              state.apply({
                type: "ADDED",
                object: resourceOf("ClusterRoleBinding", `b${i}`, { ...spec, scope: b.scope }),
              });
          });
          const subjects = new Set([who, ...(who === "user:alice" && aliceInDevs ? ["group:devs"] : [])]);
          const expected = evaluate(
            who,
            bs.filter((b) => subjects.has(b.principal)),
            rolesFrom(custom),
            p,
            { ...r, org: r.project ? orgOfProject[r.project] : undefined },
          );
          assert.equal(state.authorize(who, p, r).allowed, expected.allowed);
        },
      ),
    );
  });

  test("the index stays exact through changes: bindings replaced and deleted, roles changed and deleted", () => {
    // Each step adds, replaces (same id, new spec) or deletes a binding, or rewrites or
    // deletes a custom role; after every step the index must agree with the evaluator over
    // the bindings that remain.
    const step = fc.oneof(
      fc.record({ op: fc.constant("put" as const), slot: fc.integer({ min: 0, max: 5 }), b: binding }),
      fc.record({ op: fc.constant("delete" as const), slot: fc.integer({ min: 0, max: 5 }) }),
      fc.record({
        op: fc.constant("role" as const),
        name: fc.constantFrom("custom-1", "custom-2"),
        perms: fc.option(fc.array(pattern, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), subject, permission, resource, (steps, who, p, r) => {
        const state = new AuthzState();
        for (const [name, o] of Object.entries(orgOfProject))
          state.apply({
            type: "ADDED",
            object: resourceOf("Project", name, { organization: o, displayName: "" }),
          });
        const live = new Map<number, Binding>();
        const custom: Record<string, string[]> = {};
        const objectOf = (slot: number, b: Binding) => {
          const spec = {
            principal: b.principal,
            role: b.role,
            ...(b.conditions ? { conditions: b.conditions } : {}),
          };
          // A slot is one resource: a RoleBinding in project a, or a ClusterRoleBinding.
          return b.scope.type === "project"
            ? resourceOf("RoleBinding", `s${slot}`, spec, b.scope.project)
            : resourceOf("ClusterRoleBinding", `s${slot}`, { ...spec, scope: b.scope });
        };
        const check = () => {
          const expected = evaluate(
            who,
            [...live.values()].filter((b) => b.principal === who),
            rolesFrom(custom),
            p,
            { ...r, org: r.project ? orgOfProject[r.project] : undefined },
          );
          assert.equal(state.authorize(who, p, r).allowed, expected.allowed);
          assert.equal(state.bindingCount(), live.size);
        };
        for (const s of steps) {
          check(); // fills the per-role memo before the change
          if (s.op === "role") {
            if (s.perms) custom[s.name] = s.perms;
            else delete custom[s.name];
            state.apply({
              type: s.perms ? "MODIFIED" : "DELETED",
              object: resourceOf("Role", s.name, { permissions: s.perms ?? ["*"], excluded: [] }),
            });
            continue;
          }
          const old = live.get(s.slot);
          if (old) {
            state.apply({ type: "DELETED", object: objectOf(s.slot, old) });
            live.delete(s.slot);
          }
          if (s.op === "put") {
            state.apply({ type: "ADDED", object: objectOf(s.slot, s.b) });
            live.set(s.slot, s.b);
          }
        }
        check();
      }),
      { numRuns: 500 },
    );
  });
});
