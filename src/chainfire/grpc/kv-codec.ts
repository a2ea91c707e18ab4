// Hand-written protobuf codecs for the KV service's messages (etcdserverpb Range, Put,
// DeleteRange, Txn and their responses, ResponseHeader, mvccpb.KeyValue): the hot path of every
// client. Requests decode straight into the state machine's request types, responses encode
// straight from its results into one buffer that already carries the 5-byte gRPC frame prefix.
// Field numbers are etcd 3.4's (proto/rpc.proto, proto/kv.proto). Checks match the reflective
// codec (codec.ts): the same "request is too large" and "malformed request" errors.
import { etcdErrors } from "../etcd-errors.ts";
import { MAX_REQUEST_BYTES, MAX_TXN_DEPTH } from "../limits.ts";
import type {
  Compare,
  DeleteRangeRequest,
  KeyValue,
  PutRequest,
  RangeRequest,
  RangeResult,
  RequestOp,
  ResponseOp,
  SortOrder,
  SortTarget,
  TxnRequest,
  TxnResult,
} from "../mvcc/types.ts";
import { ProtoReader, WIRE_LEN, WIRE_VARINT } from "./proto-reader.ts";
import { lenFieldSize, messageFieldSize, ProtoWriter, uintFieldSize } from "./proto-writer.ts";

const SORT_ORDERS: readonly SortOrder[] = ["NONE", "ASCEND", "DESCEND"];
const SORT_TARGETS: readonly SortTarget[] = ["KEY", "VERSION", "CREATE", "MOD", "VALUE"];
const COMPARE_RESULTS: readonly Compare["result"][] = ["EQUAL", "GREATER", "LESS", "NOT_EQUAL"];
const COMPARE_TARGETS: readonly Compare["target"][] = ["VERSION", "CREATE", "MOD", "VALUE", "LEASE"];

const varintField = (n: number) => n * 8 + WIRE_VARINT;
const lenField = (n: number) => n * 8 + WIRE_LEN;

function wrongWire(field: number, message: string): never {
  throw etcdErrors.malformed(`field ${field} of ${message} has the wrong wire type`);
}

function enumValue<T>(names: readonly T[], n: number, what: string): T {
  const v = names[n];
  if (v === undefined) throw etcdErrors.malformed(`unknown ${what} ${n}`);
  return v;
}

// ---- requests ----------------------------------------------------------------------------

export interface DecodedRange {
  req: RangeRequest;
  serializable: boolean;
}

function readRange(r: ProtoReader, end: number): DecodedRange {
  const req: RangeRequest = {
    key: Buffer.alloc(0),
    rangeEnd: Buffer.alloc(0),
    limit: 0,
    revision: 0,
    sortOrder: "NONE",
    sortTarget: "KEY",
    keysOnly: false,
    countOnly: false,
    minModRevision: 0,
    maxModRevision: 0,
    minCreateRevision: 0,
    maxCreateRevision: 0,
  };
  let serializable = false;
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 || field === 2) {
      if (wire !== WIRE_LEN) wrongWire(field, "RangeRequest");
      if (field === 1) req.key = r.bytes();
      else req.rangeEnd = r.bytes();
      continue;
    }
    if (field > 13) {
      r.skip(wire);
      continue;
    }
    if (wire !== WIRE_VARINT) wrongWire(field, "RangeRequest");
    const v = r.varint();
    switch (field) {
      case 3:
        req.limit = v;
        break;
      case 4:
        req.revision = v;
        break;
      case 5:
        req.sortOrder = enumValue(SORT_ORDERS, v, "sort order");
        break;
      case 6:
        req.sortTarget = enumValue(SORT_TARGETS, v, "sort target");
        break;
      case 7:
        serializable = v !== 0;
        break;
      case 8:
        req.keysOnly = v !== 0;
        break;
      case 9:
        req.countOnly = v !== 0;
        break;
      case 10:
        req.minModRevision = v;
        break;
      case 11:
        req.maxModRevision = v;
        break;
      case 12:
        req.minCreateRevision = v;
        break;
      case 13:
        req.maxCreateRevision = v;
        break;
    }
  }
  if (r.pos !== end) throw etcdErrors.malformed("RangeRequest overruns its length");
  return { req, serializable };
}

function readPut(r: ProtoReader, end: number): PutRequest {
  // Copies: the request's buffer must not be pinned by the stored key and value.
  let key = Buffer.alloc(0);
  let value = Buffer.alloc(0);
  let lease = 0;
  let prevKv = false;
  let ignoreValue = false;
  let ignoreLease = false;
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 || field === 2) {
      if (wire !== WIRE_LEN) wrongWire(field, "PutRequest");
      const b = Buffer.from(r.bytes());
      if (field === 1) key = b;
      else value = b;
      continue;
    }
    if (field > 6) {
      r.skip(wire);
      continue;
    }
    if (wire !== WIRE_VARINT) wrongWire(field, "PutRequest");
    const v = r.varint();
    if (field === 3) lease = v;
    else if (field === 4) prevKv = v !== 0;
    else if (field === 5) ignoreValue = v !== 0;
    else ignoreLease = v !== 0;
  }
  if (r.pos !== end) throw etcdErrors.malformed("PutRequest overruns its length");
  if (key.length + value.length > MAX_REQUEST_BYTES) throw etcdErrors.requestTooLarge();
  return { key, value, lease, prevKv, ignoreValue, ignoreLease };
}

function readDelete(r: ProtoReader, end: number): DeleteRangeRequest {
  let key = Buffer.alloc(0);
  let rangeEnd = Buffer.alloc(0);
  let prevKv = false;
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 || field === 2) {
      if (wire !== WIRE_LEN) wrongWire(field, "DeleteRangeRequest");
      const b = Buffer.from(r.bytes());
      if (field === 1) key = b;
      else rangeEnd = b;
    } else if (field === 3) {
      if (wire !== WIRE_VARINT) wrongWire(field, "DeleteRangeRequest");
      prevKv = r.varint() !== 0;
    } else r.skip(wire);
  }
  if (r.pos !== end) throw etcdErrors.malformed("DeleteRangeRequest overruns its length");
  return { key, rangeEnd, prevKv };
}

function readCompare(r: ProtoReader, end: number): Compare {
  const c: Compare = {
    result: "EQUAL",
    target: "VERSION",
    key: Buffer.alloc(0),
    rangeEnd: Buffer.alloc(0),
    version: 0,
    createRevision: 0,
    modRevision: 0,
    value: Buffer.alloc(0),
    lease: 0,
  };
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 3 || field === 7 || field === 64) {
      if (wire !== WIRE_LEN) wrongWire(field, "Compare");
      const b = Buffer.from(r.bytes());
      if (field === 3) c.key = b;
      else if (field === 7) c.value = b;
      else c.rangeEnd = b;
      continue;
    }
    if (field > 8) {
      r.skip(wire);
      continue;
    }
    if (wire !== WIRE_VARINT) wrongWire(field, "Compare");
    const v = r.varint();
    switch (field) {
      case 1:
        c.result = enumValue(COMPARE_RESULTS, v, "compare result");
        break;
      case 2:
        c.target = enumValue(COMPARE_TARGETS, v, "compare target");
        break;
      case 4:
        c.version = v;
        break;
      case 5:
        c.createRevision = v;
        break;
      case 6:
        c.modRevision = v;
        break;
      case 8:
        c.lease = v;
        break;
    }
  }
  if (r.pos !== end) throw etcdErrors.malformed("Compare overruns its length");
  return c;
}

function readRequestOp(r: ProtoReader, end: number, depth: number): RequestOp {
  let op: RequestOp | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field < 1 || field > 4) {
      r.skip(wire);
      continue;
    }
    if (wire !== WIRE_LEN) wrongWire(field, "RequestOp");
    const inner = r.nested();
    // A oneof: the last member on the wire wins, as in every protobuf decoder.
    if (field === 1) {
      // Buffers of a range inside a txn may end up in the log; copy them like a put's.
      const { req } = readRange(r, inner);
      op = { range: { ...req, key: Buffer.from(req.key), rangeEnd: Buffer.from(req.rangeEnd ?? []) } };
    } else if (field === 2) op = { put: readPut(r, inner) };
    else if (field === 3) op = { deleteRange: readDelete(r, inner) };
    else op = { txn: readTxn(r, inner, depth + 1) };
  }
  if (r.pos !== end) throw etcdErrors.malformed("RequestOp overruns its length");
  if (!op) throw etcdErrors.malformed("txn operation has no request");
  return op;
}

function readTxn(r: ProtoReader, end: number, depth: number): TxnRequest {
  if (depth > MAX_TXN_DEPTH) throw etcdErrors.malformed(`txn nested deeper than ${MAX_TXN_DEPTH}`);
  const req: TxnRequest = { compare: [], success: [], failure: [] };
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field < 1 || field > 3) {
      r.skip(wire);
      continue;
    }
    if (wire !== WIRE_LEN) wrongWire(field, "TxnRequest");
    const inner = r.nested();
    if (field === 1) req.compare.push(readCompare(r, inner));
    else if (field === 2) req.success.push(readRequestOp(r, inner, depth));
    else req.failure.push(readRequestOp(r, inner, depth));
  }
  if (r.pos !== end) throw etcdErrors.malformed("TxnRequest overruns its length");
  return req;
}

function txnBytes(t: TxnRequest): number {
  let n = 0;
  for (const c of t.compare) n += c.key.length + (c.value?.length ?? 0);
  for (const branch of [t.success, t.failure]) {
    for (const op of branch) {
      if ("put" in op) n += op.put.key.length + (op.put.value?.length ?? 0);
      else if ("txn" in op) n += txnBytes(op.txn);
    }
  }
  return n;
}

export function decodeRangeRequest(buf: Buffer): DecodedRange {
  return readRange(new ProtoReader(buf), buf.length);
}

export function decodePutRequest(buf: Buffer): PutRequest {
  return readPut(new ProtoReader(buf), buf.length);
}

export function decodeDeleteRangeRequest(buf: Buffer): DeleteRangeRequest {
  return readDelete(new ProtoReader(buf), buf.length);
}

export function decodeTxnRequest(buf: Buffer): TxnRequest {
  const req = readTxn(new ProtoReader(buf), buf.length, 0);
  if (txnBytes(req) > MAX_REQUEST_BYTES) throw etcdErrors.requestTooLarge();
  return req;
}

// ---- responses ---------------------------------------------------------------------------

/**
 * What every response header carries. `ids` holds fields 1 and 2 (cluster_id, member_id)
 * already encoded: they are fixed for the member's life, so no reply converts them again.
 */
export interface Header {
  ids: Buffer;
  revision: number;
  raftTerm: number;
}

const idsCache = new Map<string, Buffer>();
/** Distinct (cluster, member) pairs cached; a process has one, tests a few. */
const IDS_CACHE_MAX = 64;

/** Encodes cluster_id and member_id (uint64 decimal strings) once per identity. */
export function headerIds(clusterId: string, memberId: string): Buffer {
  const k = `${clusterId}/${memberId}`;
  let b = idsCache.get(k);
  if (!b) {
    b = Buffer.concat([uint64Field(varintField(1), clusterId), uint64Field(varintField(2), memberId)]);
    if (idsCache.size >= IDS_CACHE_MAX) idsCache.clear();
    idsCache.set(k, b);
  }
  return b;
}

function uint64Field(tag: number, decimal: string): Buffer {
  let v = BigInt.asUintN(64, BigInt(decimal));
  if (v === 0n) return Buffer.alloc(0);
  const out: number[] = [tag];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

function headerSize(h: Header): number {
  return h.ids.length + uintFieldSize(h.revision) + uintFieldSize(h.raftTerm);
}

function writeHeader(w: ProtoWriter, h: Header, size: number): void {
  w.message(lenField(1), size);
  w.raw(h.ids);
  w.uint(varintField(3), h.revision);
  w.uint(varintField(4), h.raftTerm);
}

function kvSize(kv: KeyValue, keysOnly: boolean): number {
  return (
    lenFieldSize(kv.key.length) +
    uintFieldSize(kv.createRevision) +
    uintFieldSize(kv.modRevision) +
    uintFieldSize(kv.version) +
    (keysOnly ? 0 : lenFieldSize(kv.value.length)) +
    uintFieldSize(kv.lease)
  );
}

function writeKv(w: ProtoWriter, tag: number, kv: KeyValue, keysOnly: boolean): void {
  w.message(tag, kvSize(kv, keysOnly));
  w.bytes(lenField(1), kv.key);
  w.uint(varintField(2), kv.createRevision);
  w.uint(varintField(3), kv.modRevision);
  w.uint(varintField(4), kv.version);
  if (!keysOnly) w.bytes(lenField(5), kv.value);
  w.uint(varintField(6), kv.lease);
}

function kvsSize(kvs: KeyValue[]): number {
  let n = 0;
  for (const kv of kvs) n += messageFieldSize(kvSize(kv, false));
  return n;
}

function rangeSize(r: RangeResult, hs: number): number {
  return messageFieldSize(hs) + kvsSize(r.kvs) + (r.more ? 2 : 0) + uintFieldSize(r.count);
}

function writeRange(w: ProtoWriter, h: Header, hs: number, r: RangeResult): void {
  writeHeader(w, h, hs);
  for (const kv of r.kvs) writeKv(w, lenField(2), kv, false);
  w.bool(varintField(3), r.more);
  w.uint(varintField(4), r.count);
}

function putSize(prev: KeyValue | undefined, hs: number): number {
  return messageFieldSize(hs) + (prev ? messageFieldSize(kvSize(prev, false)) : 0);
}

function writePut(w: ProtoWriter, h: Header, hs: number, prev: KeyValue | undefined): void {
  writeHeader(w, h, hs);
  if (prev) writeKv(w, lenField(2), prev, false);
}

function deleteSize(deleted: number, prevKvs: KeyValue[], hs: number): number {
  return messageFieldSize(hs) + uintFieldSize(deleted) + kvsSize(prevKvs);
}

function writeDelete(w: ProtoWriter, h: Header, hs: number, deleted: number, prevKvs: KeyValue[]): void {
  writeHeader(w, h, hs);
  w.uint(varintField(2), deleted);
  for (const kv of prevKvs) writeKv(w, lenField(3), kv, false);
}

function responseOpBodySize(op: ResponseOp, hs: number): number {
  if ("range" in op) return rangeSize(op.range, hs);
  if ("put" in op) return putSize(op.put.prevKv, hs);
  if ("deleteRange" in op) return deleteSize(op.deleteRange.deleted, op.deleteRange.prevKvs, hs);
  return txnSize(op.txn, hs);
}

function txnSize(t: TxnResult, hs: number): number {
  let n = messageFieldSize(hs) + (t.succeeded ? 2 : 0);
  for (const op of t.responses) n += messageFieldSize(messageFieldSize(responseOpBodySize(op, hs)));
  return n;
}

function writeTxn(w: ProtoWriter, h: Header, hs: number, t: TxnResult): void {
  writeHeader(w, h, hs);
  w.bool(varintField(2), t.succeeded);
  for (const op of t.responses) {
    const body = responseOpBodySize(op, hs);
    w.message(lenField(3), messageFieldSize(body));
    if ("range" in op) {
      w.message(lenField(1), body);
      writeRange(w, h, hs, op.range);
    } else if ("put" in op) {
      w.message(lenField(2), body);
      writePut(w, h, hs, op.put.prevKv);
    } else if ("deleteRange" in op) {
      w.message(lenField(3), body);
      writeDelete(w, h, hs, op.deleteRange.deleted, op.deleteRange.prevKvs);
    } else {
      w.message(lenField(4), body);
      writeTxn(w, h, hs, op.txn);
    }
  }
}

/** One buffer: the gRPC frame prefix (uncompressed, length) and room for the message. */
function frame(size: number): ProtoWriter {
  const buf = Buffer.allocUnsafe(5 + size);
  buf[0] = 0;
  buf.writeUInt32BE(size, 1);
  return new ProtoWriter(buf, 5);
}

function done(w: ProtoWriter): Buffer {
  if (w.pos !== w.buf.length) throw new Error(`codec wrote ${w.pos} of ${w.buf.length} bytes`);
  return w.buf;
}

/** RangeResponse as a gRPC frame. keysOnly ranges come back from the state without values. */
export function encodeRangeResponse(h: Header, r: RangeResult): Buffer {
  const hs = headerSize(h);
  const w = frame(rangeSize(r, hs));
  writeRange(w, h, hs, r);
  return done(w);
}

export function encodePutResponse(h: Header, prev: KeyValue | undefined): Buffer {
  const hs = headerSize(h);
  const w = frame(putSize(prev, hs));
  writePut(w, h, hs, prev);
  return done(w);
}

export function encodeDeleteRangeResponse(h: Header, deleted: number, prevKvs: KeyValue[]): Buffer {
  const hs = headerSize(h);
  const w = frame(deleteSize(deleted, prevKvs, hs));
  writeDelete(w, h, hs, deleted, prevKvs);
  return done(w);
}

export function encodeTxnResponse(h: Header, t: TxnResult): Buffer {
  const hs = headerSize(h);
  const w = frame(txnSize(t, hs));
  writeTxn(w, h, hs, t);
  return done(w);
}
