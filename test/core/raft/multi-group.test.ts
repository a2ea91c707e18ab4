import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStorage } from "../../../src/core/raft/memory-storage.ts";
import { RaftNode } from "../../../src/core/raft/raft-node.ts";
import { type Message, makeMessage } from "../../../src/core/raft/types.ts";
import { seededRandom } from "./fixture.ts";

test("many groups share one process and one message loop, routed by (groupId, nodeId)", () => {
  const groups = ["region-1", "region-2", "region-3"];
  const ids = ["a", "b", "c"];
  const nodes = new Map<string, RaftNode>();
  const storages = new Map<string, MemoryStorage>();
  for (const g of groups) {
    for (const id of ids) {
      const storage = MemoryStorage.bootstrap({ voters: ids, learners: [] });
      storages.set(`${g}/${id}`, storage);
      nodes.set(
        `${g}/${id}`,
        new RaftNode({ groupId: g, id, storage, random: seededRandom(g.length + id.charCodeAt(0)) }),
      );
    }
  }
  const wire: Message[] = [];
  const pump = () => {
    for (let guard = 0; guard < 10_000; guard++) {
      for (const [key, n] of nodes) {
        while (n.hasReady()) {
          const rd = n.ready();
          storages.get(key)!.append(rd.entries);
          if (rd.hardState) storages.get(key)!.setHardState(rd.hardState);
          wire.push(...rd.messages);
          n.advance(rd);
        }
      }
      const m = wire.shift();
      if (!m) return;
      nodes.get(`${m.groupId}/${m.to}`)!.step(m);
    }
  };
  // Different leaders in different groups, on the same three "processes".
  nodes.get("region-1/a")!.campaign();
  nodes.get("region-2/b")!.campaign();
  nodes.get("region-3/c")!.campaign();
  pump();
  assert.equal(nodes.get("region-1/a")!.status().role, "leader");
  assert.equal(nodes.get("region-2/b")!.status().role, "leader");
  assert.equal(nodes.get("region-3/c")!.status().role, "leader");
  nodes.get("region-2/b")!.propose(new TextEncoder().encode("only in region-2"));
  pump();
  assert.equal(nodes.get("region-2/a")!.status().commit, nodes.get("region-2/b")!.status().commit);
  assert.ok(nodes.get("region-2/a")!.status().commit > nodes.get("region-1/a")!.status().commit);
  // A message for another group is a routing bug and is refused loudly.
  const stray = makeMessage({ type: "heartbeat", groupId: "region-2", from: "b", to: "a", term: 9 });
  assert.throws(() => nodes.get("region-1/a")!.step(stray), /wrong group/);
});
