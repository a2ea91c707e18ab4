// The volume server against the real NBD clients of Debian's qemu-utils: qemu-img and qemu-io
// read and write through nbd:// and see the same bytes, before and after a server restart.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { silentLogger } from "../../src/core/log.ts";
import { VolumeServer } from "../../src/coronafs/volume-server.ts";
import { tempDir } from "../support/temp-dir.ts";
import { qemuIo, runTool } from "./qemu-tools.ts";

const dir = tempDir("coronafs-qemu-");
const data = join(dir.path, "server");
let server: VolumeServer;
let url: (name: string) => string;
const mib = 1024 * 1024;

async function start() {
  server = await VolumeServer.start({ dataDir: data, log: silentLogger, nbdHost: "127.0.0.1", nbdPort: 0 });
  const port = server.nbd.address().port;
  url = (name) => `nbd://127.0.0.1:${port}/${name}`;
}

before(async () => {
  await start();
  await server.catalog.createVolume({ id: "vol1", sizeBytes: 64 * mib, chunkSizeBytes: mib });
});
after(async () => {
  await server?.close();
  dir.remove();
});

test("qemu-img info reports the export's size", async () => {
  const r = await runTool("qemu-img", ["info", "--output=json", url("vol1")]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout)["virtual-size"], 64 * mib);
});

test("qemu-io writes a pattern and reads it back", async () => {
  await qemuIo(url("vol1"), "write -P 0xab 0 1M", "read -P 0xab 0 1M", "flush");
  // Unaligned, across a chunk boundary, with FUA; the rest of the volume still reads zeros.
  await qemuIo(url("vol1"), "write -P 0x5c -f 1048000 3000", "read -P 0x5c 1048000 3000", "read -P 0 8M 1M");
  await qemuIo(url("vol1"), "read -P 0xab 0 1047552");
});

test("write-zeroes and discard read back as zeros", async () => {
  await qemuIo(url("vol1"), "write -P 0x11 4M 3M", "write -z 4M 1M", "read -P 0 4M 1M", "read -P 0x11 5M 2M");
  await qemuIo(url("vol1"), "discard 5M 1M", "read -P 0 5M 1M", "read -P 0x11 6M 1M", "write -z -u 6M 4096");
  await qemuIo(url("vol1"), "read -P 0 6M 4096", "read -P 0x11 6295552 1044480");
});

test("qemu-img convert copies a file into the export and back out byte for byte", async () => {
  await server.catalog.createVolume({ id: "vol2", sizeBytes: 16 * mib, chunkSizeBytes: mib });
  const src = join(dir.path, "src.raw");
  const bytes = Buffer.alloc(16 * mib);
  randomBytes(3 * mib).copy(bytes, 2 * mib); // data, and holes around it
  bytes.fill(0x42, 9 * mib, 9 * mib + 12345);
  writeFileSync(src, bytes);
  const w = await runTool("qemu-img", ["convert", "-n", "-f", "raw", "-O", "raw", src, url("vol2")]);
  assert.equal(w.code, 0, w.stderr);
  const out = join(dir.path, "out.raw");
  const r = await runTool("qemu-img", ["convert", "-f", "raw", "-O", "raw", url("vol2"), out]);
  assert.equal(r.code, 0, r.stderr);
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
  assert.equal(sha(readFileSync(out)), sha(bytes));
});

test("data survives a server restart", async () => {
  await server.close();
  await start();
  await qemuIo(
    url("vol1"),
    "read -P 0xab 0 1047552",
    "read -P 0x5c 1048000 3000",
    "read -P 0x11 6295552 1044480",
  );
  const r = await runTool("qemu-img", [
    "compare",
    "-f",
    "raw",
    "-F",
    "raw",
    join(dir.path, "src.raw"),
    url("vol2"),
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});
