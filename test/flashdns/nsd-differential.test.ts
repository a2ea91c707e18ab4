// flashdns against NSD (Debian) on one generated zone: every answer's RCODE, flags and
// sections must match (order within a section aside). ANY is left out: NSD answers it with
// one RRset (RFC 8482 style) and flashdns with all of them.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import pino from "pino";
import { DnsServer } from "../../src/flashdns/dns-server.ts";
import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { rdataToText } from "../../src/flashdns/rdata-text.ts";
import { typeName } from "../../src/flashdns/wire/constants.ts";
import { decodeMessage } from "../../src/flashdns/wire/decode.ts";
import type { Message, ResourceRecord } from "../../src/flashdns/wire/message.ts";
import { nameFromText, nameToText } from "../../src/flashdns/wire/name.ts";
import { compileZone } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";
import { dnsExchangeRaw, queryBytes } from "./dns-exchange.ts";
import { freePort } from "./free-port.ts";
import { type NsdProcess, startNsd } from "./nsd-process.ts";
import { generateQueries, generateZone } from "./zone-generator.ts";

const seed = Number(process.env.FLASHDNS_DIFF_SEED ?? 20_241_126);
const queryCount = Number(process.env.FLASHDNS_DIFF_QUERIES ?? 3000);
const zone = generateZone(seed);
let dir = "";
let nsd: NsdProcess | undefined;
let server: DnsServer | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "flashdns-diff-"));
  nsd = await startNsd({ dir, port: await freePort(), zones: [{ name: zone.origin, text: zone.text }] });
  const origin = nameFromText(zone.origin);
  const index = new ZoneIndex();
  index.set(compileZone(origin, parseMasterFile(zone.text, { origin })));
  server = new DnsServer({ index, log: pino({ level: "silent" }), host: "127.0.0.1", port: 0 });
  await server.listen();
});

after(async () => {
  await server?.close();
  await nsd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const rrText = (r: ResourceRecord) =>
  `${nameToText(r.name).toLowerCase()} ${r.ttl} ${typeName(r.type)} ${rdataToText(r.data).toLowerCase()}`;

function summary(m: Message) {
  const h = m.header;
  return {
    rcode: h.rcode + ((m.edns?.extendedRcode ?? 0) << 4),
    flags: { qr: h.qr, aa: h.aa, tc: h.tc, rd: h.rd, ra: h.ra, ad: h.ad, cd: h.cd },
    question: m.questions.map((q) => `${nameToText(q.name)} ${typeName(q.type)}`),
    answer: m.answers.map(rrText).sort(),
    authority: m.authority.map(rrText).sort(),
    additional: m.additional.map(rrText).sort(),
    edns: m.edns !== undefined,
  };
}

test(`flashdns answers ${queryCount} generated queries exactly as NSD does (seed ${seed})`, {
  timeout: 300_000,
}, async () => {
  assert.ok(nsd && server);
  const queries = generateQueries(zone, queryCount, seed + 1);
  const mismatches: string[] = [];
  const seen = { truncated: 0, nxdomain: 0, referral: 0, wildcardOrChain: 0 };
  const concurrency = 16;
  let next = 0;
  const worker = async () => {
    while (next < queries.length) {
      const i = next++;
      const q = queries[i] as (typeof queries)[number];
      const bytes = queryBytes({ port: 0, ...q }, (i % 65_000) + 1);
      const [a, b] = await Promise.all([
        dnsExchangeRaw(bytes, { port: (nsd as NsdProcess).port, tcp: q.tcp }),
        dnsExchangeRaw(bytes, { port: (server as DnsServer).port, tcp: q.tcp }),
      ]);
      const want = summary(decodeMessage(a));
      const got = summary(decodeMessage(b));
      if (want.flags.tc) seen.truncated++;
      if (want.rcode === 3) seen.nxdomain++;
      if (!want.flags.aa && want.rcode === 0) seen.referral++;
      if (want.answer.length > 1 && want.answer.some((x) => x.includes(" CNAME "))) seen.wildcardOrChain++;
      try {
        assert.deepEqual(got, want);
      } catch {
        if (mismatches.length < 10)
          mismatches.push(
            `${q.name} ${typeName(q.type)}${q.edns ? ` +edns=${q.edns}` : ""}${q.tcp ? " +tcp" : ""}\n nsd: ${JSON.stringify(want)}\n got: ${JSON.stringify(got)}`,
          );
        else mismatches.push("…");
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  // The query set must reach the interesting paths, or matching NSD proves little.
  for (const [k, v] of Object.entries(seen)) assert.ok(v > 0, `no ${k} answers among the queries`);
  assert.equal(
    mismatches.length,
    0,
    `${mismatches.length} of ${queries.length} answers differ:\n${mismatches.slice(0, 10).join("\n")}`,
  );
});
