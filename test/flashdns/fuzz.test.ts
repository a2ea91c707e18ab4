// A bounded slice of the query fuzz for every run; the full million is fuzz.slow.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzQueryHandler } from "./query-fuzz.ts";

test("100,000 random and mutated packets: the handler never throws; undecodable ones get FORMERR or silence", () => {
  const s = fuzzQueryHandler(100_000, 1);
  assert.equal(s.packets, 100_000);
  // The mutations must reach both sides: packets that still decode and ones that do not.
  assert.ok(s.decodable > 10_000 && s.formerr > 10_000 && s.answered > 10_000, JSON.stringify(s));
});

test("5,000 through the answer cache (each also with another id and in two other spellings): every cached reply equals a fresh one", () => {
  const s = fuzzQueryHandler(5_000, 2, true);
  assert.equal(s.packets, 5_000);
});
