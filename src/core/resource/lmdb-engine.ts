// The durable single-node engine on LMDB. A transaction's promise resolves only after LMDB
// has synced it to disk (overlappingSync off), so an acknowledged write survives a crash.
import { mkdirSync } from "node:fs";
import { type Database, open, type RootDatabase } from "lmdb";
import { BufferedTx, type Engine, type EngineTx } from "./engine.ts";
import type { AnyResource } from "./model.ts";
import { storeLimits, type WatchEvent } from "./store.ts";

const revisionKey = "revision";

export class LmdbEngine implements Engine {
  private readonly root: RootDatabase;
  private readonly objects: Database<AnyResource, string>;
  private readonly events: Database<WatchEvent, number>;
  private readonly meta: Database<number, string>;
  private rev: number;

  constructor(
    path: string,
    private readonly historyLimit = storeLimits.eventHistory,
  ) {
    mkdirSync(path, { recursive: true });
    // noSubdir: false, or LMDB takes a path whose last segment holds a dot for a file name.
    this.root = open({ path, noSubdir: false, noSync: false, overlappingSync: false, compression: false });
    this.objects = this.root.openDB<AnyResource, string>({ name: "objects" });
    this.events = this.root.openDB<WatchEvent, number>({ name: "events", keyEncoding: "uint32" });
    this.meta = this.root.openDB<number, string>({ name: "meta" });
    this.rev = this.meta.get(revisionKey) ?? 0;
  }

  get(key: string): AnyResource | undefined {
    return this.objects.get(key);
  }

  scan(prefix: string, after: string | undefined, limit: number): Array<[string, AnyResource]> {
    const start = after !== undefined && after >= prefix ? `${after}\u0000` : prefix;
    const out: Array<[string, AnyResource]> = [];
    for (const { key, value } of this.objects.getRange({ start, limit })) {
      if (!key.startsWith(prefix)) break;
      out.push([key, value]);
    }
    return out;
  }

  revision(): number {
    return this.rev;
  }

  eventsSince(from: number, limit: number): WatchEvent[] | "compacted" {
    const [first] = [...this.events.getKeys({ limit: 1 })];
    const oldest = first ?? this.rev + 1;
    if (from + 1 < oldest && from < this.rev) return "compacted";
    return [...this.events.getRange({ start: from + 1, limit })].map(({ value }) => value);
  }

  async transact<T>(fn: (tx: EngineTx) => T): Promise<T> {
    return this.root.transaction(() => {
      const base = this.meta.get(revisionKey) ?? 0;
      const tx = new BufferedTx((k) => this.objects.get(k), base);
      const result = fn(tx);
      for (const [k, v] of tx.writes) {
        if (v === undefined) this.objects.removeSync(k);
        else this.objects.putSync(k, v);
      }
      for (const e of tx.events) {
        this.events.putSync(e.revision, e);
        const old = e.revision - this.historyLimit;
        if (old > 0) this.events.removeSync(old);
      }
      this.meta.putSync(revisionKey, tx.revision());
      this.rev = tx.revision();
      return result;
    });
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
