// Between proto-loader's objects (keepCase, int64 as strings, bytes as Buffer) and the state
// machine's types, for the methods on the reflective codec (watch, lease, cluster, maintenance;
// the KV methods have their own, kv-codec.ts). Anything malformed becomes an etcd
// InvalidArgument error here, before it reaches the state machine.
import { etcdErrors } from "../etcd-errors.ts";
import type { Event, KeyValue, Member } from "../mvcc/types.ts";

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

export function fromEvent(e: Event, withPrev: boolean): Msg {
  return { type: e.type, kv: fromKv(e.kv), prev_kv: withPrev && e.prevKv ? fromKv(e.prevKv) : null };
}

export function fromMember(m: Member): Msg {
  return { ID: m.id, name: m.name, peerURLs: m.peerURLs, clientURLs: m.clientURLs, isLearner: m.isLearner };
}
