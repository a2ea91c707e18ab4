// The index keeps a principal's project grants as a short array, and as a map too once the
// principal is bound in more than projectScanLimit projects. Both forms, and the switches
// between them as bindings come and go, must decide exactly like the evaluator.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { builtinRoles } from "../../src/iam/api.ts";
import { AuthzState, projectScanLimit } from "../../src/iam/authz-state.ts";
import { resourceOf } from "../../src/iam/internal-kinds.ts";
import { type Binding, evaluate } from "../../src/iam/policy.ts";

const projectCount = projectScanLimit * 3;
const projects = Array.from({ length: projectCount }, (_, i) => `p${i}`);
const principals = ["user:alice", "group:ops"];
const roles = ["viewer", "editor", "admin"];
const permissions = ["creditservice.quotas.get", "creditservice.quotas.update", "iam.rolebindings.create"];

describe("project grants: array and map forms", () => {
  test("decide like the evaluator through many bindings added, replaced and removed", () => {
    const step = fc.record({
      put: fc.boolean(),
      project: fc.integer({ min: 0, max: projectCount - 1 }),
      principal: fc.constantFrom(...principals),
      // Two binding names per project and principal: chains of more than one grant too.
      slot: fc.integer({ min: 0, max: 1 }),
      role: fc.constantFrom(...roles),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 150 }), (steps) => {
        const state = new AuthzState();
        const live = new Map<string, Binding>();
        for (const s of steps) {
          const project = projects[s.project]!;
          const name = `${s.principal.replace(":", "-")}-${s.slot}`;
          const id = `${project}/${name}`;
          const spec = { principal: s.principal, role: s.role };
          if (s.put) {
            state.apply({
              type: live.has(id) ? "MODIFIED" : "ADDED",
              object: resourceOf("RoleBinding", name, spec, project),
            });
            live.set(id, { id, ...spec, scope: { type: "project", project } });
          } else if (live.has(id)) {
            state.apply({ type: "DELETED", object: resourceOf("RoleBinding", name, spec, project) });
            live.delete(id);
          }
        }
        assert.equal(state.bindingCount(), live.size);
        for (const who of principals)
          for (const project of projects)
            for (const p of permissions) {
              const expected = evaluate(
                who,
                [...live.values()].filter((b) => b.principal === who),
                (r) => builtinRoles[r],
                p,
                { project },
              );
              assert.equal(
                state.authorize(who, p, { project }).allowed,
                expected.allowed,
                `${who} ${p} ${project}`,
              );
            }
      }),
      { numRuns: 200 },
    );
  });
});
