// Replica ids are store ids, so a replica the placement driver saw removed can be a member again
// (re-added by a conf change the PD has not heard of) by the time the store obeys "destroy".
// Destroying it then left the leader with the old replica's match: it sent `commit N` to the
// empty replica recreated by its next message ("commit N is beyond last index 0") and ignored
// its rejections as stale, so the replica never caught up (the five-store failover test under
// load). Three MultiRafts on loopback, a frozen clock for the quiet period.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createLogger } from "../../src/core/log.ts";
import { type Message, makeMessage } from "../../src/core/raft/index.ts";
import type { RegionDescriptor } from "../../src/flaredb/api.ts";
import { MultiRaft, STALE_REPLICA_QUIET_MS } from "../../src/flaredb/store/multi-raft.ts";
import { StoreDb } from "../../src/flaredb/store/store-db.ts";
import { waitFor } from "./in-process-cluster.ts";

const log = createLogger({ level: process.env.FLAREDB_TEST_LOG ?? "silent", name: "stale-replica-test" });

describe("a replica the placement driver calls stale", () => {
  const dir = mkdtempSync(join(tmpdir(), "flaredb-stale-"));
  const ids = ["s1", "s2", "s3"];
  let nowMs = 1_000_000;
  const dbs: StoreDb[] = [];
  const stores: MultiRaft[] = [];
  const region: RegionDescriptor = {
    id: 7,
    start: "",
    end: "",
    epoch: { confVer: 1, version: 1 },
    peers: ids,
  };

  before(async () => {
    let seed = 1;
    for (const id of ids) {
      const db = new StoreDb(join(dir, id));
      dbs.push(db);
      const s = seed++;
      stores.push(
        await MultiRaft.start({
          db,
          storeId: id,
          log,
          host: "127.0.0.1",
          raftPort: 0,
          random: () => ((s * 9301 + 49297) % 233280) / 233280,
          now: () => nowMs,
        }),
      );
    }
    for (const a of stores)
      for (const [i, b] of stores.entries()) a.setStoreAddress(ids[i]!, `127.0.0.1:${b.raftPort}`);
    for (const s of stores) await s.bootstrap(region);
  });

  after(async () => {
    for (const s of stores) await s.close();
    for (const db of dbs) await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const leader = () => stores.find((s) => s.peerFor(region.id)?.isLeader);

  it("is kept while a leader still writes to it, and keeps catching up", async () => {
    const l = await waitFor("a leader", () => leader(), 20_000);
    const lp = l.peerFor(region.id)!;
    await l.propose(lp, new Uint8Array(0));
    const f = stores.find((s) => s !== l)!;
    await waitFor("the follower to apply the write", () =>
      (f.peerFor(region.id)?.applied ?? 0) >= lp.applied ? true : undefined,
    );

    const destroyed = [await f.destroyStale(region.id)];
    // Nor after a pause shorter than the quiet period (the clock is frozen otherwise).
    nowMs += STALE_REPLICA_QUIET_MS - 1;
    destroyed.push(await f.destroyStale(region.id));

    for (let i = 0; i < 5; i++) await l.propose(lp, new Uint8Array(0));
    const target = lp.applied;
    await waitFor(
      `the follower to apply index ${target}`,
      () => ((f.peerFor(region.id)?.applied ?? 0) >= target ? true : undefined),
      5_000,
    );
    assert.ok(f.peerFor(region.id)?.region, "the follower's replica still holds its region");
    assert.deepEqual(destroyed, [false, false], "a member's replica is not destroyed");
  });

  it("is not recreated from its old log by a message that arrives while its destroy commits", async () => {
    // Before: the destroy left the peer map first and the disk one transaction later; an append
    // in between built a new replica from the old hard state (commit N) over entries about to
    // vanish, whose Ready never emptied: the Ready loop spun and the store stopped heartbeating.
    const l = await waitFor("a leader", () => leader(), 20_000);
    const f = stores.find((s) => s !== l)!;
    const fid = ids[stores.indexOf(f)]!;
    const term = l.peerFor(region.id)!.node.status().term;
    assert.ok((f.peerFor(region.id)?.node.status().commit ?? 0) > 0);
    const destroying = f.destroy(region.id);
    const app = makeMessage({
      type: "app",
      groupId: String(region.id),
      from: ids[stores.indexOf(l)]!,
      to: fid,
      term,
    });
    (f as unknown as { onMessages(m: Message[]): void }).onMessages([app]);
    await destroying;
    await new Promise((r) => setTimeout(r, 300));
    const again = f.peers.get(region.id);
    assert.equal(again?.node.status().commit ?? 0, 0, "a replica recreated after the destroy starts empty");
    assert.equal(again?.node.hasReady() ?? false, false);
  });

  it("is destroyed once no leader has written to it for the quiet period", async () => {
    // A region whose other voter does not exist: no leader, nobody writes to the replica.
    const lonely: RegionDescriptor = { ...region, id: 8, peers: ["s1", "s9"] };
    const s1 = stores[0]!;
    await s1.bootstrap(lonely);
    assert.equal(await s1.destroyStale(lonely.id), true);
    assert.equal(s1.peerFor(lonely.id), undefined);
  });
});
