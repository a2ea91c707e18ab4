// Between the proto objects grpc hands us (keepCase, int64 as strings, bytes as Buffer) and
// the state machine's types. Anything malformed becomes an etcd InvalidArgument error here,
// before it reaches the state machine.
import { etcdErrors } from "../etcd-errors.ts";
import { MAX_REQUEST_BYTES, MAX_TXN_DEPTH } from "../limits.ts";
import type {
  Compare,
  DeleteRangeRequest,
  Event,
  KeyValue,
  Member,
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

// biome-ignore lint/suspicious/noExplicitAny: proto messages are untyped objects from proto-loader.
export type Msg = Record<string, any>;

/** int64 fields: strings from proto-loader; beyond 2^53 they are refused rather than rounded. */
export function num(x: unknown): number {
  if (x === undefined || x === null || x === "") return 0;
  const n = typeof x === "number" ? x : Number(x);
  if (!Number.isSafeInteger(n)) throw etcdErrors.malformed(`integer ${String(x)} is out of range`);
  return n;
}

export function bytes(x: unknown): Buffer {
  if (x === undefined || x === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(x)) return x;
  if (x instanceof Uint8Array) return Buffer.from(x);
  if (typeof x === "string") return Buffer.from(x, "base64");
  throw etcdErrors.malformed("bytes field has the wrong type");
}

const sortOrders = new Set(["NONE", "ASCEND", "DESCEND"]);
const sortTargets = new Set(["KEY", "VERSION", "CREATE", "MOD", "VALUE"]);

export function toRange(m: Msg): RangeRequest {
  const sortOrder = String(m.sort_order ?? "NONE");
  const sortTarget = String(m.sort_target ?? "KEY");
  if (!sortOrders.has(sortOrder) || !sortTargets.has(sortTarget))
    throw etcdErrors.malformed("unknown sort order or target");
  return {
    key: bytes(m.key),
    rangeEnd: bytes(m.range_end),
    limit: num(m.limit),
    revision: num(m.revision),
    sortOrder: sortOrder as SortOrder,
    sortTarget: sortTarget as SortTarget,
    keysOnly: !!m.keys_only,
    countOnly: !!m.count_only,
    minModRevision: num(m.min_mod_revision),
    maxModRevision: num(m.max_mod_revision),
    minCreateRevision: num(m.min_create_revision),
    maxCreateRevision: num(m.max_create_revision),
  };
}

export function toPut(m: Msg): PutRequest {
  const req = {
    key: bytes(m.key),
    value: bytes(m.value),
    lease: num(m.lease),
    prevKv: !!m.prev_kv,
    ignoreValue: !!m.ignore_value,
    ignoreLease: !!m.ignore_lease,
  };
  if (req.key.length + req.value.length > MAX_REQUEST_BYTES) throw etcdErrors.requestTooLarge();
  return req;
}

export function toDelete(m: Msg): DeleteRangeRequest {
  return { key: bytes(m.key), rangeEnd: bytes(m.range_end), prevKv: !!m.prev_kv };
}

const compareResults = new Set(["EQUAL", "GREATER", "LESS", "NOT_EQUAL"]);
const compareTargets = new Set(["VERSION", "CREATE", "MOD", "VALUE", "LEASE"]);

export function toCompare(m: Msg): Compare {
  const result = String(m.result ?? "EQUAL");
  const target = String(m.target ?? "VERSION");
  if (!compareResults.has(result) || !compareTargets.has(target))
    throw etcdErrors.malformed("unknown compare result or target");
  return {
    result: result as Compare["result"],
    target: target as Compare["target"],
    key: bytes(m.key),
    rangeEnd: bytes(m.range_end),
    version: num(m.version),
    createRevision: num(m.create_revision),
    modRevision: num(m.mod_revision),
    value: bytes(m.value),
    lease: num(m.lease),
  };
}

export function toTxn(m: Msg, depth = 0): TxnRequest {
  if (depth > MAX_TXN_DEPTH) throw etcdErrors.malformed(`txn nested deeper than ${MAX_TXN_DEPTH}`);
  const ops = (list: unknown): RequestOp[] => {
    if (!Array.isArray(list)) return [];
    return list.map((op: Msg): RequestOp => {
      if (op.request_range) return { range: toRange(op.request_range) };
      if (op.request_put) return { put: toPut(op.request_put) };
      if (op.request_delete_range) return { deleteRange: toDelete(op.request_delete_range) };
      if (op.request_txn) return { txn: toTxn(op.request_txn, depth + 1) };
      throw etcdErrors.malformed("txn operation has no request");
    });
  };
  const req = {
    compare: (Array.isArray(m.compare) ? m.compare : []).map(toCompare),
    success: ops(m.success),
    failure: ops(m.failure),
  };
  if (depth === 0 && txnBytes(req) > MAX_REQUEST_BYTES) throw etcdErrors.requestTooLarge();
  return req;
}

function txnBytes(t: TxnRequest): number {
  let n = 0;
  for (const c of t.compare) n += c.key.length + (c.value?.length ?? 0);
  for (const op of [...t.success, ...t.failure]) {
    if ("put" in op) n += op.put.key.length + (op.put.value?.length ?? 0);
    else if ("txn" in op) n += txnBytes(op.txn);
  }
  return n;
}

export function fromKv(kv: KeyValue, keysOnly = false): Msg {
  return {
    key: kv.key,
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
    value: keysOnly ? Buffer.alloc(0) : kv.value,
    lease: kv.lease,
  };
}

export function fromRange(r: RangeResult, header: Msg): Msg {
  return { header, kvs: r.kvs.map((kv) => fromKv(kv)), more: r.more, count: r.count };
}

export function fromTxn(r: TxnResult, header: Msg): Msg {
  return { header, succeeded: r.succeeded, responses: r.responses.map((op) => fromResponseOp(op, header)) };
}

function fromResponseOp(op: ResponseOp, header: Msg): Msg {
  if ("range" in op) return { response_range: fromRange(op.range, header) };
  if ("put" in op) return { response_put: { header, prev_kv: op.put.prevKv ? fromKv(op.put.prevKv) : null } };
  if ("deleteRange" in op) {
    return {
      response_delete_range: {
        header,
        deleted: op.deleteRange.deleted,
        prev_kvs: op.deleteRange.prevKvs.map((kv) => fromKv(kv)),
      },
    };
  }
  return { response_txn: fromTxn(op.txn, header) };
}

export function fromEvent(e: Event, withPrev: boolean): Msg {
  return { type: e.type, kv: fromKv(e.kv), prev_kv: withPrev && e.prevKv ? fromKv(e.prevKv) : null };
}

export function fromMember(m: Member): Msg {
  return { ID: m.id, name: m.name, peerURLs: m.peerURLs, clientURLs: m.clientURLs, isLearner: m.isLearner };
}
