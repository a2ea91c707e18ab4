// chainfire's public types: what other components see of keys, values, events and leases,
// and where the cluster ResourceStore keeps objects. Keys and values are bytes.
import type { ResourceKey } from "../core/resource/model.ts";
import { clusterScope } from "../core/resource/model.ts";

export interface KeyValue {
  key: Buffer;
  value: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: number;
}

export interface WatchEvent {
  type: "PUT" | "DELETE";
  kv: KeyValue;
  prevKv?: KeyValue;
}

/** Default client port, as etcd's. */
export const CHAINFIRE_CLIENT_PORT = 2379;

/** Every resource of every component lives under this prefix in chainfire. */
export const RESOURCE_PREFIX = "/photon/resources/";

export function resourceKey(k: ResourceKey): string {
  return `${RESOURCE_PREFIX}${k.kind}/${k.project ?? clusterScope}/${k.name}`;
}

/** Keys of leader elections and locks (etcd's concurrency recipes). */
export const ELECTION_PREFIX = "/photon/elections/";
export const LOCK_PREFIX = "/photon/locks/";
