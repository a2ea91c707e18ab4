// A member whose Raft WAL ends in a torn write, or in a record that fails its checksum (a crash
// mid-write), recovers what precedes the damage, rejoins, is brought back up to date by the
// leader, and serves every key written before and after.
import assert from "node:assert/strict";
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ChainfireClient } from "../../src/chainfire/client.ts";
import { type Cluster, startCluster } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForLeader(c: Cluster, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const i = c.leaderIndex();
    if (i >= 0) return i;
    if (Date.now() > deadline) throw new Error("no leader");
    await sleep(50);
  }
}

function lastSegment(dir: string): string {
  const wal = join(dir, "wal");
  const segs = readdirSync(wal)
    .filter((f) => f.endsWith(".wal"))
    .sort();
  return join(wal, segs.at(-1)!);
}

/** Every key on one member (serializable: what that member itself holds), waiting for it to catch up. */
async function expectKeys(endpoint: string, keys: string[], timeoutMs = 10_000): Promise<void> {
  const client = new ChainfireClient(endpoint);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing: string[] = [];
      for (const k of keys) {
        const kv = await client.get(k, { serializable: true });
        if (kv?.value.toString() !== `v-${k}`) missing.push(k);
      }
      if (missing.length === 0) return;
      if (Date.now() > deadline) assert.fail(`member ${endpoint} lacks ${missing.join(", ")}`);
      await sleep(100);
    }
  } finally {
    client.close();
  }
}

test("a member recovers from a torn or corrupt WAL tail and catches up", { timeout: 120_000 }, async () => {
  const c = await startCluster(3);
  // Writes go to the leader, which stays up throughout.
  const client = new ChainfireClient(c.members[await waitForLeader(c)]!.endpoint);
  try {
    const keys: string[] = [];
    const write = async (n: number, tag: string) => {
      for (let i = 0; i < n; i++) {
        const k = `/wal/${tag}/${i}`;
        await client.put(k, `v-${k}`);
        keys.push(k);
      }
    };
    await write(30, "a");
    const victim = (c.leaderIndex() + 1) % 3;
    const dir = c.dirs[victim]!;

    // 1. A torn write: a record header promising more bytes than ever reached the disk.
    await c.stop(victim);
    const torn = Buffer.alloc(40);
    torn.writeUInt32LE(5000, 0);
    torn.fill(0xab, 8);
    const seg = lastSegment(dir);
    const data = readFileSync(seg);
    let end = data.length;
    while (end > 0 && data[end - 1] === 0) end--;
    writeFileSync(seg, data.subarray(0, end));
    appendFileSync(seg, torn);
    await write(10, "b");
    await c.start(victim);
    await write(10, "c");
    await expectKeys(c.members[victim]!.endpoint, keys);

    // 2. A last write whose length arrived whole but whose bytes did not: the checksum fails.
    // (Only an unacknowledged tail can be dropped: a member that lost entries it had
    // acknowledged is refused by Raft, as etcd refuses it: "was the raft log corrupted?")
    await c.stop(victim);
    const seg2 = lastSegment(dir);
    const d2 = readFileSync(seg2);
    let end2 = d2.length;
    while (end2 > 0 && d2[end2 - 1] === 0) end2--;
    const garbled = Buffer.alloc(8 + 64, 0x3c);
    garbled.writeUInt32LE(64, 0);
    garbled.writeUInt32LE(0xdeadbeef, 4);
    writeFileSync(seg2, Buffer.concat([d2.subarray(0, end2), garbled]));
    await write(10, "d");
    await c.start(victim);
    await write(10, "e");
    await expectKeys(c.members[victim]!.endpoint, keys);
  } finally {
    client.close();
    await c.close();
  }
});
