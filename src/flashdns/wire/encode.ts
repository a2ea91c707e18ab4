// Message → wire format, with name compression (RFC 1035 §4.1.4) and a size limit: RRsets
// that do not fit set TC (answer, authority) or are left out (additional), RFC 2181 §9.
import { ipv4ToBytes, ipv6ToBytes } from "./address.ts";
import { maxMessageBytes, RRType } from "./constants.ts";
import type { Edns, Header, Message, RData, ResourceRecord } from "./message.ts";
import { lowerLabel, type Name } from "./name.ts";

class Overflow extends Error {}
const overflow = new Overflow("message full");

/** Types whose RDATA names may be compressed (RFC 3597 §4: only the RFC 1035 ones). */
const compressibleRdata = new Set<number>([RRType.NS, RRType.CNAME, RRType.PTR, RRType.MX, RRType.SOA]);

export class WireWriter {
  readonly buf: Uint8Array;
  len = 0;
  private readonly limit: number;
  private readonly offsets = new Map<string, number>();
  private readonly added: string[] = [];

  constructor(limitBytes: number = maxMessageBytes, capacityBytes: number = limitBytes) {
    this.limit = limitBytes;
    this.buf = new Uint8Array(Math.max(limitBytes, capacityBytes));
  }

  private room(n: number): void {
    if (this.len + n > this.limit) throw overflow;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
  }
  u16(v: number): void {
    this.room(2);
    this.buf[this.len++] = (v >> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
  }
  u32(v: number): void {
    this.room(4);
    this.buf[this.len++] = (v >>> 24) & 0xff;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  latin1(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }
  setU16(at: number, v: number): void {
    this.buf[at] = (v >> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
  }

  /** Writes a name, pointing at an earlier copy of its longest known suffix when allowed. */
  name(name: Name, compress: boolean): void {
    const n = name.length;
    // Suffix keys from the shortest up, then look the longest up first.
    const keys = new Array<string>(n);
    let acc = "";
    for (let i = n - 1; i >= 0; i--) {
      const l = lowerLabel(name[i] as string);
      acc = `${l.length}:${l}${acc}`;
      keys[i] = acc;
    }
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      if (compress) {
        const at = this.offsets.get(key);
        if (at !== undefined) {
          this.u16(0xc000 | at);
          return;
        }
      }
      if (this.len < 0x4000 && !this.offsets.has(key)) {
        this.offsets.set(key, this.len);
        this.added.push(key);
      }
      const label = name[i] as string;
      this.u8(label.length);
      this.latin1(label);
    }
    this.u8(0);
  }

  mark(): { len: number; added: number } {
    return { len: this.len, added: this.added.length };
  }
  /** Undoes everything written since `m`, including compression targets inside it. */
  rollback(m: { len: number; added: number }): void {
    this.len = m.len;
    while (this.added.length > m.added) this.offsets.delete(this.added.pop() as string);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export function writeHeader(w: WireWriter, h: Header, counts: [number, number, number, number]): void {
  w.u16(h.id);
  w.u16(
    (h.qr ? 0x8000 : 0) |
      ((h.opcode & 0xf) << 11) |
      (h.aa ? 0x0400 : 0) |
      (h.tc ? 0x0200 : 0) |
      (h.rd ? 0x0100 : 0) |
      (h.ra ? 0x0080 : 0) |
      (h.ad ? 0x0020 : 0) |
      (h.cd ? 0x0010 : 0) |
      (h.rcode & 0xf),
  );
  for (const c of counts) w.u16(c);
}

function writeRData(w: WireWriter, rr: ResourceRecord): void {
  const d: RData = rr.data;
  const c = compressibleRdata.has(rr.type);
  if (d.type === "opaque") {
    w.bytes(d.raw);
    return;
  }
  switch (d.type) {
    case 1: {
      const a = ipv4ToBytes(d.address);
      if (!a) throw new TypeError(`invalid IPv4 address ${d.address}`);
      w.bytes(a);
      return;
    }
    case 28: {
      const a = ipv6ToBytes(d.address);
      if (!a) throw new TypeError(`invalid IPv6 address ${d.address}`);
      w.bytes(a);
      return;
    }
    case 2:
    case 5:
    case 12:
    case 39:
      w.name(d.target, c);
      return;
    case 15:
      w.u16(d.preference);
      w.name(d.exchange, c);
      return;
    case 33:
      w.u16(d.priority);
      w.u16(d.weight);
      w.u16(d.port);
      w.name(d.target, false);
      return;
    case 6:
      w.name(d.mname, c);
      w.name(d.rname, c);
      w.u32(d.serial);
      w.u32(d.refresh);
      w.u32(d.retry);
      w.u32(d.expire);
      w.u32(d.minimum);
      return;
    case 16:
      for (const s of d.strings) {
        w.u8(s.length);
        w.bytes(s);
      }
      return;
    case 257:
      w.u8(d.flags);
      w.u8(d.tag.length);
      w.latin1(d.tag);
      w.bytes(d.value);
      return;
    case 250:
      w.name(d.algorithm, false);
      w.u16(Math.floor(d.timeSigned / 2 ** 32));
      w.u32(d.timeSigned >>> 0);
      w.u16(d.fudge);
      w.u16(d.mac.length);
      w.bytes(d.mac);
      w.u16(d.originalId);
      w.u16(d.error);
      w.u16(d.other.length);
      w.bytes(d.other);
      return;
  }
}

export function writeRecord(w: WireWriter, rr: ResourceRecord): void {
  w.name(rr.name, true);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lenAt = w.len;
  w.u16(0);
  writeRData(w, rr);
  w.setU16(lenAt, w.len - lenAt - 2);
}

function optBytes(e: Edns): number {
  let n = 11;
  for (const o of e.options) n += 4 + o.data.length;
  return n;
}

function writeOpt(w: WireWriter, e: Edns, rcode: number): void {
  w.u8(0);
  w.u16(RRType.OPT);
  w.u16(e.payloadSize);
  w.u32((((rcode >> 4) & 0xff) << 24) | ((e.version & 0xff) << 16) | (e.dnssecOk ? 0x8000 : 0));
  let len = 0;
  for (const o of e.options) len += 4 + o.data.length;
  w.u16(len);
  for (const o of e.options) {
    w.u16(o.code);
    w.u16(o.data.length);
    w.bytes(o.data);
  }
}

/** Same owner, type and class as the record before: part of the same RRset. */
const sameSet = (a: ResourceRecord, b: ResourceRecord) =>
  a.type === b.type &&
  a.class === b.class &&
  a.name.length === b.name.length &&
  a.name.every((l, i) => lowerLabel(l) === lowerLabel(b.name[i] as string));

export interface EncodeOptions {
  /** Largest message to produce (UDP payload size); default 65535. */
  maxBytes?: number;
  /** Room to keep free at the end, e.g. for a TSIG record added afterwards. */
  reserveBytes?: number;
  /** The full rcode (EDNS extended bits included); default header.rcode. */
  rcode?: number;
  /** The authority section is extra (NS beside a positive answer): drop it, don't truncate. */
  optionalAuthority?: boolean;
}

/**
 * Encodes a message within a size limit, as NSD does: when a needed RRset (answer, or a
 * required authority) does not fit, every section is emptied and TC is set so the client
 * retries over TCP; optional authority and additional RRsets that do not fit are left out
 * (RFC 2181 §9), and nothing after them is added.
 */
export function encodeMessage(msg: Message, opts: EncodeOptions = {}): Uint8Array {
  const max = Math.min(opts.maxBytes ?? maxMessageBytes, maxMessageBytes);
  const reserve = (opts.reserveBytes ?? 0) + (msg.edns ? optBytes(msg.edns) : 0);
  const limit = Math.max(12, max - reserve);
  const w = new WireWriter(limit, limit + reserve);
  const rcode = opts.rcode ?? msg.header.rcode;
  const header = { ...msg.header, rcode: rcode & 0xf };
  writeHeader(w, header, [0, 0, 0, 0]);
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  let truncated = false;
  try {
    for (const q of msg.questions) {
      w.name(q.name, true);
      w.u16(q.type);
      w.u16(q.class);
      counts[0]++;
    }
  } catch (e) {
    if (!(e instanceof Overflow)) throw e;
    truncated = true;
  }
  const afterQuestion = w.mark();
  const sections: [ResourceRecord[], 1 | 2 | 3][] = [
    [msg.answers, 1],
    [msg.authority, 2],
    [msg.additional, 3],
  ];
  let stop = truncated;
  for (const [records, idx] of sections) {
    if (stop) break;
    let i = 0;
    while (i < records.length) {
      let j = i + 1;
      while (j < records.length && sameSet(records[j] as ResourceRecord, records[i] as ResourceRecord)) j++;
      const m = w.mark();
      try {
        for (let k = i; k < j; k++) writeRecord(w, records[k] as ResourceRecord);
        counts[idx] += j - i;
      } catch (e) {
        if (!(e instanceof Overflow)) throw e;
        w.rollback(m);
        stop = true;
        if (idx === 1 || (idx === 2 && !opts.optionalAuthority)) {
          truncated = true;
          w.rollback(afterQuestion);
          counts[1] = counts[2] = counts[3] = 0;
        }
        break;
      }
      i = j;
    }
  }
  if (msg.edns) {
    // The OPT record's room was kept free above.
    const opt = new WireWriter(optBytes(msg.edns));
    writeOpt(opt, msg.edns, rcode);
    w.buf.set(opt.buf.subarray(0, opt.len), w.len);
    w.len += opt.len;
    counts[3]++;
  }
  const out = w.result();
  const fix = new WireWriter(12);
  writeHeader(fix, { ...header, tc: header.tc || truncated }, counts);
  out.set(fix.buf.subarray(0, 12), 0);
  return out;
}
