// The acceptance fuzz: 1,000,000 random and mutated packets through the pure query handler,
// then 20,000 more over real UDP at a running server (through the native addon's batched
// I/O, and through node:dgram), which must still answer afterwards.
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { test } from "node:test";
import pino from "pino";
import { DnsServer } from "../../src/flashdns/dns-server.ts";
import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { RRType } from "../../src/flashdns/wire/constants.ts";
import { nameFromText } from "../../src/flashdns/wire/name.ts";
import { compileZone } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";
import { dnsExchange, queryBytes } from "./dns-exchange.ts";
import { fuzzQueryHandler } from "./query-fuzz.ts";
import { generateZone, mulberry32 } from "./zone-generator.ts";

test("1,000,000 random and mutated packets: the handler never throws; undecodable ones get FORMERR or silence", {
  timeout: 900_000,
}, () => {
  let total = 0;
  // Ten seeds of 100,000: a failure names a seed that replays in the fast test's loop.
  for (let seed = 100; seed < 110; seed++) total += fuzzQueryHandler(100_000, seed).packets;
  assert.equal(total, 1_000_000);
});

test("100,000 more through the answer cache (each also with another id and in two other spellings): every cached reply equals a fresh one", {
  timeout: 900_000,
}, () => {
  let total = 0;
  for (let seed = 200; seed < 204; seed++) total += fuzzQueryHandler(25_000, seed, true).packets;
  assert.equal(total, 100_000);
});

for (const udpIo of ["batched", "dgram"] as const)
  test(`a running server (${udpIo} UDP I/O) takes 20,000 mutated UDP packets and still answers`, {
    timeout: 120_000,
  }, async () => {
    const zone = generateZone(5);
    const origin = nameFromText(zone.origin);
    const index = new ZoneIndex();
    index.set(compileZone(origin, parseMasterFile(zone.text, { origin })));
    const server = new DnsServer({
      index,
      log: pino({ level: "silent" }),
      host: "127.0.0.1",
      port: 0,
      udpIo,
    });
    await server.listen();
    assert.equal(server.udpPath, udpIo);
    const sock = dgram.createSocket("udp4");
    let replies = 0;
    sock.on("message", () => replies++);
    const rnd = mulberry32(9);
    const base = queryBytes({ port: 0, name: `www1.${zone.origin}`, type: RRType.A }, 1);
    try {
      for (let i = 0; i < 20_000; i++) {
        const b = Uint8Array.from(base);
        for (let e = 0; e < 1 + Math.floor(rnd() * 4); e++)
          b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
        sock.send(b.subarray(0, 1 + Math.floor(rnd() * b.length)), server.port, "127.0.0.1");
        // Pace the sender so the kernel buffer is not what is being tested.
        if (i % 200 === 0) await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setTimeout(r, 500));
      // On a loaded machine the server may still be working through the kernel's backlog of
      // mutated packets: it must answer once that drains (bounded: 10 tries of 2 s).
      let after: Awaited<ReturnType<typeof dnsExchange>> | undefined;
      for (let i = 0; i < 10 && !after; i++)
        after = await dnsExchange({ port: server.port, name: zone.origin, type: RRType.SOA }).catch(
          () => undefined,
        );
      assert.ok(replies > 1000, `the server replied to ${replies} packets`);
      assert.equal(after?.answers.length, 1);
    } finally {
      sock.close();
      await server.close();
    }
  });
