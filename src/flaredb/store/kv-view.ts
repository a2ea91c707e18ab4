// The store-wide ordered keyspace in LMDB behind the engine's KvReader/KvWriter. Writes are only
// legal inside the store's batch transaction. Scans read in chunks and re-seek after each, so
// the engine may write between steps (as it does in GC) without disturbing a live cursor.
import type { Database } from "lmdb";
import type { KvWriter } from "../engine/kv.ts";

/** Pairs read from LMDB per chunk of a scan. */
const SCAN_CHUNK = 256;

const asBuffer = (k: Uint8Array) => Buffer.from(k.buffer, k.byteOffset, k.byteLength);

export class LmdbKv implements KvWriter {
  constructor(private readonly db: Database<Uint8Array, Buffer>) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const v = this.db.getBinary(asBuffer(key));
    return v ? new Uint8Array(v) : undefined;
  }

  *scan(
    start: Uint8Array | undefined,
    end: Uint8Array | undefined,
    limit: number,
    reverse: boolean,
  ): Iterable<[Uint8Array, Uint8Array]> {
    let n = 0;
    let from: Buffer | undefined = start?.length ? asBuffer(start) : undefined;
    let to: Buffer | undefined = end ? asBuffer(end) : undefined;
    let skipFirst = false;
    while (n < limit) {
      const want = Math.min(SCAN_CHUNK, limit - n) + (skipFirst ? 1 : 0);
      const chunk = reverse
        ? [
            ...this.db.getRange({
              ...(to ? { start: to } : {}),
              ...(from ? { end: from } : {}),
              reverse: true,
              limit: want + 1,
            }),
          ]
        : [
            ...this.db.getRange({
              ...(from ? { start: from } : {}),
              ...(to ? { end: to } : {}),
              limit: want,
            }),
          ];
      let yielded = 0;
      for (const { key, value } of chunk) {
        const k = key as Buffer;
        // Reverse ranges start at `to` itself when present: it is exclusive.
        if (reverse && to && Buffer.compare(k, to) >= 0) continue;
        if (!reverse && skipFirst && from && Buffer.compare(k, from) === 0) continue;
        if (reverse && from && Buffer.compare(k, from) < 0) return;
        yielded++;
        n++;
        yield [new Uint8Array(k), new Uint8Array(value as Uint8Array)];
        if (reverse) to = Buffer.from(k);
        else from = Buffer.from(k);
        if (n >= limit) return;
      }
      if (yielded === 0) return;
      skipFirst = true;
    }
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.db.putSync(asBuffer(key), asBuffer(value));
  }

  delete(key: Uint8Array): void {
    this.db.removeSync(asBuffer(key));
  }
}
