// Pure rules for create, update and delete: given what is stored, what was asked, the next
// revision and the time, decide the new object or the error. Backends only do the I/O.
import { ApiError } from "../errors.ts";
import { type AnyResource, describeKey, keyOf, type ResourceKey } from "./model.ts";
import { storeLimits, type WatchEvent, type WriteOptions } from "./store.ts";

export interface Outcome {
  /** The object to store, or undefined to remove the key. */
  stored: AnyResource | undefined;
  event: WatchEvent;
  /** What the caller gets back. */
  result: AnyResource;
}

export interface Context {
  revision: number;
  now: string;
  newUid: () => string;
}

export function planCreate(current: AnyResource | undefined, obj: AnyResource, ctx: Context): Outcome {
  if (current) throw new ApiError("AlreadyExists", `${describeKey(keyOf(obj))} already exists`);
  const stored: AnyResource = {
    ...obj,
    metadata: {
      ...obj.metadata,
      uid: ctx.newUid(),
      revision: ctx.revision,
      labels: obj.metadata.labels ?? {},
      annotations: obj.metadata.annotations ?? {},
      createdAt: ctx.now,
      updatedAt: ctx.now,
    },
  };
  delete stored.metadata.deletionTimestamp;
  if (!stored.metadata.finalizers?.length) delete stored.metadata.finalizers;
  checkSize(stored);
  return { stored, result: stored, event: { type: "ADDED", revision: ctx.revision, object: stored } };
}

export function planUpdate(
  current: AnyResource | undefined,
  obj: AnyResource,
  opts: WriteOptions,
  ctx: Context,
): Outcome {
  const key = keyOf(obj);
  if (!current) throw new ApiError("NotFound", `${describeKey(key)} not found`);
  checkRevision(current, key, opts.revision ?? obj.metadata.revision);
  const finalizers = obj.metadata.finalizers ?? [];
  const stored: AnyResource = {
    ...obj,
    metadata: {
      ...obj.metadata,
      uid: current.metadata.uid,
      createdAt: current.metadata.createdAt,
      revision: ctx.revision,
      updatedAt: ctx.now,
      labels: obj.metadata.labels ?? {},
      annotations: obj.metadata.annotations ?? {},
    },
  };
  // Deletion, once requested, cannot be undone by an update; it completes when the last
  // finalizer is removed.
  if (current.metadata.deletionTimestamp)
    stored.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
  else delete stored.metadata.deletionTimestamp;
  if (finalizers.length) stored.metadata.finalizers = finalizers;
  else delete stored.metadata.finalizers;
  checkSize(stored);
  if (stored.metadata.deletionTimestamp && finalizers.length === 0) {
    return {
      stored: undefined,
      result: stored,
      event: { type: "DELETED", revision: ctx.revision, object: stored },
    };
  }
  return { stored, result: stored, event: { type: "MODIFIED", revision: ctx.revision, object: stored } };
}

export function planDelete(
  current: AnyResource | undefined,
  key: ResourceKey,
  opts: WriteOptions,
  ctx: Context,
): Outcome {
  if (!current) throw new ApiError("NotFound", `${describeKey(key)} not found`);
  checkRevision(current, key, opts.revision);
  const marked: AnyResource = {
    ...current,
    metadata: { ...current.metadata, revision: ctx.revision, updatedAt: ctx.now },
  };
  if (current.metadata.finalizers?.length) {
    marked.metadata.deletionTimestamp = current.metadata.deletionTimestamp ?? ctx.now;
    return {
      stored: marked,
      result: marked,
      event: { type: "MODIFIED", revision: ctx.revision, object: marked },
    };
  }
  return {
    stored: undefined,
    result: marked,
    event: { type: "DELETED", revision: ctx.revision, object: marked },
  };
}

function checkRevision(current: AnyResource, key: ResourceKey, expected: number | undefined): void {
  if (expected !== undefined && expected !== 0 && expected !== current.metadata.revision) {
    throw new ApiError(
      "Conflict",
      `${describeKey(key)} was modified: you sent revision ${expected}, it is now at ${current.metadata.revision}; read it again and reapply your change`,
      { currentRevision: current.metadata.revision },
    );
  }
}

function checkSize(obj: AnyResource): void {
  const bytes = Buffer.byteLength(JSON.stringify(obj));
  if (bytes > storeLimits.maxObjectBytes) {
    throw new ApiError(
      "InvalidArgument",
      `${describeKey(keyOf(obj))} is ${bytes} bytes; an object may be at most ${storeLimits.maxObjectBytes} bytes`,
    );
  }
}
