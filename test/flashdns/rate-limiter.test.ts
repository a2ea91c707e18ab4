import assert from "node:assert/strict";
import dgram from "node:dgram";
import { test } from "node:test";
import { pino } from "pino";
import { DnsServer } from "../../src/flashdns/dns-server.ts";
import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { clientNetwork, RateLimiter, truncatedReply } from "../../src/flashdns/rate-limiter.ts";
import { decodeMessage } from "../../src/flashdns/wire/decode.ts";
import { encodeMessage } from "../../src/flashdns/wire/encode.ts";
import { emptyHeader } from "../../src/flashdns/wire/message.ts";
import { nameFromText } from "../../src/flashdns/wire/name.ts";
import { compileZone } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";
import { queryBytes } from "./dns-exchange.ts";

test("a client network over its rate gets mostly silence and every slip-th reply truncated", () => {
  const rl = new RateLimiter({ responsesPerSecond: 10, slip: 2, maxTrackedNetworks: 100 });
  const decisions = Array.from({ length: 30 }, (_, i) => rl.decide(`198.51.100.${i % 5}`, 1000));
  assert.equal(decisions.filter((d) => d === "send").length, 10);
  assert.equal(decisions.filter((d) => d === "truncate").length, 10);
  assert.equal(decisions.filter((d) => d === "drop").length, 10);
  // Another network is not affected; after a second the first one is back.
  assert.equal(rl.decide("203.0.113.7", 1000), "send");
  assert.equal(rl.decide("198.51.100.1", 2000), "send");
});

test("off at 0, and the tracked networks are bounded", () => {
  assert.equal(
    new RateLimiter({ responsesPerSecond: 0, slip: 2, maxTrackedNetworks: 1 }).decide("192.0.2.1", 0),
    "send",
  );
  const rl = new RateLimiter({ responsesPerSecond: 1, slip: 0, maxTrackedNetworks: 3 });
  for (let i = 0; i < 10; i++) rl.decide(`10.0.${i}.1`, 0);
  assert.equal(rl.trackedNetworks, 3);
  assert.equal(clientNetwork("2001:db8:1:2:3::1"), clientNetwork("2001:db8:1:2:ffff::9"));
  assert.equal(clientNetwork("::ffff:192.0.2.9"), "192.0.2");
});

test("a truncated reply keeps the id and question, sets TC and carries no records", () => {
  const r = encodeMessage({
    header: { ...emptyHeader(), id: 77, qr: true, aa: true },
    questions: [{ name: nameFromText("www.example.com."), type: 1, class: 1 }],
    answers: [
      {
        name: nameFromText("www.example.com."),
        type: 1,
        class: 1,
        ttl: 60,
        data: { type: 1, address: "192.0.2.1" },
      },
    ],
    authority: [],
    additional: [],
  });
  const t = decodeMessage(truncatedReply(r));
  assert.equal(t.header.id, 77);
  assert.equal(t.header.tc, true);
  assert.equal(t.questions.length, 1);
  assert.equal(t.answers.length, 0);
});

test("a server with rate limiting answers a flood from one client with a bounded number of replies", async () => {
  const origin = nameFromText("rrl.test.");
  const index = new ZoneIndex();
  index.set(
    compileZone(
      origin,
      parseMasterFile("@ 60 SOA ns hm 1 2 3 4 5\n@ 60 NS ns\nwww 60 A 192.0.2.1\n", { origin }),
    ),
  );
  const server = new DnsServer({
    index,
    log: pino({ level: "silent" }),
    host: "127.0.0.1",
    port: 0,
    rateLimiter: new RateLimiter({ responsesPerSecond: 20, slip: 2, maxTrackedNetworks: 10 }),
  });
  await server.listen();
  const sock = dgram.createSocket("udp4");
  let full = 0;
  let truncated = 0;
  sock.on("message", (m) => {
    if (decodeMessage(m).header.tc) truncated++;
    else full++;
  });
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
  for (let i = 0; i < 200; i++)
    sock.send(queryBytes({ port: 0, name: "www.rrl.test.", type: 1 }, i + 1), server.port, "127.0.0.1");
  await new Promise((r) => setTimeout(r, 300));
  sock.close();
  await server.close();
  assert.ok(full >= 20 && full <= 40, `full replies: ${full}`);
  assert.ok(truncated >= 50 && truncated <= 95, `truncated replies: ${truncated}`);
});
