import assert from "node:assert/strict";
import { test } from "node:test";
import { roleNames } from "../../src/cli/role-names.ts";
import { roles } from "../../src/cli/roles.ts";

test("the CLI's list of role names matches the roles photon up starts, in order", () => {
  assert.deepEqual(
    roleNames,
    roles.map((r) => r.name),
  );
});
