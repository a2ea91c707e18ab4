// Writes, reads, deletes and heals segments on the storage nodes: a stream is cut into
// stripes, each stripe into k data shards plus m parity shards (Reed–Solomon), and every
// shard is a checksummed chunk on its node. Reads fetch the data shards and fall back to
// parity when a node is down or a chunk is missing or corrupt. Nothing buffers more than a
// few stripes, so an object of any size streams through.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ChunkClient } from "./chunk-client.ts";
import { type CodeParams, encode, reconstruct } from "./reed-solomon.ts";
import { S3Error } from "./s3-error.ts";
import {
  chunkId,
  placeShards,
  replacementNode,
  type Segment,
  stripeBytes,
  stripeCount,
  stripeShape,
  stripesFor,
} from "./segment.ts";

/**
 * Stripes of one upload being encoded and written to nodes at once (bounds memory per
 * upload: ~(this + 1) × stripe bytes × (k+m)/k). Four keep the disk busy while earlier
 * stripes wait for their fsyncs.
 */
export const maxStripesInFlight = 4;
/** Segments up to this size are replicated rather than erasure-coded (see write()). */
export const smallSegmentBytes = 64 * 1024;
/**
 * Segments up to this size are kept inline in the metadata record (see write()): one
 * synced metadata commit instead of k+m chunk files with an fsync each, and a read
 * without a storage-node round trip. Bounds the size of a version record.
 */
export const inlineMaxBytes = 32 * 1024;
/** Stripes of one download fetched ahead of the client. */
export const readAheadStripes = 4;
/**
 * Shared stripe buffers kept for reuse once every shard of their stripe is stored: a new
 * SharedArrayBuffer per stripe made V8 collect external memory constantly (its GC threads
 * were about a fifth of a large PUT's CPU). Bounds the memory held idle: this × stripe bytes.
 */
export const maxPooledStripeBuffers = 8;

export interface CodingConfig {
  k: number;
  m: number;
  shardSize: number;
}

export interface ScrubResult {
  checked: number;
  repaired: number;
  unrecoverable: number;
  /** New node list when a shard column moved off a dead node; the caller saves it. */
  nodes?: string[];
}

/** Computes the parity shards of a stripe (on this thread, or a worker pool's). */
export type ParityEncoder = (params: CodeParams, data: Uint8Array[]) => Promise<Uint8Array[]>;

export class SegmentStore {
  constructor(
    private readonly chunks: ChunkClient,
    private readonly coding: CodingConfig,
    private readonly log: Logger,
    private readonly parity: ParityEncoder = async (p, d) => encode(p, d),
    /** Stripe buffers in shared memory, so parity and storage threads read them in place. */
    private readonly sharedStripes = false,
  ) {}

  /** Idle shared stripe buffers, all of `pooledBytes` bytes. */
  private readonly stripePool: Buffer[] = [];
  private pooledBytes = 0;

  private stripeBuffer(bytes: number): Buffer {
    if (!this.sharedStripes) return Buffer.allocUnsafe(bytes);
    if (bytes === this.pooledBytes) {
      const reused = this.stripePool.pop();
      if (reused) return reused;
    }
    return Buffer.from(new SharedArrayBuffer(bytes));
  }

  /**
   * Takes back a stripe buffer that nothing reads any more: only after every shard put of
   * its stripe succeeded (a failed or timed-out put may still be reading it on a node).
   */
  private recycleStripe(buf: Buffer): void {
    if (!this.sharedStripes || !(buf.buffer instanceof SharedArrayBuffer)) return;
    if (buf.byteOffset !== 0 || buf.length !== buf.buffer.byteLength) return;
    if (buf.length !== this.pooledBytes) {
      this.stripePool.length = 0;
      this.pooledBytes = buf.length;
    }
    if (this.stripePool.length < maxPooledStripeBuffers) this.stripePool.push(buf);
  }

  /**
   * Streams `source` into a new segment; `maxBytes` bounds it (EntityTooLarge past it).
   * A segment known to be small (`sizeHint` ≤ smallSegmentBytes) is replicated (1+m)
   * instead of striped: the same m-node tolerance, one chunk per read instead of k.
   */
  async write(source: AsyncIterable<Buffer>, maxBytes: number, sizeHint?: number): Promise<Segment> {
    if (sizeHint === undefined || sizeHint > inlineMaxBytes)
      return this.writeStriped(source, maxBytes, sizeHint);
    // A declared small size is a hint, not a promise (aws-chunked bodies): past the inline
    // bound the bytes read so far lead the rest into a striped segment.
    const it = source[Symbol.asyncIterator]();
    const parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      parts.push(r.value);
      size += r.value.length;
      if (size > inlineMaxBytes) {
        async function* rest(): AsyncGenerator<Buffer> {
          yield* parts;
          for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
        }
        return this.writeStriped(rest(), maxBytes);
      }
    }
    if (size > maxBytes)
      throw new S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", {
        MaxSizeAllowed: String(maxBytes),
      });
    return {
      id: randomUUID(),
      size,
      k: 1,
      m: 0,
      shardSize: 0,
      nodes: [],
      inline: Buffer.concat(parts, size),
    };
  }

  private async writeStriped(
    source: AsyncIterable<Buffer>,
    maxBytes: number,
    sizeHint?: number,
  ): Promise<Segment> {
    const small = sizeHint !== undefined && sizeHint <= smallSegmentBytes;
    const { m, shardSize } = this.coding;
    const k = small ? 1 : this.coding.k;
    const id = randomUUID();
    const seg: Segment = {
      id,
      size: 0,
      k,
      m,
      shardSize,
      nodes: placeShards(id, this.chunks.liveNodeIds(), k + m),
    };
    const full = stripeBytes(seg);
    let buf = this.stripeBuffer(full);
    let fill = 0;
    let stripe = 0;
    const inflight = new Set<Promise<void>>();
    let failure: unknown;
    const flush = async (whole: Buffer, data: Buffer, index: number) => {
      const p = this.writeStripe(seg, index, data).then(
        (allStored) => {
          if (allStored) this.recycleStripe(whole);
        },
        (e) => {
          failure ??= e;
        },
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      while (inflight.size >= maxStripesInFlight) await Promise.race(inflight);
      if (failure) throw failure;
    };
    try {
      for await (const piece of source) {
        let off = 0;
        if (seg.size + piece.length > maxBytes)
          throw new S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", {
            MaxSizeAllowed: String(maxBytes),
          });
        seg.size += piece.length;
        while (off < piece.length) {
          const take = Math.min(full - fill, piece.length - off);
          piece.copy(buf, fill, off, off + take);
          fill += take;
          off += take;
          if (fill === full) {
            await flush(buf, buf, stripe++);
            buf = this.stripeBuffer(full);
            fill = 0;
          }
        }
      }
      if (fill > 0) await flush(buf, buf.subarray(0, fill), stripe++);
      else this.recycleStripe(buf);
      await Promise.all(inflight);
      if (failure) throw failure;
      return seg;
    } catch (e) {
      await Promise.allSettled(inflight);
      void this.delete(seg);
      throw e;
    }
  }

  /** Stores one stripe; true when every shard was stored (none still in flight anywhere). */
  private async writeStripe(seg: Segment, stripe: number, data: Buffer): Promise<boolean> {
    const { k, m } = seg;
    const shardLen = Math.ceil(data.length / k);
    // A short last stripe is padded with zeros: in place in its own (shared) stripe buffer.
    const padded =
      data.length === shardLen * k
        ? data
        : data.buffer instanceof SharedArrayBuffer && data.buffer.byteLength - data.byteOffset >= shardLen * k
          ? Buffer.from(data.buffer, data.byteOffset, shardLen * k).fill(0, data.length)
          : Buffer.concat([data, Buffer.alloc(shardLen * k - data.length)]);
    const shards: Uint8Array[] = Array.from({ length: k }, (_, j) =>
      padded.subarray(j * shardLen, (j + 1) * shardLen),
    );
    shards.push(...(await this.parity({ k, m }, shards)));
    const results = await Promise.allSettled(
      shards.map((s, i) => this.chunks.put(seg.nodes[i] as string, chunkId(seg.id, stripe, i), s)),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    // A stripe is durable enough to acknowledge with one shard of redundancy left; the
    // scrubber rebuilds the rest.
    const needed = Math.min(k + m, k + 1);
    if (ok < needed) {
      const reason = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
      throw new S3Error(
        "ServiceUnavailable",
        `only ${ok} of ${k + m} shards could be stored: ${String(reason?.reason?.message ?? "")}`,
      );
    }
    if (ok < k + m)
      this.log.warn(
        {
          segment: seg.id,
          stripe,
          stored: ok,
          why: results.flatMap((r) =>
            r.status === "rejected" ? [String((r.reason as Error)?.message ?? r.reason)] : [],
          ),
        },
        "stripe stored degraded; scrubbing will heal it",
      );
    return ok === k + m;
  }

  /**
   * Object bytes [start, end) of a segment, stripe by stripe, with read-ahead. Each
   * yielded buffer is the only view handed out of its memory: a caller done with it may
   * give it back with releaseReadBuffer (chunk-store.ts).
   */
  async *read(seg: Segment, start = 0, end = seg.size): AsyncGenerator<Buffer> {
    if (end <= start) return;
    if (seg.inline) {
      const b = seg.inline;
      yield Buffer.from(b.buffer, b.byteOffset + start, Math.min(end, b.length) - start);
      return;
    }
    const { first, last } = stripesFor(seg, start, end);
    const full = stripeBytes(seg);
    const pending: Promise<Buffer[]>[] = [];
    let next = first;
    const fetchNext = () => {
      const s = next++;
      const lo = Math.max(start - s * full, 0);
      const hi = Math.min(end - s * full, stripeShape(seg, s).bytes);
      const p = this.readStripe(seg, s, lo, hi);
      p.catch(() => undefined);
      pending.push(p);
    };
    while (next <= last && pending.length < readAheadStripes) fetchNext();
    while (pending.length > 0) {
      const bufs = await (pending.shift() as Promise<Buffer[]>);
      if (next <= last) fetchNext();
      yield* bufs;
    }
  }

  /**
   * Bytes [lo, hi) of one stripe, as the covering data shards (trimmed, not joined: the
   * caller writes them one after another); fetches only those shards when it can.
   */
  private async readStripe(seg: Segment, stripe: number, lo: number, hi: number): Promise<Buffer[]> {
    const { k, m } = seg;
    const { bytes, shardLen } = stripeShape(seg, stripe);
    const firstShard = Math.floor(lo / shardLen);
    const lastShard = Math.floor((hi - 1) / shardLen);
    const shards: (Buffer | undefined)[] = new Array(k + m).fill(undefined);
    const fetch = async (i: number) => {
      try {
        const b = await this.chunks.get(seg.nodes[i] as string, chunkId(seg.id, stripe, i), shardLen);
        if (b.length === shardLen) shards[i] = b;
      } catch {
        // Missing, corrupt or unreachable: the parity shards stand in for it.
      }
    };
    const wanted = Array.from({ length: lastShard - firstShard + 1 }, (_, j) => firstShard + j);
    await Promise.all(wanted.map(fetch));
    if (wanted.some((i) => !shards[i])) {
      const others = Array.from({ length: k + m }, (_, i) => i).filter((i) => !wanted.includes(i));
      await Promise.all(others.map(fetch));
      const have = shards.filter(Boolean).length;
      if (have < k)
        throw new S3Error(
          "ServiceUnavailable",
          `stripe ${stripe} of segment ${seg.id} has only ${have} of the ${k} shards needed`,
        );
      const all = reconstruct({ k, m }, shards);
      for (let i = 0; i < k; i++) shards[i] = Buffer.from(all[i] as Uint8Array);
    }
    const stop = Math.min(hi, bytes);
    return wanted.map((i) => {
      const from = Math.max(lo - i * shardLen, 0);
      const to = Math.min(stop - i * shardLen, shardLen);
      return (shards[i] as Buffer).subarray(from, to);
    });
  }

  async delete(seg: Segment): Promise<void> {
    // Inline bytes go with their metadata record; stripeCount is 0.
    const n = stripeCount(seg);
    for (let s = 0; s < n; s++) {
      await Promise.allSettled(seg.nodes.map((node, i) => this.chunks.delete(node, chunkId(seg.id, s, i))));
    }
  }

  /**
   * Checks every shard of a segment and rebuilds the missing and corrupt ones from the
   * others. A shard column on a node that is down moves to a live node.
   */
  async scrub(seg: Segment): Promise<ScrubResult> {
    const { k, m } = seg;
    const result: ScrubResult = { checked: 0, repaired: 0, unrecoverable: 0 };
    if (seg.inline) return result;
    const nodes = [...seg.nodes];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as string;
      if (!this.chunks.isLive(node) || (await this.chunks.check(node, "probe-liveness")) === "unreachable") {
        const moved = replacementNode({ ...seg, nodes }, this.chunks.liveNodeIds(), node);
        if (moved && moved !== node) {
          nodes[i] = moved;
          result.nodes = nodes;
        }
      }
    }
    const n = stripeCount(seg);
    for (let s = 0; s < n; s++) {
      const states = await Promise.all(
        nodes.map((node, i) => this.chunks.check(node, chunkId(seg.id, s, i))),
      );
      result.checked += states.length;
      const bad = states.map((st, i) => (st === "ok" ? -1 : i)).filter((i) => i >= 0);
      if (bad.length === 0) continue;
      const shards: (Buffer | undefined)[] = new Array(k + m).fill(undefined);
      await Promise.all(
        states.map(async (st, i) => {
          if (st !== "ok") return;
          shards[i] = await this.chunks.get(nodes[i] as string, chunkId(seg.id, s, i)).catch(() => undefined);
        }),
      );
      if (shards.filter(Boolean).length < k) {
        result.unrecoverable++;
        this.log.error({ segment: seg.id, stripe: s }, "stripe has fewer than k good shards; data lost");
        continue;
      }
      const all = reconstruct({ k, m }, shards);
      for (const i of bad) {
        await this.chunks.put(nodes[i] as string, chunkId(seg.id, s, i), all[i] as Uint8Array);
        result.repaired++;
      }
    }
    return result;
  }
}
