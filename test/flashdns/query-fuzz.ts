// The fuzz loop shared by the normal and the slow fuzz tests: random packets and mutations
// of real queries go through the pure query handler, which must never throw, and must answer
// a packet it cannot decode with FORMERR or nothing.

import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { handleQuery } from "../../src/flashdns/query-handler.ts";
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

export function fuzzQueryHandler(count: number, seed: number): FuzzStats {
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
