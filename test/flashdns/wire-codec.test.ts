import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ipv6FromBytes, ipv6ToBytes } from "../../src/flashdns/wire/address.ts";
import { RRType } from "../../src/flashdns/wire/constants.ts";
import { decodeMessage } from "../../src/flashdns/wire/decode.ts";
import { encodeMessage } from "../../src/flashdns/wire/encode.ts";
import { emptyHeader, type Message, type ResourceRecord } from "../../src/flashdns/wire/message.ts";
import { nameFromText, nameToText } from "../../src/flashdns/wire/name.ts";
import { DnsParseError } from "../../src/flashdns/wire/parse-error.ts";

/** A query dig 9.18 sent: www.Example.COM MX, EDNS0 payload 1232 with a cookie option. */
const digQuery = Buffer.from(
  "67320120000100000000000103777777074578616d706c6503434f4d00000f000100002904d000000000000c000a00081eb1c087cde92a62",
  "hex",
);

const n = (t: string) => nameFromText(t);
const te = new TextEncoder();
const rr = (name: string, data: ResourceRecord["data"], type = data.type as number): ResourceRecord => ({
  name: n(name),
  type,
  class: 1,
  ttl: 300,
  data,
});

function sampleResponse(): Message {
  return {
    header: { ...emptyHeader(), id: 4242, qr: true, aa: true, rd: true },
    questions: [{ name: n("Www.Example.com."), type: RRType.ANY, class: 1 }],
    answers: [
      rr("www.example.com.", { type: 1, address: "192.0.2.1" }),
      rr("www.example.com.", { type: 1, address: "192.0.2.2" }),
      rr("www.example.com.", { type: 28, address: "2001:db8::1" }),
      rr("www.example.com.", { type: 15, preference: 10, exchange: n("mail.example.com.") }),
      rr("www.example.com.", { type: 16, strings: [te.encode("v=spf1 -all"), new Uint8Array([0, 255])] }),
      rr("_sip._tcp.example.com.", {
        type: 33,
        priority: 1,
        weight: 2,
        port: 5060,
        target: n("sip.example.com."),
      }),
      rr("example.com.", { type: 2, target: n("ns1.example.com.") }),
      rr("example.com.", {
        type: 6,
        mname: n("ns1.example.com."),
        rname: n("hostmaster.example.com."),
        serial: 4294967295,
        refresh: 1,
        retry: 2,
        expire: 3,
        minimum: 4,
      }),
      rr("4.3.2.1.in-addr.arpa.", { type: 12, target: n("www.example.com.") }),
      rr("example.com.", { type: 257, flags: 128, tag: "issue", value: te.encode("letsencrypt.org") }),
      rr("alias.example.com.", { type: 5, target: n("www.example.com.") }),
      rr("x.example.com.", { type: "opaque", raw: new Uint8Array([1, 2, 3]) }, 65280),
    ],
    authority: [rr("example.com.", { type: 2, target: n("ns2.example.com.") })],
    additional: [rr("ns2.example.com.", { type: 1, address: "192.0.2.53" })],
    edns: {
      payloadSize: 1232,
      extendedRcode: 0,
      version: 0,
      dnssecOk: true,
      options: [{ code: 10, data: new Uint8Array(8) }],
    },
  };
}

/** Compression copies the case of the first spelling, so compare names case-folded. */
const fold = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map((x) => (typeof x === "string" ? x.toLowerCase() : fold(x)))
    : v && typeof v === "object" && !(v instanceof Uint8Array)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fold(x)]))
      : v;

test("every served type survives an encode/decode round trip", () => {
  const msg = sampleResponse();
  const wire = encodeMessage(msg);
  const back = decodeMessage(wire);
  assert.deepEqual(back.header, msg.header);
  assert.deepEqual(back.questions, msg.questions);
  assert.deepEqual(fold(back.authority), fold(msg.authority));
  assert.deepEqual(fold(back.additional), fold(msg.additional));
  assert.deepEqual(back.edns, msg.edns);
  assert.equal(back.answers.length, msg.answers.length);
  back.answers.forEach((a, i) => {
    const want = msg.answers[i] as ResourceRecord;
    assert.equal(nameToText(a.name).toLowerCase(), nameToText(want.name).toLowerCase());
    assert.deepEqual(fold(a.data), fold(want.data));
  });
});

test("compression makes repeated names pointers and keeps the question's case", () => {
  const msg = sampleResponse();
  const wire = encodeMessage(msg);
  const plainLength = 12 + msg.answers.length * 40;
  assert.ok(wire.length < plainLength + 400);
  const back = decodeMessage(wire);
  // The answer's owner points at the question name, so the query's case shows in the answer.
  assert.equal(nameToText((back.answers[0] as ResourceRecord).name), "Www.Example.com.");
  // SRV targets are never compressed (RFC 2782): the name is spelled out in full.
  assert.ok(Buffer.from(wire).includes(Buffer.from("\x03sip\x07example\x03com\x00", "latin1")));
});

test("a real dig query decodes with its EDNS0 options", () => {
  const q = decodeMessage(digQuery);
  assert.equal(q.header.id, 0x6732);
  assert.equal(q.header.rd, true);
  assert.equal(nameToText(q.questions[0]?.name ?? []), "www.Example.COM.");
  assert.equal(q.questions[0]?.type, RRType.MX);
  assert.equal(q.edns?.payloadSize, 1232);
  assert.equal(q.edns?.options[0]?.code, 10);
});

test("compression pointer loops and forward pointers are parse errors", () => {
  const h = Buffer.from("000100000001000000000000", "hex");
  assert.throws(() => decodeMessage(Buffer.concat([h, Buffer.from("c00c00010001", "hex")])), DnsParseError);
  assert.throws(
    () => decodeMessage(Buffer.concat([h, Buffer.from("0161c00c00010001", "hex")])),
    DnsParseError,
  );
  assert.throws(() => decodeMessage(Buffer.concat([h, Buffer.from("c01000010001", "hex")])), DnsParseError);
  assert.throws(() => decodeMessage(Buffer.concat([h, Buffer.from("4161000001", "hex")])), DnsParseError);
});

test("a name longer than 255 octets is a parse error", () => {
  const label = Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 97)]);
  const body = Buffer.concat([
    Buffer.from("000100000001000000000000", "hex"),
    label,
    label,
    label,
    label,
    Buffer.from("0000010001", "hex"),
  ]);
  assert.throws(() => decodeMessage(body), /255/);
});

test("encoding within a size limit drops whole RRsets and sets TC", () => {
  const msg = sampleResponse();
  msg.edns = undefined;
  const wire = encodeMessage(msg, { maxBytes: 120 });
  assert.ok(wire.length <= 120);
  const back = decodeMessage(wire);
  assert.equal(back.header.tc, true);
  assert.ok(back.answers.length < msg.answers.length);
});

test("additional records that do not fit are left out without TC", () => {
  const msg = sampleResponse();
  msg.answers = msg.answers.slice(0, 1);
  msg.authority = [];
  msg.additional = Array.from({ length: 40 }, (_, i) =>
    rr(`host${i}.example.com.`, { type: 1, address: "192.0.2.9" }),
  );
  msg.edns = undefined;
  const back = decodeMessage(encodeMessage(msg, { maxBytes: 512 }));
  assert.equal(back.header.tc, false);
  assert.ok(back.additional.length > 0 && back.additional.length < 40);
});

test("IPv6 text follows RFC 5952", () => {
  for (const [i, o] of [
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["::", "::"],
    ["::ffff:192.0.2.1", "::ffff:c000:201"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"],
  ] as const) {
    const b = ipv6ToBytes(i);
    assert.ok(b, i);
    assert.equal(ipv6FromBytes(b, 0), o);
  }
  assert.equal(ipv6ToBytes("1::2::3"), undefined);
  assert.equal(ipv6ToBytes("1:2:3:4:5:6:7:8:9"), undefined);
});

const onlyParseErrors = (bytes: Uint8Array) => {
  try {
    decodeMessage(bytes);
  } catch (e) {
    if (!(e instanceof DnsParseError)) throw e;
  }
};

test("random bytes decode or fail with DnsParseError, never anything else", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (b) => onlyParseErrors(b)),
    { numRuns: 20_000 },
  );
});

test("mutated real packets decode or fail with DnsParseError, and what decodes re-encodes", () => {
  const seeds = [digQuery, Buffer.from(encodeMessage(sampleResponse()))];
  fc.assert(
    fc.property(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("set", "cut", "dup")), {
        minLength: 1,
        maxLength: 8,
      }),
      (seed, edits) => {
        let b = Buffer.from(seed);
        for (const [pos, val, op] of edits) {
          const at = pos % Math.max(1, b.length);
          if (op === "set") b[at] = val;
          else if (op === "cut") b = b.subarray(0, at);
          else b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + (val % 16)), b.subarray(at)]);
        }
        let msg: Message | undefined;
        try {
          msg = decodeMessage(b);
        } catch (e) {
          if (!(e instanceof DnsParseError)) throw e;
          return;
        }
        // Anything that decoded must encode again (no half-valid state leaks out).
        if (msg.edns && msg.edns.payloadSize < 0) throw new Error("impossible");
        encodeMessage({ ...msg, tsig: undefined });
      },
    ),
    { numRuns: 20_000 },
  );
});
