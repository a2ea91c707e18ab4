// etcdserverpb.KV: Range, Put, DeleteRange, Txn, Compact.
import { checkRange } from "../mvcc/state-machine.ts";
import { fromKv, fromRange, fromTxn, type Msg, num, toDelete, toPut, toRange, toTxn } from "./codec.ts";
import { header, type ServiceContext, unary } from "./context.ts";

export function kvService(ctx: ServiceContext) {
  const { store } = ctx;
  return {
    Range: unary(ctx, async (m: Msg) => {
      const req = toRange(m);
      checkRange(req);
      // Linearizable reads wait for a ReadIndex round when replicated; serializable ones read locally.
      return store.read((s) => {
        const r = s.range(req);
        return fromRange(r, header(ctx, s.revision));
      }, !m.serializable);
    }),
    Put: unary(ctx, async (m: Msg) => {
      const { result, revision } = await store.propose({ op: "put", req: toPut(m) });
      const prev = result.op === "put" ? result.put.prevKv : undefined;
      return { header: header(ctx, revision), prev_kv: prev ? fromKv(prev) : null };
    }),
    DeleteRange: unary(ctx, async (m: Msg) => {
      const { result, revision } = await store.propose({ op: "deleteRange", req: toDelete(m) });
      const r = result.op === "deleteRange" ? result.deleteRange : { deleted: 0, prevKvs: [] };
      return {
        header: header(ctx, revision),
        deleted: r.deleted,
        prev_kvs: r.prevKvs.map((kv) => fromKv(kv)),
      };
    }),
    Txn: unary(ctx, async (m: Msg) => {
      const { result, revision } = await store.propose({ op: "txn", req: toTxn(m) });
      if (result.op !== "txn") throw new Error("txn returned a different result");
      return fromTxn(result.txn, header(ctx, revision));
    }),
    Compact: unary(ctx, async (m: Msg) => {
      const { revision } = await store.propose({ op: "compact", revision: num(m.revision) });
      return { header: header(ctx, revision) };
    }),
  };
}
