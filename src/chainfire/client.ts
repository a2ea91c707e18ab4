// The typed chainfire client the rest of PhotonCloud uses: KV, watches, leases with
// keep-alive, locks and leader election built on leases + txn, and the cluster
// ResourceStore backend. It speaks the etcd v3 API, so it also works against a real etcd.
export type { KeyValue, WatchEvent } from "./api.ts";
export { CHAINFIRE_CLIENT_PORT, ELECTION_PREFIX, LOCK_PREFIX, RESOURCE_PREFIX, resourceKey } from "./api.ts";
export { type ContenderOptions, Election, Mutex } from "./concurrency.ts";
export {
  ChainfireClient,
  ChainfireError,
  type Compare,
  type CompareOp,
  type CompareTarget,
  LeaseKeeper,
  type Op,
  type RangeOptions,
  type RangeReply,
  type TxnReply,
  type WatchHandle,
  type WatchOptions,
} from "./kv-client.ts";
export { ChainfireStore, type ChainfireStoreOptions } from "./resource-store.ts";
