// The transport's binary frames: every field of every message and application payload
// survives the round trip, and a truncated frame is refused rather than misread.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeFrame, encodeFrame } from "../../../src/core/raft/message-codec.ts";
import { type Message, makeMessage } from "../../../src/core/raft/types.ts";

const entry = fc.record({
  index: fc.integer({ min: 0, max: 2 ** 40 }),
  term: fc.integer({ min: 0, max: 2 ** 30 }),
  type: fc.constantFrom("normal" as const, "confChange" as const),
  data: fc.uint8Array({ maxLength: 40 }),
});

const message = fc
  .record({
    type: fc.constantFrom(
      "app" as const,
      "appResp" as const,
      "heartbeat" as const,
      "snap" as const,
      "readIndexResp" as const,
    ),
    groupId: fc.string({ maxLength: 12 }),
    from: fc.string({ maxLength: 8 }),
    to: fc.string({ maxLength: 8 }),
    term: fc.nat(),
    logTerm: fc.nat(),
    index: fc.nat(),
    commit: fc.nat(),
    reject: fc.boolean(),
    rejectHint: fc.nat(),
    entries: fc.array(entry, { maxLength: 4 }),
    context: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    transferee: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
    leaseTick: fc.option(fc.nat(), { nil: undefined }),
    transfer: fc.option(fc.constant(true), { nil: undefined }),
    snapshot: fc.option(
      fc.record({
        metadata: fc.record({
          index: fc.nat(),
          term: fc.nat(),
          confState: fc.record({ voters: fc.array(fc.string({ maxLength: 4 })), learners: fc.constant([]) }),
        }),
        data: fc.uint8Array({ maxLength: 64 }),
      }),
      { nil: undefined },
    ),
  })
  .map((r) => {
    const m: Record<string, unknown> = { ...r };
    for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
    return makeMessage(m as unknown as Message);
  });

test("frames round-trip messages and payloads", () => {
  fc.assert(
    fc.property(
      fc.array(message, { maxLength: 5 }),
      fc.array(
        fc.record({
          t: fc.string(),
          rid: fc.nat(),
          bin: fc.option(fc.uint8Array({ maxLength: 30 }), { nil: undefined }),
        }),
        {
          maxLength: 3,
        },
      ),
      (msgs, apps) => {
        const cleanApps = apps.map((a) => {
          const o: Record<string, unknown> = { ...a };
          if (o.bin === undefined) delete o.bin;
          return o;
        });
        const f = decodeFrame(encodeFrame("me", msgs, cleanApps));
        assert.equal(f.from, "me");
        // structuredClone: fast-check builds null-prototype records; decoding builds plain ones.
        assert.deepEqual(f.msgs, structuredClone(msgs));
        assert.deepEqual(f.apps, cleanApps);
      },
    ),
  );
});

test("a truncated frame is refused", () => {
  const body = encodeFrame(
    "a",
    [
      makeMessage({
        type: "app",
        groupId: "g",
        from: "a",
        to: "b",
        entries: [{ index: 1, term: 1, type: "normal", data: new Uint8Array(10) }],
      }),
    ],
    [],
  );
  for (const cut of [1, 5, body.length - 1]) assert.throws(() => decodeFrame(body.subarray(0, cut)));
});
