// `photon volume …` through the real CLI, with a volume cloned from a qcow2 image imported
// into lightningstor: the clone reads the image's bytes without a full copy per volume.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { coronafsRole } from "../../src/coronafs/server.ts";
import { lightningstorRole } from "../../src/lightningstor/server.ts";
import { type TestCloud, testCloud } from "./cloud.ts";
import { qemuIo, runTool } from "./qemu-tools.ts";

let cloud: TestCloud;
let cfg: string;
const photon = (...args: string[]) =>
  new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(
      process.execPath,
      ["bin/photon.js", "--config-file", cfg, ...args],
      { timeout: 120_000 },
      (e, out, err) => resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });

before(async () => {
  cloud = await testCloud();
  await cloud.start(lightningstorRole, { embeddedNodes: 3, coding: "1+2", scrubIntervalMs: 3_600_000 });
  await cloud.start(coronafsRole, { serverPollMs: 200 });
  cfg = join(cloud.dataDir, "cli.json");
  writeFileSync(
    cfg,
    JSON.stringify({
      current: "t",
      contexts: { t: { endpoints: cloud.endpoints, token: cloud.token, project: "acme" } },
    }),
  );
});
after(async () => cloud.close());

test("a volume cloned from a qcow2 image through the CLI reads the image's bytes", async () => {
  const mib = 1024 * 1024;
  const raw = join(cloud.dataDir, "guest.raw");
  const bytes = Buffer.alloc(8 * mib);
  bytes.fill(0xc7, 0, mib);
  bytes.fill(0x3e, 5 * mib, 6 * mib);
  writeFileSync(raw, bytes);
  const qcow = join(cloud.dataDir, "guest.qcow2");
  const conv = await runTool("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", raw, qcow]);
  assert.equal(conv.code, 0, conv.stderr);
  const imp = await photon("image", "import", "guest", qcow);
  assert.equal(imp.code, 0, imp.err);

  const created = await photon("volume", "create", "root", "--size-gib", "1", "--image", "guest", "--wait");
  assert.equal(created.code, 0, created.err);
  assert.match(created.out, /root\s.*1\s.*1\s.*Available\s.*guest/);
  const second = await photon(
    "volume",
    "create",
    "root2",
    "--size-gib",
    "2",
    "--image",
    "guest",
    "--wait",
    "-o",
    "json",
  );
  assert.equal(second.code, 0, second.err);
  // The image was imported once per server; each clone's own layer starts empty.
  const server = join(cloud.dataDir, "coronafs", "server");
  assert.equal(readdirSync(join(server, "snapshots")).length, 1);
  const list = await photon("volume", "list");
  assert.match(list.out, /root\s/);
  assert.match(list.out, /root2\s/);

  const url = (await photon("volume", "attach", "root", "--holder", "vm-a")).out.trim();
  assert.match(url, /^nbd:\/\//);
  await qemuIo(url, "read -P 0xc7 0 1M", "read -P 0 1M 4M", "read -P 0x3e 5M 1M", "read -P 0 8M 1M");
  await qemuIo(url, "write -P 0x99 0 4096");
  const url2 = (await photon("volume", "attach", "root2", "--holder", "vm-b")).out.trim();
  await qemuIo(url2, "read -P 0xc7 0 1M", "read -P 0x3e 5M 1M");

  const snap = await photon("volume", "snapshot", "root", "s1");
  assert.equal(snap.code, 0, snap.err);
  assert.match(snap.out, /s1\s.*root\s.*Ready/);
  const resized = await photon("volume", "resize", "root2", "3");
  assert.equal(resized.code, 0, resized.err);
  const bad = await photon("volume", "resize", "root2", "1");
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /shrinking/);
  const got = await photon("volume", "get", "root", "-o", "json");
  assert.equal(JSON.parse(got.out).status.attachment.holder, "vm-a");
  assert.equal((await photon("volume", "detach", "root", "--holder", "vm-a")).code, 0);
  assert.equal((await photon("volume", "delete", "root2")).code, 0);
  const missing = await photon("volume", "get", "nope");
  assert.notEqual(missing.code, 0);
  assert.match(missing.err, /NotFound/);
});
