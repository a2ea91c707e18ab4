import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type InProcessCluster, startCluster, waitFor } from "./in-process-cluster.ts";

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe("flaredb data API over three stores", () => {
  let c: InProcessCluster;
  before(async () => {
    c = await startCluster(3);
    await waitFor("the first region to elect a leader", async () => {
      const { regions } = await c.client.regions();
      return regions.length === 1 && regions[0]!.leader && regions[0]!.region.peers.length === 3
        ? true
        : undefined;
    });
  });
  after(async () => c?.close());

  it("puts, gets and deletes a key", async () => {
    await c.client.put("a", "1");
    assert.equal(text(await c.client.get("a")), "1");
    assert.equal(await c.client.delete("a"), true);
    assert.equal(await c.client.get("a"), null);
  });

  it("batch get returns values in order, null for absent keys", async () => {
    await c.client.put("b1", "x");
    await c.client.put("b3", "z");
    const vs = await c.client.batchGet(["b1", "b2", "b3"]);
    assert.deepEqual(vs.map(text), ["x", null, "z"]);
  });

  it("compare-and-set swaps only on the expected value", async () => {
    assert.equal((await c.client.cas("cas", null, "v1")).swapped, true);
    const miss = await c.client.cas("cas", "nope", "v2");
    assert.equal(miss.swapped, false);
    assert.equal(text(miss.current), "v1");
    assert.equal((await c.client.cas("cas", "v1", "v2")).swapped, true);
    assert.equal(text(await c.client.get("cas")), "v2");
  });

  it("a key with a TTL disappears after it", async () => {
    await c.client.put("ttl", "soon", { ttlMs: 300 });
    assert.equal(text(await c.client.get("ttl")), "soon");
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await c.client.get("ttl"), null);
  });

  it("scans forward and in reverse with a limit", async () => {
    for (let i = 0; i < 20; i++) await c.client.put(`s/${String(i).padStart(2, "0")}`, `v${i}`);
    const fwd = await c.client.scan("s/", "s0", { limit: 5 });
    assert.deepEqual(
      fwd.map(([k]) => text(k)),
      ["s/00", "s/01", "s/02", "s/03", "s/04"],
    );
    const rev = await c.client.scan("s/", "s0", { limit: 3, reverse: true });
    assert.deepEqual(
      rev.map(([k]) => text(k)),
      ["s/19", "s/18", "s/17"],
    );
  });

  it("a request to a follower is refused with the leader's id", async () => {
    const { regions } = await c.client.regions();
    const r = regions[0]!;
    const follower = c.stores.find((s) => s.id !== r.leader)!;
    const { H2JsonClient } = await import("../../src/flaredb/rpc/h2-json-client.ts");
    const rpc = new H2JsonClient();
    try {
      await assert.rejects(
        rpc.call(follower.address, "/v1/read", {
          regionId: r.region.id,
          epoch: r.region.epoch,
          read: { op: "rawGet", key: { $b: "YQ==" } },
        }),
        (err: { details?: { reason?: string; leader?: string } }) =>
          err.details?.reason === "NotLeader" && err.details.leader === r.leader,
      );
      await assert.rejects(
        rpc.call(follower.address, "/v1/read", {
          regionId: r.region.id,
          epoch: r.region.epoch,
          read: { op: "bogus" },
        }),
        (err: { code?: string }) => err.code === "FailedPrecondition" || err.code === "InvalidArgument",
      );
    } finally {
      rpc.close();
    }
  });
});
