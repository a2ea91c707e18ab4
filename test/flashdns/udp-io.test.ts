// The two UDP paths: batched I/O through the native addon (recvmmsg/sendmmsg) and node:dgram.
// Both answer the same queries with the same bytes; the batched one over IPv4 and IPv6, with
// cut datagrams answered FORMERR, rate limiting applied, and a clean close; without the addon
// "auto" falls back to dgram with one warning.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import dgram from "node:dgram";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import pino from "pino";
import { DnsServer, type UdpIo } from "../../src/flashdns/dns-server.ts";
import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { addonPathEnv } from "../../src/flashdns/native/batch-udp.ts";
import { RateLimiter } from "../../src/flashdns/rate-limiter.ts";
import { Rcode, RRType } from "../../src/flashdns/wire/constants.ts";
import { decodeMessage } from "../../src/flashdns/wire/decode.ts";
import { nameFromText } from "../../src/flashdns/wire/name.ts";
import { compileZone } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";
import { queryBytes } from "./dns-exchange.ts";
import { generateQueries, generateZone } from "./zone-generator.ts";

const zone = generateZone(11);
const origin = nameFromText(zone.origin);
const index = new ZoneIndex();
index.set(compileZone(origin, parseMasterFile(zone.text, { origin })));
const log = pino({ level: "silent" });
const servers: DnsServer[] = [];

async function serve(udpIo: UdpIo, extra: Partial<ConstructorParameters<typeof DnsServer>[0]> = {}) {
  const s = new DnsServer({ index, log, host: "127.0.0.1", port: 0, udpIo, ...extra });
  await s.listen();
  servers.push(s);
  return s;
}

/** Sends every query at once (ids 1..n) from one socket; the replies by id (bounded wait). */
async function burst(
  port: number,
  queries: Uint8Array[],
  host = "127.0.0.1",
  waitMs = 3000,
): Promise<Map<number, Buffer>> {
  const sock = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
  const replies = new Map<number, Buffer>();
  sock.on("message", (m) => {
    if (m.length >= 2) replies.set(m.readUInt16BE(0), m);
  });
  await new Promise<void>((r) => sock.bind(0, host, () => r()));
  // Room for a whole burst of replies (sendmmsg delivers a batch at once), and a paced sender.
  sock.setRecvBufferSize(4 * 1024 * 1024);
  for (let i = 0; i < queries.length; i++) {
    sock.send(queries[i] as Uint8Array, port, host);
    if (i % 50 === 49) await new Promise((r) => setImmediate(r));
  }
  const deadline = Date.now() + waitMs;
  while (replies.size < queries.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  sock.close();
  return replies;
}

const queries = generateQueries(zone, 1500, 12)
  .filter((q) => !q.tcp)
  .slice(0, 400)
  .map((q, i) => queryBytes({ port: 0, name: q.name, type: q.type, edns: q.edns }, i + 1));

before(async () => {
  await serve("batched");
  await serve("dgram");
});
after(async () => {
  for (const s of servers) await s.close();
});

test("the batched and the dgram path give byte-identical answers, cold and from the cache", async () => {
  const [batched, plain] = servers as [DnsServer, DnsServer];
  assert.equal(batched.udpPath, "batched");
  assert.equal(plain.udpPath, "dgram");
  for (const pass of ["cold", "cached"]) {
    const a = await burst(batched.port, queries);
    const b = await burst(plain.port, queries);
    // A burst may lose datagrams in the kernel on a loaded machine; most must arrive.
    assert.ok(a.size > queries.length * 0.9, `${pass}: batched answered ${a.size}/${queries.length}`);
    let compared = 0;
    for (const [id, reply] of a) {
      const other = b.get(id);
      if (!other) continue;
      assert.deepEqual(reply, other, `${pass}: answers to query ${id} differ`);
      compared++;
    }
    assert.ok(compared > queries.length * 0.8, `${pass}: compared ${compared}`);
  }
  const counters = batched.udpIoCounters();
  assert.ok(counters && counters.datagrams >= queries.length, JSON.stringify(counters));
  assert.ok(batched.stats.cacheHits > 0);
  // One JS call per batch: a burst arrives in far fewer batches than datagrams.
  assert.ok(counters.batches < counters.datagrams, JSON.stringify(counters));
});

test("the batched path serves IPv6", async () => {
  const s = await serve("batched", { host: "::1" });
  const q = queryBytes({ port: 0, name: zone.origin, type: RRType.SOA }, 77);
  const r = await burst(s.port, [q], "::1");
  const m = decodeMessage(r.get(77) as Buffer);
  assert.equal(m.answers.length, 1);
  assert.equal(m.answers[0]?.type, RRType.SOA);
});

test("a datagram longer than a receive slot is answered FORMERR, and the server goes on", async () => {
  const s = servers[0] as DnsServer;
  const big = new Uint8Array(6000);
  big.set(queryBytes({ port: 0, name: zone.origin, type: RRType.SOA }, 501));
  const r = await burst(s.port, [big, queryBytes({ port: 0, name: zone.origin, type: RRType.SOA }, 502)]);
  const cut = decodeMessage(r.get(501) as Buffer);
  assert.equal(cut.header.rcode, Rcode.FORMERR);
  assert.equal(decodeMessage(r.get(502) as Buffer).answers.length, 1);
  assert.ok((s.udpIoCounters()?.truncated ?? 0) >= 1);
});

test("rate limiting applies on the batched path (drops, and every 2nd limited reply truncated)", async () => {
  const limiter = new RateLimiter({ responsesPerSecond: 5, slip: 2, maxTrackedNetworks: 100 });
  const s = await serve("batched", { rateLimiter: limiter, clock: () => 1_000_000 });
  const many = Array.from({ length: 40 }, (_, i) =>
    queryBytes({ port: 0, name: `www1.${zone.origin}`, type: RRType.A }, 1000 + i),
  );
  const r = await burst(s.port, many, "127.0.0.1", 1000);
  const truncated = [...r.values()].filter((m) => decodeMessage(m).header.tc).length;
  assert.equal(r.size - truncated, 5, "full replies within the budget");
  assert.ok(truncated >= 15 && truncated <= 18, `truncated replies: ${truncated}`);
  assert.equal(s.stats.rateLimited, 35);
});

test("close releases the socket and its descriptor: the port binds again, no fd is left", async () => {
  const fds = () => readdirSync("/proc/self/fd").length;
  const before = fds();
  const s = new DnsServer({ index, log, host: "127.0.0.1", port: 0, udpIo: "batched" });
  await s.listen();
  const port = s.port;
  await s.close();
  // The fd is closed when libuv has finished closing the poll handle (a later loop turn).
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(fds(), before);
  const again = new DnsServer({ index, log, host: "127.0.0.1", port, udpIo: "batched" });
  await again.listen();
  assert.equal(again.port, port);
  await again.close();
  await s.close(); // a second close is harmless
});

test("without the addon, auto serves through node:dgram and warns once", async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "udp-io-child.ts")],
    { env: { ...process.env, [addonPathEnv]: "/nonexistent/batch-udp.node" }, timeout: 60_000 },
  );
  const lines = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { level?: number; msg?: string; udpPath?: string; answers?: number });
  const warnings = lines.filter((l) => l.level === 40);
  assert.equal(warnings.length, 1, stdout);
  assert.match(warnings[0]?.msg ?? "", /node:dgram/);
  assert.deepEqual(lines.at(-1), { udpPath: "dgram", answers: 1 });
});
