// The answer cache must be invisible: whatever the case of the name, the EDNS parameters, the
// transport or the bytes (mutated packets too), a cached reply equals a freshly computed one.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AnswerCache,
  answerCacheEntries,
  caseUse,
  flipNameCase,
  questionNameEnd,
} from "../../src/flashdns/answer-cache.ts";
import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { handleQuery } from "../../src/flashdns/query-handler.ts";
import { nameFromText } from "../../src/flashdns/wire/name.ts";
import { compileZone } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";
import { queryBytes } from "./dns-exchange.ts";
import { generateQueries, generateZone, mulberry32 } from "./zone-generator.ts";

function setup(seed: number) {
  const zone = generateZone(seed);
  const origin = nameFromText(zone.origin);
  const index = new ZoneIndex();
  index.set(compileZone(origin, parseMasterFile(zone.text, { origin })));
  return { zone, index };
}

/**
 * Answers like DnsServer does: from the cache, else fresh (and then cached). "copy": as the
 * batched UDP path, the query read inside a larger buffer and the reply copied into another.
 */
function cachedAnswer(
  cache: AnswerCache,
  index: ZoneIndex,
  q: Uint8Array,
  transport: "udp" | "tcp",
  inPlace: boolean | "copy",
) {
  const opts = { transport, maxUdpPayloadBytes: 1232 };
  if (inPlace === "copy" && transport === "udp") {
    const ring = new Uint8Array(q.length + 100).fill(0x41);
    ring.set(q, 37);
    const tx = new Uint8Array(3000).fill(0x5a);
    const n = cache.copyUdpReply(ring, 37, q.length, index.generation, tx, 13, 2000);
    if (n > 0) {
      assert.equal(tx[12], 0x5a);
      assert.equal(tx[13 + n], 0x5a);
      return { bytes: tx.slice(13, 13 + n), hit: true };
    }
  }
  const hit = cache.get(q, transport, index.generation, inPlace === true);
  if (hit) return { bytes: Uint8Array.from(hit), hit: true };
  const r = handleQuery(q, index, opts);
  if (r.kind !== "reply") return undefined;
  cache.put(q, transport, index.generation, r.bytes, (f) => {
    const x = handleQuery(f, index, opts);
    return x.kind === "reply" ? x.bytes : undefined;
  });
  return { bytes: r.bytes, hit: false };
}

test("cached replies equal fresh ones for random case, EDNS, transports and mutated packets", () => {
  const { zone, index } = setup(3);
  const cache = new AnswerCache();
  const rnd = mulberry32(11);
  const base = generateQueries(zone, 400, 12).map((q, i) => queryBytes({ port: 0, ...q }, i + 1));
  let hits = 0;
  for (let i = 0; i < 20_000; i++) {
    const q = Uint8Array.from(base[Math.floor(rnd() * base.length)] as Uint8Array);
    q[0] = Math.floor(rnd() * 256);
    q[1] = Math.floor(rnd() * 256);
    // Re-randomise the case of the question name, so most hits cross case variants.
    const end = questionNameEnd(q);
    for (let k = 12; k < end; k++) {
      const b = q[k] as number;
      const letter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;
      if (!letter || rnd() < 0.5) continue;
      q[k] = b ^ 0x20;
    }
    if (rnd() < 0.1) q[Math.floor(rnd() * q.length)] = Math.floor(rnd() * 256);
    const transport = rnd() < 0.2 ? "tcp" : "udp";
    const way = rnd();
    const got = cachedAnswer(cache, index, q, transport, way < 0.33 ? "copy" : way < 0.66);
    const fresh = handleQuery(q, index, { transport, maxUdpPayloadBytes: 1232 });
    if (!got) {
      assert.notEqual(fresh.kind, "reply");
      continue;
    }
    if (got.hit) hits++;
    assert.equal(fresh.kind, "reply");
    if (fresh.kind === "reply")
      assert.deepEqual(got.bytes, Uint8Array.from(fresh.bytes), `query ${Buffer.from(q).toString("hex")}`);
  }
  assert.ok(hits > 10_000, `${hits} hits`);
});

test("a zone change invalidates every entry", () => {
  const { zone, index } = setup(4);
  const cache = new AnswerCache();
  const q = queryBytes({ port: 0, name: `www1.${zone.origin}`, type: 1 }, 7);
  const first = cachedAnswer(cache, index, q, "udp", false);
  assert.equal(cachedAnswer(cache, index, q, "udp", false)?.hit, true);
  index.set(
    compileZone(nameFromText(zone.origin), parseMasterFile(zone.text, { origin: nameFromText(zone.origin) })),
  );
  const after = cachedAnswer(cache, index, q, "udp", false);
  assert.equal(after?.hit, false);
  assert.deepEqual(after?.bytes, first?.bytes);
});

test("how a reply uses case: echoed question, none, or elsewhere", () => {
  const q = queryBytes({ port: 0, name: "Www.Example.", type: 1 }, 1);
  const end = questionNameEnd(q);
  assert.equal(end, 12 + 13);
  const flipped = flipNameCase(q, end) as Uint8Array;
  assert.equal(Buffer.from(flipped.subarray(12, end)).toString("latin1"), "\x03wWW\x07eXAMPLE\x00");
  assert.equal(caseUse(q, end, q, flipped), "echo");
  assert.equal(caseUse(q, end, q.subarray(0, 12), flipped.subarray(0, 12)), "none");
  const extra = Buffer.concat([q, Buffer.from("Www")]);
  assert.equal(caseUse(q, end, extra, Buffer.concat([flipped, Buffer.from("wWW")])), "exact");
  assert.equal(flipNameCase(queryBytes({ port: 0, name: "1.2.", type: 1 }, 1), 17), undefined);
  // No question, two questions, or a compression pointer: not cacheable.
  assert.equal(questionNameEnd(q.subarray(0, 12)), -1);
  const two = Uint8Array.from(q);
  two[5] = 2;
  assert.equal(questionNameEnd(two), -1);
  const ptr = Uint8Array.from(q);
  ptr[12] = 0xc0;
  assert.equal(questionNameEnd(ptr), -1);
});

test("the cache stays within its bound", () => {
  const { index } = setup(5);
  const cache = new AnswerCache();
  for (let i = 0; i < answerCacheEntries + 5_000; i++)
    cachedAnswer(cache, index, queryBytes({ port: 0, name: `n${i}.diff.test.`, type: 1 }, 1), "udp", false);
  const size = (cache as unknown as { buckets: Map<number, unknown> }).buckets.size;
  assert.ok(size <= answerCacheEntries, `${size} buckets`);
});

test("a name is checked for case use only when a second spelling comes in", () => {
  const { index } = setup(6);
  const cache = new AnswerCache();
  let flips = 0;
  const put = (name: string) => {
    const q = queryBytes({ port: 0, name, type: 1 }, 9);
    const r = handleQuery(q, index, { transport: "udp", maxUdpPayloadBytes: 1232 });
    assert.equal(r.kind, "reply");
    if (r.kind === "reply")
      cache.put(q, "udp", index.generation, r.bytes, (f) => {
        flips++;
        const x = handleQuery(f, index, { transport: "udp", maxUdpPayloadBytes: 1232 });
        return x.kind === "reply" ? x.bytes : undefined;
      });
    return q;
  };
  // A flood of unique names (a random-subdomain attack) costs no second answer.
  for (let i = 0; i < 500; i++) put(`rnd${i}.diff.test.`);
  assert.equal(flips, 0);
  put("www1.diff.test.");
  assert.equal(
    cache.get(queryBytes({ port: 0, name: "WWW1.diff.test.", type: 1 }, 3), "udp", index.generation),
    undefined,
  );
  put("WWW1.diff.test.");
  assert.equal(flips, 1);
  const third = cache.get(
    queryBytes({ port: 0, name: "wWw1.DIFF.test.", type: 1 }, 4),
    "udp",
    index.generation,
  );
  assert.ok(third, "a third spelling hits");
  assert.equal(Buffer.from(third.subarray(12, 12 + 16)).toString("latin1"), "\x04wWw1\x04DIFF\x04test\x00");
});

test("only the name folds case: header bytes that differ by 0x20 are other queries", () => {
  const { zone, index } = setup(7);
  const cache = new AnswerCache();
  // Byte 2 = 0x61 and 0x41: opcodes 12 and 8 (both NOTIMP, each echoed in its reply).
  const spelled = (name: string, flags: number) => {
    const q = queryBytes({ port: 0, name, type: 1 }, 3);
    q[2] = flags;
    return q;
  };
  const name = `www1.${zone.origin}`;
  cachedAnswer(cache, index, spelled(name, 0x61), "udp", false);
  cachedAnswer(cache, index, spelled(name.toUpperCase(), 0x61), "udp", false);
  assert.equal(cachedAnswer(cache, index, spelled(name, 0x61), "udp", "copy")?.hit, true);
  for (const way of [false, "copy"] as const) {
    const q = spelled(name, 0x41);
    const got = cachedAnswer(cache, index, q, "udp", way);
    const fresh = handleQuery(q, index, { transport: "udp", maxUdpPayloadBytes: 1232 });
    assert.equal(fresh.kind, "reply");
    if (fresh.kind === "reply") assert.deepEqual(got?.bytes, Uint8Array.from(fresh.bytes));
  }
});
