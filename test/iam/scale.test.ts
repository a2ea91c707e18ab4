// Scale: 10,000 projects × 10 bindings. The index must keep a decision's work independent of
// the number of projects (the timing comparison lives in bench/iam, never in a test).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { populatedState } from "../../bench/iam/population.ts";

describe("authorization at 10,000 projects × 10 bindings", () => {
  const small = populatedState(10);
  const large = populatedState(10_000);

  test("the state holds every binding", () => {
    assert.equal(large.bindingCount(), 100_000);
    assert.equal(large.projectCount(), 10_000);
  });

  test("a decision examines the same number of bindings at 10 and at 10,000 projects", () => {
    for (const p of ["p-0", "p-1", "p-5", "p-9"]) {
      assert.equal(
        large.candidateBindings("user:alice", p).length,
        small.candidateBindings("user:alice", p).length,
      );
      assert.equal(
        large.candidateBindings("user:alice", p).length,
        1,
        "alice's own binding in that project, nothing else",
      );
    }
    assert.equal(
      large.candidateBindings("user:alice", undefined).length,
      0,
      "no cluster bindings: nothing to examine at cluster level",
    );
  });

  test("decisions are the same at both scales, and bindings stay inside their projects", () => {
    for (const [p, perm] of [
      ["p-0", "creditservice.quotas.get"],
      ["p-1", "creditservice.quotas.update"],
      ["p-2", "iam.rolebindings.create"],
      ["p-0", "creditservice.quotas.update"],
    ] as const) {
      assert.deepEqual(
        large.authorize("user:alice", perm, { project: p }).allowed,
        small.authorize("user:alice", perm, { project: p }).allowed,
        `${perm} in ${p}`,
      );
    }
    // u-1 is bound in p-0 only (as (p*7+i) % 5000 with i=1); not in p-1.
    assert.equal(large.authorize("user:u-1", "creditservice.quotas.get", { project: "p-0" }).allowed, true);
    assert.equal(large.authorize("user:u-1", "creditservice.quotas.get", { project: "p-1" }).allowed, false);
    assert.equal(
      large.authorize("user:alice", "creditservice.quotas.get", { project: "p-10000" }).allowed,
      false,
      "unknown project",
    );
  });
});
