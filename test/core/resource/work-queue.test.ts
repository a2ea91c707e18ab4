import assert from "node:assert/strict";
import { test } from "node:test";
import { type Timers, WorkQueue } from "../../../src/core/resource/work-queue.ts";

/** Timers driven by hand, so backoff is checked without waiting. */
function manualTimers() {
  const pending: Array<{ at: number; fn: () => void }> = [];
  let now = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn };
      pending.push(t);
      return t;
    },
    clearTimeout: (h) => {
      const i = pending.indexOf(h as (typeof pending)[0]);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of pending.filter((p) => p.at <= now)) {
      pending.splice(pending.indexOf(t), 1);
      t.fn();
    }
  };
  return { timers, advance, pending };
}

test("a key queued many times is worked on once", async () => {
  const q = new WorkQueue({ baseMs: 10, maxMs: 100 });
  q.add("a");
  q.add("a");
  q.add("b");
  q.add("a");
  assert.equal(q.length, 2);
  assert.equal(await q.next(), "a");
  assert.equal(await q.next(), "b");
  q.shutdown();
});

test("a key queued while it is being worked on runs once more afterwards, not concurrently", async () => {
  const q = new WorkQueue({ baseMs: 10, maxMs: 100 });
  q.add("a");
  const k = await q.next();
  q.add("a");
  assert.equal(q.length, 0, "not handed out while active");
  q.done(k!);
  assert.equal(q.length, 1);
  q.shutdown();
});

test("failures come back with growing, bounded backoff; success resets it", () => {
  const { timers, advance, pending } = manualTimers();
  const q = new WorkQueue({ baseMs: 100, maxMs: 1000 }, timers, () => 0.999);
  const delays = [1, 2, 3, 4, 5, 6].map(() => {
    const d = q.retry("a");
    advance(d);
    return d;
  });
  assert.deepEqual(delays, [99, 199, 399, 799, 999, 999]);
  assert.equal(q.failuresOf("a"), 6);
  q.forget("a");
  assert.equal(q.failuresOf("a"), 0);
  assert.equal(pending.length, 0);
  q.shutdown();
});

test("the queue refuses new keys beyond its bound", () => {
  const q = new WorkQueue({ baseMs: 1, maxMs: 1 }, undefined, Math.random, 3);
  for (const k of ["a", "b", "c", "d", "e"]) q.add(k);
  assert.equal(q.length, 3);
  q.shutdown();
});
