// Encoded replies by the bytes of the query, valid for one generation of the zone index. The
// key is the query without its id. Resolvers randomise the case of names ("0x20"), so a name
// asked in a second spelling is checked once, by answering it again with the name's case
// flipped: a reply that uses the case only in its question ("echo"; or not at all, "none")
// is then shared by every spelling, and a hit copies the query's name over the reply's
// question. Until then (and for replies that use the case elsewhere) only the exact bytes
// hit, so a flood of unique names costs no extra work. Lookups hash the bytes in place (no
// string or Buffer per query).

/** Entries kept; at the bound the oldest half is dropped. */
export const answerCacheEntries = 20_000;
/** Queries longer than this are not cached (typical queries are 30–60 bytes). */
const maxKeyBytes = 300;
/** Replies longer than this (large TCP answers) are not cached: at most ~40 MB in all. */
const maxReplyBytes = 1500;
/** Entries sharing a hash bucket (collisions, and spellings of a name whose case is used). */
const maxChain = 4;
const headerBytes = 12;

/**
 * How a reply depends on the case of the query name: not at all ("none"), only by echoing it
 * in the question ("echo"), or otherwise, so only the exact bytes may reuse it ("exact").
 */
export type CaseUse = "none" | "echo" | "exact";
/** "unverified": not checked yet (one spelling seen); matched on the exact bytes meanwhile. */
type EntryMode = CaseUse | "unverified";

interface Entry {
  /** The query from byte 2 on; its name lower-cased for "echo" and "none". */
  key: Uint8Array;
  /** End of the question name in the query (and in the reply for "echo"). */
  nameEnd: number;
  mode: EntryMode;
  /**
   * Per key byte of the question name, 0x20 where the key holds a lower-case letter that the
   * query may spell in either case ("echo", "none"); empty for the exact modes. A query byte
   * q matches key byte c when (q | mask) === c.
   */
  mask: Uint8Array;
  reply: Buffer;
  tcp: boolean;
  next: Entry | undefined;
}

const exactMask = new Uint8Array(0);
const lower = (b: number) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);

/** End (absolute) of the question name of the one-question query at buf[off, off+len); -1: none. */
function nameEndAt(buf: Uint8Array, off: number, len: number): number {
  const end = off + len;
  if (len < headerBytes + 5 || buf[off + 4] !== 0 || buf[off + 5] !== 1) return -1;
  let i = off + headerBytes;
  for (;;) {
    const n = buf[i] as number;
    if (n === 0) return i + 1 <= end ? i + 1 : -1;
    // Compression in a question, or a label running off the end: leave it to the handler.
    if (n > 63 || i + 1 + n >= end) return -1;
    i += 1 + n;
  }
}

/** End offset of the question name of a one-question query; -1 if there is none to read. */
export function questionNameEnd(query: Uint8Array): number {
  return nameEndAt(query, 0, query.length);
}

/** The query with every letter of its question name in the other case (undefined: none). */
export function flipNameCase(query: Uint8Array, nameEnd: number): Uint8Array | undefined {
  const out = Uint8Array.from(query);
  let letters = 0;
  for (let i = headerBytes; i < nameEnd; i++) {
    const b = out[i] as number;
    if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) {
      out[i] = b ^ 0x20;
      letters++;
    }
  }
  return letters > 0 ? out : undefined;
}

/** How `reply` (to `query`) and `flipped` (to the query with the name's case flipped) differ. */
export function caseUse(query: Uint8Array, nameEnd: number, reply: Uint8Array, flipped: Uint8Array): CaseUse {
  if (reply.length !== flipped.length) return "exact";
  let echo = false;
  for (let i = 0; i < reply.length; i++) {
    if (reply[i] === flipped[i]) continue;
    if (i < headerBytes || i >= nameEnd) return "exact";
    echo = true;
  }
  if (!echo) return "none";
  // The differing bytes must be the question name itself, exactly as the query spelled it.
  for (let i = headerBytes; i < nameEnd; i++) if (reply[i] !== query[i]) return "exact";
  return "echo";
}

export class AnswerCache {
  private buckets = new Map<number, Entry>();
  private generation = -1;

  /**
   * FNV-1a over the query from byte 2, every byte of the name with bit 0x20 set: the same for
   * every spelling of a name, and branch-free (a non-letter that collides only shares a
   * bucket; matches() decides). Kept to 30 bits, so the Map key is a small integer, not a
   * heap number.
   */
  private static hash(buf: Uint8Array, off: number, len: number, nameEnd: number, tcp: boolean): number {
    let h = tcp ? 0x01000193 : 0x811c9dc5;
    const end = off + len;
    let i = off + 2;
    for (; i < nameEnd; i++) h = Math.imul(h ^ ((buf[i] as number) | 0x20), 0x01000193);
    for (; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
    return h & 0x3fffffff;
  }

  /** Whether `e` answers the query at buf[off, off+len) (name ending at absolute `nameEnd`). */
  private static matches(
    e: Entry,
    buf: Uint8Array,
    off: number,
    len: number,
    nameEnd: number,
    tcp: boolean,
  ): boolean {
    const k = e.key;
    const n = len - 2;
    if (e.tcp !== tcp || k.length !== n || e.nameEnd !== nameEnd - off) return false;
    const base = off + 2;
    const m = e.mask;
    let j = 0;
    for (; j < m.length; j++) if (((buf[base + j] as number) | (m[j] as number)) !== k[j]) return false;
    for (; j < n; j++) if (k[j] !== buf[base + j]) return false;
    return true;
  }

  /** The same query but for the case of the name (whatever the entry's mode). */
  private static sameSpelledOtherwise(e: Entry, query: Uint8Array, nameEnd: number, tcp: boolean): boolean {
    const k = e.key;
    if (e.tcp !== tcp || k.length !== query.length - 2 || e.nameEnd !== nameEnd) return false;
    for (let i = 2; i < headerBytes; i++) if (k[i - 2] !== query[i]) return false;
    for (let i = headerBytes; i < nameEnd; i++)
      if (lower(k[i - 2] as number) !== lower(query[i] as number)) return false;
    for (let i = nameEnd; i < query.length; i++) if (k[i - 2] !== query[i]) return false;
    return true;
  }

  private sync(generation: number): void {
    if (generation === this.generation) return;
    this.buckets.clear();
    this.generation = generation;
  }

  /** The entry for the query at buf[off, off+len), if any. */
  private find(
    buf: Uint8Array,
    off: number,
    len: number,
    tcp: boolean,
    generation: number,
  ): Entry | undefined {
    this.sync(generation);
    if (len > maxKeyBytes) return undefined;
    const nameEnd = nameEndAt(buf, off, len);
    if (nameEnd < 0) return undefined;
    let e = this.buckets.get(AnswerCache.hash(buf, off, len, nameEnd, tcp));
    while (e && !AnswerCache.matches(e, buf, off, len, nameEnd, tcp)) e = e.next;
    return e;
  }

  /**
   * The cached reply for `query`, with its id and name case. `inPlace` patches and returns
   * the cached buffer itself (no copy): only for a caller that is done with the previous
   * reply before asking again (it was copied to the kernel, or framed for TCP).
   */
  get(
    query: Uint8Array,
    transport: "udp" | "tcp",
    generation: number,
    inPlace = false,
  ): Uint8Array | undefined {
    const e = this.find(query, 0, query.length, transport === "tcp", generation);
    if (!e) return undefined;
    const out = inPlace ? e.reply : Buffer.from(e.reply);
    AnswerCache.patch(e, query, 0, out, 0);
    return out;
  }

  /**
   * Copies the cached UDP reply to the query at buf[off, off+len) into dst at `at`, with the
   * query's id and name case, without allocating (the batched UDP path: the query is read
   * from the receive ring, the reply written into the transmit buffer). Returns its length;
   * -1 when there is none, or it does not fit in `room` bytes.
   */
  copyUdpReply(
    buf: Uint8Array,
    off: number,
    len: number,
    generation: number,
    dst: Uint8Array,
    at: number,
    room: number,
  ): number {
    const e = this.find(buf, off, len, false, generation);
    if (!e || e.reply.length > room) return -1;
    dst.set(e.reply, at);
    AnswerCache.patch(e, buf, off, dst, at);
    return e.reply.length;
  }

  /** The query's id, and for "echo" its name's spelling, over the reply at out[at...]. */
  private static patch(e: Entry, query: Uint8Array, off: number, out: Uint8Array, at: number): void {
    out[at] = query[off] as number;
    out[at + 1] = query[off + 1] as number;
    if (e.mode === "echo")
      for (let i = headerBytes; i < e.nameEnd; i++) out[at + i] = query[off + i] as number;
  }

  /**
   * Stores `reply` to `query`. `answerFlipped` answers the query with its name's case flipped;
   * it is called only when a second spelling of a cached query comes in, to learn whether
   * the reply may be shared by every spelling.
   */
  put(
    query: Uint8Array,
    transport: "udp" | "tcp",
    generation: number,
    reply: Uint8Array,
    answerFlipped: (flipped: Uint8Array) => Uint8Array | undefined,
  ): void {
    this.sync(generation);
    if (query.length > maxKeyBytes || reply.length > maxReplyBytes || reply.length < headerBytes) return;
    const nameEnd = questionNameEnd(query);
    if (nameEnd < 0) return;
    const tcp = transport === "tcp";
    const h = AnswerCache.hash(query, 0, query.length, nameEnd, tcp);
    const head = this.buckets.get(h);
    let mode: EntryMode = "unverified";
    let sibling: Entry | undefined;
    for (let e = head; e; e = e.next) {
      if (AnswerCache.matches(e, query, 0, query.length, nameEnd, tcp)) return;
      if (!sibling && AnswerCache.sameSpelledOtherwise(e, query, nameEnd, tcp)) sibling = e;
    }
    if (sibling?.mode === "exact") mode = "exact";
    else if (sibling?.mode === "unverified") {
      const flipped = flipNameCase(query, nameEnd);
      const other = flipped && answerFlipped(flipped);
      mode = flipped ? (other ? caseUse(query, nameEnd, reply, other) : "exact") : "none";
      // Shared from now on: the one-spelling entry is replaced by this one.
      if (mode !== "exact") this.unlink(h, sibling);
      else sibling.mode = "exact";
    }
    const key = query.slice(2);
    let mask = exactMask;
    if (mode === "echo" || mode === "none") {
      // Only the name's letters fold; the header bytes before it match exactly.
      mask = new Uint8Array(nameEnd - 2);
      for (let i = headerBytes - 2; i < nameEnd - 2; i++) {
        const c = lower(key[i] as number);
        key[i] = c;
        if (c >= 0x61 && c <= 0x7a) mask[i] = 0x20;
      }
    }
    const rest = this.buckets.get(h);
    // Crafted collisions push the oldest entries of a bucket out, never lengthen lookups.
    let depth = 1;
    for (let e = rest; e; e = e.next) if (++depth >= maxChain) e.next = undefined;
    if (this.buckets.size >= answerCacheEntries) {
      let drop = this.buckets.size / 2;
      for (const k of this.buckets.keys()) {
        if (drop-- <= 0) break;
        this.buckets.delete(k);
      }
    }
    // A fresh head keeps this bucket in the map's insertion order as its newest.
    this.buckets.delete(h);
    this.buckets.set(h, { key, nameEnd, mode, mask, reply: Buffer.from(reply), tcp, next: rest });
  }

  private unlink(h: number, target: Entry): void {
    const head = this.buckets.get(h);
    if (head === target) {
      if (target.next) this.buckets.set(h, target.next);
      else this.buckets.delete(h);
      return;
    }
    for (let e = head; e; e = e.next)
      if (e.next === target) {
        e.next = target.next;
        return;
      }
  }
}
