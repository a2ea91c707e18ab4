// A replica that stops answering (a frozen process, a black-holed link) must not hang the
// volume: after the request timeout the primary treats it as failed, asks the control plane
// to take it out of the in-sync set, and acknowledges the write with the copies left.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { silentLogger } from "../../src/core/log.ts";
import { NbdClient } from "../../src/coronafs/nbd-client.ts";
import { exportFlags } from "../../src/coronafs/nbd-request-check.ts";
import { type BlockTarget, NbdServer } from "../../src/coronafs/nbd-server.ts";
import { VolumeServer } from "../../src/coronafs/volume-server.ts";
import { tempDir } from "../support/temp-dir.ts";

const chunk = 65_536;
const dir = tempDir("coronafs-stall-");
let primary: VolumeServer;
let frozen: NbdServer;
const reports: Array<{ replica: string; reason: string }> = [];

before(async () => {
  // The "replica": completes the handshake, then never answers a write.
  const never = () => new Promise<void>(() => undefined);
  const target: BlockTarget = {
    read: never,
    write: never,
    writeZeroes: never,
    trim: never,
    flush: never,
    release: () => undefined,
  };
  frozen = new NbdServer({
    log: silentLogger,
    provider: {
      describe: () => ({ sizeBytes: 16 * chunk, flags: exportFlags(false) }),
      open: () => target,
      list: () => [],
    },
  });
  await frozen.listen("127.0.0.1", 0);
  primary = await VolumeServer.start({
    dataDir: dir.path,
    log: silentLogger,
    nbdHost: "127.0.0.1",
    nbdPort: 0,
    replicaTimeoutMs: 300,
    reportReplicaLost: async (_url, r) => {
      reports.push({ replica: r.replica, reason: r.reason });
    },
  });
  await primary.catalog.createVolume({ id: "v", sizeBytes: 16 * chunk, chunkSizeBytes: chunk });
  await primary.setAttachment("v", 1, "secret", [`127.0.0.1:${frozen.address().port}`], "http://control");
});
after(async () => {
  await primary.close();
  await frozen.close();
  dir.remove();
});

test("a write to a volume whose replica stopped answering completes once the replica is dropped", async () => {
  const c = await NbdClient.connect(`127.0.0.1:${primary.nbd.address().port}`, "v/secret");
  const started = performance.now();
  await c.write(0, Buffer.alloc(4096, 7), true);
  const waited = performance.now() - started;
  assert.ok(waited >= 300 && waited < 10_000, `waited ${waited} ms`);
  assert.equal(reports.length, 1);
  assert.match(reports[0]!.reason, /unanswered/);
  // The volume goes on with the copy left; the dropped replica is not asked again.
  await c.write(4096, Buffer.alloc(4096, 8), true);
  assert.equal(reports.length, 1);
  assert.deepEqual(await c.read(0, 8192), Buffer.concat([Buffer.alloc(4096, 7), Buffer.alloc(4096, 8)]));
  c.close();
});
