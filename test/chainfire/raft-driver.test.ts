// The Raft driver (LMDB log storage, TCP transport, tick and Ready loops) with three members
// in one process on loopback: a leader is elected, proposals are applied on every member in
// the same order, and a restarted member keeps its log.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { silentLogger } from "../../src/core/log.ts";
import { LmdbRaftEnv } from "../../src/core/raft/lmdb-log-storage.ts";
import { RaftDriver } from "../../src/core/raft/node-driver.ts";
import { RaftNode } from "../../src/core/raft/raft-node.ts";
import { TcpTransport } from "../../src/core/raft/transport.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = ["1", "2", "3"];

async function member(dir: string, id: string, applied: string[][], port = 0) {
  const env = new LmdbRaftEnv(join(dir, id));
  const storage = env.group("g", { voters: ids, learners: [] });
  const node = new RaftNode({
    groupId: "g",
    id,
    storage,
    random: Math.random,
    electionTicks: 10,
    heartbeatTicks: 1,
  });
  const transport = await TcpTransport.start({
    id,
    host: "127.0.0.1",
    port,
    log: silentLogger,
    onMessages: (ms) => {
      for (const m of ms) driver.step(m);
    },
  });
  const driver: RaftDriver = new RaftDriver({
    node,
    storage,
    send: (ms) => transport.send(ms),
    tickMs: 20,
    log: silentLogger,
    apply: (es) => {
      for (const e of es)
        if (e.type === "normal" && e.data.length)
          applied[Number(id) - 1]!.push(Buffer.from(e.data).toString());
    },
  });
  return {
    driver,
    transport,
    async close() {
      await driver.close();
      await transport.close();
      await env.close();
    },
  };
}

test("three members elect a leader and apply proposals in one order", async () => {
  const dir = mkdtempSync(join(tmpdir(), "raft-driver-"));
  const applied: string[][] = [[], [], []];
  const members = await Promise.all(ids.map((id) => member(dir, id, applied)));
  try {
    members.forEach((m, i) => {
      ids.forEach((peer, j) => {
        if (i !== j) m.transport.setPeer(peer, `127.0.0.1:${members[j]!.transport.port}`);
      });
    });
    let leader: (typeof members)[number] | undefined;
    for (let i = 0; i < 200 && !leader; i++) {
      await sleep(25);
      leader = members.find((m) => m.driver.status().role === "leader");
    }
    assert.ok(leader, "a leader within 5 s");
    const proposals = Array.from({ length: 50 }, (_, i) => `cmd-${i}`);
    let last = 0;
    for (const p of proposals) last = leader.driver.propose(Buffer.from(p)).index;
    await Promise.all(members.map((m) => m.driver.waitApplied(last)));
    for (const a of applied) assert.deepEqual(a, proposals);
    await leader.driver.readIndex();
  } finally {
    for (const m of members) await m.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
