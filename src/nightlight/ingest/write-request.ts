// Prometheus remote_write 1.0 `WriteRequest` (prompb/remote.proto, types.proto), decoded and
// encoded by hand: the fields are few and fixed, and a hand decoder avoids one object per sample.
//   WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
//   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; (exemplars 3, histograms 4) }
//   Label        { string name = 1; string value = 2; }
//   Sample       { double value = 1; int64 timestamp = 2; }
//   MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }

export class ProtoError extends Error {}

export interface WriteSeries {
  labels: [string, string][];
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  /** Indexes of staleness markers (kept apart: V8 may rewrite NaN payloads in arrays). */
  stale?: number[];
  /**
   * The label fields as encoded on the wire (`rawBuf[rawStart, rawEnd)`: each label's tag,
   * length and bytes), with `rawHash` = `labelBytesHash` of them, when decoded from a request:
   * the head finds a known series by them without building or sorting its labels.
   */
  rawBuf?: Uint8Array;
  rawStart?: number;
  rawEnd?: number;
  rawHash?: number;
}

/**
 * A 30-bit FNV-1a hash of label bytes: the head's series-cache key. Small enough to stay a V8
 * small integer (no boxing, the fast Map path); the head checks the bytes, so a collision only
 * costs a cache miss.
 */
export function labelBytesHash(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return (h ^ (h >>> 30)) & 0x3fffffff;
}

/** Parses label fields as `WriteSeries.rawBuf` holds them (tag 0x0a, length, Label message). */
export function decodeRawLabels(buf: Uint8Array, start: number, end: number): [string, string][] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = new Reader(b, start, end);
  const out: [string, string][] = [];
  while (r.pos < end) {
    const key = r.varint();
    if (key !== 0x0a) throw new ProtoError("unexpected field among labels");
    const [s, e] = r.lengthDelimited();
    out.push(decodeLabel(b, s, e));
  }
  return out;
}

export interface WriteMetadata {
  type: string;
  family: string;
  help: string;
  unit: string;
}

export interface WriteRequest {
  series: WriteSeries[];
  metadata: WriteMetadata[];
  histogramCount: number;
}

const metricTypes = [
  "unknown",
  "counter",
  "gauge",
  "histogram",
  "gaugehistogram",
  "summary",
  "info",
  "stateset",
];

class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError("truncated varint");
      const b = this.buf[this.pos++]!;
      if (i === 9 || (i >= 7 && (b & 0x80) !== 0)) return this.bigVarint(i, b);
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new ProtoError("varint too long");
  }

  /** Slow path for 64-bit varints (negative int64 timestamps). */
  private bigVarint(index: number, _last: number): number {
    let p = this.pos - index - 1;
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (p >= this.end) throw new ProtoError("truncated varint");
      const b = this.buf[p++]!;
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
      if (shift > 70n) throw new ProtoError("varint too long");
    }
    this.pos = p;
    return Number(BigInt.asIntN(64, v));
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.pos += this.varint();
    else if (wireType === 5) this.pos += 4;
    else throw new ProtoError(`unsupported wire type ${wireType}`);
    if (this.pos > this.end) throw new ProtoError("field overruns its message");
  }

  lengthDelimited(): [number, number] {
    const n = this.varint();
    const start = this.pos;
    if (start + n > this.end) throw new ProtoError("field overruns its message");
    this.pos += n;
    return [start, start + n];
  }

  string(): string {
    const [s, e] = this.lengthDelimited();
    return this.buf.toString("utf8", s, e);
  }
}

function decodeLabel(buf: Buffer, s: number, e: number): [string, string] {
  const r = new Reader(buf, s, e);
  let name = "";
  let value = "";
  while (r.pos < e) {
    const key = r.varint();
    const field = key >>> 3;
    if (field === 1 && (key & 7) === 2) name = r.string();
    else if (field === 2 && (key & 7) === 2) value = r.string();
    else r.skip(key & 7);
  }
  return [name, value];
}

/** A decoded TimeSeries whose labels are parsed only when asked for (the TSDB usually finds
 * the series by `rawKey` and never needs them). */
class DecodedSeries implements WriteSeries {
  ts: number[] = [];
  vs: number[] = [];
  stale?: number[];
  rawBuf?: Uint8Array;
  rawStart?: number;
  rawEnd?: number;
  rawHash?: number;
  private parsed?: [string, string][];
  constructor(
    private readonly buf: Buffer,
    readonly spans: number[],
  ) {}
  get labels(): [string, string][] {
    if (!this.parsed) {
      this.parsed = [];
      for (let i = 0; i < this.spans.length; i += 2)
        this.parsed.push(decodeLabel(this.buf, this.spans[i]!, this.spans[i + 1]!));
    }
    return this.parsed;
  }
}

/** A field's length (varint at `pos`): one- and two-byte lengths inline, the rest via Reader. */
function lengthAt(r: Reader, buf: Buffer, pos: number): number {
  const b0 = buf[pos]!;
  if (b0 < 0x80 && pos < r.end) {
    r.pos = pos + 1;
    return b0;
  }
  r.pos = pos;
  return r.varint();
}

function decodeSeries(r: Reader, buf: Buffer, s: number, e: number, out: WriteRequest): void {
  // One Reader for the whole request (its bounds reset per series); no tuples per field.
  r.pos = s;
  const end = e;
  const spans: number[] = [];
  const series = new DecodedSeries(buf, spans);
  let contiguous = true;
  let otherSinceLabel = false;
  let firstLabelAt = -1;
  while (r.pos < end) {
    const fieldAt = r.pos;
    let key = buf[r.pos]!;
    if (key < 0x80) r.pos++;
    else key = r.varint();
    const field = key >>> 3;
    const wt = key & 7;
    if (field === 1 && wt === 2) {
      const n = lengthAt(r, buf, r.pos);
      const ls = r.pos;
      const le = ls + n;
      if (le > end) throw new ProtoError("field overruns its message");
      r.pos = le;
      // The raw key is only meaningful when no other field sits between the labels.
      if (spans.length > 0 && otherSinceLabel) contiguous = false;
      if (spans.length === 0) firstLabelAt = fieldAt;
      spans.push(ls, le);
      otherSinceLabel = false;
    } else if (field === 2 && wt === 2) {
      otherSinceLabel = true;
      const n = lengthAt(r, buf, r.pos);
      const ss = r.pos;
      const se = ss + n;
      if (se > end) throw new ProtoError("field overruns its message");
      // Inline parse of Sample (no Reader per sample: this is the hottest loop of ingestion).
      let p = ss;
      let v = 0;
      let t = 0;
      let stale = false;
      while (p < se) {
        const k = buf[p++]!;
        if (k === 9) {
          if (p + 8 > se) throw new ProtoError("truncated sample value");
          const lo = buf.readUInt32LE(p);
          const hi = buf.readUInt32LE(p + 4);
          stale = lo === 2 && (hi & 0x7ff7ffff) === 0x7ff00000;
          v = buf.readDoubleLE(p);
          p += 8;
        } else if (k === 16) {
          // Millisecond timestamps of this era are 6-byte varints: up to 7 bytes inline (exact).
          const from = p;
          let x = 0;
          let mul = 1;
          let done = false;
          for (let i = 0; i < 7 && p < se; i++) {
            const b = buf[p++]!;
            x += (b & 0x7f) * mul;
            if (b < 0x80) {
              done = true;
              break;
            }
            mul *= 128;
          }
          if (!done) {
            // Longer (negative or huge) or truncated: the general reader decides.
            const sub = new Reader(buf, from, se);
            x = sub.varint();
            p = sub.pos;
          }
          t = x;
        } else {
          const sr = new Reader(buf, p - 1, se);
          const key = sr.varint();
          sr.skip(key & 7);
          p = sr.pos;
        }
      }
      r.pos = se;
      if (stale) {
        series.stale ??= [];
        series.stale.push(series.ts.length);
      }
      series.ts.push(t);
      series.vs.push(v);
    } else if (field === 4 && wt === 2) {
      otherSinceLabel = true;
      out.histogramCount++;
      r.skip(wt);
    } else {
      otherSinceLabel = true;
      r.skip(wt);
    }
    if (r.pos > end) throw new ProtoError("field overruns its message");
  }
  // The labels' wire bytes identify the series as sent; the TSDB caches series by them.
  if (spans.length > 0 && contiguous && buf[firstLabelAt] === 0x0a) {
    const rawEnd = spans[spans.length - 1]!;
    series.rawBuf = buf;
    series.rawStart = firstLabelAt;
    series.rawEnd = rawEnd;
    series.rawHash = labelBytesHash(buf, firstLabelAt, rawEnd);
  }
  out.series.push(series);
}

function decodeMetadata(buf: Buffer, s: number, e: number): WriteMetadata {
  const r = new Reader(buf, s, e);
  const m: WriteMetadata = { type: "unknown", family: "", help: "", unit: "" };
  while (r.pos < e) {
    const key = r.varint();
    const field = key >>> 3;
    const wt = key & 7;
    if (field === 1 && wt === 0) m.type = metricTypes[r.varint()] ?? "unknown";
    else if (field === 2 && wt === 2) m.family = r.string();
    else if (field === 4 && wt === 2) m.help = r.string();
    else if (field === 5 && wt === 2) m.unit = r.string();
    else r.skip(wt);
  }
  return m;
}

export function decodeWriteRequest(bytes: Uint8Array): WriteRequest {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: WriteRequest = { series: [], metadata: [], histogramCount: 0 };
  const r = new Reader(buf, 0, buf.length);
  while (r.pos < buf.length) {
    const key = r.varint();
    const field = key >>> 3;
    const wt = key & 7;
    if (field === 1 && wt === 2) {
      const [s, e] = r.lengthDelimited();
      decodeSeries(r, buf, s, e, out);
      r.pos = e;
    } else if (field === 3 && wt === 2) {
      const [s, e] = r.lengthDelimited();
      out.metadata.push(decodeMetadata(buf, s, e));
    } else r.skip(wt);
  }
  return out;
}

class Writer {
  private buf: Buffer;
  len = 0;

  constructor(initialBytes = 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Writes a string whose UTF-8 length `bytes` the caller already knows. */
  utf8(s: string, bytes: number): void {
    this.ensure(bytes);
    this.len += this.buf.write(s, this.len, bytes, "utf8");
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    if (v < 0) {
      let x = BigInt.asUintN(64, BigInt(v));
      while (x >= 0x80n) {
        this.buf[this.len++] = Number(x & 0x7fn) | 0x80;
        x >>= 7n;
      }
      this.buf[this.len++] = Number(x);
      return;
    }
    let x = v;
    while (x >= 0x80) {
      this.buf[this.len++] = (x % 128) | 0x80;
      x = Math.floor(x / 128);
    }
    this.buf[this.len++] = x;
  }

  bytes(field: number, b: Uint8Array): void {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  string(field: number, s: string): void {
    this.bytes(field, Buffer.from(s, "utf8"));
  }

  double(field: number, v: number, stale: boolean): void {
    this.varint((field << 3) | 1);
    this.ensure(8);
    if (stale) {
      this.buf.writeUInt32LE(2, this.len);
      this.buf.writeUInt32LE(0x7ff00000, this.len + 4);
    } else this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
  }

  done(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** Bytes of `v` as a protobuf varint (negative int64s take ten). */
function varintLen(v: number): number {
  if (v < 0) return 10;
  let n = 1;
  for (let x = v; x >= 128; x = Math.floor(x / 128)) n++;
  return n;
}

/**
 * Encodes in two passes (sizes, then bytes into one buffer): replicas answer reads and forward
 * scrapes with it, so it must not allocate per sample.
 */
export function encodeWriteRequest(req: { series: WriteSeries[]; metadata?: WriteMetadata[] }): Uint8Array {
  const seriesLens: number[] = [];
  const labelLens: number[] = [];
  let total = 0;
  for (const s of req.series) {
    let len = 0;
    for (const [n, v] of s.labels) {
      const nb = Buffer.byteLength(n);
      const vb = Buffer.byteLength(v);
      const lab = 1 + varintLen(nb) + nb + 1 + varintLen(vb) + vb;
      labelLens.push(nb, vb, lab);
      len += 1 + varintLen(lab) + lab;
    }
    // Sample: double (1 + 8 bytes) and timestamp (1 + varint): always under 128 bytes.
    for (let i = 0; i < s.ts.length; i++) len += 2 + 10 + varintLen(s.ts[i]!);
    seriesLens.push(len);
    total += 1 + varintLen(len) + len;
  }
  const w = new Writer(total + 1024);
  let li = 0;
  req.series.forEach((s, si) => {
    w.varint((1 << 3) | 2);
    w.varint(seriesLens[si]!);
    for (const [n, v] of s.labels) {
      const nb = labelLens[li++]!;
      const vb = labelLens[li++]!;
      w.varint((1 << 3) | 2);
      w.varint(labelLens[li++]!);
      w.varint((1 << 3) | 2);
      w.varint(nb);
      w.utf8(n, nb);
      w.varint((2 << 3) | 2);
      w.varint(vb);
      w.utf8(v, vb);
    }
    const stale = s.stale && s.stale.length > 0 ? new Set(s.stale) : undefined;
    for (let i = 0; i < s.ts.length; i++) {
      const t = s.ts[i]!;
      const isStale = stale?.has(i) ?? false;
      w.varint((2 << 3) | 2);
      w.varint(10 + varintLen(t));
      w.double(1, s.vs[i]!, isStale);
      w.varint(16);
      w.varint(t);
    }
  });
  for (const m of req.metadata ?? []) {
    const mw = new Writer();
    mw.varint(8);
    mw.varint(Math.max(0, metricTypes.indexOf(m.type)));
    mw.string(2, m.family);
    if (m.help) mw.string(4, m.help);
    if (m.unit) mw.string(5, m.unit);
    w.bytes(3, mw.done());
  }
  return w.done();
}
