// What every gRPC service of chainfire shares: the store, the watch hub, who this member is,
// and the response header etcd puts on every reply.
import type { Logger } from "pino";
import type { KvStore } from "../kv-store.ts";
import type { WatchHub } from "../watch-hub.ts";
import type { Msg } from "./codec.ts";
import { type Header, headerIds } from "./kv-codec.ts";
import type { MethodImpl } from "./method.ts";

/** The Raft side of a member change (the member list itself is a replicated command). */
export type MembershipChange = "addVoter" | "addLearner" | "promoteLearner" | "removeNode";

export interface ServiceContext {
  store: KvStore;
  hub: WatchHub;
  log: Logger;
  /** This member's client URLs as bound now (they are not part of the replicated state). */
  clientURLs: () => string[];
  /** What Raft says about this member (constant values while it runs alone). */
  raft: RaftView;
  /** Changes the Raft voters after the member list changed (replicated mode only). */
  membership?: (type: MembershipChange, memberId: string) => Promise<void>;
  /** Interval for watch progress notifications. */
  progressNotifyIntervalMs: number;
}

export interface RaftView {
  term(): number;
  /** Member id of the leader, "0" when there is none. */
  leader(): string;
  commitIndex(): number;
  appliedIndex(): number;
  /** Renews a lease where its deadline lives (the leader); returns the TTL, 0 if unknown. */
  keepAlive(id: number): Promise<number>;
}

/** A uint64 as protobufjs's Long shape ({low, high}): it then skips parsing a decimal string. */
interface Uint64Bits {
  low: number;
  high: number;
  unsigned: true;
}

const uint64Cache = new Map<string, Uint64Bits>();
/** The few distinct ids (cluster, member) are converted once, not on every response. */
const UINT64_CACHE_MAX = 64;

function uint64(decimal: string): Uint64Bits {
  let v = uint64Cache.get(decimal);
  if (!v) {
    const n = BigInt.asUintN(64, BigInt(decimal));
    v = { low: Number(n & 0xffffffffn) | 0, high: Number(n >> 32n) | 0, unsigned: true };
    if (uint64Cache.size >= UINT64_CACHE_MAX) uint64Cache.clear();
    uint64Cache.set(decimal, v);
  }
  return v;
}

export function header(ctx: ServiceContext, revision = ctx.store.revision): Msg {
  return {
    cluster_id: uint64(ctx.store.identity.clusterId),
    member_id: uint64(ctx.store.identity.memberId),
    revision,
    raft_term: ctx.raft.term(),
  };
}

/** A unary method on the reflective codec; a thrown etcd error becomes its gRPC status. */
export function unary(_ctx: ServiceContext, fn: (req: Msg) => Promise<Msg> | Msg): MethodImpl {
  return { kind: "unary", handle: fn };
}

let lastIdentity: unknown;
let lastIds: Buffer = Buffer.alloc(0);

/** The response header for the hand-written codecs (kv-codec.ts). */
export function headerOf(ctx: ServiceContext, revision = ctx.store.revision): Header {
  const id = ctx.store.identity;
  // A member's identity object never changes: its encoding is looked up once, not per reply.
  if (id !== lastIdentity) {
    lastIds = headerIds(id.clusterId, id.memberId);
    lastIdentity = id;
  }
  return { ids: lastIds, revision, raftTerm: ctx.raft.term() };
}
