// Fans committed events out to watchers. A watcher from a past revision first gets the
// retained history up to the last published revision, then live events; both happen on the
// one thread with nothing in between, so no event is missed or sent twice.
import { etcdErrors } from "./etcd-errors.ts";
import type { KvStore } from "./kv-store.ts";
import { MAX_WATCHERS } from "./limits.ts";
import { inSpan, type KeySpan, toKeyString } from "./mvcc/key-range.ts";
import type { Event } from "./mvcc/types.ts";

export interface WatchSpec {
  span: KeySpan;
  /** 0: from the next revision. */
  startRevision: number;
  noPut: boolean;
  noDelete: boolean;
}

interface Watcher {
  spec: WatchSpec;
  deliver: (events: Event[], revision: number) => void;
}

export interface Registration {
  /** Events before now that the watcher asked for, oldest first. */
  replay: Event[];
  /** The last revision covered by `replay`; live delivery starts after it. */
  revision: number;
  close(): void;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: KvStore) {
    this.unsubscribe = store.onCommit((events, revision) => this.fanOut(events, revision));
  }

  get size(): number {
    return this.watchers.size;
  }

  /** Throws the etcd compacted error when the start revision is no longer kept. */
  add(spec: WatchSpec, deliver: (events: Event[], revision: number) => void): Registration {
    if (this.watchers.size >= MAX_WATCHERS) throw etcdErrors.tooManyRequests();
    const state = this.store.view;
    if (spec.startRevision > 0 && spec.startRevision < state.compactRevision) throw etcdErrors.compacted();
    const published = this.store.publishedRevision;
    let replay: Event[] = [];
    if (spec.startRevision > 0 && spec.startRevision <= published) {
      replay = state.history(spec.span, spec.startRevision, published).filter((e) => passes(spec, e));
    }
    const w: Watcher = { spec, deliver };
    this.watchers.add(w);
    return { replay, revision: published, close: () => this.watchers.delete(w) };
  }

  private fanOut(events: Event[], revision: number): void {
    for (const w of this.watchers) {
      const mine = events.filter(
        (e) =>
          e.kv.modRevision >= w.spec.startRevision &&
          inSpan(w.spec.span, toKeyString(e.kv.key)) &&
          passes(w.spec, e),
      );
      if (mine.length) w.deliver(mine, revision);
    }
  }

  close(): void {
    this.unsubscribe();
    this.watchers.clear();
  }
}

function passes(spec: WatchSpec, e: Event): boolean {
  return !(e.type === "PUT" ? spec.noPut : spec.noDelete);
}
