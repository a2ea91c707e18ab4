import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type InProcessCluster, startCluster, waitFor } from "./in-process-cluster.ts";

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
const key = (i: number) => `bw/${String(i).padStart(5, "0")}`;

describe("flaredb batch writes and coalesced calls", () => {
  let c: InProcessCluster;
  before(async () => {
    c = await startCluster(3, { regionSplitBytes: 32 * 1024, loadSplitWritesPerSec: 1e9 });
    await waitFor("a leader", async () => ((await c.client.regions()).regions[0]?.leader ? true : undefined));
  });
  after(async () => c?.close());

  it("batch puts land every pair while the regions under them split", async () => {
    const value = "v".repeat(100);
    for (let i = 0; i < 2_000; i += 250) {
      const pairs: Array<[string, string]> = [];
      for (let j = i; j < i + 250; j++) pairs.push([key(j), `${value}${j}`]);
      await c.client.batchPut(pairs);
    }
    await waitFor("several regions", async () => {
      const { regions } = await c.client.regions();
      return regions.length >= 3 && regions.every((r) => r.leader) ? true : undefined;
    });
    const all = await c.client.scan("bw/", "bw0", { limit: 5_000 });
    assert.equal(all.length, 2_000);
    for (const [i, [k, v]] of all.entries()) {
      assert.equal(text(k), key(i));
      assert.equal(text(v), `${value}${i}`);
    }
  });

  it("concurrent gets and puts across regions each get their own answer", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => (i * 7) % 2_000);
    await Promise.all(ids.map((i) => c.client.put(key(i), `new${i}`)));
    const got = await Promise.all(ids.map((i) => c.client.get(key(i))));
    assert.deepEqual(
      got.map(text),
      ids.map((i) => `new${i}`),
    );
    const absent = await Promise.all(["bw/x1", "bw/x2", key(1)].map((k) => c.client.get(k)));
    assert.deepEqual(absent.map(text), [null, null, `${"v".repeat(100)}1`]);
  });

  it("a read after an acknowledged write sees it, while other writes keep the apply busy", async () => {
    // Writers are answered before their apply commits and leases serve reads at once; a read
    // must still wait until the write it follows is visible.
    let stop = false;
    const noise = (async () => {
      for (let i = 0; !stop; i++) await c.client.put(key(i % 50), `noise${i}`);
    })();
    try {
      await Promise.all(
        [0, 1, 2, 3].map(async (w) => {
          for (let i = 0; i < 60; i++) {
            await c.client.put(`ryw/${w}`, String(i));
            assert.equal(text(await c.client.get(`ryw/${w}`)), String(i));
          }
        }),
      );
    } finally {
      stop = true;
      await noise;
    }
  });

  it("a batch with a bad command is refused with a 4xx naming the problem", async () => {
    await assert.rejects(
      c.client.batchPut([["", "empty key"]]),
      (err: Error & { code?: string }) => err.code === "InvalidArgument" || /key/.test(err.message),
    );
  });
});
