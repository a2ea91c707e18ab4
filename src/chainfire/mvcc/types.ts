// The data of the MVCC state machine: stored versions, requests and results, mirroring
// etcd's etcdserverpb messages in camelCase. Keys and values are bytes (Buffer).

export interface KeyValue {
  key: Buffer;
  createRevision: number;
  modRevision: number;
  /** Puts since the key was (re)created; 0 in a delete event. */
  version: number;
  value: Buffer;
  lease: number;
}

export type SortOrder = "NONE" | "ASCEND" | "DESCEND";
export type SortTarget = "KEY" | "VERSION" | "CREATE" | "MOD" | "VALUE";

export interface RangeRequest {
  key: Buffer;
  /** Empty: the single key. "\0": every key >= key. Otherwise [key, rangeEnd). */
  rangeEnd?: Buffer;
  limit?: number;
  /** 0 or absent: the current revision. */
  revision?: number;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface RangeResult {
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export interface PutRequest {
  key: Buffer;
  value?: Buffer;
  lease?: number;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface PutResult {
  prevKv?: KeyValue;
}

export interface DeleteRangeRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  prevKv?: boolean;
}

export interface DeleteRangeResult {
  deleted: number;
  prevKvs: KeyValue[];
}

export type CompareResult = "EQUAL" | "GREATER" | "LESS" | "NOT_EQUAL";
export type CompareTarget = "VERSION" | "CREATE" | "MOD" | "VALUE" | "LEASE";

export interface Compare {
  result: CompareResult;
  target: CompareTarget;
  key: Buffer;
  rangeEnd?: Buffer;
  /** The operand for `target`: a number for VERSION/CREATE/MOD/LEASE, bytes for VALUE. */
  version?: number;
  createRevision?: number;
  modRevision?: number;
  value?: Buffer;
  lease?: number;
}

export type RequestOp =
  | { range: RangeRequest }
  | { put: PutRequest }
  | { deleteRange: DeleteRangeRequest }
  | { txn: TxnRequest };

export type ResponseOp =
  | { range: RangeResult }
  | { put: PutResult }
  | { deleteRange: DeleteRangeResult }
  | { txn: TxnResult };

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface TxnResult {
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface Member {
  /** uint64 as a decimal string: etcd member ids do not fit a JS number. */
  id: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

/** Every mutation, as the replicated log carries it. Applied in log order, deterministically. */
export type Command =
  | { op: "put"; req: PutRequest }
  | { op: "deleteRange"; req: DeleteRangeRequest }
  | { op: "txn"; req: TxnRequest }
  | { op: "compact"; revision: number }
  | { op: "leaseGrant"; id: number; ttlSeconds: number }
  | { op: "leaseRevoke"; id: number }
  | { op: "memberAdd"; member: Member }
  | { op: "memberRemove"; id: string }
  | { op: "memberUpdate"; id: string; peerURLs: string[] }
  /** A learner becomes a voting member (etcd's MemberPromote). */
  | { op: "memberPromote"; id: string }
  /** A started member publishes its name and client URLs (etcd's member attributes). */
  | { op: "memberAttrs"; id: string; name: string; clientURLs: string[] };

export type CommandResult =
  | { op: "put"; put: PutResult }
  | { op: "deleteRange"; deleteRange: DeleteRangeResult }
  | { op: "txn"; txn: TxnResult }
  | { op: "compact" }
  | { op: "leaseGrant"; id: number; ttlSeconds: number }
  | { op: "leaseRevoke" }
  | { op: "member"; members: Member[]; member?: Member };

export type EventType = "PUT" | "DELETE";

export interface Event {
  type: EventType;
  kv: KeyValue;
  /** The version before this change, if the key existed. */
  prevKv?: KeyValue;
}
