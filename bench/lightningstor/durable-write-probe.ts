// `node --import tsx bench/lightningstor/durable-write-probe.ts <dir> <objectBytes> <clients> <seconds>`
// The disk's bandwidth for *durable* object writes, as a storage server that keeps one copy
// of each object in one file would do them: each of `clients` concurrent writers creates a
// file, writes the object, fdatasyncs it and fsyncs the directory, then starts the next.
// This is the anchor a fsyncing object store is fairly measured against (same fsync
// policy, same concurrency and object size); a single 512 MiB write with one fdatasync at
// the end is the disk's best case, which no per-object-durable store can reach for small
// objects. Prints one JSON line. Run with UV_THREADPOOL_SIZE ≥ clients (the fsyncs wait on
// libuv's pool).
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";

const [dir, sizeArg, clientsArg, secondsArg] = process.argv.slice(2);
if (!dir || !sizeArg || !clientsArg || !secondsArg) {
  console.error("usage: durable-write-probe.ts <dir> <objectBytes> <clients> <seconds>");
  process.exit(2);
}
const size = Number(sizeArg);
const clients = Number(clientsArg);
const seconds = Number(secondsArg);
/** Bounds the bytes one probe writes, whatever the disk's speed. */
const maxBytes = 4 * 1024 ** 3;
/** Files a writer keeps before overwriting the oldest, so the probe's disk use is bounded. */
const filesPerWriter = Math.max(2, Math.floor((256 * 1024 * 1024) / clients / size));

const body = randomBytes(size);
const root = join(dir, "durable-probe");
mkdirSync(root, { recursive: true });
const dirHandle = await open(root, "r");
let bytes = 0;
let done = 0;
const t0 = performance.now();
const deadline = t0 + seconds * 1000;
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; performance.now() < deadline && bytes < maxBytes; i++) {
      const f = await open(join(root, `${c}-${i % filesPerWriter}`), "w");
      await f.write(body, 0, body.length, 0);
      await f.datasync();
      await f.close();
      await dirHandle.sync();
      bytes += size;
      done++;
    }
  }),
);
const secs = (performance.now() - t0) / 1000;
await dirHandle.close();
rmSync(root, { recursive: true, force: true });
console.log(JSON.stringify({ mbPerSec: bytes / secs / 1e6, opsPerSec: done / secs }));
