// etcdserverpb.KV: Range, Put, DeleteRange and Txn on the hand-written codecs (kv-codec.ts),
// Compact on the reflective one.
import { checkRange } from "../mvcc/state-machine.ts";
import { type Msg, num } from "./codec.ts";
import { header, headerOf, type ServiceContext, unary } from "./context.ts";
import {
  decodeDeleteRangeRequest,
  decodePutRequest,
  decodeRangeRequest,
  decodeTxnRequest,
  encodeDeleteRangeResponse,
  encodePutResponse,
  encodeRangeResponse,
  encodeTxnResponse,
} from "./kv-codec.ts";
import type { MethodImpl, ServiceImpl } from "./method.ts";

export function kvService(ctx: ServiceContext): ServiceImpl {
  const { store } = ctx;
  const Range: MethodImpl = {
    kind: "raw",
    handle: (body) => {
      const { req, serializable } = decodeRangeRequest(body);
      checkRange(req);
      // Linearizable reads wait for a ReadIndex round when replicated; serializable ones read locally.
      return store.read((s) => encodeRangeResponse(headerOf(ctx, s.revision), s.range(req)), !serializable);
    },
  };
  const Put: MethodImpl = {
    kind: "raw",
    handle: async (body) => {
      const { result, revision } = await store.propose({ op: "put", req: decodePutRequest(body) });
      return encodePutResponse(headerOf(ctx, revision), result.op === "put" ? result.put.prevKv : undefined);
    },
  };
  const DeleteRange: MethodImpl = {
    kind: "raw",
    handle: async (body) => {
      const { result, revision } = await store.propose({
        op: "deleteRange",
        req: decodeDeleteRangeRequest(body),
      });
      const r = result.op === "deleteRange" ? result.deleteRange : { deleted: 0, prevKvs: [] };
      return encodeDeleteRangeResponse(headerOf(ctx, revision), r.deleted, r.prevKvs);
    },
  };
  const Txn: MethodImpl = {
    kind: "raw",
    handle: async (body) => {
      const { result, revision } = await store.propose({ op: "txn", req: decodeTxnRequest(body) });
      if (result.op !== "txn") throw new Error("txn returned a different result");
      return encodeTxnResponse(headerOf(ctx, revision), result.txn);
    },
  };
  return {
    Range,
    Put,
    DeleteRange,
    Txn,
    Compact: unary(ctx, async (m: Msg) => {
      const { revision } = await store.propose({ op: "compact", revision: num(m.revision) });
      return { header: header(ctx, revision) };
    }),
  };
}
