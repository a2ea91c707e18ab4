// The gRPC server on node:http2 at the wire level: statuses and messages for bad frames, bad
// protobuf, unknown methods, wrong content types, compressed requests and deadlines; the
// member keeps serving afterwards. (Real clients are in etcdctl.test.ts and etcd3-client.test.ts.)
import assert from "node:assert/strict";
import { connect, type IncomingHttpHeaders } from "node:http2";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { status } from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import { etcdPackageDefinition } from "../../src/chainfire/grpc/proto-definition.ts";
import { type Member, startMember } from "./harness.ts";

const kv = etcdPackageDefinition()["etcdserverpb.KV"] as unknown as Record<
  string,
  MethodDefinition<object, object>
>;

let member: Member;
before(async () => {
  member = await startMember();
});
after(async () => {
  await member.close();
});

interface RawReply {
  httpStatus: number;
  grpcStatus: number;
  message: string;
  body: Buffer;
}

function frame(msg: Buffer, flag = 0): Buffer {
  const f = Buffer.alloc(5 + msg.length);
  f[0] = flag;
  f.writeUInt32BE(msg.length, 1);
  msg.copy(f, 5);
  return f;
}

function raw(path: string, payload: Buffer, headers: Record<string, string> = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://${member.endpoint}`);
    session.on("error", reject);
    const req = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
      ...headers,
    });
    let httpStatus = 0;
    let grpcStatus = -1;
    let message = "";
    const chunks: Buffer[] = [];
    const onStatus = (h: IncomingHttpHeaders) => {
      if (h[":status"]) httpStatus = Number(h[":status"]);
      if (h["grpc-status"] !== undefined) {
        grpcStatus = Number(h["grpc-status"]);
        message = decodeURIComponent(String(h["grpc-message"] ?? ""));
      }
    };
    req.on("response", onStatus);
    req.on("trailers", onStatus);
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("close", () => {
      session.close();
      resolve({ httpStatus, grpcStatus, message, body: Buffer.concat(chunks) });
    });
    req.end(payload);
  });
}

const putFrame = (key: string, value: string) =>
  frame(kv.Put!.requestSerialize({ key: Buffer.from(key), value: Buffer.from(value) }));

test("a put and a get over bare HTTP/2 gRPC", async () => {
  const p = await raw("/etcdserverpb.KV/Put", putFrame("k1", "v1"));
  assert.equal(p.grpcStatus, status.OK);
  const g = await raw(
    "/etcdserverpb.KV/Range",
    frame(kv.Range!.requestSerialize({ key: Buffer.from("k1") })),
  );
  assert.equal(g.grpcStatus, status.OK);
  const res = kv.Range!.responseDeserialize(g.body.subarray(5)) as { kvs: Array<{ value: Buffer }> };
  assert.equal(res.kvs[0]?.value.toString(), "v1");
});

test("etcd's errors keep their codes and messages", async () => {
  const r = await raw("/etcdserverpb.KV/Put", putFrame("", "v"));
  assert.deepEqual([r.grpcStatus, r.message], [status.INVALID_ARGUMENT, "etcdserver: key is not provided"]);
  const future = await raw(
    "/etcdserverpb.KV/Range",
    frame(kv.Range!.requestSerialize({ key: Buffer.from("k"), revision: 1e9 })),
  );
  assert.deepEqual(
    [future.grpcStatus, future.message],
    [status.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"],
  );
});

test("bad protobuf is INVALID_ARGUMENT, on hand-written and reflective codecs alike", async () => {
  const garbage = frame(Buffer.from([0x0a, 0x7f, 0x01]));
  for (const path of ["/etcdserverpb.KV/Put", "/etcdserverpb.KV/Txn", "/etcdserverpb.Lease/LeaseGrant"]) {
    const r = await raw(path, garbage);
    assert.equal(r.grpcStatus, status.INVALID_ARGUMENT, `${path}: ${r.message}`);
    assert.match(r.message, /malformed request/);
  }
});

test("bad protobuf on a stream (Watch) ends that call with INVALID_ARGUMENT", async () => {
  const r = await raw("/etcdserverpb.Watch/Watch", frame(Buffer.from([0x0a, 0x7f, 0x01])));
  assert.equal(r.httpStatus, 200);
  assert.equal(r.grpcStatus, status.INVALID_ARGUMENT, r.message);
});

test("bad frames: truncated, empty, oversized; unknown methods and content types", async () => {
  const truncated = await raw("/etcdserverpb.KV/Put", putFrame("k", "v").subarray(0, 7));
  assert.equal(truncated.grpcStatus, status.INTERNAL);
  const empty = await raw("/etcdserverpb.KV/Put", Buffer.alloc(0));
  assert.equal(empty.grpcStatus, status.INTERNAL);
  const big = Buffer.alloc(5);
  big.writeUInt32BE(64 * 1024 * 1024, 1);
  const oversized = await raw("/etcdserverpb.KV/Put", big);
  assert.equal(oversized.grpcStatus, status.RESOURCE_EXHAUSTED);
  const method = await raw("/etcdserverpb.KV/Nope", putFrame("k", "v"));
  assert.deepEqual(
    [method.grpcStatus, method.message],
    [status.UNIMPLEMENTED, "unknown method Nope for service etcdserverpb.KV"],
  );
  const service = await raw("/etcdserverpb.Auth/Authenticate", putFrame("k", "v"));
  assert.deepEqual(
    [service.grpcStatus, service.message],
    [status.UNIMPLEMENTED, "unknown service etcdserverpb.Auth"],
  );
  const json = await raw("/etcdserverpb.KV/Put", Buffer.from("{}"), { "content-type": "application/json" });
  assert.equal(json.httpStatus, 415);
});

test("gzip-compressed requests are read; an unknown encoding is UNIMPLEMENTED", async () => {
  const msg = kv.Put!.requestSerialize({ key: Buffer.from("gz"), value: Buffer.from("zipped") });
  const ok = await raw("/etcdserverpb.KV/Put", frame(gzipSync(msg), 1), { "grpc-encoding": "gzip" });
  assert.equal(ok.grpcStatus, status.OK);
  const bad = await raw("/etcdserverpb.KV/Put", frame(msg, 1), { "grpc-encoding": "snappy" });
  assert.equal(bad.grpcStatus, status.UNIMPLEMENTED);
});

test("a call past its grpc-timeout ends with DEADLINE_EXCEEDED", async () => {
  // 1 ns: the timer fires before the put's fsync completes.
  const r = await raw("/etcdserverpb.KV/Put", putFrame("late", "v"), { "grpc-timeout": "1n" });
  assert.equal(r.grpcStatus, status.DEADLINE_EXCEEDED);
});

test("after all of that the member still serves", async () => {
  const r = await raw("/etcdserverpb.KV/Put", putFrame("still", "here"));
  assert.equal(r.grpcStatus, status.OK);
});
