// Raft log compaction: with a small snapshot interval, a member that was down while the log
// was compacted past its position catches up from the leader's snapshot.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ChainfireClient } from "../../src/chainfire/client.ts";
import { startCluster } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a member behind a compacted log catches up through a snapshot", async () => {
  const c = await startCluster(3, { snapshotEveryEntries: 20 });
  try {
    while (c.leaderIndex() < 0) await sleep(20);
    const lagging = (c.leaderIndex() + 1) % 3;
    await c.stop(lagging);
    const writer = new ChainfireClient(c.endpoints().split(","));
    for (let i = 0; i < 80; i++) await writer.put(`/snap/${String(i).padStart(3, "0")}`, `v${i}`);
    const lease = await writer.leaseGrant(60);
    await writer.put("/snap/leased", "x", { lease: lease.id });
    writer.close();
    const m = await c.start(lagging);
    const reader = new ChainfireClient(m.endpoint);
    let count = 0;
    for (let i = 0; i < 100 && count !== 81; i++) {
      await sleep(100);
      count = await reader.range("/snap/", { prefix: true, countOnly: true, serializable: true }).then(
        (r) => r.count,
        () => -1,
      );
    }
    assert.equal(count, 81);
    assert.equal((await reader.get("/snap/079", { serializable: true }))?.value.toString(), "v79");
    assert.deepEqual((await reader.leaseTimeToLive(lease.id, true)).keys.map(String), ["/snap/leased"]);
    // And it keeps applying new entries after the snapshot.
    await reader.put("/snap/after", "1");
    assert.equal((await reader.get("/snap/after"))?.value.toString(), "1");
    reader.close();
  } finally {
    await c.close();
  }
});
