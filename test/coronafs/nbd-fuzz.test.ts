// Fuzzing the NBD handshake and command parser: random and mutated byte streams never crash
// the decoder, the option logic or the request checks (only ProtocolViolation may end a
// stream), and a real server fed mutated streams keeps serving well-formed clients.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import { silentLogger } from "../../src/core/log.ts";
import { NbdClient } from "../../src/coronafs/nbd-client.ts";
import { NbdDecoder, ProtocolViolation } from "../../src/coronafs/nbd-decoder.ts";
import { handleOption } from "../../src/coronafs/nbd-options.ts";
import {
  cmd,
  encodeGoData,
  encodeOption,
  encodeRequest,
  info,
  nbdErr,
  nbdLimits,
  opt,
} from "../../src/coronafs/nbd-protocol.ts";
import { checkRequest, exportFlags } from "../../src/coronafs/nbd-request-check.ts";
import { VolumeServer } from "../../src/coronafs/volume-server.ts";
import { tempDir } from "../support/temp-dir.ts";

/** xorshift32: seeded, so a failing input can be replayed from its seed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function validStream(r: () => number): Buffer {
  const flags = Buffer.alloc(4);
  flags.writeUInt32BE(3);
  const parts: Buffer[] = [flags];
  const opts = Math.floor(r() * 4);
  for (let i = 0; i < opts; i++)
    parts.push(
      r() < 0.5
        ? encodeOption(opt.info, encodeGoData("disk", [info.blockSize]))
        : encodeOption(Math.floor(r() * 14), Buffer.alloc(Math.floor(r() * 8))),
    );
  parts.push(encodeOption(opt.go, encodeGoData(r() < 0.9 ? "disk" : "other", [info.name])));
  const reqs = Math.floor(r() * 6);
  for (let i = 0; i < reqs; i++) {
    const c = [cmd.read, cmd.write, cmd.flush, cmd.trim, cmd.writeZeroes, cmd.disc][Math.floor(r() * 6)]!;
    const len = Math.floor(r() * 2048);
    parts.push(encodeRequest(c, Math.floor(r() * 4), BigInt(i), Math.floor(r() * 70_000), len));
    if (c === cmd.write) parts.push(Buffer.alloc(len, 0xee));
  }
  return Buffer.concat(parts);
}

function mutate(b: Buffer, r: () => number): Buffer {
  const out = Buffer.from(b);
  const edits = 1 + Math.floor(r() * 4);
  let cur = out;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * Math.max(1, cur.length));
    const kind = r();
    if (kind < 0.5) cur[at] = Math.floor(r() * 256);
    else if (kind < 0.7) cur = cur.subarray(0, at);
    else if (kind < 0.85)
      cur = Buffer.concat([cur.subarray(0, at), Buffer.from([Math.floor(r() * 256)]), cur.subarray(at)]);
    else if (cur.length >= at + 4) cur.writeUInt32BE(Math.floor(r() * 0x100000000), at);
  }
  return cur;
}

function randomBytes(r: () => number): Buffer {
  const b = Buffer.alloc(Math.floor(r() * 200));
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
  return b;
}

const sizeBytes = 65_536;
const ctx = {
  lookup: (n: string) => (n === "disk" ? { sizeBytes, flags: exportFlags(false) } : undefined),
  listable: () => ["disk"],
  noZeroes: true,
};

/** Drives one input through the pure parser as the server would; returns how it ended. */
function drive(input: Buffer, r: () => number): "violation" | "incomplete" | "closed" {
  const d = new NbdDecoder();
  // Deliver in random pieces: framing must not depend on how TCP splits the stream.
  let at = 0;
  while (at < input.length) {
    const n = 1 + Math.floor(r() * 64);
    d.push(input.subarray(at, at + n));
    at += n;
    for (;;) {
      let f: ReturnType<NbdDecoder["next"]>;
      try {
        f = d.next();
      } catch (e) {
        if (e instanceof ProtocolViolation) return "violation";
        throw e;
      }
      if (!f) break;
      if (f.type === "option") {
        const out = handleOption(f.option, f.data, ctx);
        for (const reply of out.replies) assert.ok(reply.length >= 10 && reply.length < 70_000);
        if (out.next === "close") return "closed";
        if (out.next === "transmit") d.phase = "transmission";
      } else if (f.type === "request") {
        const e = checkRequest(f, sizeBytes, exportFlags(false));
        assert.ok(Object.values(nbdErr).includes(e as never), `known errno ${e}`);
        if (e === nbdErr.ok)
          assert.ok(f.offset + f.length <= sizeBytes || f.command === cmd.flush || f.command === cmd.disc);
        if (f.command === cmd.disc) return "closed";
      }
      assert.ok(d.bufferedBytes <= nbdLimits.maxPayloadBytes + 64);
    }
  }
  return "incomplete";
}

test("100k random and mutated inputs never crash the parser (seeded, bounded time)", () => {
  const started = Date.now();
  const outcomes = { violation: 0, incomplete: 0, closed: 0 };
  const total = 100_000;
  for (let seed = 1; seed <= total; seed++) {
    const r = rng(seed);
    const kind = seed % 3;
    const input = kind === 0 ? randomBytes(r) : kind === 1 ? mutate(validStream(r), r) : validStream(r);
    try {
      outcomes[drive(input, r)]++;
    } catch (e) {
      assert.fail(`seed ${seed}: ${(e as Error).stack}`);
    }
    assert.ok(Date.now() - started < 120_000, "fuzzing stays within its time bound");
  }
  assert.equal(outcomes.violation + outcomes.incomplete + outcomes.closed, total);
  assert.ok(outcomes.violation > 1000 && outcomes.closed > 1000, JSON.stringify(outcomes));
});

const dir = tempDir("coronafs-fuzz-");
let server: VolumeServer;
before(async () => {
  server = await VolumeServer.start({
    dataDir: dir.path,
    log: silentLogger,
    nbdHost: "127.0.0.1",
    nbdPort: 0,
  });
  await server.catalog.createVolume({ id: "disk", sizeBytes, chunkSizeBytes: 65_536 });
});
after(async () => {
  await server.close();
  dir.remove();
});

test("a live server fed 600 mutated streams keeps serving", async () => {
  const port = server.nbd.address().port;
  const one = (input: Buffer) =>
    new Promise<void>((resolve) => {
      const s = connect({ host: "127.0.0.1", port });
      s.on("error", () => undefined);
      s.on("connect", () => s.write(input));
      s.on("data", () => undefined);
      const t = setTimeout(() => s.destroy(), 150);
      s.on("close", () => {
        clearTimeout(t);
        resolve();
      });
    });
  for (let batch = 0; batch < 30; batch++) {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const r = rng(1_000_000 + batch * 20 + i);
        return one(i % 4 === 0 ? randomBytes(r) : mutate(validStream(r), r));
      }),
    );
  }
  const c = await NbdClient.connect(`127.0.0.1:${port}`, "disk");
  await c.write(0, Buffer.alloc(4096, 9));
  assert.deepEqual(await c.read(0, 4096), Buffer.alloc(4096, 9));
  c.close();
});
