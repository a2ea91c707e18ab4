// Fans committed events out to watchers, in revision order, each with a bounded backlog:
// a watcher that falls too far behind is dropped with an error and must list again.
import { ApiError } from "../errors.ts";
import { storeLimits, type Watch, type WatchEvent } from "./store.ts";

interface Watcher {
  prefix: string;
  deliver: (e: WatchEvent) => void;
  onError: ((err: Error) => void) | undefined;
  queue: WatchEvent[];
  draining: boolean;
  closed: boolean;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  /** Highest revision handed to watchers; replays stop here so nothing is sent twice. */
  lastEmitted: number;

  constructor(
    startRevision: number,
    private readonly backlogLimit = storeLimits.watcherBacklog,
  ) {
    this.lastEmitted = startRevision;
  }

  subscribe(
    prefix: string,
    replay: WatchEvent[],
    deliver: (e: WatchEvent) => void,
    onError?: (e: Error) => void,
  ): Watch {
    const w: Watcher = { prefix, deliver, onError, queue: [], draining: false, closed: false };
    this.watchers.add(w);
    for (const e of replay) if (e.revision <= this.lastEmitted) this.enqueue(w, e);
    return {
      close: () => {
        w.closed = true;
        this.watchers.delete(w);
      },
    };
  }

  emit(events: WatchEvent[]): void {
    for (const e of events) {
      if (e.revision <= this.lastEmitted) continue;
      this.lastEmitted = e.revision;
      const key = `${e.object.kind}/${e.object.metadata.project ?? "_"}/${e.object.metadata.name}`;
      for (const w of this.watchers) if (key.startsWith(w.prefix)) this.enqueue(w, e);
    }
  }

  closeAll(reason: string): void {
    for (const w of this.watchers) this.fail(w, new ApiError("Unavailable", reason));
  }

  get size(): number {
    return this.watchers.size;
  }

  private enqueue(w: Watcher, e: WatchEvent): void {
    if (w.closed) return;
    if (w.queue.length >= this.backlogLimit) {
      this.fail(
        w,
        new ApiError(
          "Unavailable",
          `watch fell more than ${this.backlogLimit} events behind; list again and watch from the list's revision`,
        ),
      );
      return;
    }
    w.queue.push(e);
    if (!w.draining) {
      w.draining = true;
      // Deliver on a later tick so a slow consumer never blocks the writer that emitted.
      queueMicrotask(() => this.drain(w));
    }
  }

  private drain(w: Watcher): void {
    while (!w.closed && w.queue.length) w.deliver(w.queue.shift()!);
    w.draining = false;
  }

  private fail(w: Watcher, err: Error): void {
    w.closed = true;
    this.watchers.delete(w);
    w.onError?.(err);
  }
}
