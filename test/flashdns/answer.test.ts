import assert from "node:assert/strict";
import { test } from "node:test";
import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { handleQuery } from "../../src/flashdns/query-handler.ts";
import { rdataToText } from "../../src/flashdns/rdata-text.ts";
import { Rcode, RRType, typeName } from "../../src/flashdns/wire/constants.ts";
import { decodeMessage } from "../../src/flashdns/wire/decode.ts";
import { encodeMessage } from "../../src/flashdns/wire/encode.ts";
import { emptyHeader, type Message, type ResourceRecord } from "../../src/flashdns/wire/message.ts";
import { nameFromText, nameToText } from "../../src/flashdns/wire/name.ts";
import { compileZone, ZoneError } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";

const zoneText = `
$ORIGIN example.com.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 60
@ NS ns1
@ NS ns2.other.net.
@ MX 10 mail
ns1 A 192.0.2.1
mail A 192.0.2.2
mail AAAA 2001:db8::2
www A 192.0.2.3
alias CNAME www
alias2 CNAME alias
ext CNAME www.other.net.
broken CNAME nothere
loop1 CNAME loop2
loop2 CNAME loop1
*.wild A 192.0.2.9
*.wc CNAME www
a.b.c.ent A 192.0.2.4
*.c.ent A 192.0.2.5
sub NS ns.sub
ns.sub A 192.0.2.7
tosub CNAME x.sub
big TXT ${Array.from({ length: 6 }, (_, i) => `"${String(i).repeat(100)}"`).join(" ")}
`;

const origin = nameFromText("example.com.");
const index = new ZoneIndex();
index.set(compileZone(origin, parseMasterFile(zoneText, { origin })));

function ask(
  name: string,
  type: number,
  opts: { edns?: number; version?: number; tcp?: boolean; opcode?: number } = {},
): Message {
  const q: Message = {
    header: { ...emptyHeader(), id: 7, rd: true, opcode: opts.opcode ?? 0 },
    questions: [{ name: nameFromText(name), type, class: 1 }],
    answers: [],
    authority: [],
    additional: [],
    edns: opts.edns
      ? { payloadSize: opts.edns, extendedRcode: 0, version: opts.version ?? 0, dnssecOk: false, options: [] }
      : undefined,
  };
  const r = handleQuery(encodeMessage(q), index, {
    transport: opts.tcp ? "tcp" : "udp",
    maxUdpPayloadBytes: 1232,
  });
  assert.equal(r.kind, "reply");
  return decodeMessage((r as { bytes: Uint8Array }).bytes);
}

const show = (rrs: ResourceRecord[]) =>
  rrs.map((r) => `${nameToText(r.name).toLowerCase()} ${r.ttl} ${typeName(r.type)} ${rdataToText(r.data)}`);

test("an exact match is authoritative, with the apex NS in authority and glue in additional", () => {
  const r = ask("WWW.example.com.", RRType.A);
  assert.equal(r.header.rcode, Rcode.NOERROR);
  assert.equal(r.header.aa, true);
  assert.equal(r.header.rd, true);
  assert.deepEqual(show(r.answers), ["www.example.com. 300 A 192.0.2.3"]);
  assert.deepEqual(show(r.authority), [
    "example.com. 300 NS ns1.example.com.",
    "example.com. 300 NS ns2.other.net.",
  ]);
  assert.deepEqual(show(r.additional), ["ns1.example.com. 300 A 192.0.2.1"]);
  // Case preserved: the question and the answer's owner spell the name as the query did.
  assert.equal(nameToText(r.questions[0]?.name ?? []), "WWW.example.com.");
  assert.equal(nameToText(r.answers[0]?.name ?? []), "WWW.example.com.");
});

test("NODATA and NXDOMAIN carry the SOA with TTL min(SOA TTL, minimum)", () => {
  const nodata = ask("www.example.com.", RRType.MX);
  assert.equal(nodata.header.rcode, Rcode.NOERROR);
  assert.deepEqual(show(nodata.answers), []);
  assert.deepEqual(show(nodata.authority), [
    "example.com. 60 SOA ns1.example.com. hostmaster.example.com. 1 3600 600 86400 60",
  ]);
  const nx = ask("nope.example.com.", RRType.A);
  assert.equal(nx.header.rcode, Rcode.NXDOMAIN);
  assert.equal(nx.header.aa, true);
  assert.equal(nx.authority[0]?.type, RRType.SOA);
});

test("CNAME chains are followed inside the zone; NXDOMAIN at the end is reported", () => {
  assert.deepEqual(show(ask("alias2.example.com.", RRType.A).answers), [
    "alias2.example.com. 300 CNAME alias.example.com.",
    "alias.example.com. 300 CNAME www.example.com.",
    "www.example.com. 300 A 192.0.2.3",
  ]);
  const ext = ask("ext.example.com.", RRType.A);
  assert.deepEqual(show(ext.answers), ["ext.example.com. 300 CNAME www.other.net."]);
  assert.equal(ext.authority.length, 0);
  const broken = ask("broken.example.com.", RRType.A);
  assert.equal(broken.header.rcode, Rcode.NXDOMAIN);
  assert.equal(broken.answers.length, 1);
  const loop = ask("loop1.example.com.", RRType.A);
  assert.equal(loop.answers.length, 2);
  assert.deepEqual(show(ask("alias.example.com.", RRType.CNAME).answers), [
    "alias.example.com. 300 CNAME www.example.com.",
  ]);
});

test("wildcards synthesize the query name, and an empty non-terminal blocks them", () => {
  assert.deepEqual(show(ask("x.y.wild.example.com.", RRType.A).answers), [
    "x.y.wild.example.com. 300 A 192.0.2.9",
  ]);
  assert.deepEqual(show(ask("q.wc.example.com.", RRType.A).answers), [
    "q.wc.example.com. 300 CNAME www.example.com.",
    "www.example.com. 300 A 192.0.2.3",
  ]);
  assert.equal(ask("zz.c.ent.example.com.", RRType.A).answers.length, 1);
  const ent = ask("b.c.ent.example.com.", RRType.A);
  assert.equal(ent.header.rcode, Rcode.NOERROR);
  assert.equal(ent.answers.length, 0);
  assert.equal(ask("q.b.c.ent.example.com.", RRType.A).header.rcode, Rcode.NXDOMAIN);
});

test("below a zone cut the answer is a referral with glue and AA off", () => {
  for (const n of ["sub.example.com.", "deep.x.sub.example.com.", "ns.sub.example.com."]) {
    const r = ask(n, RRType.A);
    assert.equal(r.header.aa, false, n);
    assert.deepEqual(show(r.authority), ["sub.example.com. 300 NS ns.sub.example.com."], n);
    assert.deepEqual(show(r.additional), ["ns.sub.example.com. 300 A 192.0.2.7"], n);
  }
  const ds = ask("sub.example.com.", RRType.DS);
  assert.equal(ds.header.aa, true);
  assert.equal(ds.authority[0]?.type, RRType.SOA);
  const viaCname = ask("tosub.example.com.", RRType.A);
  assert.equal(viaCname.header.aa, true);
  assert.equal(viaCname.answers.length, 1);
  assert.equal(viaCname.authority[0]?.type, RRType.NS);
});

test("zones not served are REFUSED; other opcodes NOTIMP; EDNS version 1 BADVERS", () => {
  assert.equal(ask("example.org.", RRType.A).header.rcode, Rcode.REFUSED);
  assert.equal(ask("www.example.com.", RRType.A, { opcode: 2 }).header.rcode, Rcode.NOTIMP);
  const bad = ask("www.example.com.", RRType.A, { edns: 1232, version: 1 });
  assert.equal(bad.header.rcode, 0);
  assert.equal(bad.edns?.extendedRcode, 1);
  assert.equal(bad.answers.length, 0);
});

test("an answer larger than the UDP payload is truncated, and whole over TCP or larger EDNS", () => {
  const udp = ask("big.example.com.", RRType.TXT);
  assert.equal(udp.header.tc, true);
  assert.equal(udp.answers.length, 0);
  const edns = ask("big.example.com.", RRType.TXT, { edns: 1232 });
  assert.equal(edns.header.tc, false);
  assert.equal(edns.answers.length, 1);
  assert.equal(edns.edns?.payloadSize, 1232);
  assert.equal(ask("big.example.com.", RRType.TXT, { tcp: true }).answers.length, 1);
});

test("a malformed query gets FORMERR, a response gets silence", () => {
  const q = encodeMessage({
    header: { ...emptyHeader(), id: 9 },
    questions: [{ name: origin, type: 1, class: 1 }],
    answers: [],
    authority: [],
    additional: [],
  });
  const truncated = q.slice(0, q.length - 3);
  const r = handleQuery(truncated, index, { transport: "udp", maxUdpPayloadBytes: 1232 });
  assert.equal(r.kind, "reply");
  const m = decodeMessage((r as { bytes: Uint8Array }).bytes);
  assert.equal(m.header.rcode, Rcode.FORMERR);
  assert.equal(m.header.id, 9);
  const resp = Uint8Array.from(q);
  resp[2] = (resp[2] as number) | 0x80;
  assert.equal(handleQuery(resp, index, { transport: "udp", maxUdpPayloadBytes: 1232 }).kind, "drop");
  assert.equal(
    handleQuery(new Uint8Array(5), index, { transport: "udp", maxUdpPayloadBytes: 1232 }).kind,
    "drop",
  );
});

test("a zone that could not be served does not compile, and says why", () => {
  const bad = `
$ORIGIN example.net.
$TTL 60
www A 192.0.2.1
www CNAME other
out.example.org. A 192.0.2.1
`;
  assert.throws(
    () =>
      compileZone(
        nameFromText("example.net."),
        parseMasterFile(bad, { origin: nameFromText("example.net.") }),
      ),
    (e: unknown) =>
      e instanceof ZoneError &&
      /no SOA/.test(e.message) &&
      /CNAME and other data/.test(e.message) &&
      /outside the zone/.test(e.message),
  );
});
