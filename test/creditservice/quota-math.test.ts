import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ApiError } from "../../src/core/errors.ts";
import type { QuotaSpec, QuotaStatus } from "../../src/creditservice/api.ts";
import { chargeFor } from "../../src/creditservice/metering.ts";
import {
  commit,
  pruneExpired,
  release,
  releaseUsage,
  reserve,
  reservedTotals,
} from "../../src/creditservice/quota-math.ts";

const empty = (): QuotaStatus => ({
  used: {},
  reservations: [],
  recentIds: [],
  balanceMilli: 0,
  carryMicro: "0",
  unrecordedCredits: [],
  conditions: [],
});
const spec = (vcpu: number, enforceCredit = false): QuotaSpec => ({ limits: { vcpu }, enforceCredit });
const req = (id: string, vcpu: number, ttlSeconds = 60) => ({
  project: "p",
  requestId: id,
  amounts: { vcpu },
  ttlSeconds,
});

describe("quota arithmetic", () => {
  test("QuotaExceeded names the limit, the usage, the reservation and the request", () => {
    let s = reserve(empty(), spec(4), {}, req("a", 3), 0).status;
    s = commit(s, "p", "a", 0).status;
    s = reserve(s, spec(4), {}, req("b", 1), 0).status;
    assert.throws(
      () => reserve(s, spec(4), {}, req("c", 1), 0),
      (e: unknown) =>
        e instanceof ApiError &&
        e.code === "QuotaExceeded" &&
        /limit 4, in use 3, reserved 1, requested 1/.test(e.message) &&
        e.details?.class === "vcpu",
    );
  });

  test("a reservation is idempotent by request id; other amounts under the same id are refused", () => {
    const first = reserve(empty(), spec(10), {}, req("a", 2), 0);
    const again = reserve(first.status, spec(10), {}, req("a", 2), 1);
    assert.equal(again.status.reservations.length, 1);
    assert.throws(
      () => reserve(first.status, spec(10), {}, req("a", 3), 1),
      (e: unknown) => (e as ApiError).code === "AlreadyExists",
    );
  });

  test("commit and release are idempotent; committing a released reservation is refused", () => {
    let s = reserve(empty(), spec(10), {}, req("a", 2), 0).status;
    s = commit(s, "p", "a", 0).status;
    const again = commit(s, "p", "a", 0);
    assert.equal(again.result.state, "committed");
    assert.deepEqual(again.status.used, { vcpu: 2 });
    s = reserve(s, spec(10), {}, req("b", 2), 0).status;
    s = release(s, "p", "b", 0).status;
    assert.equal(release(s, "p", "b", 0).result.state, "released");
    assert.throws(
      () => commit(s, "p", "b", 0),
      (e: unknown) => (e as ApiError).code === "FailedPrecondition",
    );
  });

  test("expired reservations stop holding quota and cannot be committed", () => {
    const s = reserve(empty(), spec(2), {}, req("a", 2, 10), 0).status;
    assert.throws(
      () => reserve(s, spec(2), {}, req("b", 1), 5_000),
      (e: unknown) => (e as ApiError).code === "QuotaExceeded",
    );
    assert.ok(reserve(s, spec(2), {}, req("b", 2), 10_000));
    assert.throws(
      () => commit(s, "p", "a", 10_000),
      (e: unknown) => (e as ApiError).code === "NotFound",
    );
    assert.equal(pruneExpired(s, 10_000).expired.length, 1);
  });

  test("usage release is idempotent and never goes below zero", () => {
    let s = reserve(empty(), spec(10), {}, req("a", 2), 0).status;
    s = commit(s, "p", "a", 0).status;
    s = releaseUsage(s, "del-1", { vcpu: 2 });
    s = releaseUsage(s, "del-1", { vcpu: 2 });
    assert.equal(s.used.vcpu, 0);
    assert.equal(releaseUsage(s, "del-2", { vcpu: 5 }).used.vcpu, 0);
  });

  test("credit enforcement refuses reservations at a zero balance", () => {
    assert.throws(
      () => reserve(empty(), spec(10, true), {}, req("a", 1), 0),
      (e: unknown) => (e as ApiError).code === "QuotaExceeded" && /credit/.test((e as Error).message),
    );
  });

  test("property: no sequence of reserve/commit/release/expire ever holds more than the limit", () => {
    const op = fc.oneof(
      fc.record({
        t: fc.constant("reserve" as const),
        id: fc.integer({ min: 0, max: 9 }),
        n: fc.integer({ min: 1, max: 5 }),
        ttl: fc.integer({ min: 1, max: 20 }),
      }),
      fc.record({ t: fc.constant("commit" as const), id: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ t: fc.constant("release" as const), id: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ t: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 10_000 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.array(op, { maxLength: 60 }), (limit, ops) => {
        let s = empty();
        let now = 0;
        for (const o of ops) {
          try {
            if (o.t === "reserve") s = reserve(s, spec(limit), {}, req(`r${o.id}`, o.n, o.ttl), now).status;
            else if (o.t === "commit") s = commit(s, "p", `r${o.id}`, now).status;
            else if (o.t === "release") s = release(s, "p", `r${o.id}`, now).status;
            else now += o.ms;
          } catch (e) {
            assert.ok(e instanceof ApiError, String(e));
          }
          const live = pruneExpired(s, now).status;
          assert.ok((live.used.vcpu ?? 0) + (reservedTotals(live).vcpu ?? 0) <= limit);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("metering", () => {
  test("charges are integer millicredits and many short periods charge what one long period does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 40 }),
        (vcpu, rate, periods) => {
          let carry = 0n;
          let total = 0;
          for (const ms of periods) {
            const c = chargeFor({ vcpu }, { vcpu: rate }, ms, carry);
            assert.ok(Number.isInteger(c.amountMilli));
            total += c.amountMilli;
            carry = c.carry;
          }
          const once = chargeFor(
            { vcpu },
            { vcpu: rate },
            periods.reduce((a, b) => a + b, 0),
            0n,
          );
          assert.equal(total, once.amountMilli);
        },
      ),
    );
  });
  test("one vcpu at 1000 millicredits per hour costs exactly 1 credit per hour", () => {
    assert.equal(chargeFor({ vcpu: 1 }, { vcpu: 1000 }, 3_600_000, 0n).amountMilli, 1000);
  });
});
