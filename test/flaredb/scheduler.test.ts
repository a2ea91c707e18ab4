import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RegionDescriptor } from "../../src/flaredb/api.ts";
import {
  type ClusterView,
  defaultPlacementConfig,
  type PlacementConfig,
} from "../../src/flaredb/pd/cluster-view.ts";
import { schedule } from "../../src/flaredb/pd/scheduler.ts";

const cfg: PlacementConfig = {
  ...defaultPlacementConfig,
  storeDownMs: 1_000,
  regionSplitBytes: 1_000,
  loadSplitWritesPerSec: 100,
};
const NOW = 100_000;

function view(
  stores: Record<string, number>,
  regions: Array<{ id: number; peers: string[]; leader: string; stats?: object }>,
): ClusterView {
  const v: ClusterView = { stores: new Map(), regions: new Map(), manual: new Map() };
  for (const [id, last] of Object.entries(stores))
    v.stores.set(id, { id, address: "", raftAddress: "", lastHeartbeatMs: last });
  for (const r of regions) {
    const region: RegionDescriptor = {
      id: r.id,
      start: "",
      end: "",
      epoch: { confVer: 1, version: 1 },
      peers: r.peers,
    };
    v.regions.set(r.id, { region, leader: r.leader, stats: r.stats as never, pending: undefined });
  }
  return v;
}

let nextId = 1_000;
const alloc = () => nextId++;

describe("placement scheduler", () => {
  it("removes the replica on a down store first, then adds one on the emptiest up store", () => {
    const v = view({ a: NOW, b: NOW, c: 0, d: NOW }, [{ id: 1, peers: ["a", "b", "c"], leader: "a" }]);
    assert.deepEqual(schedule(v, "a", NOW, cfg, alloc), [{ type: "removePeer", regionId: 1, storeId: "c" }]);
    v.regions.get(1)!.region = {
      ...v.regions.get(1)!.region,
      peers: ["a", "b"],
      epoch: { confVer: 2, version: 1 },
    };
    assert.deepEqual(schedule(v, "a", NOW, cfg, alloc), [{ type: "addPeer", regionId: 1, storeId: "d" }]);
  });

  it("an operator in flight blocks the next one for its region until the epoch moves", () => {
    const v = view({ a: NOW, b: NOW, c: NOW, d: NOW }, [{ id: 1, peers: ["a", "b"], leader: "a" }]);
    assert.equal(schedule(v, "a", NOW, cfg, alloc).length, 1);
    assert.equal(schedule(v, "a", NOW + 10, cfg, alloc).length, 0);
    assert.equal(schedule(v, "a", NOW + cfg.operatorTimeoutMs + 1, cfg, alloc).length, 1);
  });

  it("splits a region over the size limit at its middle key, and a hot one at its load key", () => {
    const v = view({ a: NOW, b: NOW, c: NOW }, [
      {
        id: 1,
        peers: ["a", "b", "c"],
        leader: "a",
        stats: { sizeBytes: 5_000, sizeSplitKey: "bQ==", writesPerSec: 0 },
      },
      {
        id: 2,
        peers: ["a", "b", "c"],
        leader: "a",
        stats: { sizeBytes: 10, writesPerSec: 500, loadSplitKey: "eA==" },
      },
    ]);
    const ops = schedule(v, "a", NOW, cfg, alloc);
    assert.deepEqual(
      ops.map((o) => (o.type === "split" ? [o.regionId, o.splitKey] : o.type)),
      [
        [1, "bQ=="],
        [2, "eA=="],
      ],
    );
  });

  it("moves a replica from the fullest store to an empty one, and never more than the move limit at once", () => {
    const regions = Array.from({ length: 6 }, (_, i) => ({ id: i + 1, peers: ["a", "b", "c"], leader: "a" }));
    const v = view({ a: NOW, b: NOW, c: NOW, d: NOW }, regions);
    const ops = schedule(v, "a", NOW, cfg, alloc).filter((o) => o.type === "addPeer");
    assert.ok(ops.length >= 1 && ops.length <= cfg.maxConcurrentMoves);
    assert.ok(ops.every((o) => o.type === "addPeer" && o.storeId === "d"));
  });

  it("sheds the extra replica of an over-replicated region from the fullest store, transferring the lead away first", () => {
    const v = view({ a: NOW, b: NOW, c: NOW, d: NOW }, [
      { id: 1, peers: ["a", "b", "c", "d"], leader: "a" },
      { id: 2, peers: ["a", "b", "c"], leader: "b" },
    ]);
    const [op] = schedule(v, "a", NOW, cfg, alloc);
    assert.ok(op);
    assert.ok(
      op.type === "transferLeader" || (op.type === "removePeer" && op.storeId !== "d"),
      JSON.stringify(op),
    );
  });

  it("balances leaders: a store leading two more regions than a follower's store hands one over", () => {
    const v = view({ a: NOW, b: NOW, c: NOW }, [
      { id: 1, peers: ["a", "b", "c"], leader: "a" },
      { id: 2, peers: ["a", "b", "c"], leader: "a" },
      { id: 3, peers: ["a", "b", "c"], leader: "a" },
    ]);
    const ops = schedule(v, "a", NOW, cfg, alloc);
    assert.ok(ops.some((o) => o.type === "transferLeader"));
  });

  it("only the reporting store's regions get operators", () => {
    const v = view({ a: NOW, b: NOW, c: NOW, d: NOW }, [{ id: 1, peers: ["a", "b"], leader: "b" }]);
    assert.deepEqual(schedule(v, "a", NOW, cfg, alloc), []);
  });
});
