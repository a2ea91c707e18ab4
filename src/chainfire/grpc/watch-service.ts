// etcdserverpb.Watch: one bidirectional stream carries many watchers. Each watcher's unsent
// events are bounded: a client that stops reading has its watcher canceled, not our memory.
import { isEtcdError } from "../etcd-errors.ts";
import { MAX_WATCHERS_PER_STREAM, WATCH_BACKLOG_EVENTS, WATCH_BATCH_EVENTS } from "../limits.ts";
import { spanOf } from "../mvcc/key-range.ts";
import type { Event } from "../mvcc/types.ts";
import { bytes, fromEvent, type Msg, num } from "./codec.ts";
import { header, type ServiceContext } from "./context.ts";
import type { ServiceImpl } from "./method.ts";
import type { ServerStreamCall } from "./server-stream-call.ts";

interface StreamWatcher {
  id: number;
  prevKv: boolean;
  progressNotify: boolean;
  /** Events written to the stream that grpc has not flushed yet. */
  unflushed: number;
  sentSinceProgress: boolean;
  close(): void;
}

export function watchService(ctx: ServiceContext): ServiceImpl {
  return {
    Watch: { kind: "stream", handle: (call: ServerStreamCall) => void new WatchStream(ctx, call) },
  };
}

class WatchStream {
  private readonly watchers = new Map<number, StreamWatcher>();
  private nextId = 0;
  private ended = false;
  private readonly progressTimer: NodeJS.Timeout;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly call: ServerStreamCall,
  ) {
    call.on("data", (m: Msg) => this.onRequest(m));
    call.on("end", () => this.end());
    call.on("error", () => this.end());
    call.on("cancelled", () => this.end());
    call.on("close", () => this.end());
    this.progressTimer = setInterval(() => this.progress(), ctx.progressNotifyIntervalMs);
    this.progressTimer.unref();
  }

  private onRequest(m: Msg): void {
    try {
      if (m.create_request) this.create(m.create_request);
      else if (m.cancel_request) this.cancel(num(m.cancel_request.watch_id), "");
      else if (m.progress_request)
        this.send({ header: header(this.ctx, this.ctx.store.publishedRevision), watch_id: -1 });
    } catch (err) {
      this.ctx.log.info({ err }, "chainfire: bad watch request");
      this.send({
        header: header(this.ctx),
        watch_id: -1,
        canceled: true,
        cancel_reason: (err as Error).message,
      });
    }
  }

  private create(r: Msg): void {
    const requested = num(r.watch_id);
    const id = requested > 0 && !this.watchers.has(requested) ? requested : this.allocateId();
    const span = spanOf(bytes(r.key), bytes(r.range_end));
    const filters: string[] = Array.isArray(r.filters) ? r.filters.map(String) : [];
    const startRevision = num(r.start_revision);
    const created = {
      header: header(this.ctx, this.ctx.store.publishedRevision),
      watch_id: id,
      created: true,
    };
    if (this.watchers.size >= MAX_WATCHERS_PER_STREAM) {
      this.send({
        ...created,
        canceled: true,
        cancel_reason: `at most ${MAX_WATCHERS_PER_STREAM} watchers per stream`,
      });
      return;
    }
    const w: StreamWatcher = {
      id,
      prevKv: !!r.prev_kv,
      progressNotify: !!r.progress_notify,
      unflushed: 0,
      sentSinceProgress: false,
      close: () => undefined,
    };
    let reg: ReturnType<ServiceContext["hub"]["add"]>;
    try {
      reg = this.ctx.hub.add(
        { span, startRevision, noPut: filters.includes("NOPUT"), noDelete: filters.includes("NODELETE") },
        (events, revision) => this.deliver(w, events, revision),
      );
    } catch (err) {
      if (!isEtcdError(err)) throw err;
      // etcd acknowledges the watch, then cancels it with the revision it was compacted at.
      this.send(created);
      const compact = this.ctx.store.view.compactRevision;
      this.send({
        header: header(this.ctx),
        watch_id: id,
        canceled: true,
        compact_revision: compact,
        cancel_reason: err.message,
      });
      return;
    }
    w.close = reg.close;
    this.watchers.set(id, w);
    this.send(created);
    for (let i = 0; i < reg.replay.length; i += WATCH_BATCH_EVENTS) {
      const batch = reg.replay.slice(i, i + WATCH_BATCH_EVENTS);
      this.deliver(
        w,
        batch,
        i + WATCH_BATCH_EVENTS >= reg.replay.length ? reg.revision : batch.at(-1)!.kv.modRevision,
      );
    }
  }

  private allocateId(): number {
    while (this.watchers.has(this.nextId)) this.nextId++;
    return this.nextId++;
  }

  private deliver(w: StreamWatcher, events: Event[], revision: number): void {
    if (!this.watchers.has(w.id)) return;
    if (w.unflushed + events.length > WATCH_BACKLOG_EVENTS) {
      this.cancel(
        w.id,
        `watcher fell more than ${WATCH_BACKLOG_EVENTS} events behind; its client is not reading`,
      );
      return;
    }
    w.unflushed += events.length;
    w.sentSinceProgress = true;
    const msg = {
      header: header(this.ctx, revision),
      watch_id: w.id,
      events: events.map((e) => fromEvent(e, w.prevKv)),
    };
    this.send(msg, () => {
      w.unflushed -= events.length;
    });
  }

  private cancel(id: number, reason: string): void {
    const w = this.watchers.get(id);
    if (w) {
      w.close();
      this.watchers.delete(id);
    }
    this.send({ header: header(this.ctx), watch_id: id, canceled: true, cancel_reason: reason });
  }

  private progress(): void {
    for (const w of this.watchers.values()) {
      if (w.progressNotify && !w.sentSinceProgress) {
        this.send({ header: header(this.ctx, this.ctx.store.publishedRevision), watch_id: w.id });
      }
      w.sentSinceProgress = false;
    }
  }

  private send(msg: Msg, flushed?: () => void): void {
    if (this.ended) return;
    this.call.write(msg, flushed);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.progressTimer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.call.end();
  }
}
