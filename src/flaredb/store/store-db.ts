// One LMDB environment per store: the data of every region (one ordered keyspace), the Raft
// logs and hard states of every group, and each region's descriptor and applied index. One
// write transaction (one fsync) covers a whole batch of Readies across groups.
import { mkdirSync } from "node:fs";
import { type Database, open, type RootDatabase } from "lmdb";
import type { EntryType, HardState } from "../../core/raft/index.ts";
import type { RegionDescriptor } from "../api.ts";

export interface StoredEntry {
  t: number;
  y: EntryType;
  d: Uint8Array;
}

export interface RegionState {
  region: RegionDescriptor;
  applied: number;
  /** The highest GC safe point the region applied (absent: none). */
  safePoint?: number;
}

export interface SnapMeta {
  index: number;
  term: number;
  voters: string[];
  learners: string[];
}

export interface GroupMeta {
  hardState?: HardState;
  snap?: SnapMeta;
}

/** LMDB map size: the most a store can hold. */
export const STORE_MAP_SIZE_BYTES = 16 * 1024 * 1024 * 1024;

export class StoreDb {
  readonly root: RootDatabase;
  readonly data: Database<Uint8Array, Buffer>;
  readonly entries: Database<StoredEntry, [number, number]>;
  readonly groups: Database<GroupMeta, number>;
  readonly regions: Database<RegionState, number>;
  readonly meta: Database<unknown, string>;

  constructor(path: string) {
    mkdirSync(path, { recursive: true });
    this.root = open({
      path,
      noSubdir: false,
      noSync: false,
      overlappingSync: false,
      compression: false,
      mapSize: STORE_MAP_SIZE_BYTES,
    });
    this.data = this.root.openDB<Uint8Array, Buffer>({
      name: "data",
      keyEncoding: "binary",
      encoding: "binary",
    });
    this.entries = this.root.openDB<StoredEntry, [number, number]>({ name: "raft-entries" });
    this.groups = this.root.openDB<GroupMeta, number>({ name: "raft-groups" });
    this.regions = this.root.openDB<RegionState, number>({ name: "regions" });
    this.meta = this.root.openDB<unknown, string>({ name: "store-meta" });
  }

  close(): Promise<void> {
    return this.root.close();
  }
}
