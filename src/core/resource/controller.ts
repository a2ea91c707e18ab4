// The controller runtime: level-triggered reconcile over the resources of one kind. Watch
// events and a periodic resync only enqueue keys; reconcile(key) looks at the world as it is
// now, so a missed event or a restart costs nothing. Runs only while this process leads.
import type { Logger } from "pino";
import { type BackoffPolicy, defaultBackoff } from "../backoff.ts";
import { Counter, type Registry } from "../metrics.ts";
import type { AnyResource, ResourceKey } from "./model.ts";
import type { ResourceStore, Watch } from "./store.ts";
import { realTimers, type Timers, WorkQueue } from "./work-queue.ts";

export interface ReconcileResult {
  /** Come back after this long even if nothing changes (e.g. to expire something). */
  requeueAfterMs?: number;
}

export interface ControllerOptions {
  name: string;
  kind: string;
  store: ResourceStore;
  log: Logger;
  reconcile: (key: ResourceKey, obj: AnyResource | undefined) => Promise<ReconcileResult | undefined>;
  /** Every object is enqueued again this often, to catch drift nobody announced. */
  resyncMs?: number;
  backoff?: BackoffPolicy;
  workers?: number;
  registry?: Registry;
  timers?: Timers;
  /** Leader election: reconcile only while this says so (single node: always). */
  isLeader?: () => boolean;
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

const encode = (k: ResourceKey) => JSON.stringify([k.kind, k.project ?? null, k.name]);
const decode = (s: string): ResourceKey => {
  const [kind, project, name] = JSON.parse(s) as [string, string | null, string];
  return { kind, name, ...(project ? { project } : {}) };
};

export class Controller {
  readonly queue: WorkQueue;
  private watch: Watch | undefined;
  private resyncTimer: unknown;
  private workers: Promise<void>[] = [];
  private readonly timers: Timers;
  private readonly reconciles: Counter | undefined;
  private stopped = false;

  constructor(private readonly o: ControllerOptions) {
    this.timers = o.timers ?? realTimers;
    this.queue = new WorkQueue(o.backoff ?? defaultBackoff, this.timers);
    this.reconciles = o.registry
      ? new Counter({
          name: `photon_controller_reconciles_total`,
          help: "Reconciles by controller and result",
          labelNames: ["controller", "result"],
          registers: [o.registry],
        })
      : undefined;
  }

  async start(): Promise<void> {
    const first = await this.o.store.list(this.o.kind, undefined, { limit: 1000 });
    this.watch = this.o.store.watch(this.o.kind, undefined, (e) => this.enqueue(e.object), {
      fromRevision: first.revision,
      onError: (err) => {
        this.o.log.warn({ err, controller: this.o.name }, "watch ended; resyncing");
        if (!this.stopped) void this.restartWatch();
      },
    });
    await this.resync();
    for (let i = 0; i < (this.o.workers ?? 2); i++) this.workers.push(this.work());
  }

  enqueue(obj: AnyResource): void {
    this.queue.add(encode({ kind: obj.kind, project: obj.metadata.project, name: obj.metadata.name }));
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.watch?.close();
    if (this.resyncTimer) this.timers.clearTimeout(this.resyncTimer);
    this.queue.shutdown();
    await Promise.all(this.workers);
  }

  private async restartWatch(): Promise<void> {
    this.watch?.close();
    const r = await this.o.store.list(this.o.kind, undefined, { limit: 1 });
    this.watch = this.o.store.watch(this.o.kind, undefined, (e) => this.enqueue(e.object), {
      fromRevision: r.revision,
    });
    await this.resync();
  }

  private async resync(): Promise<void> {
    if (this.stopped) return;
    let cont: string | undefined;
    do {
      const page = await this.o.store.list(this.o.kind, undefined, {
        limit: 1000,
        ...(cont ? { continue: cont } : {}),
      });
      for (const obj of page.items) this.enqueue(obj);
      cont = page.continue;
    } while (cont);
    this.resyncTimer = this.timers.setTimeout(() => void this.resync(), this.o.resyncMs ?? 30_000);
  }

  private async work(): Promise<void> {
    for (;;) {
      const k = await this.queue.next();
      if (k === undefined) return;
      const key = decode(k);
      try {
        if (this.o.isLeader && !this.o.isLeader()) {
          this.queue.addAfter(k, 1000);
          continue;
        }
        const obj = await this.o.store.get(key);
        const result = await this.o.reconcile(key, obj);
        this.queue.forget(k);
        this.reconciles?.inc({ controller: this.o.name, result: "ok" });
        if (result?.requeueAfterMs !== undefined) this.queue.addAfter(k, result.requeueAfterMs);
      } catch (err) {
        const delay = this.queue.retry(k);
        this.reconciles?.inc({ controller: this.o.name, result: "error" });
        this.o.log.warn(
          { err, controller: this.o.name, key, retryInMs: delay },
          "reconcile failed; will retry",
        );
      } finally {
        this.queue.done(k);
      }
      // A reconcile against an in-memory store never leaves the microtask queue; yield so a
      // key that keeps re-enqueuing itself cannot starve timers and sockets.
      await yieldToEventLoop();
    }
  }
}
