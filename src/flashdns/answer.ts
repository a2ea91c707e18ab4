// The answer logic of an authoritative server (RFC 1034 §4.3.2, RFC 4592 wildcards, RFC 2308
// negative answers, RFC 6891 EDNS0), pure: a decoded query and the zone index in, a response
// message out. Sections follow what NSD puts in them, so the two can be diffed.

import { Opcode, Rcode, RRClass, RRType } from "./wire/constants.ts";
import { type Edns, emptyHeader, type Message, type Question, type ResourceRecord } from "./wire/message.ts";
import { isSubdomain, type Name, nameKey, suffixKeys } from "./wire/name.ts";
import type { RRset, SoaData, Zone, ZoneNode } from "./zone.ts";
import type { ZoneIndex } from "./zone-index.ts";

export interface AnswerOptions {
  transport: "udp" | "tcp";
  /** The largest UDP payload this server sends, whatever a client advertises (RFC 6891 §6.2.5). */
  maxUdpPayloadBytes: number;
}

export type Answer =
  | {
      kind: "message";
      message: Message;
      /** Full rcode, EDNS extended bits included (BADVERS is 16). */
      rcode: number;
      /** Largest encoded size allowed for this transport and client. */
      maxBytes: number;
      /** The authority section is extra (NS on a positive answer): drop it rather than truncate. */
      optionalAuthority: boolean;
    }
  /** A zone transfer over TCP: the server shell streams it (see transfer.ts). */
  | { kind: "transfer"; zone: Zone; query: Message };

/** How many CNAMEs one answer follows inside a zone before it stops. */
export const maxCnameChain = 16;
/** EDNS0 option code of Extended DNS Errors (RFC 8914) and the info codes used here. */
const edeOption = 15;
const edeNotAuthoritative = 20;
const edeNotSupported = 21;

const classicUdpBytes = 512;

interface Builder {
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
  rcode: number;
  aa: boolean;
  optionalAuthority: boolean;
}

/** The RRset's records under `owner` (the query's spelling), each keeping its own TTL as NSD does. */
const withOwner = (set: RRset, owner: Name, ttl?: number): ResourceRecord[] =>
  set.records.map((r) => ({ ...r, name: owner, ttl: ttl ?? r.ttl }));

function addSoa(zone: Zone, b: Builder): void {
  const soa = zone.soa;
  const data = soa.records[0]?.data as SoaData;
  // RFC 2308 §3: the negative-caching TTL is the smaller of the SOA's TTL and its MINIMUM.
  b.authority.push(...withOwner(soa, zone.origin, Math.min(soa.ttl, data.minimum)));
}

/** The names whose addresses help the client: MX exchanges, NS and SRV targets. */
function targetsOf(records: readonly ResourceRecord[]): Name[] {
  const out: Name[] = [];
  for (const r of records) {
    const d = r.data;
    if (d.type === 15) out.push(d.exchange);
    else if (d.type === 2 || d.type === 33) out.push(d.target);
  }
  return out;
}

/** Looks a name up for the additional section: exact, else a matching wildcard. */
function nodeForAdditional(zone: Zone, name: Name): ZoneNode | undefined {
  if (!isSubdomain(name, zone.origin)) return undefined;
  const keys = suffixKeys(name);
  const exact = zone.nodes.get(keys[0] as string);
  if (exact) return exact;
  let ce = 1;
  while (ce < keys.length && !zone.nodes.has(keys[ce] as string)) ce++;
  if (ce >= keys.length) return undefined;
  return zone.nodes.get(`*.${keys[ce]}`);
}

/** A and AAAA of the targets: every A first, then every AAAA, each name once (NSD's order). */
function addAdditional(zone: Zone, targets: Name[], b: Builder): void {
  const seen = new Set<string>();
  // An RRset already in the answer is not repeated in the additional section.
  const answered = new Set(b.answers.map((r) => `${r.type}/${nameKey(r.name)}`));
  const found: [Name, ZoneNode][] = [];
  for (const t of targets) {
    const k = nameKey(t);
    if (seen.has(k)) continue;
    seen.add(k);
    const n = nodeForAdditional(zone, t);
    if (n) found.push([t, n]);
  }
  for (const type of [RRType.A, RRType.AAAA]) {
    for (const [t, n] of found) {
      const set = n.rrsets.get(type);
      if (set && !answered.has(`${type}/${nameKey(t)}`)) b.additional.push(...withOwner(set, t));
    }
  }
}

function addReferral(zone: Zone, ns: RRset, b: Builder): void {
  b.authority.push(...withOwner(ns, ns.name));
  addAdditional(zone, targetsOf(ns.records), b);
}

/** Answers `qname`/`qtype` from `zone`, following CNAMEs that stay inside it. */
function resolve(zone: Zone, qname: Name, qtype: number, b: Builder): void {
  const seen = new Set<string>();
  let name = qname;
  for (let hop = 0; hop <= maxCnameChain; hop++) {
    const keys = suffixKeys(name);
    const depth = name.length - zone.origin.length;
    // A zone cut above (or at) the name: this server is not authoritative there, so refer.
    for (let i = depth - 1; i >= 0; i--) {
      const n = zone.nodes.get(keys[i] as string);
      if (!n) break;
      const ns = n.rrsets.get(RRType.NS);
      // DS lives on the parent side of the cut (RFC 4035 §3.1.4.1).
      if (ns && !(i === 0 && qtype === RRType.DS)) {
        if (b.answers.length === 0) b.aa = false;
        addReferral(zone, ns, b);
        return;
      }
    }
    let node = zone.nodes.get(keys[0] as string);
    if (!node) {
      // RFC 4592: the closest encloser (an empty non-terminal counts) decides the wildcard.
      let ce = 1;
      while (!zone.nodes.has(keys[ce] as string)) ce++;
      node = zone.nodes.get(`*.${keys[ce]}`);
      if (!node) {
        b.rcode = Rcode.NXDOMAIN;
        addSoa(zone, b);
        return;
      }
    }
    const cname = node.rrsets.get(RRType.CNAME);
    if (cname && qtype !== RRType.CNAME) {
      b.answers.push(...withOwner(cname, name));
      seen.add(keys[0] as string);
      const target = ((cname.records[0] as ResourceRecord).data as { target: Name }).target;
      // Out of the zone, or a loop: the client (or resolver) follows it from here.
      if (!isSubdomain(target, zone.origin) || seen.has(nameKey(target))) return;
      name = target;
      continue;
    }
    if (qtype === RRType.ANY) {
      if (node.rrsets.size === 0) addSoa(zone, b);
      for (const set of node.rrsets.values()) b.answers.push(...withOwner(set, name));
      return;
    }
    const set = node.rrsets.get(qtype);
    if (!set) {
      addSoa(zone, b);
      return;
    }
    b.answers.push(...withOwner(set, name));
    const apexNs = zone.nodes.get(zone.key)?.rrsets.get(RRType.NS);
    const isApexNs = qtype === RRType.NS && depth === 0;
    if (apexNs && !isApexNs) {
      b.authority.push(...withOwner(apexNs, zone.origin));
      b.optionalAuthority = true;
    }
    addAdditional(
      zone,
      [...targetsOf(set.records), ...(apexNs && !isApexNs ? targetsOf(apexNs.records) : [])],
      b,
    );
    return;
  }
}

function responseEdns(q: Message, opts: AnswerOptions, options: Edns["options"] = []): Edns | undefined {
  if (!q.edns) return undefined;
  return {
    payloadSize: opts.maxUdpPayloadBytes,
    extendedRcode: 0,
    version: 0,
    dnssecOk: q.edns.dnssecOk,
    options,
  };
}

const ede = (code: number) => ({ code: edeOption, data: Uint8Array.of(code >> 8, code & 0xff) });

/** Answers one decoded query; undefined means send nothing (it was a response). */
export function answerQuery(q: Message, index: ZoneIndex, opts: AnswerOptions): Answer | undefined {
  if (q.header.qr) return undefined;
  const maxBytes =
    opts.transport === "tcp"
      ? 65_535
      : q.edns
        ? Math.max(classicUdpBytes, Math.min(q.edns.payloadSize, opts.maxUdpPayloadBytes))
        : classicUdpBytes;
  const header = {
    ...emptyHeader(),
    id: q.header.id,
    qr: true,
    opcode: q.header.opcode,
    rd: q.header.rd,
    cd: q.header.cd,
  };
  const reply = (
    rcode: number,
    questions: Question[],
    edns = responseEdns(q, opts),
    extra: Partial<Message> = {},
  ): Answer => ({
    kind: "message",
    message: {
      header: { ...header, rcode: rcode & 0xf },
      questions,
      answers: [],
      authority: [],
      additional: [],
      edns,
      ...extra,
    },
    rcode,
    maxBytes,
    optionalAuthority: false,
  });
  if (q.header.opcode === Opcode.NOTIFY) return reply(Rcode.REFUSED, []);
  if (q.header.opcode !== Opcode.QUERY) return reply(Rcode.NOTIMP, []);
  if (q.questions.length !== 1) return reply(Rcode.FORMERR, []);
  const question = q.questions[0] as Question;
  if (q.edns && q.edns.version > 0) return reply(Rcode.BADVERS, [question]);
  if (question.class !== RRClass.IN)
    return reply(Rcode.REFUSED, [question], responseEdns(q, opts, [ede(edeNotSupported)]));
  const keys = suffixKeys(question.name);
  const zone = index.find(question.name, keys);
  if (!zone) return reply(Rcode.REFUSED, [question], responseEdns(q, opts, [ede(edeNotAuthoritative)]));
  const qtype = question.type;
  if (qtype === RRType.AXFR || qtype === RRType.IXFR) {
    if (keys[0] !== zone.key) return reply(Rcode.NOTAUTH, [question]);
    if (opts.transport === "tcp") return { kind: "transfer", zone, query: q };
    // RFC 5936 §4.2: no AXFR over UDP; RFC 1995 §2: an IXFR over UDP may get just the SOA.
    if (qtype === RRType.AXFR) return reply(Rcode.NOTIMP, [question]);
    const a = reply(Rcode.NOERROR, [question]);
    if (a.kind === "message") {
      a.message.header.aa = true;
      a.message.answers.push(...zone.soa.records);
    }
    return a;
  }
  const b: Builder = {
    answers: [],
    authority: [],
    additional: [],
    rcode: Rcode.NOERROR,
    aa: true,
    optionalAuthority: false,
  };
  resolve(zone, question.name, qtype, b);
  return {
    kind: "message",
    message: {
      header: { ...header, aa: b.aa, rcode: b.rcode },
      questions: [question],
      answers: b.answers,
      authority: b.authority,
      additional: b.additional,
      edns: responseEdns(q, opts),
    },
    rcode: b.rcode,
    maxBytes,
    optionalAuthority: b.optionalAuthority,
  };
}
