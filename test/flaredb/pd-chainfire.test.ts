import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ChainfireServer } from "../../src/chainfire/chainfire-server.ts";
import { createLogger } from "../../src/core/log.ts";
import { ChainfirePdStorage } from "../../src/flaredb/pd/chainfire-pd-storage.ts";
import { PlacementDriver } from "../../src/flaredb/pd/pd-server.ts";
import { H2JsonClient } from "../../src/flaredb/rpc/h2-json-client.ts";

const log = createLogger({ level: "silent", name: "pd-test" });

describe("the placement driver keeps its state in chainfire", () => {
  let dir: string;
  let cf: ChainfireServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "flaredb-pd-cf-"));
    cf = await ChainfireServer.start({
      dataDir: join(dir, "cf"),
      listen: "127.0.0.1",
      clientPort: 0,
      peerPort: 0,
      httpPort: -1,
      name: "cf",
      log,
    });
  });
  after(async () => {
    await cf?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startPd = () =>
    PlacementDriver.start({
      host: "127.0.0.1",
      port: 0,
      log,
      storage: new ChainfirePdStorage([cf.clientUrl]),
      config: { bootstrapWaitMs: 60_000 },
    });

  it("a restarted driver finds its regions and never repeats a timestamp or an id", async () => {
    const rpc = new H2JsonClient();
    const first = await startPd();
    let lastTs = 0;
    let lastId = 0;
    try {
      for (const s of ["s1", "s2", "s3"])
        first.heartbeat({ storeId: s, address: `${s}:1`, raftAddress: `${s}:2`, regions: [] });
      assert.equal(first.regions().length, 1);
      lastTs = (await rpc.call<{ ts: number }>(first.address, "/pd/v1/tso", { count: 100 })).ts + 99;
      lastId = (await rpc.call<{ id: number }>(first.address, "/pd/v1/alloc-id", {})).id;
    } finally {
      await first.close();
    }
    const second = await startPd();
    try {
      const regions = second.regions();
      assert.equal(regions.length, 1);
      assert.deepEqual(regions[0]!.region.peers, ["s1", "s2", "s3"]);
      const ts = (await rpc.call<{ ts: number }>(second.address, "/pd/v1/tso", {})).ts;
      assert.ok(ts > lastTs, `${ts} > ${lastTs}`);
      const id = (await rpc.call<{ id: number }>(second.address, "/pd/v1/alloc-id", {})).id;
      assert.ok(id > lastId);
      await assert.rejects(
        rpc.call(second.address, "/pd/v1/tso", { count: -1 }),
        (e: { code?: string }) => e.code === "InvalidArgument",
      );
    } finally {
      await second.close();
      rpc.close();
    }
  });
});
