// The binary encoding of a transport frame: Raft messages and application payloads between
// two processes. Pure. Entry data and snapshot images travel as raw bytes (no base64, no JSON
// on the hot path); application payloads are JSON with an optional raw byte field `bin`.
//
// frame   = u8 version | str from | u32 nMsgs | msg* | u32 nApps | app*
// msg     = u8 type | u8 flags | str groupId | str from | str to | f64 term | f64 logTerm
//           | f64 index | f64 commit | f64 rejectHint | u32 nEntries | entry*
//           | [snapshot] | [str context] | [str transferee] | [f64 leaseTick]
// entry   = f64 index | f64 term | u8 type | bytes data
// snapshot= bytes metadataJSON | bytes data
// app     = bytes json | u8 hasBin | [bytes bin]
// str     = u16 length | utf8;  bytes = u32 length | raw;  numbers little-endian
import type { Entry, Message, MessageType, Snapshot, SnapshotMetadata } from "./types.ts";

export const FRAME_VERSION = 1;

const TYPES: readonly MessageType[] = [
  "hup",
  "beat",
  "prop",
  "app",
  "appResp",
  "vote",
  "voteResp",
  "preVote",
  "preVoteResp",
  "snap",
  "snapStatus",
  "heartbeat",
  "heartbeatResp",
  "unreachable",
  "transferLeader",
  "timeoutNow",
  "readIndex",
  "readIndexResp",
];
const TYPE_CODE = new Map(TYPES.map((t, i) => [t, i]));

const F_REJECT = 1;
const F_TRANSFER = 2;
const F_SNAPSHOT = 4;
const F_CONTEXT = 8;
const F_TRANSFEREE = 16;
const F_LEASE_TICK = 32;

/** An application payload: any JSON value, plus raw bytes carried beside it without base64. */
export interface AppPayload {
  bin?: Uint8Array;
  [k: string]: unknown;
}

/** Encoded strings are cached: the same few ids and group names go into every message. */
const STRING_CACHE_MAX = 4096;
const stringCache = new Map<string, Buffer>();
function utf8(s: string): Buffer {
  let b = stringCache.get(s);
  if (!b) {
    b = Buffer.from(s, "utf8");
    if (stringCache.size >= STRING_CACHE_MAX) stringCache.clear();
    stringCache.set(s, b);
  }
  return b;
}

class Writer {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  u8(v: number): void {
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.buf.writeUInt32LE(v, this.pos);
    this.pos += 4;
  }
  f64(v: number): void {
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }
  str(b: Buffer): void {
    this.u16(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }
  bytes(b: Uint8Array): void {
    this.u32(b.byteLength);
    this.buf.set(b, this.pos);
    this.pos += b.byteLength;
  }
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error("frame truncated");
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  str(): string {
    const n = this.u16();
    this.need(n);
    const s = this.buf.toString("utf8", this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  /** A view into the frame (no copy); the caller copies what it keeps beyond the frame. */
  bytes(): Buffer {
    const n = this.u32();
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

interface Prepared {
  m: Message;
  groupId: Buffer;
  from: Buffer;
  to: Buffer;
  snapMeta?: Buffer;
  context?: Buffer;
  transferee?: Buffer;
}

export function encodeFrame(from: string, msgs: readonly Message[], apps: readonly AppPayload[]): Buffer {
  const fromB = utf8(from);
  let size = 1 + 2 + fromB.length + 4 + 4;
  const prepared: Prepared[] = [];
  for (const m of msgs) {
    const p: Prepared = { m, groupId: utf8(m.groupId), from: utf8(m.from), to: utf8(m.to) };
    size += 2 + 6 + p.groupId.length + p.from.length + p.to.length + 5 * 8 + 4;
    for (const e of m.entries) size += 8 + 8 + 1 + 4 + e.data.byteLength;
    if (m.snapshot) {
      p.snapMeta = Buffer.from(JSON.stringify(m.snapshot.metadata), "utf8");
      size += 4 + p.snapMeta.length + 4 + m.snapshot.data.byteLength;
    }
    if (m.context !== undefined) {
      p.context = Buffer.from(m.context, "utf8");
      size += 2 + p.context.length;
    }
    if (m.transferee !== undefined) {
      p.transferee = utf8(m.transferee);
      size += 2 + p.transferee.length;
    }
    if (m.leaseTick !== undefined) size += 8;
    prepared.push(p);
  }
  const appParts: Array<{ json: Buffer; bin: Uint8Array | undefined }> = [];
  for (const a of apps) {
    const { bin, ...rest } = a;
    const json = Buffer.from(JSON.stringify(rest), "utf8");
    appParts.push({ json, bin });
    size += 4 + json.length + 1 + (bin ? 4 + bin.byteLength : 0);
  }
  const w = new Writer(Buffer.allocUnsafe(size));
  w.u8(FRAME_VERSION);
  w.str(fromB);
  w.u32(prepared.length);
  for (const p of prepared) {
    const m = p.m;
    w.u8(TYPE_CODE.get(m.type)!);
    w.u8(
      (m.reject ? F_REJECT : 0) |
        (m.transfer ? F_TRANSFER : 0) |
        (m.snapshot ? F_SNAPSHOT : 0) |
        (p.context ? F_CONTEXT : 0) |
        (p.transferee ? F_TRANSFEREE : 0) |
        (m.leaseTick !== undefined ? F_LEASE_TICK : 0),
    );
    w.str(p.groupId);
    w.str(p.from);
    w.str(p.to);
    w.f64(m.term);
    w.f64(m.logTerm);
    w.f64(m.index);
    w.f64(m.commit);
    w.f64(m.rejectHint);
    w.u32(m.entries.length);
    for (const e of m.entries) {
      w.f64(e.index);
      w.f64(e.term);
      w.u8(e.type === "confChange" ? 1 : 0);
      w.bytes(e.data);
    }
    if (m.snapshot) {
      w.bytes(p.snapMeta!);
      w.bytes(m.snapshot.data);
    }
    if (p.context) w.str(p.context);
    if (p.transferee) w.str(p.transferee);
    if (m.leaseTick !== undefined) w.f64(m.leaseTick);
  }
  w.u32(appParts.length);
  for (const a of appParts) {
    w.bytes(a.json);
    w.u8(a.bin ? 1 : 0);
    if (a.bin) w.bytes(a.bin);
  }
  return w.buf;
}

export interface DecodedFrame {
  from: string;
  msgs: Message[];
  apps: AppPayload[];
}

/** Decodes a frame; throws on anything malformed (the caller drops the frame). */
export function decodeFrame(body: Buffer): DecodedFrame {
  const r = new Reader(body);
  const version = r.u8();
  if (version !== FRAME_VERSION) throw new Error(`unknown frame version ${version}`);
  const from = r.str();
  const nMsgs = r.u32();
  const msgs: Message[] = [];
  for (let i = 0; i < nMsgs; i++) {
    const type = TYPES[r.u8()];
    if (!type) throw new Error("unknown message type");
    const flags = r.u8();
    const groupId = r.str();
    const mFrom = r.str();
    const to = r.str();
    const term = r.f64();
    const logTerm = r.f64();
    const index = r.f64();
    const commit = r.f64();
    const rejectHint = r.f64();
    const nEntries = r.u32();
    const entries: Entry[] = [];
    for (let k = 0; k < nEntries; k++) {
      const eIndex = r.f64();
      const eTerm = r.f64();
      const eType = r.u8() === 1 ? "confChange" : "normal";
      // Copied: entries outlive the frame (they sit in the log).
      entries.push({ index: eIndex, term: eTerm, type: eType, data: new Uint8Array(r.bytes()) });
    }
    let snapshot: Snapshot | undefined;
    if (flags & F_SNAPSHOT) {
      const metadata = JSON.parse(r.bytes().toString("utf8")) as SnapshotMetadata;
      snapshot = { metadata, data: new Uint8Array(r.bytes()) };
    }
    const m: {
      -readonly [K in keyof Message]: Message[K];
    } = {
      type,
      groupId,
      from: mFrom,
      to,
      term,
      logTerm,
      index,
      entries,
      commit,
      reject: (flags & F_REJECT) !== 0,
      rejectHint,
    };
    if (flags & F_TRANSFER) m.transfer = true;
    if (snapshot) m.snapshot = snapshot;
    if (flags & F_CONTEXT) m.context = r.str();
    if (flags & F_TRANSFEREE) m.transferee = r.str();
    if (flags & F_LEASE_TICK) m.leaseTick = r.f64();
    msgs.push(m);
  }
  const nApps = r.u32();
  const apps: AppPayload[] = [];
  for (let i = 0; i < nApps; i++) {
    const a = JSON.parse(r.bytes().toString("utf8")) as AppPayload;
    if (r.u8() === 1) a.bin = new Uint8Array(r.bytes());
    apps.push(a);
  }
  return { from, msgs, apps };
}
