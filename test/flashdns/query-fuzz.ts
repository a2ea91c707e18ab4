// The fuzz loop shared by the normal and the slow fuzz tests: random packets and mutations
// of real queries go through the pure query handler, which must never throw, and must answer
// a packet it cannot decode with FORMERR or nothing.

import { AnswerCache } from "../../src/flashdns/answer-cache.ts";
import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { type HandleResult, handleQuery, type TsigContext } from "../../src/flashdns/query-handler.ts";
import { parseTsigKeys, signRequest, type TsigKey } from "../../src/flashdns/tsig.ts";
import { Rcode } from "../../src/flashdns/wire/constants.ts";
import { decodeHeader, decodeMessage } from "../../src/flashdns/wire/decode.ts";
import { nameFromText } from "../../src/flashdns/wire/name.ts";
import { compileZone } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";
import { queryBytes } from "./dns-exchange.ts";
import { generateQueries, generateZone, mulberry32 } from "./zone-generator.ts";

export interface FuzzStats {
  packets: number;
  decodable: number;
  formerr: number;
  dropped: number;
  answered: number;
}

/**
 * `withCache`: every packet is answered the way the server does it, through the answer cache
 * (hit, or fresh and stored), and that reply must equal a freshly computed one byte for byte.
 */
export function fuzzQueryHandler(count: number, seed: number, withCache = false): FuzzStats {
  const zone = generateZone(seed);
  const origin = nameFromText(zone.origin);
  const index = new ZoneIndex();
  index.set(compileZone(origin, parseMasterFile(zone.text, { origin })));
  const seeds = generateQueries(zone, 500, seed + 1).map((q, i) => queryBytes({ port: 0, ...q }, i + 1));
  // Some seeds carry a TSIG record, so verification is fuzzed too.
  const keys = parseTsigKeys(`fuzz-key:hmac-sha256:${Buffer.alloc(32, 7).toString("base64")}`);
  const key = [...keys.values()][0] as TsigKey;
  for (let i = 0; i < 50; i++) seeds.push(signRequest(key, seeds[i] as Uint8Array, 1_700_000_000).bytes);
  const tsig = { keys, nowSeconds: 1_700_000_000 };
  const rnd = mulberry32(seed + 2);
  const int = (n: number) => Math.floor(rnd() * n);
  const stats: FuzzStats = { packets: 0, decodable: 0, formerr: 0, dropped: 0, answered: 0 };
  const opts = { transport: "udp" as const, maxUdpPayloadBytes: 1232 };
  const cache = withCache ? new AnswerCache() : undefined;
  for (let i = 0; i < count; i++) {
    let p: Uint8Array;
    const mode = rnd();
    if (mode < 0.2) {
      // Pure noise, sometimes with a plausible header in front.
      p = new Uint8Array(int(80));
      for (let k = 0; k < p.length; k++) p[k] = int(256);
      if (p.length >= 12 && rnd() < 0.5) {
        p[2] = 0;
        p[4] = 0;
        p[5] = 1;
      }
    } else {
      const base = seeds[int(seeds.length)] as Uint8Array;
      let b = Uint8Array.from(base);
      const edits = 1 + int(4);
      for (let e = 0; e < edits; e++) {
        const op = rnd();
        const at = int(Math.max(1, b.length));
        if (op < 0.45) b[at] = int(256);
        else if (op < 0.55) b[at] = (b[at] as number) ^ (1 << int(8));
        else if (op < 0.65) b = b.slice(0, at);
        else if (op < 0.75) {
          const extra = new Uint8Array(1 + int(20));
          for (let k = 0; k < extra.length; k++) extra[k] = int(256);
          const n = new Uint8Array(b.length + extra.length);
          n.set(b.subarray(0, at));
          n.set(extra, at);
          n.set(b.subarray(at), at + extra.length);
          b = n;
        } else if (op < 0.85 && b.length > 13) {
          // A compression pointer somewhere in the names: forward, self, or backward.
          const to = int(b.length);
          b[at] = 0xc0 | ((to >> 8) & 0x3f);
          if (at + 1 < b.length) b[at + 1] = to & 0xff;
        } else if (b.length >= 12) {
          // Counts and flags: more sections than there are, other opcodes, QR set.
          const field = 2 + int(10);
          b[field] = int(256);
        }
      }
      p = b;
    }
    stats.packets++;
    let decodable = true;
    try {
      decodeMessage(p);
    } catch {
      decodable = false;
    }
    if (decodable) stats.decodable++;
    const r = handleQuery(p, index, opts, tsig);
    if (cache) {
      // The packet, then again with another id (an exact hit), then in two other spellings of
      // its name (the second checks how the reply uses case, the third hits a shared entry).
      checkCached(cache, index, p, r, tsig);
      for (let v = 0; v < 3; v++) {
        const q = Uint8Array.from(p);
        if (q.length >= 2) q[1] = (q[1] as number) ^ (1 + v);
        if (v > 0)
          for (let k = 12; k < Math.min(q.length, 80); k++)
            if (rnd() < 0.5 && /[a-z]/i.test(String.fromCharCode(q[k] as number)))
              q[k] = (q[k] as number) ^ 0x20;
        checkCached(cache, index, q, handleQuery(q, index, opts, tsig), tsig);
      }
    }
    if (r.kind === "drop") {
      stats.dropped++;
      continue;
    }
    if (r.kind === "transfer") throw new Error("a UDP query turned into a transfer");
    const reply = decodeMessage(r.bytes);
    if (reply.header.rcode === Rcode.FORMERR) stats.formerr++;
    else stats.answered++;
    if (!decodable && reply.header.rcode !== Rcode.FORMERR) {
      throw new Error(
        `undecodable packet got rcode ${reply.header.rcode}, not FORMERR: ${Buffer.from(p).toString("hex")}`,
      );
    }
    if (r.bytes.length > 1232)
      throw new Error(`a UDP reply of ${r.bytes.length} bytes exceeds the payload limit`);
    if (p.length >= 2 && decodeHeader(r.bytes).id !== (((p[0] as number) << 8) | (p[1] as number)))
      throw new Error("reply id differs from the query's");
  }
  return stats;
}

/** The server's cached path (see DnsServer.handle) must give what a fresh answer gives. */
function checkCached(
  cache: AnswerCache,
  index: ZoneIndex,
  p: Uint8Array,
  fresh: HandleResult,
  tsig: TsigContext,
): void {
  const opts = { transport: "udp" as const, maxUdpPayloadBytes: 1232 };
  // In place, as the server does with an empty send queue: the copy below is what it sends.
  const hit = cache.get(p, "udp", index.generation, true);
  let got: Uint8Array | undefined = hit ? Uint8Array.from(hit) : undefined;
  if (!got) {
    const r = handleQuery(p, index, opts, tsig);
    if (r.kind === "reply" && !r.signed)
      cache.put(p, "udp", index.generation, r.bytes, (f) => {
        const x = handleQuery(f, index, opts, tsig);
        return x.kind === "reply" && !x.signed ? x.bytes : undefined;
      });
    got = r.kind === "reply" ? r.bytes : undefined;
  }
  const want = fresh.kind === "reply" ? fresh.bytes : undefined;
  // A signed reply carries a fresh MAC only when TSIG verification passes on the same clock.
  if (fresh.kind === "reply" && fresh.signed) return;
  if ((got === undefined) !== (want === undefined) || (got && want && Buffer.compare(got, want) !== 0))
    throw new Error(`the cached reply differs from a fresh one for ${Buffer.from(p).toString("hex")}`);
}
