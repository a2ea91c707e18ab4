// Wire format → Message (RFC 1035 §4), with strict bounds checks: every read is checked
// against the end of the message or of the RDATA it belongs to, compression pointers must
// point strictly backwards (so no loop can form), and anything malformed is a DnsParseError.
import { ipv4FromBytes, ipv6FromBytes } from "./address.ts";
import { maxNameBytes, RRType } from "./constants.ts";
import type { Edns, Header, Message, Question, RData, ResourceRecord } from "./message.ts";
import type { Name } from "./name.ts";
import { DnsParseError } from "./parse-error.ts";

export const headerBytes = 12;

function fail(message: string, offset: number): never {
  throw new DnsParseError(message, offset);
}

/** Reads the 12-byte header; throws when there are fewer bytes. */
export function decodeHeader(b: Uint8Array): Header {
  if (b.length < headerBytes) fail("message shorter than a header", b.length);
  const f = (b[2]! << 8) | b[3]!;
  return {
    id: (b[0]! << 8) | b[1]!,
    qr: (f & 0x8000) !== 0,
    opcode: (f >> 11) & 0xf,
    aa: (f & 0x0400) !== 0,
    tc: (f & 0x0200) !== 0,
    rd: (f & 0x0100) !== 0,
    ra: (f & 0x0080) !== 0,
    z: (f & 0x0040) !== 0,
    ad: (f & 0x0020) !== 0,
    cd: (f & 0x0010) !== 0,
    rcode: f & 0xf,
  };
}

const latin1 = (b: Uint8Array, start: number, end: number): string => {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
};

/** Reads a possibly compressed name at `off`; `end` bounds the uncompressed part. */
export function readName(b: Uint8Array, off: number, end: number): { name: Name; next: number } {
  const labels: string[] = [];
  let pos = off;
  let limit = end;
  let segmentStart = off;
  let next = -1;
  let wire = 1;
  for (;;) {
    if (pos >= limit) fail("name runs past its end", pos);
    const len = b[pos]!;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= limit) fail("truncated compression pointer", pos);
      const target = ((len & 0x3f) << 8) | b[pos + 1]!;
      // Strictly before the current run of labels: each jump goes further back, so reading ends.
      if (target >= segmentStart) fail("compression pointer does not point backwards", pos);
      if (next < 0) next = pos + 2;
      pos = target;
      segmentStart = target;
      limit = b.length;
      continue;
    }
    if (kind !== 0) fail("unsupported label type", pos);
    if (pos + 1 + len > limit) fail("label runs past its end", pos);
    wire += len + 1;
    if (wire > maxNameBytes) fail("name longer than 255 octets", pos);
    labels.push(latin1(b, pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { name: labels, next };
}

const u16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number) =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

function readRData(b: Uint8Array, type: number, start: number, len: number): RData {
  const end = start + len;
  const need = (n: number) => {
    if (len !== n) fail(`RDATA of type ${type} must be ${n} octets, not ${len}`, start);
  };
  const nameAt = (o: number) => readName(b, o, end);
  const endsAt = (o: number) => {
    if (o !== end) fail(`RDATA of type ${type} has ${end - o} octets left over`, o);
  };
  switch (type) {
    case RRType.A:
      need(4);
      return { type: 1, address: ipv4FromBytes(b, start) };
    case RRType.AAAA:
      need(16);
      return { type: 28, address: ipv6FromBytes(b, start) };
    case RRType.NS:
    case RRType.CNAME:
    case RRType.PTR:
    case RRType.DNAME: {
      const n = nameAt(start);
      endsAt(n.next);
      return { type, target: n.name };
    }
    case RRType.MX: {
      if (len < 3) fail("MX RDATA too short", start);
      const n = nameAt(start + 2);
      endsAt(n.next);
      return { type: 15, preference: u16(b, start), exchange: n.name };
    }
    case RRType.SRV: {
      if (len < 7) fail("SRV RDATA too short", start);
      const n = nameAt(start + 6);
      endsAt(n.next);
      return {
        type: 33,
        priority: u16(b, start),
        weight: u16(b, start + 2),
        port: u16(b, start + 4),
        target: n.name,
      };
    }
    case RRType.SOA: {
      const m = nameAt(start);
      const r = nameAt(m.next);
      if (r.next + 20 !== end) fail("SOA RDATA has the wrong length", r.next);
      const o = r.next;
      return {
        type: 6,
        mname: m.name,
        rname: r.name,
        serial: u32(b, o),
        refresh: u32(b, o + 4),
        retry: u32(b, o + 8),
        expire: u32(b, o + 12),
        minimum: u32(b, o + 16),
      };
    }
    case RRType.TXT: {
      if (len === 0) fail("TXT RDATA must hold at least one string", start);
      const strings: Uint8Array[] = [];
      let o = start;
      while (o < end) {
        const l = b[o]!;
        if (o + 1 + l > end) fail("TXT string runs past its RDATA", o);
        strings.push(b.slice(o + 1, o + 1 + l));
        o += 1 + l;
      }
      return { type: 16, strings };
    }
    case RRType.CAA: {
      if (len < 2) fail("CAA RDATA too short", start);
      const tagLen = b[start + 1]!;
      if (tagLen === 0 || start + 2 + tagLen > end) fail("CAA tag length out of range", start + 1);
      return {
        type: 257,
        flags: b[start]!,
        tag: latin1(b, start + 2, start + 2 + tagLen),
        value: b.slice(start + 2 + tagLen, end),
      };
    }
    case RRType.TSIG: {
      const alg = nameAt(start);
      let o = alg.next;
      if (o + 10 > end) fail("TSIG RDATA too short", o);
      const timeSigned = u16(b, o) * 2 ** 32 + u32(b, o + 2);
      const fudge = u16(b, o + 6);
      const macLen = u16(b, o + 8);
      o += 10;
      if (o + macLen + 6 > end) fail("TSIG MAC runs past its RDATA", o);
      const mac = b.slice(o, o + macLen);
      o += macLen;
      const originalId = u16(b, o);
      const error = u16(b, o + 2);
      const otherLen = u16(b, o + 4);
      o += 6;
      if (o + otherLen !== end) fail("TSIG other data has the wrong length", o);
      return {
        type: 250,
        algorithm: alg.name,
        timeSigned,
        fudge,
        mac,
        originalId,
        error,
        other: b.slice(o, end),
      };
    }
    default:
      return { type: "opaque", raw: b.slice(start, end) };
  }
}

interface RawRecord {
  rr: ResourceRecord;
  start: number;
}

function readRecord(b: Uint8Array, off: number): { rec: RawRecord; next: number } {
  const n = readName(b, off, b.length);
  const o = n.next;
  if (o + 10 > b.length) fail("record header runs past the message", o);
  const type = u16(b, o);
  const klass = u16(b, o + 2);
  const ttl = u32(b, o + 4);
  const rdlen = u16(b, o + 8);
  const start = o + 10;
  if (start + rdlen > b.length) fail("RDATA runs past the message", start);
  // OPT's class and TTL carry EDNS fields; its RDATA is options, read by the caller.
  const data: RData =
    type === RRType.OPT
      ? { type: "opaque", raw: b.slice(start, start + rdlen) }
      : readRData(b, type, start, rdlen);
  return { rec: { rr: { name: n.name, type, class: klass, ttl, data }, start: off }, next: start + rdlen };
}

function ednsOf(rr: ResourceRecord, at: number): Edns {
  if (rr.name.length !== 0) fail("OPT owner must be the root", at);
  const raw = (rr.data as { raw: Uint8Array }).raw;
  const options: Edns["options"] = [];
  let o = 0;
  while (o < raw.length) {
    if (o + 4 > raw.length) fail("truncated EDNS option", at);
    const code = u16(raw, o);
    const len = u16(raw, o + 2);
    if (o + 4 + len > raw.length) fail("EDNS option runs past its RDATA", at);
    options.push({ code, data: raw.slice(o + 4, o + 4 + len) });
    o += 4 + len;
  }
  return {
    payloadSize: rr.class,
    extendedRcode: rr.ttl >>> 24,
    version: (rr.ttl >>> 16) & 0xff,
    dnssecOk: (rr.ttl & 0x8000) !== 0,
    options,
  };
}

/** Decodes a whole message; throws DnsParseError and nothing else. */
export function decodeMessage(input: Uint8Array): Message {
  const b = input;
  const header = decodeHeader(b);
  const qd = u16(b, 4);
  const an = u16(b, 6);
  const ns = u16(b, 8);
  const ar = u16(b, 10);
  let o = headerBytes;
  const questions: Question[] = [];
  for (let i = 0; i < qd; i++) {
    const n = readName(b, o, b.length);
    if (n.next + 4 > b.length) fail("question runs past the message", n.next);
    questions.push({ name: n.name, type: u16(b, n.next), class: u16(b, n.next + 2) });
    o = n.next + 4;
  }
  const section = (count: number): RawRecord[] => {
    const out: RawRecord[] = [];
    for (let i = 0; i < count; i++) {
      const r = readRecord(b, o);
      out.push(r.rec);
      o = r.next;
    }
    return out;
  };
  const answers = section(an);
  const authority = section(ns);
  const additionalRaw = section(ar);
  const msg: Message = {
    header,
    questions,
    answers: [],
    authority: [],
    additional: [],
  };
  for (const r of [...answers, ...authority]) {
    if (r.rr.type === RRType.OPT || r.rr.type === RRType.TSIG)
      fail(`${r.rr.type === RRType.OPT ? "OPT" : "TSIG"} outside the additional section`, r.start);
  }
  msg.answers = answers.map((r) => r.rr);
  msg.authority = authority.map((r) => r.rr);
  additionalRaw.forEach((r, i) => {
    if (r.rr.type === RRType.OPT) {
      if (msg.edns) fail("more than one OPT record", r.start);
      msg.edns = ednsOf(r.rr, r.start);
    } else if (r.rr.type === RRType.TSIG) {
      if (i !== additionalRaw.length - 1) fail("TSIG is not the last record", r.start);
      msg.tsig = r.rr;
      msg.tsigOffset = r.start;
    } else msg.additional.push(r.rr);
  });
  return msg;
}
