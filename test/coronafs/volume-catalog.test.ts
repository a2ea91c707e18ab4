// Chunked, sparse, copy-on-write volume storage on disk: snapshots and clones share chunks
// until written, deletes free only what nothing else uses, and it all survives a reopen.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { test } from "node:test";
import { chunkPieces } from "../../src/coronafs/chunk-math.ts";
import { FdPool } from "../../src/coronafs/fd-pool.ts";
import { VolumeCatalog } from "../../src/coronafs/volume-catalog.ts";
import { tempDir } from "../support/temp-dir.ts";

const chunk = 65_536;
const open = (root: string) => VolumeCatalog.open(root, new FdPool(8));
const layerFiles = (root: string, layer: string) => readdirSync(join(root, "layers", layer));

test("a range maps onto chunk pieces", () => {
  assert.deepEqual(chunkPieces(65_000, 1000, chunk), [
    { index: 0, at: 65_000, length: 536, rangeOffset: 0, whole: false },
    { index: 1, at: 0, length: 464, rangeOffset: 536, whole: false },
  ]);
  assert.equal(chunkPieces(0, 3 * chunk, chunk).filter((p) => p.whole).length, 3);
});

test("unwritten chunks read as zeros and take no file", async () => {
  const d = tempDir();
  const c = await open(d.path);
  const v = await c.createVolume({ id: "v", sizeBytes: 10 * chunk, chunkSizeBytes: chunk });
  assert.deepEqual(await v.data.read(0, 10 * chunk), Buffer.alloc(10 * chunk));
  await v.data.write(3 * chunk + 10, Buffer.from("hello"), false);
  assert.deepEqual(layerFiles(d.path, v.manifest.layers[0]!), ["3"]);
  await c.close();
  d.remove();
});

test("a snapshot freezes contents; a clone reads through until it writes", async () => {
  const d = tempDir();
  let c = await open(d.path);
  const v = await c.createVolume({ id: "v", sizeBytes: 4 * chunk, chunkSizeBytes: chunk });
  await v.data.write(0, Buffer.alloc(2 * chunk, 0xaa), true);
  const snap = await c.snapshotVolume("v", "s1");
  await v.data.write(0, Buffer.alloc(100, 0xbb), false);
  const clone = await c.createVolume({
    id: "c",
    sizeBytes: 8 * chunk,
    chunkSizeBytes: chunk,
    fromSnapshot: "s1",
  });
  assert.equal(layerFiles(d.path, clone.manifest.layers[0]!).length, 0, "no chunk copied at clone time");
  assert.deepEqual(await clone.data.read(0, 2 * chunk), Buffer.alloc(2 * chunk, 0xaa));
  await clone.data.write(chunk + 5, Buffer.from([1, 2, 3]), false);
  assert.deepEqual(
    layerFiles(d.path, clone.manifest.layers[0]!),
    ["1"],
    "only the written chunk is copied up",
  );
  const expected = Buffer.alloc(2 * chunk, 0xaa);
  expected.set([1, 2, 3], chunk + 5);
  assert.deepEqual(await clone.data.read(0, 2 * chunk), expected);
  // The origin and the snapshot are unchanged by the clone's writes.
  const origin = Buffer.alloc(2 * chunk, 0xaa);
  origin.fill(0xbb, 0, 100);
  assert.deepEqual(await v.data.read(0, 2 * chunk), origin);
  // A whole-chunk trim in the clone hides the snapshot's chunk.
  await clone.data.zero(0, chunk, { fua: false, noHole: false });
  assert.deepEqual(await clone.data.read(0, chunk), Buffer.alloc(chunk));
  await clone.data.flush();
  await v.data.flush();

  await c.close();
  c = await open(d.path);
  assert.deepEqual(await c.volume("c")!.data.read(chunk, chunk), expected.subarray(chunk));
  assert.deepEqual(await c.volume("v")!.data.read(0, 2 * chunk), origin);
  // Deleting the origin keeps the snapshot's layer (the clone needs it); deleting all frees it.
  await c.deleteVolume("v");
  assert.ok(existsSync(join(d.path, "layers", snap.layers[0]!)));
  await c.deleteSnapshot("s1");
  assert.ok(existsSync(join(d.path, "layers", snap.layers[0]!)), "still under the clone");
  await c.deleteVolume("c");
  assert.deepEqual(readdirSync(join(d.path, "layers")), []);
  await c.close();
  d.remove();
});

test("resize grows a volume and refuses to shrink it", async () => {
  const d = tempDir();
  const c = await open(d.path);
  await c.createVolume({ id: "v", sizeBytes: 2 * chunk, chunkSizeBytes: chunk });
  await c.resize("v", 5 * chunk);
  assert.equal(c.volume("v")!.data.sizeBytes, 5 * chunk);
  await assert.rejects(c.resize("v", chunk), /shrinking/);
  await c.close();
  d.remove();
});

test("an imported image is a sparse snapshot to clone from", async () => {
  const d = tempDir();
  const c = await open(d.path);
  const bytes = Buffer.alloc(3 * chunk + 100);
  bytes.fill(7, chunk * 2, chunk * 2 + 10);
  bytes.fill(9, 3 * chunk, 3 * chunk + 100);
  const s = await c.importSnapshot(
    "img",
    chunk,
    Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
  );
  assert.equal(s.sizeBytes, bytes.length);
  assert.deepEqual(layerFiles(d.path, s.layers[0]!).sort(), ["2", "3"]);
  const v = await c.createVolume({
    id: "v",
    sizeBytes: 8 * chunk,
    chunkSizeBytes: chunk,
    fromSnapshot: "img",
  });
  assert.deepEqual(await v.data.read(0, bytes.length), bytes);
  await c.close();
  d.remove();
});
