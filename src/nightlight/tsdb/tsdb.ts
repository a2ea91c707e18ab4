// nightlight's time-series database: the head (recent chunks in memory, made durable by the
// write-ahead log before a write is acknowledged), immutable blocks on disk cut from the head,
// compaction of small blocks into larger ones, and retention. Queries see head and blocks as one.
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { snappyDecompress } from "../ingest/snappy.ts";
import { decodeWriteRequest, type WriteSeries } from "../ingest/write-request.ts";
import { Block, type BlockSeriesInput, indexFile } from "./block.ts";
import { ByteReader, ByteWriter } from "./byte-io.ts";
import { type DecodedSamples, decodeChunkInto } from "./chunk.ts";
import { DecodedChunkCache } from "./decoded-chunk-cache.ts";
import { MemSeries, type OldSample, type StoredChunk, TenantHead } from "./head.ts";
import { type Labels, labelsKey, validateLabels } from "./labels.ts";
import { type Matcher, matchesLabels } from "./matcher.ts";
import { defaultLimits, type LimitsConfig, SampleRateLimiter } from "./tenant-limits.ts";
import { Wal } from "./wal.ts";

export interface TsdbOptions {
  dir: string;
  clock: () => number;
  limits?: Partial<LimitsConfig>;
  /** Time span of a block cut from the head (Prometheus: 2h). */
  blockRangeMs?: number;
  /** Blocks whose newest sample is older than this (relative to the newest data) are deleted. */
  retentionMs?: number;
}

export interface WriteOutcome {
  /** 204 all stored; 400 some refused for good; 429 over the rate limit (retry later). */
  status: 204 | 400 | 429;
  accepted: number;
  message?: string;
}

export interface SelectedSeries extends DecodedSamples {
  labels: Labels;
}

const recBatch = 1;
const recChunk = 2;
/**
 * A remote_write request as it arrived (tenant + snappy body): ~1.5 bytes per sample instead of
 * 20, and no per-sample encoding on the hot path. Replay applies it again to the head as it was,
 * which reaches the same verdicts (the head state and the code are the same).
 */
const recWire = 3;
/** The next series id at a checkpoint (ids of series dropped since are not reused). */
const recNextId = 4;
/** As `recWire`, for a write that may insert out-of-order samples (a replica's or a backfill's). */
const recWireOutOfOrder = 5;
/** A series' last sample at a checkpoint (it may be newer than its chunks left in the head). */
const recSeriesLast = 6;
/**
 * How far behind the newest sample in the head an out-of-order sample may be (Prometheus's
 * `out_of_order_time_window`), for writes that allow them. Replicas need it because forwarded
 * writes of one series travel as separate requests and can overtake each other, and a replica
 * that died with a write in flight gets it back by backfill after samples newer than it.
 */
export const outOfOrderWindowMs = 30 * 60_000;
/** Most distinct errors reported back in one write response. */
const maxReportedErrors = 5;

export class Tsdb {
  private readonly tenants = new Map<string, TenantHead>();
  private readonly seriesById = new Map<number, MemSeries>();
  private nextId = 1;
  private wal!: Wal;
  private blocks: Block[] = [];
  /** Decoded closed chunks for queries (bounded; see decoded-chunk-cache.ts). */
  private readonly decoded = new DecodedChunkCache();
  private readonly limits: LimitsConfig;
  private readonly rate: SampleRateLimiter;
  readonly blockRangeMs: number;
  readonly retentionMs: number;
  private compacting = false;
  /** Newest sample time the head has held; the out-of-order window is measured back from it. */
  private headMaxT = Number.NEGATIVE_INFINITY;
  /** Newest sample time in any block: older samples cannot enter the head (they would overlap). */
  private blocksMaxT = Number.NEGATIVE_INFINITY;
  samplesAppended = 0;
  /** Samples stored older than their series' last one (the out-of-order path). */
  samplesOutOfOrder = 0;

  private constructor(private readonly opts: TsdbOptions) {
    this.limits = { ...defaultLimits, ...opts.limits };
    this.rate = new SampleRateLimiter(this.limits);
    this.blockRangeMs = opts.blockRangeMs ?? 2 * 3600_000;
    this.retentionMs = opts.retentionMs ?? 15 * 24 * 3600_000;
  }

  static async open(opts: TsdbOptions): Promise<Tsdb> {
    const db = new Tsdb(opts);
    const walDir = join(opts.dir, "wal");
    const blocksDir = join(opts.dir, "blocks");
    mkdirSync(walDir, { recursive: true });
    mkdirSync(blocksDir, { recursive: true });
    for (const name of readdirSync(blocksDir).sort()) {
      if (name.endsWith(".tmp")) rmSync(join(blocksDir, name), { recursive: true, force: true });
      else if (existsSync(join(blocksDir, name, indexFile)))
        db.blocks.push(Block.load(join(blocksDir, name)));
    }
    db.blocks.sort((a, b) => a.mint - b.mint);
    db.noteBlocks();
    db.wal = await Wal.open(walDir, (r) => db.replay(r));
    return db;
  }

  private tenant(name: string): TenantHead {
    let t = this.tenants.get(name);
    if (!t) {
      t = new TenantHead();
      this.tenants.set(name, t);
    }
    return t;
  }

  private createSeries(tenant: string, labels: Labels, key: string, id = this.nextId++): MemSeries {
    const s = new MemSeries(id, tenant, labels, key);
    this.tenant(tenant).add(s);
    this.seriesById.set(id, s);
    if (id >= this.nextId) this.nextId = id + 1;
    return s;
  }

  private noteBlocks(): void {
    this.blocksMaxT = Math.max(Number.NEGATIVE_INFINITY, ...this.blocks.map((b) => b.maxt));
  }

  /** The oldest time an out-of-order sample may have now (it must also be newer than every block). */
  private outOfOrderMinT(): number {
    return this.headMaxT - outOfOrderWindowMs;
  }

  /** The newest sample time in the head (−∞ when empty); backfill splits its copy there. */
  newestHeadSampleMs(): number {
    return this.headMaxT;
  }

  private replay(payload: Buffer): void {
    const r = new ByteReader(payload);
    const type = r.u8();
    if (type === recBatch) {
      const nSeries = r.u32();
      for (let i = 0; i < nSeries; i++) {
        const id = r.u32();
        const tenant = r.str();
        const n = r.u16();
        const labels: [string, string][] = [];
        for (let j = 0; j < n; j++) labels.push([r.str(), r.str()]);
        if (!this.seriesById.has(id)) {
          const key = labelsKey(labels);
          const existing = this.tenant(tenant).byKey.get(key);
          if (!existing) this.createSeries(tenant, labels, key, id);
        }
      }
      const nSamples = r.u32();
      for (let i = 0; i < nSamples; i++) {
        const id = r.u32();
        const t = r.f64();
        const lo = r.u32();
        const hi = r.u32();
        const v = payload.readDoubleLE(r.pos - 8);
        const stale = lo === 2 && (hi & 0x7ff7ffff) === 0x7ff00000;
        const s = this.seriesById.get(id);
        if (!s) continue;
        const outcome = s.append(t, v, stale);
        if (outcome === "ok") {
          this.samplesAppended++;
          if (t > this.headMaxT) this.headMaxT = t;
        } else if (outcome === "out-of-order" && t > this.blocksMaxT) {
          // Logged only once stored, so it was within the window then; a block cut since the
          // record was written (crash before the WAL rotated) already holds it.
          if (s.insertOld([{ t, v, stale }])[0] === "ok") {
            this.samplesAppended++;
            this.samplesOutOfOrder++;
          }
        }
      }
    } else if (type === recNextId) {
      this.nextId = Math.max(this.nextId, r.u32());
    } else if (type === recWire || type === recWireOutOfOrder) {
      const tenant = r.str();
      const body = r.bytes();
      const wr = decodeWriteRequest(snappyDecompress(body));
      this.samplesAppended += this.apply(tenant, wr.series, false, type === recWireOutOfOrder).appended;
    } else if (type === recSeriesLast) {
      const id = r.u32();
      const t = r.f64();
      const v = r.f64();
      const stale = r.u8() === 1;
      const s = this.seriesById.get(id);
      if (s && t > s.lastT) s.setLast(t, v, stale);
      if (t > this.headMaxT) this.headMaxT = t;
    } else if (type === recChunk) {
      const id = r.u32();
      const open = r.u8() === 1;
      const count = r.u16();
      const mint = r.f64();
      const maxt = r.f64();
      const bytes = r.bytes();
      const s = this.seriesById.get(id);
      if (!s || maxt <= s.lastT) return;
      if (maxt > this.headMaxT) this.headMaxT = maxt;
      if (open || mint <= s.lastT) {
        // Re-append sample by sample (the open chunk, or one overlapping what is there).
        const ts = new Float64Array(count);
        const vs = new Float64Array(count);
        const st = new Uint8Array(count);
        decodeChunkInto(bytes, count, ts, vs, 0, st);
        for (let i = 0; i < count; i++) s.append(ts[i]!, vs[i]!, st[i] === 1);
      } else {
        if (s.app && s.app.count > 0) s.cut();
        s.chunks.push({ bytes, count, mint, maxt });
        // The last value tells a duplicate from a conflicting sample at the same timestamp.
        const ts = new Float64Array(count);
        const vs = new Float64Array(count);
        const st = new Uint8Array(count);
        decodeChunkInto(bytes, count, ts, vs, 0, st);
        s.setLast(maxt, vs[count - 1]!, st[count - 1] === 1);
      }
    }
  }

  /**
   * Stores remote_write series for a tenant; resolves after the WAL record is fsynced. Invalid
   * series and samples are skipped and reported (400) while the rest are stored, as Prometheus does.
   */
  async write(
    tenant: string,
    series: WriteSeries[],
    /**
     * `wire`: the snappy remote_write body `series` was decoded from, logged as it is.
     * `outOfOrder`: store samples older than their series' last one (within `outOfOrderWindowMs`);
     * replicas and backfill pass it, a single server refuses them as Prometheus does.
     */
    opts: { admitted?: boolean; wire?: Uint8Array; outOfOrder?: boolean } = {},
  ): Promise<WriteOutcome> {
    if (!opts.admitted) {
      const refused = this.admit(tenant, series);
      if (refused) return refused;
    }
    const wire = opts.wire;
    const outOfOrder = opts.outOfOrder === true;
    const out = this.apply(tenant, series, wire === undefined, outOfOrder);
    if (out.record) await this.wal.append(out.record);
    else if (wire !== undefined && out.changed) {
      const w = new ByteWriter(wire.length + 64);
      w.u8(outOfOrder ? recWireOutOfOrder : recWire);
      w.str(tenant);
      w.bytes(wire);
      await this.wal.append(w.done());
    }
    this.samplesAppended += out.appended;
    if (out.refused > 0)
      return {
        status: 400,
        accepted: out.appended,
        message: `${out.refused} samples refused: ${out.errors.join("; ")}`,
      };
    return { status: 204, accepted: out.appended };
  }

  /**
   * Appends to the head (no I/O). With `log`, also builds the WAL record of what changed (new
   * series and appended samples); without, the caller logs the request itself (or replays).
   */
  private apply(
    tenant: string,
    series: readonly WriteSeries[],
    log: boolean,
    outOfOrder: boolean,
  ): { appended: number; refused: number; errors: string[]; changed: boolean; record?: Buffer } {
    let total = 0;
    for (const s of series) total += s.ts.length;
    const head = this.tenant(tenant);
    const errors: string[] = [];
    const note = (msg: string) => {
      if (errors.length < maxReportedErrors && !errors.includes(msg)) errors.push(msg);
    };
    let refused = 0;
    const rec = new ByteWriter(256);
    rec.u8(recBatch);
    const nSeriesAt = rec.len;
    rec.u32(0);
    let nSeries = 0;
    // Appended samples go straight into their own WAL section (no object per sample).
    const samplesRec = new ByteWriter(log ? 16 + total * 20 : 16);
    let appended = 0;
    for (const ws of series) {
      const raw = ws.rawBuf;
      let s = raw !== undefined ? head.findRaw(ws.rawHash!, raw, ws.rawStart!, ws.rawEnd!) : undefined;
      if (!s) {
        const labels = validateLabels(ws.labels);
        if (typeof labels === "string") {
          note(labels);
          refused += ws.ts.length;
          continue;
        }
        const key = labelsKey(labels);
        s = head.byKey.get(key);
        if (!s) {
          if (head.size >= this.limits.maxSeriesPerTenant) {
            note(
              `tenant "${tenant}" reached its limit of ${this.limits.maxSeriesPerTenant} active series; new series are refused (drop high-cardinality labels, or raise --max-series-per-tenant)`,
            );
            refused += ws.ts.length;
            continue;
          }
          s = this.createSeries(tenant, labels, key);
          nSeries++;
          if (log) {
            rec.u32(s.id);
            rec.str(tenant);
            rec.u16(labels.length);
            for (const [n, v] of labels) {
              rec.str(n);
              rec.str(v);
            }
          }
        }
        if (raw !== undefined) head.cacheRaw(ws.rawHash!, raw, ws.rawStart!, ws.rawEnd!, s);
      }
      const staleSet = ws.stale ? new Set(ws.stale) : undefined;
      let old: OldSample[] | undefined;
      for (let i = 0; i < ws.ts.length; i++) {
        const t = ws.ts[i]!;
        const stale = staleSet?.has(i) ?? false;
        const outcome = s.append(t, ws.vs[i]!, stale);
        if (outcome === "ok") {
          if (log) logSample(samplesRec, s.id, t, ws.vs[i]!, stale);
          if (t > this.headMaxT) this.headMaxT = t;
          appended++;
        } else if (outcome === "out-of-order") {
          if (outOfOrder && t > this.blocksMaxT && t >= this.outOfOrderMinT()) {
            if (!old) old = [];
            old.push({ t, v: ws.vs[i]!, stale });
            continue;
          }
          refused++;
          note(
            outOfOrder
              ? `out of order sample for series ${describe(s.labels)} at ${t}: older than the out-of-order window (${outOfOrderWindowMs} ms behind the newest sample) or than the persisted blocks`
              : `out of order sample for series ${describe(s.labels)} at ${t}`,
          );
        } else if (outcome === "conflict") {
          refused++;
          note(`duplicate sample for timestamp ${t} with a different value, series ${describe(s.labels)}`);
        }
      }
      if (old) {
        const outcomes = s.insertOld(old);
        for (let i = 0; i < old.length; i++) {
          const o = old[i]!;
          if (outcomes[i] === "ok") {
            if (log) logSample(samplesRec, s.id, o.t, o.v, o.stale);
            appended++;
            this.samplesOutOfOrder++;
          } else if (outcomes[i] === "conflict") {
            refused++;
            note(
              `duplicate sample for timestamp ${o.t} with a different value, series ${describe(s.labels)}`,
            );
          }
        }
      }
    }
    const changed = nSeries > 0 || appended > 0;
    if (!log || !changed) return { appended, refused, errors, changed };
    rec.patchU32(nSeriesAt, nSeries);
    rec.u32(appended);
    rec.raw(samplesRec.done());
    return { appended, refused, errors, changed, record: rec.done() };
  }

  /**
   * Takes the samples of a write from the tenant's rate budget; answers the 429 outcome when over
   * it. Replicas call it once where a write arrives and pass `admitted` when storing it.
   */
  admit(tenant: string, series: readonly WriteSeries[]): WriteOutcome | undefined {
    let total = 0;
    for (const s of series) total += s.ts.length;
    if (this.rate.take(tenant, total, this.opts.clock())) return undefined;
    return {
      status: 429,
      accepted: 0,
      message: `tenant "${tenant}" is over its ingestion limit of ${this.limits.maxSamplesPerSecond} samples/s; slow down and retry`,
    };
  }

  /** Tenants with series in the head or in a block. */
  tenantNames(): string[] {
    const names = new Set(this.tenants.keys());
    for (const b of this.blocks) for (const t of b.tenants.keys()) names.add(t);
    return [...names].sort();
  }

  /**
   * From when a restarted replica must copy its peers' samples: the oldest "last sample" of the
   * series in its head, less the out-of-order window (a series may lack a write that newer ones
   * overtook, and such a gap can be filled only within the window), but not before the newest
   * block; else the newest block's end; undefined when it holds nothing.
   */
  catchUpFromMs(): number | undefined {
    let oldestLast = Number.POSITIVE_INFINITY;
    for (const s of this.seriesById.values()) if (!s.empty) oldestLast = Math.min(oldestLast, s.lastT);
    if (Number.isFinite(oldestLast))
      return Math.min(oldestLast, Math.max(oldestLast - outOfOrderWindowMs, this.blocksMaxT));
    const newestBlock = Math.max(...this.blocks.map((b) => b.maxt));
    return Number.isFinite(newestBlock) ? newestBlock : undefined;
  }

  /** Series of a tenant matching every matcher, with their samples overlapping [mint, maxt]. */
  select(tenant: string, matchers: readonly Matcher[], mint: number, maxt: number): SelectedSeries[] {
    // Per series: its chunks in range and, beside each, its key in the decoded-chunk cache
    // (undefined for the open head chunk, whose bytes still grow).
    const found = new Map<string, { labels: Labels; chunks: StoredChunk[]; keys: (object | undefined)[] }>();
    const take = (key: string, labels: Labels, chunk: StoredChunk, cacheKey: object | undefined) => {
      if (chunk.maxt < mint || chunk.mint > maxt) return;
      let e = found.get(key);
      if (!e) {
        e = { labels, chunks: [], keys: [] };
        found.set(key, e);
      }
      e.chunks.push(chunk);
      e.keys.push(cacheKey);
    };
    for (const b of this.blocks) {
      if (b.maxt < mint || b.mint > maxt) continue;
      const t = b.tenants.get(tenant);
      if (!t) continue;
      const ids = t.postings.candidates(matchers) ?? t.series.map((_, i) => i);
      for (const i of ids) {
        const s = t.series[i]!;
        if (!matchesLabels(matchers, s.labels)) continue;
        // A block's chunk reference lives as long as the block: it keys that chunk's bytes.
        for (const r of s.chunks) if (r[4] >= mint && r[3] <= maxt) take(s.key, s.labels, b.chunk(r), r);
      }
    }
    const head = this.tenants.get(tenant);
    if (head) {
      const ids = head.postings.candidates(matchers) ?? [...head.byId.keys()];
      for (const id of ids) {
        const s = head.byId.get(id);
        if (!s || !matchesLabels(matchers, s.labels)) continue;
        // Closed head chunks are never changed in place (an out-of-order insert replaces them).
        const all = s.allChunks();
        for (let i = 0; i < all.length; i++) {
          const c = all[i]!;
          take(s.key, s.labels, c, i < s.chunks.length ? c : undefined);
        }
      }
    }
    const out: SelectedSeries[] = [];
    for (const { labels, chunks, keys } of found.values()) {
      let n = 0;
      let sorted = true;
      let prevMaxt = Number.NEGATIVE_INFINITY;
      for (const c of chunks) {
        n += c.count;
        if (c.mint <= prevMaxt) sorted = false;
        prevMaxt = c.maxt;
      }
      const ts = new Float64Array(n);
      const vs = new Float64Array(n);
      const stale = new Uint8Array(n);
      let o = 0;
      for (let i = 0; i < chunks.length; i++) {
        const c = chunks[i]!;
        const k = keys[i];
        o =
          k === undefined
            ? decodeChunkInto(c.bytes, c.count, ts, vs, o, stale)
            : this.decoded.decodeInto(k, c.bytes, c.count, ts, vs, o, stale);
      }
      // Overlapping chunks (a block and the head holding the same range after a crash between a
      // block cut and the WAL checkpoint) are merged: sorted, one sample per timestamp.
      out.push(sorted ? { labels, ts, vs, stale } : sortUnique({ labels, ts, vs, stale }));
    }
    return out;
  }

  /** Label sets of matching series (no samples decoded), for /api/v1/series and label lookups. */
  seriesLabels(tenant: string, matchers: readonly Matcher[], mint: number, maxt: number): Labels[] {
    const found = new Map<string, Labels>();
    for (const b of this.blocks) {
      if (b.maxt < mint || b.mint > maxt) continue;
      const t = b.tenants.get(tenant);
      if (!t) continue;
      for (const i of t.postings.candidates(matchers) ?? t.series.map((_, i) => i)) {
        const s = t.series[i]!;
        if (s.chunks.some((r) => r[4] >= mint && r[3] <= maxt) && matchesLabels(matchers, s.labels))
          found.set(s.key, s.labels);
      }
    }
    const head = this.tenants.get(tenant);
    if (head) {
      for (const id of head.postings.candidates(matchers) ?? [...head.byId.keys()]) {
        const s = head.byId.get(id);
        if (!s || s.empty || s.lastT < mint || s.mint > maxt) continue;
        if (matchesLabels(matchers, s.labels)) found.set(s.key, s.labels);
      }
    }
    return [...found.values()];
  }

  stats(): {
    series: number;
    blocks: number;
    blockSamples: number;
    samplesAppended: number;
    samplesOutOfOrder: number;
  } {
    return {
      series: this.seriesById.size,
      blocks: this.blocks.length,
      blockSamples: this.blocks.reduce((n, b) => n + b.samples, 0),
      samplesAppended: this.samplesAppended,
      samplesOutOfOrder: this.samplesOutOfOrder,
    };
  }

  activeSeries(tenant: string): number {
    return this.tenants.get(tenant)?.size ?? 0;
  }

  private headRange(): [number, number] {
    let mint = Number.POSITIVE_INFINITY;
    let maxt = Number.NEGATIVE_INFINITY;
    for (const s of this.seriesById.values()) {
      if (s.empty) continue;
      mint = Math.min(mint, s.mint);
      maxt = Math.max(maxt, s.lastT);
    }
    return [mint, maxt];
  }

  /**
   * Cuts blocks from the head while it spans more than 1.5 block ranges, checkpoints the WAL,
   * merges finished groups of small blocks, applies retention and forgets idle series.
   * `force` cuts everything older than the newest block range (used by tests and the bench).
   */
  async compact(force = false): Promise<void> {
    if (this.compacting) return;
    this.compacting = true;
    try {
      const range = this.blockRangeMs;
      let cut = false;
      for (let guard = 0; guard < 1000; guard++) {
        const [hmin, hmax] = this.headRange();
        if (!Number.isFinite(hmin)) break;
        if (!force && hmax - hmin <= range * 1.5) break;
        // Close appenders of series gone quiet, so their data can leave the head too.
        let first = Number.POSITIVE_INFINITY;
        for (const s of this.seriesById.values()) {
          if (s.app && s.app.count > 0 && (force || s.app.maxt < hmax - range / 2)) s.cut();
          if (s.chunks.length > 0) first = Math.min(first, s.chunks[0]!.maxt);
        }
        if (!Number.isFinite(first)) break;
        const end = force ? hmax + 1 : (Math.floor(first / range) + 1) * range;
        if (!force && end > hmax - range / 2) break;
        const moved: { s: MemSeries; n: number }[] = [];
        const input: BlockSeriesInput[] = [];
        for (const s of this.seriesById.values()) {
          let n = 0;
          while (n < s.chunks.length && s.chunks[n]!.maxt < end) n++;
          if (n === 0) continue;
          moved.push({ s, n });
          input.push({ tenant: s.tenant, labels: s.labels, chunks: s.chunks.slice(0, n) });
        }
        if (input.length === 0) break;
        const block = Block.write(join(this.opts.dir, "blocks"), blockName(end - range, end), input);
        // Swap in the same tick as the removal so that no query sees a chunk twice.
        this.blocks.push(block);
        this.blocks.sort((a, b) => a.mint - b.mint);
        this.noteBlocks();
        for (const { s, n } of moved) s.chunks.splice(0, n);
        cut = true;
        if (force) break;
      }
      if (cut) await this.wal.rotate(() => this.checkpoint());
      this.mergeBlocks();
      this.applyRetention();
      const [, hmax] = this.headRange();
      for (const [, head] of this.tenants) {
        head.gc((s) => {
          const drop = s.empty && s.lastT < hmax - range;
          if (drop) this.seriesById.delete(s.id);
          return drop;
        });
      }
    } finally {
      this.compacting = false;
    }
  }

  /** The head as WAL records: each series, then its chunks (the open one flagged). */
  private checkpoint(): Buffer[] {
    // Replayed requests number new series from here, exactly as they were numbered when written.
    const next = new ByteWriter(8);
    next.u8(recNextId);
    next.u32(this.nextId);
    const out: Buffer[] = [next.done()];
    for (const s of this.seriesById.values()) {
      const w = new ByteWriter(256);
      w.u8(recBatch);
      w.u32(1);
      w.u32(s.id);
      w.str(s.tenant);
      w.u16(s.labels.length);
      for (const [n, v] of s.labels) {
        w.str(n);
        w.str(v);
      }
      w.u32(0);
      out.push(w.done());
      const chunks = s.chunks.map((c) => ({ c, open: false }));
      if (s.app && s.app.count > 0)
        chunks.push({
          c: { bytes: s.app.bytes(), count: s.app.count, mint: s.app.mint, maxt: s.app.maxt },
          open: true,
        });
      for (const { c, open } of chunks) {
        const cw = new ByteWriter(c.bytes.length + 40);
        cw.u8(recChunk);
        cw.u32(s.id);
        cw.u8(open ? 1 : 0);
        cw.u16(c.count);
        cw.f64(c.mint);
        cw.f64(c.maxt);
        cw.bytes(c.bytes);
        out.push(cw.done());
      }
      // The last sample decides in-order vs out-of-order after a restart as it did before.
      const last = s.lastSample();
      if (Number.isFinite(last.t)) {
        const lw = new ByteWriter(32);
        lw.u8(recSeriesLast);
        lw.u32(s.id);
        lw.f64(last.t);
        lw.f64(last.stale ? 0 : last.v);
        lw.u8(last.stale ? 1 : 0);
        out.push(lw.done());
      }
    }
    return out;
  }

  /** Merges blocks of one finished 3-range window into one block (Prometheus-style levels). */
  private mergeBlocks(): void {
    const window = this.blockRangeMs * 3;
    const newest = Math.max(this.headRange()[1], ...this.blocks.map((b) => b.maxt));
    const groups = new Map<number, Block[]>();
    for (const b of this.blocks) {
      const g = Math.floor(b.mint / window);
      groups.set(g, [...(groups.get(g) ?? []), b]);
    }
    for (const [g, list] of groups) {
      if (list.length < 2 || (g + 1) * window > newest) continue;
      const bySeries = new Map<string, BlockSeriesInput>();
      for (const b of list) {
        for (const s of b.allSeries()) {
          const k = `${s.tenant}\x00${labelsKey(s.labels)}`;
          const e = bySeries.get(k);
          if (e) e.chunks.push(...s.chunks);
          else bySeries.set(k, { ...s, chunks: [...s.chunks] });
        }
      }
      const merged = Block.write(join(this.opts.dir, "blocks"), blockName(g * window, (g + 1) * window), [
        ...bySeries.values(),
      ]);
      this.blocks = [...this.blocks.filter((b) => !list.includes(b)), merged].sort((a, b) => a.mint - b.mint);
      for (const b of list) rmSync(b.dir, { recursive: true, force: true });
    }
  }

  private applyRetention(): void {
    const newest = Math.max(this.headRange()[1], ...this.blocks.map((b) => b.maxt));
    const keep = this.blocks.filter((b) => b.maxt >= newest - this.retentionMs);
    for (const b of this.blocks) if (!keep.includes(b)) rmSync(b.dir, { recursive: true, force: true });
    this.blocks = keep;
    this.noteBlocks();
  }

  diskBytes(): number {
    return this.blocks.reduce((n, b) => n + b.sizeBytes(), 0);
  }

  async close(): Promise<void> {
    await this.wal.close();
  }
}

let blockSeq = 0;
function blockName(start: number, end: number): string {
  blockSeq = (blockSeq + 1) % 1_000_000;
  return `b-${String(start).padStart(15, "0")}-${String(end).padStart(15, "0")}-${process.pid}-${blockSeq}`;
}

function logSample(rec: ByteWriter, id: number, t: number, v: number, stale: boolean): void {
  rec.u32(id);
  rec.f64(t);
  if (stale) {
    rec.u32(2);
    rec.u32(0x7ff00000);
  } else rec.f64(v);
}

/** Sorts a series' samples by time, keeping the first of equal timestamps. */
function sortUnique(s: SelectedSeries): SelectedSeries {
  const idx = Array.from(s.ts, (_, i) => i).sort((a, b) => s.ts[a]! - s.ts[b]! || a - b);
  const ts = new Float64Array(idx.length);
  const vs = new Float64Array(idx.length);
  const stale = new Uint8Array(idx.length);
  let o = 0;
  for (const i of idx) {
    if (o > 0 && ts[o - 1] === s.ts[i]) continue;
    ts[o] = s.ts[i]!;
    vs[o] = s.vs[i]!;
    stale[o] = s.stale[i]!;
    o++;
  }
  return { labels: s.labels, ts: ts.subarray(0, o), vs: vs.subarray(0, o), stale: stale.subarray(0, o) };
}

function describe(labels: Labels): string {
  return `{${labels.map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(", ")}}`;
}
