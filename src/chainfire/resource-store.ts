// The cluster ResourceStore: every object at /photon/resources/<kind>/<project|_>/<name> in
// chainfire, like Kubernetes objects in etcd. metadata.revision is the key's mod_revision;
// writes are txns guarded on it (optimistic concurrency), lists page by key, and watches map
// onto etcd watches from a revision. The create/update/delete rules are core's, unchanged.
import { randomUUID } from "node:crypto";
import { ApiError } from "../core/errors.ts";
import { decodeContinue, encodeContinue } from "../core/resource/continue-token.ts";
import { matchesLabels, parseLabelSelector } from "../core/resource/label-selector.ts";
import {
  type AnyResource,
  keyOf,
  type ResourceKey,
  storageKey,
  storagePrefix,
} from "../core/resource/model.ts";
import { type Context, type Outcome, planCreate, planDelete, planUpdate } from "../core/resource/mutation.ts";
import {
  type ListOptions,
  type ListResult,
  type ResourceStore,
  storeLimits,
  type Watch,
  type WatchEvent,
  type WatchOptions,
  type WriteOptions,
} from "../core/resource/store.ts";
import { RESOURCE_PREFIX } from "./api.ts";
import { ChainfireClient, ChainfireError, type KeyValue } from "./kv-client.ts";

/** Times a write re-reads and retries when another writer slipped in between read and txn. */
const MAX_WRITE_ATTEMPTS = 8;

export interface ChainfireStoreOptions {
  clock?: () => number;
  newUid?: () => string;
  /** Close the client with the store (true when the store created it). */
  ownsClient?: boolean;
}

const fullKey = (storage: string) => `${RESOURCE_PREFIX}${storage}`;

function decode(kv: KeyValue): AnyResource {
  const obj = JSON.parse(kv.value.toString("utf8")) as AnyResource;
  obj.metadata.revision = kv.modRevision;
  return obj;
}

function toApiError(err: unknown): never {
  if (err instanceof ApiError) throw err;
  if (err instanceof ChainfireError) {
    if (err.code === 11 && /compacted/.test(err.message)) {
      throw new ApiError(
        "FailedPrecondition",
        `${err.message}; list again and watch from the list's revision`,
        { reason: "Compacted" },
      );
    }
    if (err.code === 3) throw new ApiError("InvalidArgument", err.message);
    throw new ApiError("Unavailable", `chainfire: ${err.message}`);
  }
  throw err;
}

export class ChainfireStore implements ResourceStore {
  private readonly clock: () => number;
  private readonly newUid: () => string;
  private readonly watches = new Set<Watch>();
  private closed = false;

  constructor(
    private readonly kv: ChainfireClient,
    private readonly opts: ChainfireStoreOptions = {},
  ) {
    this.clock = opts.clock ?? Date.now;
    this.newUid = opts.newUid ?? randomUUID;
  }

  static connect(
    endpoints: string | string[],
    opts: Omit<ChainfireStoreOptions, "ownsClient"> = {},
  ): ChainfireStore {
    return new ChainfireStore(new ChainfireClient(endpoints), { ...opts, ownsClient: true });
  }

  async get(key: ResourceKey): Promise<AnyResource | undefined> {
    this.assertOpen();
    const kv = await this.kv.get(fullKey(storageKey(key))).catch(toApiError);
    return kv ? decode(kv) : undefined;
  }

  async list(kind: string, project: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const limit = Math.min(opts.limit ?? storeLimits.defaultListLimit, storeLimits.maxListLimit);
    const prefix = storagePrefix(kind, project);
    const selector = parseLabelSelector(opts.labelSelector);
    const after = opts.continue ? decodeContinue(opts.continue, prefix) : undefined;
    const end = fullKey(prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1));
    let start = after !== undefined ? `${fullKey(after)}\u0000` : fullKey(prefix);
    let revision = 0;
    const items: AnyResource[] = [];
    let lastKey: string | undefined;
    // Every page reads at the first page's revision, so a paged list is one consistent snapshot.
    for (;;) {
      const r = await this.kv
        .range(start, { rangeEnd: end, limit: limit + 1, ...(revision ? { revision } : {}) })
        .catch(toApiError);
      revision ||= r.revision;
      for (const kv of r.kvs) {
        if (items.length === limit) return { items, revision, continue: encodeContinue(lastKey!) };
        lastKey = kv.key.toString("utf8").slice(RESOURCE_PREFIX.length);
        const obj = decode(kv);
        if (matchesLabels(obj.metadata.labels, selector)) items.push(obj);
      }
      if (!r.more) return { items, revision };
      if (items.length === limit) return { items, revision, continue: encodeContinue(lastKey!) };
      start = `${r.kvs.at(-1)!.key.toString("utf8")}\u0000`;
    }
  }

  create(obj: AnyResource): Promise<AnyResource> {
    return this.write(storageKey(keyOf(obj)), (cur, ctx) => planCreate(cur, obj, ctx));
  }

  update(obj: AnyResource, opts: WriteOptions = {}): Promise<AnyResource> {
    return this.write(storageKey(keyOf(obj)), (cur, ctx) => planUpdate(cur, obj, opts, ctx));
  }

  delete(key: ResourceKey, opts: WriteOptions = {}): Promise<AnyResource> {
    return this.write(storageKey(key), (cur, ctx) => planDelete(cur, key, opts, ctx));
  }

  /** Read, decide with core's rules, then write only if the key is still at what was read. */
  private async write(
    storage: string,
    plan: (cur: AnyResource | undefined, ctx: Context) => Outcome,
  ): Promise<AnyResource> {
    this.assertOpen();
    const key = fullKey(storage);
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const kv = await this.kv.get(key).catch(toApiError);
      const current = kv ? decode(kv) : undefined;
      const now = new Date(this.clock()).toISOString();
      // The real revision is only known once the txn commits; it is filled in below.
      const out = plan(current, { revision: 0, now, newUid: this.newUid });
      const guard = { key, target: "MOD" as const, result: "EQUAL" as const, value: kv?.modRevision ?? 0 };
      const op = out.stored
        ? {
            put: {
              key,
              value: JSON.stringify({ ...out.stored, metadata: { ...out.stored.metadata, revision: 0 } }),
            },
          }
        : { delete: { key } };
      const t = await this.kv.txn([guard], [op]).catch(toApiError);
      if (t.succeeded) {
        return { ...out.result, metadata: { ...out.result.metadata, revision: t.revision } };
      }
    }
    throw new ApiError("Unavailable", `too much contention on ${storage}; retry`);
  }

  watch(
    kind: string,
    project: string | undefined,
    onEvent: (e: WatchEvent) => void,
    opts: WatchOptions = {},
  ): Watch {
    this.assertOpen();
    const prefix = fullKey(storagePrefix(kind, project));
    let closed = false;
    const handle = this.kv.watch(
      prefix,
      { prefix: true, prevKv: true, startRevision: opts.fromRevision ? opts.fromRevision + 1 : 0 },
      (events, _revision) => {
        for (const e of events) {
          if (closed) return;
          if (e.type === "PUT") {
            onEvent({
              type: e.kv.createRevision === e.kv.modRevision ? "ADDED" : "MODIFIED",
              revision: e.kv.modRevision,
              object: decode(e.kv),
            });
          } else if (e.prevKv) {
            const object = decode(e.prevKv);
            object.metadata.revision = e.kv.modRevision;
            onEvent({ type: "DELETED", revision: e.kv.modRevision, object });
          }
        }
      },
      (err) => {
        if (closed) return;
        closed = true;
        this.watches.delete(w);
        try {
          toApiError(err);
        } catch (apiErr) {
          opts.onError?.(apiErr as Error);
        }
      },
    );
    const w: Watch = {
      close: () => {
        closed = true;
        this.watches.delete(w);
        handle.close();
      },
    };
    this.watches.add(w);
    return w;
  }

  /** The chainfire client underneath, for what the ResourceStore interface does not cover. */
  client(): ChainfireClient {
    return this.kv;
  }

  async revision(): Promise<number> {
    this.assertOpen();
    const r = await this.kv.range(RESOURCE_PREFIX, { countOnly: true, limit: 1 }).catch(toApiError);
    return r.revision;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.watches]) w.close();
    if (this.opts.ownsClient) this.kv.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new ApiError("Unavailable", "the resource store is closed");
  }
}
