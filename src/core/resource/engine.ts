// What LocalStore needs from an embedded key-value engine: ordered reads, and atomic,
// durable transactions that also append to a bounded event log for watches.
import type { AnyResource } from "./model.ts";
import type { WatchEvent } from "./store.ts";

export interface EngineTx {
  get(key: string): AnyResource | undefined;
  put(key: string, value: AnyResource): void;
  del(key: string): void;
  /** The last committed revision (plus any bump made in this transaction). */
  revision(): number;
  /** Records the next revision and its event; returns the new revision. */
  appendEvent(event: WatchEvent): void;
}

export interface Engine {
  get(key: string): AnyResource | undefined;
  /** Keys with `prefix`, in key order, strictly after `after` when given. */
  scan(prefix: string, after: string | undefined, limit: number): Array<[string, AnyResource]>;
  revision(): number;
  /** Events with revision > from, oldest first; "compacted" if some are no longer kept. */
  eventsSince(from: number, limit: number): WatchEvent[] | "compacted";
  /** Runs fn atomically; resolves once the result is durable. If fn throws, nothing is written. */
  transact<T>(fn: (tx: EngineTx) => T): Promise<T>;
  close(): Promise<void>;
}

/** Buffers a transaction's writes so that a throwing plan leaves the engine untouched. */
export class BufferedTx implements EngineTx {
  readonly writes = new Map<string, AnyResource | undefined>();
  readonly events: WatchEvent[] = [];
  constructor(
    private readonly read: (key: string) => AnyResource | undefined,
    private readonly baseRevision: number,
  ) {}
  get(key: string): AnyResource | undefined {
    return this.writes.has(key) ? this.writes.get(key) : this.read(key);
  }
  put(key: string, value: AnyResource): void {
    this.writes.set(key, value);
  }
  del(key: string): void {
    this.writes.set(key, undefined);
  }
  revision(): number {
    return this.events.at(-1)?.revision ?? this.baseRevision;
  }
  appendEvent(event: WatchEvent): void {
    if (event.revision !== this.revision() + 1) {
      throw new Error(`event revision ${event.revision} does not follow ${this.revision()}`);
    }
    this.events.push(event);
  }
}
