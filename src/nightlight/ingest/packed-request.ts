// Decoded remote_write series packed into one ArrayBuffer, so that the decode worker hands a
// request to the main thread as a single transfer (no structured clone of an object per series):
//   f64 header [series, samples, stale markers, label bytes]
//   f64 table per series [hash, label start, label end, first sample, samples, first stale, stales]
//   f64 timestamps, f64 values, f64 stale indexes, then the label bytes (each series' label
//   fields as on the wire: tag 0x0a, length, Label message — `WriteSeries.rawBuf`).
import { decodeRawLabels, labelBytesHash, type WriteSeries } from "./write-request.ts";

const headerSlots = 4;
const tableSlots = 7;

/** Label fields in wire form, for a series whose labels did not arrive contiguously. */
function encodeLabelFields(labels: readonly [string, string][]): Uint8Array {
  const parts: number[] = [];
  const varint = (v: number) => {
    let x = v;
    while (x >= 0x80) {
      parts.push((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    parts.push(x);
  };
  for (const [n, v] of labels) {
    const nb = Buffer.from(n, "utf8");
    const vb = Buffer.from(v, "utf8");
    const inner: number[] = [];
    const push = (tag: number, b: Buffer) => {
      inner.push(tag);
      let x = b.length;
      while (x >= 0x80) {
        inner.push((x & 0x7f) | 0x80);
        x >>>= 7;
      }
      inner.push(x);
      for (const c of b) inner.push(c);
    };
    push(0x0a, nb);
    push(0x12, vb);
    parts.push(0x0a);
    varint(inner.length);
    for (const c of inner) parts.push(c);
  }
  return Uint8Array.from(parts);
}

export function packSeries(series: readonly WriteSeries[]): ArrayBuffer {
  let samples = 0;
  let stales = 0;
  let labelBytes = 0;
  const synthesized: (Uint8Array | undefined)[] = [];
  for (const s of series) {
    samples += s.ts.length;
    stales += s.stale?.length ?? 0;
    if (s.rawBuf !== undefined) {
      synthesized.push(undefined);
      labelBytes += s.rawEnd! - s.rawStart!;
    } else {
      const raw = encodeLabelFields(s.labels);
      synthesized.push(raw);
      labelBytes += raw.length;
    }
  }
  const slots = headerSlots + series.length * tableSlots + 2 * samples + stales;
  const buf = new ArrayBuffer(slots * 8 + labelBytes);
  const f = new Float64Array(buf, 0, slots);
  const bytes = new Uint8Array(buf, slots * 8, labelBytes);
  f[0] = series.length;
  f[1] = samples;
  f[2] = stales;
  f[3] = labelBytes;
  let tab = headerSlots;
  let tsAt = headerSlots + series.length * tableSlots;
  let vsAt = tsAt + samples;
  let staleAt = vsAt + samples;
  let sampleIndex = 0;
  let staleIndex = 0;
  let labelAt = 0;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    const syn = synthesized[i];
    const start = labelAt;
    if (syn) {
      bytes.set(syn, labelAt);
      labelAt += syn.length;
    } else {
      bytes.set(s.rawBuf!.subarray(s.rawStart!, s.rawEnd!), labelAt);
      labelAt += s.rawEnd! - s.rawStart!;
    }
    const n = s.ts.length;
    const ns = s.stale?.length ?? 0;
    f[tab++] = syn ? labelBytesHash(bytes, start, labelAt) : s.rawHash!;
    f[tab++] = start;
    f[tab++] = labelAt;
    f[tab++] = sampleIndex;
    f[tab++] = n;
    f[tab++] = staleIndex;
    f[tab++] = ns;
    for (let j = 0; j < n; j++) {
      f[tsAt++] = s.ts[j]!;
      f[vsAt++] = s.vs[j]!;
    }
    for (let j = 0; j < ns; j++) f[staleAt++] = s.stale![j]!;
    sampleIndex += n;
    staleIndex += ns;
  }
  return buf;
}

/** A series of a packed request: views into the one buffer; labels parsed only when asked for. */
class PackedSeries implements WriteSeries {
  private parsed?: [string, string][];
  stale?: number[];
  constructor(
    readonly ts: Float64Array,
    readonly vs: Float64Array,
    readonly rawBuf: Uint8Array,
    readonly rawStart: number,
    readonly rawEnd: number,
    readonly rawHash: number,
  ) {}
  get labels(): [string, string][] {
    if (!this.parsed) this.parsed = decodeRawLabels(this.rawBuf, this.rawStart, this.rawEnd);
    return this.parsed;
  }
}

export function unpackSeries(buf: ArrayBuffer): WriteSeries[] {
  const head = new Float64Array(buf, 0, headerSlots);
  const n = head[0]!;
  const samples = head[1]!;
  const stales = head[2]!;
  const labelBytes = head[3]!;
  const slots = headerSlots + n * tableSlots + 2 * samples + stales;
  if (buf.byteLength !== slots * 8 + labelBytes) throw new RangeError("packed request has the wrong size");
  const f = new Float64Array(buf, 0, slots);
  const tsAll = f.subarray(headerSlots + n * tableSlots, headerSlots + n * tableSlots + samples);
  const vsAll = f.subarray(
    headerSlots + n * tableSlots + samples,
    headerSlots + n * tableSlots + 2 * samples,
  );
  const staleAll = f.subarray(headerSlots + n * tableSlots + 2 * samples, slots);
  const bytes = new Uint8Array(buf, slots * 8, labelBytes);
  const out: WriteSeries[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = headerSlots + i * tableSlots;
    const first = f[t + 3]!;
    const count = f[t + 4]!;
    const s = new PackedSeries(
      tsAll.subarray(first, first + count),
      vsAll.subarray(first, first + count),
      bytes,
      f[t + 1]!,
      f[t + 2]!,
      f[t]!,
    );
    const ns = f[t + 6]!;
    if (ns > 0) s.stale = Array.from(staleAll.subarray(f[t + 5]!, f[t + 5]! + ns));
    out[i] = s;
  }
  return out;
}
