import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Etcd3 } from "etcd3";
import { startMember } from "./harness.ts";

test("a restarted member keeps keys, history, leases, compaction and its identity", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chainfire-restart-"));
  try {
    let m = await startMember({ dir });
    let c = new Etcd3({ hosts: m.endpoint });
    await c.put("a").value("1");
    await c.put("a").value("2");
    await c.put("b").value("x");
    await c.delete().key("b");
    const lease = c.lease(60, { autoKeepAlive: false });
    await lease.put("leased").value("v");
    const leaseId = await lease.grant();
    await c.kv.compact({ revision: "2" });
    const before = await c.maintenance.status({});
    c.close();
    await m.close();

    m = await startMember({ dir });
    c = new Etcd3({ hosts: m.endpoint });
    const after = await c.maintenance.status({});
    assert.equal(after.header.member_id, before.header.member_id);
    assert.equal(after.header.cluster_id, before.header.cluster_id);
    assert.equal(after.header.revision, before.header.revision);
    assert.equal(await c.get("a").string(), "2");
    assert.equal(await c.get("a").revision(2).string(), "2");
    await assert.rejects(c.get("a").revision(1).string(), /compacted/);
    assert.equal(await c.get("b").string(), null);
    const ttl = await c.leaseClient.leaseTimeToLive({ ID: leaseId, keys: true });
    assert.deepEqual(ttl.keys.map(String), ["leased"]);
    assert.equal((await c.cluster.memberList({})).members.length, 1);
    c.close();
    await m.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
