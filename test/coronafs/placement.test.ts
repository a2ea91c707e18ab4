// Placement of a volume's copies: distinct healthy servers, least loaded first, and a refusal
// that says for each server why it did not fit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { placeCopies } from "../../src/coronafs/placement.ts";

const servers = [
  { id: "a", healthy: true, volumes: 5 },
  { id: "b", healthy: true, volumes: 1 },
  { id: "c", healthy: false, volumes: 0 },
  { id: "d", healthy: true, volumes: 1 },
];

test("copies go to distinct healthy servers, fewest volumes first", () => {
  assert.deepEqual(placeCopies(servers, 2), { servers: ["b", "d"] });
  assert.deepEqual(placeCopies(servers, 3), { servers: ["b", "d", "a"] });
});

test("a clone may only go where its snapshot is", () => {
  assert.deepEqual(placeCopies(servers, 1, ["a"]), { servers: ["a"] });
});

test("when nothing fits, each server's reason is given", () => {
  const r = placeCopies(servers, 2, ["a", "c"]);
  assert.ok("error" in r);
  assert.match(r.error, /2 copies need 2 distinct healthy volume servers; 1 fit/);
  assert.match(r.error, /b: does not hold the source snapshot/);
  assert.match(r.error, /c: not reachable/);
  assert.match((placeCopies([], 1) as { error: string }).error, /no volume servers are registered/);
});
