// Encoded responses by the exact bytes of the query (minus its id), valid for one generation
// of the zone index. Exact bytes keep case preservation and EDNS parameters right for free.

/** Entries kept; at the bound the oldest half is dropped. */
export const answerCacheEntries = 20_000;
/** Queries longer than this are not cached (typical queries are 30–60 bytes). */
const maxKeyBytes = 300;
/** Replies longer than this (large TCP answers) are not cached: at most ~40 MB in all. */
const maxReplyBytes = 1500;

export class AnswerCache {
  private entries = new Map<string, Uint8Array>();
  private generation = -1;

  private static key(query: Uint8Array, transport: "udp" | "tcp"): string | undefined {
    if (query.length > maxKeyBytes || query.length < 12) return undefined;
    return (
      (transport === "udp" ? "u" : "t") +
      Buffer.from(query.buffer, query.byteOffset + 2, query.length - 2).toString("latin1")
    );
  }

  get(query: Uint8Array, transport: "udp" | "tcp", generation: number): Uint8Array | undefined {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
      return undefined;
    }
    const k = AnswerCache.key(query, transport);
    if (k === undefined) return undefined;
    const hit = this.entries.get(k);
    if (!hit) return undefined;
    const out = Buffer.allocUnsafe(hit.length);
    out.set(hit);
    out[0] = query[0] as number;
    out[1] = query[1] as number;
    return out;
  }

  put(query: Uint8Array, transport: "udp" | "tcp", generation: number, response: Uint8Array): void {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    const k = AnswerCache.key(query, transport);
    if (k === undefined || response.length > maxReplyBytes) return;
    if (this.entries.size >= answerCacheEntries) {
      let drop = this.entries.size / 2;
      for (const key of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(key);
      }
    }
    this.entries.set(k, response);
  }
}
