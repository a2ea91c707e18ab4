// ResourceStore over an embedded engine (memory or LMDB): the single-node backends.
import { randomUUID } from "node:crypto";
import { ApiError } from "../errors.ts";
import { decodeContinue, encodeContinue } from "./continue-token.ts";
import type { Engine } from "./engine.ts";
import { matchesLabels, parseLabelSelector } from "./label-selector.ts";
import { LmdbEngine } from "./lmdb-engine.ts";
import { MemoryEngine } from "./memory-engine.ts";
import { type AnyResource, keyOf, type ResourceKey, storageKey, storagePrefix } from "./model.ts";
import { type Context, type Outcome, planCreate, planDelete, planUpdate } from "./mutation.ts";
import {
  type ListOptions,
  type ListResult,
  type ResourceStore,
  storeLimits,
  type Watch,
  type WatchEvent,
  type WatchOptions,
  type WriteOptions,
} from "./store.ts";
import { WatchHub } from "./watch-hub.ts";

export interface LocalStoreOptions {
  clock?: () => number;
  newUid?: () => string;
}

export class LocalStore implements ResourceStore {
  private readonly hub: WatchHub;
  private readonly clock: () => number;
  private readonly newUid: () => string;
  /** Commits can resolve out of order; events are released to watchers strictly in order. */
  private readonly pending = new Map<number, WatchEvent>();
  private closed = false;

  constructor(
    private readonly engine: Engine,
    opts: LocalStoreOptions = {},
  ) {
    this.clock = opts.clock ?? Date.now;
    this.newUid = opts.newUid ?? randomUUID;
    this.hub = new WatchHub(engine.revision());
  }

  static memory(opts?: LocalStoreOptions): LocalStore {
    return new LocalStore(new MemoryEngine(), opts);
  }

  static lmdb(path: string, opts?: LocalStoreOptions): LocalStore {
    return new LocalStore(new LmdbEngine(path), opts);
  }

  async get(key: ResourceKey): Promise<AnyResource | undefined> {
    return this.engine.get(storageKey(key));
  }

  async list(kind: string, project: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    const limit = Math.min(opts.limit ?? storeLimits.defaultListLimit, storeLimits.maxListLimit);
    const prefix = storagePrefix(kind, project);
    const selector = parseLabelSelector(opts.labelSelector);
    let after = opts.continue ? decodeContinue(opts.continue, prefix) : undefined;
    const revision = this.engine.revision();
    const items: AnyResource[] = [];
    let lastKey: string | undefined;
    // Scan in chunks so a selective label filter still fills a page without loading everything.
    for (;;) {
      const chunk = this.engine.scan(prefix, after, limit + 1);
      for (const [k, v] of chunk) {
        if (items.length === limit) {
          return { items, revision, continue: encodeContinue(lastKey!) };
        }
        lastKey = k;
        if (matchesLabels(v.metadata.labels, selector)) items.push(v);
      }
      if (chunk.length <= limit) return { items, revision };
      after = chunk.at(-1)![0];
      if (items.length === limit) return { items, revision, continue: encodeContinue(lastKey!) };
    }
  }

  create(obj: AnyResource): Promise<AnyResource> {
    const key = storageKey(keyOf(obj));
    return this.write(key, (cur, ctx) => planCreate(cur, obj, ctx));
  }

  update(obj: AnyResource, opts: WriteOptions = {}): Promise<AnyResource> {
    const key = storageKey(keyOf(obj));
    return this.write(key, (cur, ctx) => planUpdate(cur, obj, opts, ctx));
  }

  delete(key: ResourceKey, opts: WriteOptions = {}): Promise<AnyResource> {
    return this.write(storageKey(key), (cur, ctx) => planDelete(cur, key, opts, ctx));
  }

  watch(
    kind: string,
    project: string | undefined,
    onEvent: (e: WatchEvent) => void,
    opts: WatchOptions = {},
  ): Watch {
    this.assertOpen();
    const prefix = storagePrefix(kind, project);
    let replay: WatchEvent[] = [];
    const from = opts.fromRevision ?? 0;
    if (from > 0) {
      const since = this.engine.eventsSince(from, storeLimits.eventHistory);
      if (since === "compacted") {
        throw new ApiError(
          "FailedPrecondition",
          `revision ${from} has been compacted (only the last ${storeLimits.eventHistory} changes are kept); list again and watch from the list's revision`,
          { reason: "Compacted" },
        );
      }
      replay = since.filter((e) => storageKey(keyOf(e.object)).startsWith(prefix));
    }
    return this.hub.subscribe(prefix, replay, onEvent, opts.onError);
  }

  async revision(): Promise<number> {
    return this.engine.revision();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll("store closed");
    await this.engine.close();
  }

  private async write(
    key: string,
    plan: (cur: AnyResource | undefined, ctx: Context) => Outcome,
  ): Promise<AnyResource> {
    this.assertOpen();
    const now = new Date(this.clock()).toISOString();
    const outcome = await this.engine.transact((tx) => {
      const out = plan(tx.get(key), { revision: tx.revision() + 1, now, newUid: this.newUid });
      if (out.stored) tx.put(key, out.stored);
      else tx.del(key);
      tx.appendEvent(out.event);
      return out;
    });
    this.release(outcome.event);
    return outcome.result;
  }

  private release(event: WatchEvent): void {
    this.pending.set(event.revision, event);
    let next = this.hub.lastEmitted + 1;
    const ready: WatchEvent[] = [];
    while (this.pending.has(next)) {
      ready.push(this.pending.get(next)!);
      this.pending.delete(next);
      next++;
    }
    if (ready.length) this.hub.emit(ready);
  }

  private assertOpen(): void {
    if (this.closed) throw new ApiError("Unavailable", "the resource store is closed");
  }
}
