// The contract every resource backend keeps: memory (tests), LMDB (one node), chainfire
// (cluster). Revisions are global and increase with every write; a write that names a
// revision succeeds only if the object is still at it.
import type { AnyResource, ResourceKey } from "./model.ts";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent {
  type: WatchEventType;
  revision: number;
  object: AnyResource;
}

export interface ListOptions {
  /** At most this many items; the reply's `continue` fetches the rest. */
  limit?: number;
  continue?: string;
  /** Equality selectors, e.g. `tier=web,env!=dev`. */
  labelSelector?: string;
}

export interface ListResult {
  items: AnyResource[];
  /** Store revision the list was read at: watch from here to miss nothing. */
  revision: number;
  continue?: string;
}

export interface WriteOptions {
  /** Fail with Conflict unless the stored object is at this revision. */
  revision?: number;
}

export interface WatchOptions {
  /** Deliver every event after this revision (0: only new events). */
  fromRevision?: number;
  /** Called once when the watch ends for a reason other than close(). */
  onError?: (err: Error) => void;
}

export interface Watch {
  close(): void;
}

export interface ResourceStore {
  get(key: ResourceKey): Promise<AnyResource | undefined>;
  list(kind: string, project: string | undefined, opts?: ListOptions): Promise<ListResult>;
  /** Fails with AlreadyExists if the key is taken. */
  create(obj: AnyResource): Promise<AnyResource>;
  /** Replaces spec, status, labels, annotations and finalizers; NotFound or Conflict. */
  update(obj: AnyResource, opts?: WriteOptions): Promise<AnyResource>;
  /** Removes the object, or marks it for deletion while finalizers remain. */
  delete(key: ResourceKey, opts?: WriteOptions): Promise<AnyResource>;
  watch(
    kind: string,
    project: string | undefined,
    onEvent: (e: WatchEvent) => void,
    opts?: WatchOptions,
  ): Watch;
  revision(): Promise<number>;
  close(): Promise<void>;
}

/** Bounds shared by the local backends. */
export const storeLimits = {
  maxListLimit: 1000,
  defaultListLimit: 500,
  /** Events kept for watch-from-revision; older revisions get a "compacted" error. */
  eventHistory: 10_000,
  /** Events queued for one slow watcher before it is dropped with an error. */
  watcherBacklog: 10_000,
  maxObjectBytes: 1_048_576,
};
