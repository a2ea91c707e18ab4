// The hand-written KV codecs agree with protobufjs (through proto-loader, the reflective codec
// every other method uses) on every message shape, and bad bytes only ever produce an etcd
// INVALID_ARGUMENT error: a fuzz over random and mutated messages.
import assert from "node:assert/strict";
import { test } from "node:test";
import { status } from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import fc from "fast-check";
import { isEtcdError } from "../../src/chainfire/etcd-errors.ts";
import { FrameDecoder, GrpcStatusError } from "../../src/chainfire/grpc/frame-decoder.ts";
import {
  decodeDeleteRangeRequest,
  decodePutRequest,
  decodeRangeRequest,
  decodeTxnRequest,
  encodeDeleteRangeResponse,
  encodePutResponse,
  encodeRangeResponse,
  encodeTxnResponse,
  type Header,
  headerIds,
} from "../../src/chainfire/grpc/kv-codec.ts";
import { etcdPackageDefinition } from "../../src/chainfire/grpc/proto-definition.ts";
import type { KeyValue, TxnResult } from "../../src/chainfire/mvcc/types.ts";

type Def = MethodDefinition<object, object>;
const kvDefs = etcdPackageDefinition()["etcdserverpb.KV"] as unknown as Record<string, Def>;
const put = kvDefs.Put!;
const range = kvDefs.Range!;
const del = kvDefs.DeleteRange!;
const txn = kvDefs.Txn!;

const bytes = (max = 40) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
const nonEmpty = fc.uint8Array({ minLength: 1, maxLength: 20 }).map((a) => Buffer.from(a));
const int64 = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 1000 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: -1 }),
);
const uint = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));

const putReq = fc.record({
  key: bytes(),
  value: bytes(300),
  lease: int64,
  prev_kv: fc.boolean(),
  ignore_value: fc.boolean(),
  ignore_lease: fc.boolean(),
});

const rangeReq = fc.record({
  key: bytes(),
  range_end: bytes(),
  limit: int64,
  revision: int64,
  sort_order: fc.constantFrom("NONE", "ASCEND", "DESCEND"),
  sort_target: fc.constantFrom("KEY", "VERSION", "CREATE", "MOD", "VALUE"),
  serializable: fc.boolean(),
  keys_only: fc.boolean(),
  count_only: fc.boolean(),
  min_mod_revision: int64,
  max_mod_revision: int64,
  min_create_revision: int64,
  max_create_revision: int64,
});

const compare = fc.record({
  result: fc.constantFrom("EQUAL", "GREATER", "LESS", "NOT_EQUAL"),
  target: fc.constantFrom("VERSION", "CREATE", "MOD", "VALUE", "LEASE"),
  key: bytes(),
  range_end: bytes(),
  operand: fc.oneof(
    fc.record({ version: int64 }),
    fc.record({ create_revision: int64 }),
    fc.record({ mod_revision: int64 }),
    fc.record({ value: bytes() }),
    fc.record({ lease: int64 }),
  ),
});

const { txnReq } = fc.letrec((tie) => ({
  op: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    rangeReq.map((r) => ({ request_range: r })),
    putReq.map((r) => ({ request_put: r })),
    fc
      .record({ key: bytes(), range_end: bytes(), prev_kv: fc.boolean() })
      .map((r) => ({ request_delete_range: r })),
    tie("txnReq").map((r) => ({ request_txn: r })),
  ),
  txnReq: fc.record({
    compare: fc.array(compare, { maxLength: 3 }),
    success: fc.array(tie("op"), { maxLength: 3 }),
    failure: fc.array(tie("op"), { maxLength: 3 }),
  }),
}));

// biome-ignore lint/suspicious/noExplicitAny: generated proto objects.
type Obj = Record<string, any>;

const wireCompare = (c: Obj) => ({
  result: c.result,
  target: c.target,
  key: c.key,
  range_end: c.range_end,
  ...c.operand,
});
function wireTxn(t: Obj): Obj {
  return {
    compare: t.compare.map(wireCompare),
    success: t.success.map(wireOp),
    failure: t.failure.map(wireOp),
  };
}
function wireOp(op: Obj): Obj {
  return op.request_txn ? { request_txn: wireTxn(op.request_txn) } : op;
}

function expectedRange(r: Obj) {
  return {
    key: r.key,
    rangeEnd: r.range_end,
    limit: r.limit,
    revision: r.revision,
    sortOrder: r.sort_order,
    sortTarget: r.sort_target,
    keysOnly: r.keys_only,
    countOnly: r.count_only,
    minModRevision: r.min_mod_revision,
    maxModRevision: r.max_mod_revision,
    minCreateRevision: r.min_create_revision,
    maxCreateRevision: r.max_create_revision,
  };
}
const expectedPut = (r: Obj) => ({
  key: r.key,
  value: r.value,
  lease: r.lease,
  prevKv: r.prev_kv,
  ignoreValue: r.ignore_value,
  ignoreLease: r.ignore_lease,
});
function expectedTxn(t: Obj): Obj {
  const op = (o: Obj): Obj => {
    if (o.request_range) return { range: expectedRange(o.request_range) };
    if (o.request_put) return { put: expectedPut(o.request_put) };
    if (o.request_delete_range) {
      const d = o.request_delete_range;
      return { deleteRange: { key: d.key, rangeEnd: d.range_end, prevKv: d.prev_kv } };
    }
    return { txn: expectedTxn(o.request_txn) };
  };
  return {
    compare: t.compare.map((c: Obj) => ({
      result: c.result,
      target: c.target,
      key: c.key,
      rangeEnd: c.range_end,
      version: c.operand.version ?? 0,
      createRevision: c.operand.create_revision ?? 0,
      modRevision: c.operand.mod_revision ?? 0,
      value: c.operand.value ?? Buffer.alloc(0),
      lease: c.operand.lease ?? 0,
    })),
    success: t.success.map(op),
    failure: t.failure.map(op),
  };
}

test("requests decode to what protobufjs encoded", () => {
  fc.assert(
    fc.property(putReq, (r) => assert.deepEqual(decodePutRequest(put.requestSerialize(r)), expectedPut(r))),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(rangeReq, (r) => {
      const d = decodeRangeRequest(range.requestSerialize(r));
      assert.deepEqual(d.req, expectedRange(r));
      assert.equal(d.serializable, r.serializable);
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.record({ key: bytes(), range_end: bytes(), prev_kv: fc.boolean() }), (r) =>
      assert.deepEqual(decodeDeleteRangeRequest(del.requestSerialize(r)), {
        key: r.key,
        rangeEnd: r.range_end,
        prevKv: r.prev_kv,
      }),
    ),
  );
  fc.assert(
    fc.property(txnReq, (t) =>
      assert.deepEqual(decodeTxnRequest(txn.requestSerialize(wireTxn(t))), expectedTxn(t)),
    ),
    { numRuns: 300 },
  );
});

const kv: fc.Arbitrary<KeyValue> = fc.record({
  key: nonEmpty,
  createRevision: uint,
  modRevision: uint,
  version: uint,
  value: bytes(300),
  lease: uint,
});
const header: fc.Arbitrary<Header> = fc
  .record({
    cluster: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    member: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    revision: uint,
    raftTerm: uint,
  })
  .map((h) => ({
    ids: headerIds(h.cluster.toString(), h.member.toString()),
    revision: h.revision,
    raftTerm: h.raftTerm,
    cluster: h.cluster.toString(),
    member: h.member.toString(),
  }));

const s = (n: number) => String(n);
const wireHeader = (h: Header & Obj) => ({
  cluster_id: h.cluster,
  member_id: h.member,
  revision: s(h.revision),
  raft_term: s(h.raftTerm),
});
const wireKv = (k: KeyValue) => ({
  key: k.key,
  create_revision: s(k.createRevision),
  mod_revision: s(k.modRevision),
  version: s(k.version),
  value: k.value,
  lease: s(k.lease),
});

/** The message of a frame, after checking its 5-byte prefix. */
function body(frame: Buffer): Buffer {
  assert.equal(frame[0], 0);
  assert.equal(frame.readUInt32BE(1), frame.length - 5);
  return frame.subarray(5);
}

const { txnResult } = fc.letrec((tie) => ({
  responseOp: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc
      .record({ kvs: fc.array(kv, { maxLength: 3 }), more: fc.boolean(), count: uint })
      .map((range) => ({ range })),
    fc.option(kv, { nil: undefined }).map((prevKv) => ({ put: prevKv ? { prevKv } : {} })),
    fc
      .record({ deleted: uint, prevKvs: fc.array(kv, { maxLength: 2 }) })
      .map((deleteRange) => ({ deleteRange })),
    tie("txnResult").map((t) => ({ txn: t })),
  ),
  txnResult: fc.record({ succeeded: fc.boolean(), responses: fc.array(tie("responseOp"), { maxLength: 3 }) }),
}));

function wireTxnResult(t: TxnResult, h: Obj): Obj {
  return {
    header: h,
    succeeded: t.succeeded,
    responses: t.responses.map((op) => {
      if ("range" in op)
        return {
          response_range: {
            header: h,
            kvs: op.range.kvs.map(wireKv),
            more: op.range.more,
            count: s(op.range.count),
          },
          response: "response_range",
        };
      if ("put" in op)
        return {
          response_put: { header: h, prev_kv: op.put.prevKv ? wireKv(op.put.prevKv) : null },
          response: "response_put",
        };
      if ("deleteRange" in op)
        return {
          response_delete_range: {
            header: h,
            deleted: s(op.deleteRange.deleted),
            prev_kvs: op.deleteRange.prevKvs.map(wireKv),
          },
          response: "response_delete_range",
        };
      return { response_txn: wireTxnResult(op.txn, h), response: "response_txn" };
    }),
  };
}

test("responses decode in protobufjs to what was encoded", () => {
  fc.assert(
    fc.property(header, fc.array(kv, { maxLength: 5 }), fc.boolean(), uint, (h, kvs, more, count) => {
      const got = range.responseDeserialize(body(encodeRangeResponse(h, { kvs, more, count })));
      assert.deepEqual(got, { header: wireHeader(h), kvs: kvs.map(wireKv), more, count: s(count) });
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(header, fc.option(kv, { nil: undefined }), (h, prev) => {
      const got = put.responseDeserialize(body(encodePutResponse(h, prev)));
      assert.deepEqual(got, { header: wireHeader(h), prev_kv: prev ? wireKv(prev) : null });
    }),
  );
  fc.assert(
    fc.property(header, uint, fc.array(kv, { maxLength: 3 }), (h, deleted, prevKvs) => {
      const got = del.responseDeserialize(body(encodeDeleteRangeResponse(h, deleted, prevKvs)));
      assert.deepEqual(got, { header: wireHeader(h), deleted: s(deleted), prev_kvs: prevKvs.map(wireKv) });
    }),
  );
  fc.assert(
    fc.property(header, txnResult, (h, t) => {
      const got = txn.responseDeserialize(body(encodeTxnResponse(h, t as TxnResult)));
      assert.deepEqual(got, wireTxnResult(t as TxnResult, wireHeader(h)));
    }),
    { numRuns: 300 },
  );
});

/** Bad input may only ever become an etcd error with INVALID_ARGUMENT: no other throw, no hang. */
function onlyInvalidArgument(decode: (b: Buffer) => unknown, input: Buffer): void {
  try {
    decode(input);
  } catch (err) {
    assert.ok(isEtcdError(err), `decoder threw a non-etcd error: ${String(err)}`);
    assert.equal(err.code, status.INVALID_ARGUMENT);
  }
}

const decoders = [
  decodePutRequest,
  (b: Buffer) => decodeRangeRequest(b),
  decodeDeleteRangeRequest,
  decodeTxnRequest,
];

test("fuzz: random bytes never crash a decoder", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (a) => {
      for (const d of decoders) onlyInvalidArgument(d, Buffer.from(a));
    }),
    { numRuns: 3000 },
  );
});

test("fuzz: valid messages with bytes flipped, cut or inserted never crash a decoder", () => {
  const valid = fc.oneof(
    putReq.map((r) => put.requestSerialize(r)),
    rangeReq.map((r) => range.requestSerialize(r)),
    txnReq.map((t) => txn.requestSerialize(wireTxn(t))),
  );
  fc.assert(
    fc.property(
      valid,
      fc.nat(),
      fc.nat(255),
      fc.constantFrom("flip", "cut", "insert"),
      (msg, at, byte, how) => {
        if (msg.length === 0) return;
        const i = at % msg.length;
        let m: Buffer;
        if (how === "flip") {
          m = Buffer.from(msg);
          m[i] = byte;
        } else if (how === "cut") m = msg.subarray(0, i);
        else m = Buffer.concat([msg.subarray(0, i), Buffer.from([byte]), msg.subarray(i)]);
        for (const d of decoders) onlyInvalidArgument(d, m);
      },
    ),
    { numRuns: 3000 },
  );
});

test("malformed details: unknown enums, wrong wire types, oversized ints and deep txns are refused", () => {
  const code = (f: () => unknown) =>
    assert.throws(f, (e: unknown) => isEtcdError(e) && e.code === status.INVALID_ARGUMENT);
  code(() => decodeRangeRequest(Buffer.from([0x28, 0x07]))); // sort_order 7
  code(() => decodePutRequest(Buffer.from([0x08, 0x01]))); // key as a varint
  // lease = 2^60: beyond 2^53, refused rather than rounded.
  code(() => decodePutRequest(Buffer.from([0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])));
  code(() => decodeTxnRequest(Buffer.from([0x12, 0x00]))); // a RequestOp with no request
  let deep: Obj = { compare: [], success: [], failure: [] };
  for (let i = 0; i < 12; i++) deep = { compare: [], success: [{ request_txn: deep }], failure: [] };
  code(() => decodeTxnRequest(txn.requestSerialize(deep)));
  // Unknown fields are skipped, as protobuf requires.
  assert.deepEqual(decodePutRequest(Buffer.from([0x0a, 0x01, 0x61, 0xf8, 0x07, 0x05])).key, Buffer.from("a"));
});

test("frames: split anywhere, the decoder yields the same messages; oversized ones are refused", () => {
  fc.assert(
    fc.property(
      fc.array(bytes(50), { minLength: 1, maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      (msgs, cuts) => {
        const stream = Buffer.concat(
          msgs.map((m) => {
            const f = Buffer.alloc(5 + m.length);
            f.writeUInt32BE(m.length, 1);
            m.copy(f, 5);
            return f;
          }),
        );
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const d = new FrameDecoder(1024, undefined);
        const out: Buffer[] = [];
        let last = 0;
        for (const p of [...points, stream.length]) {
          out.push(...d.push(stream.subarray(last, p)));
          last = p;
        }
        assert.deepEqual(
          out.map((b) => Buffer.from(b)),
          msgs,
        );
        assert.equal(d.partial, false);
      },
    ),
  );
  const big = Buffer.alloc(5);
  big.writeUInt32BE(2048, 1);
  assert.throws(
    () => new FrameDecoder(1024, undefined).push(big),
    (e: unknown) => e instanceof GrpcStatusError && e.code === status.RESOURCE_EXHAUSTED,
  );
  const compressed = Buffer.from([1, 0, 0, 0, 1, 0]);
  assert.throws(
    () => new FrameDecoder(1024, "snappy").push(compressed),
    (e: unknown) => e instanceof GrpcStatusError && e.code === status.UNIMPLEMENTED,
  );
});
