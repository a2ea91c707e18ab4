// The receive path of the NBD server reuses its input buffer and reads large payloads straight
// into their own buffers; requests must come out intact however the bytes arrive. Also the
// pieces of that path: payload slicing, the reply-buffer pool, and a FLUSH that overlaps an
// earlier one, and a live server under concurrent mixed requests of all sizes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { silentLogger } from "../../src/core/log.ts";
import { BufferPool, bufferPoolLimits } from "../../src/coronafs/buffer-pool.ts";
import { partsLength, sliceParts } from "../../src/coronafs/byte-parts.ts";
import { NbdClient } from "../../src/coronafs/nbd-client.ts";
import { NbdDecoder } from "../../src/coronafs/nbd-decoder.ts";
import { cmd, encodeRequest } from "../../src/coronafs/nbd-protocol.ts";
import { VolumeServer } from "../../src/coronafs/volume-server.ts";
import { tempDir } from "../support/temp-dir.ts";

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

test("requests survive a reused input buffer and direct payload reads, however TCP splits them", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const r = rng(seed);
    const sent: Array<{ command: number; offset: number; payload: Buffer }> = [];
    const parts: Buffer[] = [];
    for (let i = 0; i < 8; i++) {
      const write = r() < 0.6;
      const len = write ? 1 + Math.floor(r() * 300_000) : 4096;
      const payload = write ? Buffer.alloc(len, (seed + i) & 0xff) : Buffer.alloc(0);
      if (write) payload.writeUInt32BE(i, 0);
      const offset = i * 1_000_000;
      sent.push({ command: write ? cmd.write : cmd.read, offset, payload });
      parts.push(encodeRequest(write ? cmd.write : cmd.read, 0, BigInt(i), offset, len), payload);
    }
    const stream = Buffer.concat(parts);
    const d = new NbdDecoder();
    d.phase = "transmission";
    const rx = Buffer.alloc(70_000);
    const got: Array<{ command: number; offset: number; payload: Buffer }> = [];
    let at = 0;
    while (at < stream.length) {
      // As the server does: the rest of a large payload straight into its buffer, else rx.
      const direct = r() < 0.5 ? d.payloadTarget(1) : undefined;
      const into = direct ?? rx;
      const n = Math.min(stream.length - at, 1 + Math.floor(r() * into.length));
      stream.copy(into, 0, at, at + n);
      at += n;
      if (direct) d.payloadFilled(n);
      else d.push(rx.subarray(0, n));
      for (let f = d.next(); f; f = d.next())
        if (f.type === "request")
          got.push({ command: f.command, offset: f.offset, payload: Buffer.concat(f.payload) });
      d.detach();
      rx.fill(0xee); // the next read overwrites what was pushed
    }
    assert.deepEqual(got, sent, `seed ${seed}`);
  }
});

test("sliceParts cuts a run of pieces without copying", () => {
  const parts = [Buffer.from("abc"), Buffer.from("defg"), Buffer.from("h")];
  assert.equal(partsLength(parts), 8);
  assert.equal(Buffer.concat(sliceParts(parts, 2, 4)).toString(), "cdef");
  assert.equal(Buffer.concat(sliceParts(parts, 0, 8)).toString(), "abcdefgh");
  assert.equal(Buffer.concat(sliceParts(parts, 7, 1)).toString(), "h");
  assert.deepEqual(sliceParts(parts, 3, 4), [parts[1]]);
});

test("the buffer pool reuses what it gave out and keeps within its bounds", () => {
  const p = new BufferPool();
  const a = p.take(4096 + 16);
  assert.equal(a.length, 8192);
  p.give(a);
  assert.equal(p.take(5000), a);
  assert.ok(p.take(100).length >= 100); // small: Node's slab
  const foreign = Buffer.alloc(16384).subarray(0, 8192);
  p.give(foreign); // a view of a larger buffer is never pooled
  assert.notEqual(p.take(8192), foreign);
  const big = p.take(bufferPoolLimits.maxPooledBytes + 1);
  p.give(big);
  assert.notEqual(p.take(bufferPoolLimits.maxPooledBytes + 1), big);
});

const dir = tempDir("coronafs-receive-");
let server: VolumeServer;
const chunk = 65_536;
before(async () => {
  server = await VolumeServer.start({
    dataDir: dir.path,
    log: silentLogger,
    nbdHost: "127.0.0.1",
    nbdPort: 0,
  });
  await server.catalog.createVolume({ id: "disk", sizeBytes: 64 * chunk, chunkSizeBytes: chunk });
});
after(async () => {
  await server.close();
  dir.remove();
});

test("a live server keeps every byte under concurrent writes of all sizes, flushes and reads", async () => {
  const c = await NbdClient.connect(`127.0.0.1:${server.nbd.address().port}`, "disk");
  const model = Buffer.alloc(64 * chunk);
  const r = rng(7);
  for (let round = 0; round < 6; round++) {
    // Non-overlapping writes in flight together (NBD leaves overlapping ones undefined).
    const ops: Promise<void>[] = [];
    let at = Math.floor(r() * chunk);
    while (ops.length < 24 && at < model.length) {
      const len = Math.min(model.length - at, 1 + Math.floor(r() * (r() < 0.3 ? 3 * chunk : 8192)));
      const data = Buffer.alloc(len);
      for (let i = 0; i < len; i += 512) data[i] = Math.floor(r() * 256);
      data.copy(model, at);
      ops.push(c.write(at, data, r() < 0.2));
      if (r() < 0.3) ops.push(c.flush());
      at += len + Math.floor(r() * 4096);
    }
    await Promise.all(ops);
    await c.flush();
    const reads = await Promise.all(Array.from({ length: 16 }, (_, i) => c.read(i * 4 * chunk, 4 * chunk)));
    assert.deepEqual(Buffer.concat(reads), model, `round ${round}`);
  }
  c.close();
});

test("the descriptor pool stays within its bound and never closes one in use", async () => {
  const { FdPool } = await import("../../src/coronafs/fd-pool.ts");
  const { writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const d = tempDir("coronafs-fds-");
  try {
    const pool = new FdPool(8);
    const paths = Array.from({ length: 40 }, (_, i) => join(d.path, String(i)));
    for (const p of paths) writeFileSync(p, "x");
    const held = pool.acquire(paths[0]!, true) as number;
    for (const p of paths.slice(1)) await pool.use(p, () => undefined);
    assert.ok(pool.size <= 9, `pool holds ${pool.size}`);
    // The held descriptor is still open and still the file's.
    const { fstatSync, statSync } = await import("node:fs");
    assert.equal(fstatSync(held).ino, statSync(paths[0]!).ino);
    pool.release(paths[0]!);
    await pool.close();
    assert.equal(pool.size, 0);
  } finally {
    d.remove();
  }
});
