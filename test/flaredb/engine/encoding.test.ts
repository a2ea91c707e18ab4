import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { CodecError } from "../../../src/flaredb/engine/binary-codec.ts";
import { compareBytes } from "../../../src/flaredb/engine/byte-order.ts";
import {
  type Command,
  decodeCommand,
  encodeCommand,
  parseCommand,
} from "../../../src/flaredb/engine/commands.ts";
import {
  encodeUserKey,
  lockKey,
  parseKey,
  rawKey,
  regionBound,
  writeKey,
} from "../../../src/flaredb/engine/keys.ts";
import { MAX_TS } from "../../../src/flaredb/engine/limits.ts";

const userKey = fc
  .uint8Array({ minLength: 1, maxLength: 12, max: 3 })
  .map((a) => a.map((b) => [0, 1, 0xff, 97][b]!));
const ts = fc.integer({ min: 1, max: MAX_TS });

describe("MVCC key layout", () => {
  it("encoding user keys preserves their byte order", () => {
    fc.assert(
      fc.property(userKey, userKey, (a, b) => {
        assert.equal(
          Math.sign(compareBytes(encodeUserKey(a), encodeUserKey(b))),
          Math.sign(compareBytes(a, b)),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("every column of a key lies in [regionBound(k), regionBound(next)) — a region is one physical range", () => {
    fc.assert(
      fc.property(userKey, userKey, ts, (a, b, t) => {
        const [lo, hi] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
        if (compareBytes(lo, hi) === 0) return;
        for (const pk of [rawKey(lo), lockKey(lo), writeKey(lo, t)]) {
          assert.ok(compareBytes(pk, regionBound(lo)) >= 0);
          assert.ok(compareBytes(pk, regionBound(hi)) < 0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("write records sort newest first and parse back", () => {
    fc.assert(
      fc.property(userKey, ts, ts, (k, t1, t2) => {
        const c = compareBytes(writeKey(k, t1), writeKey(k, t2));
        assert.equal(Math.sign(c), Math.sign(t2 - t1));
        assert.deepEqual(parseKey(writeKey(k, t1)), { col: "write", key: k, commitTs: t1 });
        assert.deepEqual(parseKey(lockKey(k)), { col: "lock", key: k });
        assert.deepEqual(parseKey(rawKey(k)), { col: "raw", key: k });
      }),
    );
  });

  it("foreign physical keys are not mistaken for engine keys", () => {
    assert.equal(parseKey(new Uint8Array([1, 2, 3])), undefined);
    assert.equal(parseKey(new Uint8Array([1, 0, 7])), undefined);
  });
});

const bytes = fc.uint8Array({ maxLength: 8 });
const key = fc.uint8Array({ minLength: 1, maxLength: 8 });
const tsPair = fc.tuple(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 1, max: 1e6 }));
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    type: fc.constant("prewrite" as const),
    mutations: fc.array(
      fc.oneof(
        fc.record({ op: fc.constant("put" as const), key, value: bytes }),
        fc.record({ op: fc.constant("delete" as const), key }),
        fc.record({ op: fc.constant("lock" as const), key }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    primary: key,
    startTs: ts,
    lockTtlMs: fc.integer({ min: 0, max: 60000 }),
  }),
  tsPair.chain(([s, d]) =>
    fc.record({
      type: fc.constant("commit" as const),
      keys: fc.array(key, { minLength: 1, maxLength: 4 }),
      startTs: fc.constant(s),
      commitTs: fc.constant(s + d),
    }),
  ),
  fc.record({ type: fc.constant("rollback" as const), keys: fc.array(key, { minLength: 1 }), startTs: ts }),
  fc.record({
    type: fc.constant("checkTxnStatus" as const),
    primary: key,
    startTs: ts,
    rollbackIfNotExist: fc.boolean(),
  }),
  tsPair.chain(([s, d]) =>
    fc.record({
      type: fc.constant("resolveLock" as const),
      keys: fc.array(key, { minLength: 1, maxLength: 4 }),
      startTs: fc.constant(s),
      commitTs: fc.constantFrom(0, s + d),
    }),
  ),
  fc.record({
    type: fc.constant("txnHeartbeat" as const),
    primary: key,
    startTs: ts,
    lockTtlMs: fc.nat(60000),
  }),
  fc.record({ type: fc.constant("rawPut" as const), key, value: bytes, ttlMs: fc.nat(1e9) }),
  fc.record({ type: fc.constant("rawDelete" as const), key }),
  fc.record({
    type: fc.constant("rawCas" as const),
    key,
    expected: fc.option(bytes, { nil: null }),
    value: fc.option(bytes, { nil: null }),
    ttlMs: fc.nat(1e9),
  }),
  fc.record({
    type: fc.constant("gc" as const),
    safePoint: ts,
    start: bytes,
    end: fc.option(key, { nil: null }),
    limit: fc.integer({ min: 1, max: 1000 }),
  }),
);

describe("command codec", () => {
  it("every valid command survives encode → decode", () => {
    fc.assert(
      fc.property(command, (c) => {
        assert.deepEqual(decodeCommand(encodeCommand(c)), parseCommand(c));
      }),
      { numRuns: 2000 },
    );
  });

  it("truncated or corrupted bytes fail with a CodecError, never anything else", () => {
    fc.assert(
      fc.property(command, fc.nat(), fc.nat(255), (c, at, b) => {
        const enc = encodeCommand(c);
        const cut = enc.slice(0, at % enc.length);
        assert.throws(() => decodeCommand(cut), CodecError);
        const flipped = enc.slice();
        flipped[at % enc.length] = b;
        try {
          decodeCommand(flipped);
        } catch (e) {
          assert.ok(e instanceof CodecError, String(e));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("bad input names the field and the bound", () => {
    assert.throws(
      () => parseCommand({ type: "commit", keys: [new Uint8Array([1])], startTs: 5, commitTs: 5 }),
      /commitTs must be greater than startTs/,
    );
    assert.throws(
      () => parseCommand({ type: "rawPut", key: new Uint8Array(0), value: new Uint8Array(0), ttlMs: 0 }),
      /key/,
    );
  });
});
