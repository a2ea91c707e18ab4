// Scale: 10,000 projects × 10 bindings. The index must keep a decision's work independent of
// the number of projects (the timing comparison lives in bench/iam, never in a test).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bindingsPerPrincipal, boundProject, boundRole, populatedState } from "../../bench/iam/population.ts";

describe("authorization at 10,000 projects × 10 bindings", () => {
  const small = populatedState(10);
  const large = populatedState(10_000);

  test("the state holds every binding, 10 per principal at both scales", () => {
    assert.equal(large.bindingCount(), 100_000);
    assert.equal(large.projectCount(), 10_000);
    assert.equal(small.bindingCount(), 100);
    for (const k of [0, 7, 9]) {
      assert.equal(small.bindingsOf(`user:u-${k}`).length, bindingsPerPrincipal);
      assert.equal(large.bindingsOf(`user:u-${k}`).length, bindingsPerPrincipal);
    }
  });

  test("a decision examines the same number of bindings at 10 and at 10,000 projects", () => {
    for (const k of [0, 1, 5, 9]) {
      for (let i = 0; i < bindingsPerPrincipal; i++) {
        const subject = `user:u-${k}`;
        assert.equal(large.candidateBindings(subject, boundProject(k, i, 10_000)).length, 1);
        assert.equal(small.candidateBindings(subject, boundProject(k, i, 10)).length, 1);
      }
      assert.equal(large.candidateBindings(`user:u-${k}`, "p-5000").length, 0, "not bound there");
      assert.equal(large.candidateBindings(`user:u-${k}`, undefined).length, 0, "no cluster bindings");
    }
  });

  test("decisions follow each principal's role, and bindings stay inside their projects", () => {
    const can = { viewer: [true, false], editor: [true, true], admin: [true, true] } as const;
    for (const k of [0, 1, 2, 4242, 9999]) {
      for (let i = 0; i < bindingsPerPrincipal; i++) {
        const project = boundProject(k, i, 10_000);
        const [get, update] = can[boundRole(k, i) as keyof typeof can];
        assert.equal(large.authorize(`user:u-${k}`, "creditservice.quotas.get", { project }).allowed, get);
        assert.equal(
          large.authorize(`user:u-${k}`, "creditservice.quotas.update", { project }).allowed,
          update,
        );
        assert.equal(
          large.authorize(`user:u-${k}`, "iam.rolebindings.create", { project }).allowed,
          boundRole(k, i) === "admin",
          "only admins manage bindings",
        );
      }
      const elsewhere = boundProject(k, bindingsPerPrincipal, 10_000);
      assert.equal(
        large.authorize(`user:u-${k}`, "creditservice.quotas.get", { project: elsewhere }).allowed,
        false,
        "the next project over is not theirs",
      );
    }
    assert.equal(
      large.authorize("user:u-1", "creditservice.quotas.get", { project: "p-10000" }).allowed,
      false,
      "unknown project",
    );
  });
});
