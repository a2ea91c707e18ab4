// The TypeScript side of the batched UDP addon (batch-udp.c): loads it (building it first if
// needed) and wraps one socket's buffers. Per batch the addon fills the receive ring and the
// metadata, calls the handler once, then sends what the handler queued with reply(): the
// handler reads queries with query(i), and copies each answer into the transmit buffer.
import { lookup } from "node:dns/promises";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import { buildAddon } from "./build.ts";

export const batchUdpLimits = {
  /** Datagrams per recvmmsg/sendmmsg (the addon allows up to 256). */
  batch: 64,
  /**
   * Bytes per receive slot. A longer datagram arrives cut (MSG_TRUNC) and is flagged; real
   * queries are far shorter (EDNS clients ask for at most ~1232-byte answers).
   */
  slotBytes: 4096,
  /** Room for each answer of a batch; UDP answers are capped far below (EDNS payload). */
  replyBytes: 4096,
  /** SO_RCVBUF/SO_SNDBUF asked for (the kernel caps them at net.core.[rw]mem_max). */
  socketBufferBytes: 4 * 1024 * 1024,
};

/** The addon's counters, in the order of its Float64Array. */
export const batchUdpCounterNames = [
  "batches",
  "datagrams",
  "truncated",
  "sent",
  "sendDropped",
  "sendErrors",
  "recvErrors",
  "pollErrors",
] as const;
export type BatchUdpCounters = Record<(typeof batchUdpCounterNames)[number], number>;

interface Binding {
  bindSocket(address: string, port: number, bufferBytes: number): [number, number];
  closeFd(fd: number): void;
  open(
    fd: number,
    ownsFd: boolean,
    rx: Uint8Array,
    slotBytes: number,
    meta: Int32Array,
    tx: Uint8Array,
    out: Int32Array,
    counters: Float64Array,
    onBatch: (count: number) => number,
  ): unknown;
  close(handle: unknown): void;
  ref(handle: unknown, on: boolean): void;
  maxBatch: number;
  metaFields: number;
  outFields: number;
  counterCount: number;
}

let loading: Promise<Binding> | undefined;

/**
 * Names a prebuilt addon to load instead of building one from the source (for an install
 * whose source directory is read-only or has no compiler).
 */
export const addonPathEnv = "PHOTON_FLASHDNS_ADDON";

/** The addon, built if missing or stale; a failure is remembered for the process's life. */
export function loadBatchUdp(): Promise<Binding> {
  const prebuilt = process.env[addonPathEnv];
  loading ??= (prebuilt ? Promise.resolve(prebuilt) : buildAddon()).then((path) => {
    const b = createRequire(import.meta.url)(path) as Binding;
    if (
      b.counterCount !== batchUdpCounterNames.length ||
      b.maxBatch < batchUdpLimits.batch ||
      b.metaFields !== 8 ||
      b.outFields !== 3
    )
      throw new Error(`the batched UDP addon at ${path} does not match batch-udp.ts`);
    return b;
  });
  return loading;
}

/** Whether the addon can be used here; the reason if not. */
export async function batchUdpUnavailable(): Promise<Error | undefined> {
  try {
    await loadBatchUdp();
    return undefined;
  } catch (err) {
    return err as Error;
  }
}

/** A UDP socket bound by the addon, not yet polled: to hand to worker processes. */
export interface BoundUdpSocket {
  fd: number;
  port: number;
  close(): void;
}

/** Binds a non-blocking UDP socket; a host name is resolved once (to IPv4, as dgram does). */
export async function bindUdpSocket(host: string, port: number): Promise<BoundUdpSocket> {
  const b = await loadBatchUdp();
  const address = isIP(host) ? host : (await lookup(host, { family: 4 })).address;
  const [fd, bound] = b.bindSocket(address, port, batchUdpLimits.socketBufferBytes);
  let open = true;
  return {
    fd,
    port: bound,
    close: () => {
      if (open) b.closeFd(fd);
      open = false;
    },
  };
}

export type BatchHandler = (socket: BatchUdpSocket, count: number) => void;

export class BatchUdpSocket {
  /**
   * A plain Uint8Array, not a Buffer: Buffer's slice() is a view, and a view of the ring kept
   * past the batch (the answer cache keys on slices of the query) would change under it.
   */
  readonly rx: Uint8Array;
  private readonly meta: Int32Array;
  private readonly metaBytes: Uint8Array;
  /** Where answers are written: by reply(), or in place at txFree() then commit(). */
  readonly tx: Uint8Array;
  private readonly out: Int32Array;
  private readonly counterValues: Float64Array;
  private readonly handle: unknown;
  private readonly slotBytes = batchUdpLimits.slotBytes;
  private txBytes = 0;
  private answers = 0;
  /** Answers that did not fit the transmit buffer (never expected: see replyBytes). */
  overflowed = 0;
  private closed = false;

  private constructor(
    private readonly binding: Binding,
    fd: number,
    ownsFd: boolean,
    handler: BatchHandler,
  ) {
    const n = batchUdpLimits.batch;
    this.rx = new Uint8Array(n * this.slotBytes);
    this.meta = new Int32Array(n * binding.metaFields);
    this.metaBytes = new Uint8Array(this.meta.buffer);
    this.tx = new Uint8Array(n * batchUdpLimits.replyBytes);
    this.out = new Int32Array(n * binding.outFields);
    this.counterValues = new Float64Array(binding.counterCount);
    const onBatch = (count: number): number => {
      this.txBytes = 0;
      this.answers = 0;
      handler(this, count);
      return this.answers;
    };
    this.handle = binding.open(
      fd,
      ownsFd,
      this.rx,
      this.slotBytes,
      this.meta,
      this.tx,
      this.out,
      this.counterValues,
      onBatch,
    );
  }

  /**
   * Polls `fd` (a bound UDP socket) and calls `handler` once per batch of datagrams. With
   * `ownsFd` the socket is closed with this object; otherwise its owner closes it.
   */
  static async open(fd: number, ownsFd: boolean, handler: BatchHandler): Promise<BatchUdpSocket> {
    return new BatchUdpSocket(await loadBatchUdp(), fd, ownsFd, handler);
  }

  /** The i-th datagram of the batch (a view into the ring, valid until the handler returns). */
  query(i: number): Uint8Array {
    const start = i * this.slotBytes;
    return this.rx.subarray(start, start + (this.meta[i * 8] as number));
  }

  /** Where the i-th datagram starts in rx (query(i) without a view object). */
  queryStart(i: number): number {
    return i * this.slotBytes;
  }

  /** The i-th datagram's length in rx. */
  queryLength(i: number): number {
    return this.meta[i * 8] as number;
  }

  /** Where the next answer goes in tx; -1 when no more answers fit this batch. */
  txFree(): number {
    return this.answers >= batchUdpLimits.batch ? -1 : this.txBytes;
  }

  /** Room in tx from txFree() on. */
  txRoom(): number {
    return this.tx.length - this.txBytes;
  }

  /**
   * Queues the `length` bytes already written at txFree() as the answer to the i-th datagram
   * (the copy-free form of reply()).
   */
  commit(i: number, length: number): void {
    const o = this.answers * 3;
    this.out[o] = i;
    this.out[o + 1] = this.txBytes;
    this.out[o + 2] = length;
    this.txBytes += length;
    this.answers++;
  }

  /** Whether the i-th datagram was longer than a slot (only its start is in query(i)). */
  truncated(i: number): boolean {
    return ((this.meta[i * 8 + 1] as number) & 1) !== 0;
  }

  /** The i-th datagram's source address as text ("192.0.2.1", "2001:db8:0:0:0:0:0:1"). */
  address(i: number): string {
    const family = this.meta[i * 8 + 2];
    const at = (i * 8 + 4) * 4;
    const a = this.metaBytes;
    if (family === 4) return `${a[at]}.${a[at + 1]}.${a[at + 2]}.${a[at + 3]}`;
    if (family !== 6) return "";
    let mapped = a[at + 10] === 0xff && a[at + 11] === 0xff;
    for (let j = 0; j < 10 && mapped; j++) mapped = a[at + j] === 0;
    if (mapped) return `::ffff:${a[at + 12]}.${a[at + 13]}.${a[at + 14]}.${a[at + 15]}`;
    const groups: string[] = [];
    for (let j = 0; j < 16; j += 2)
      groups.push((((a[at + j] as number) << 8) | (a[at + j + 1] as number)).toString(16));
    return groups.join(":");
  }

  /** The i-th datagram's source port. */
  port(i: number): number {
    return this.meta[i * 8 + 3] as number;
  }

  /** Queues `bytes` as the answer to the i-th datagram (sent when the handler returns). */
  reply(i: number, bytes: Uint8Array): boolean {
    if (this.txBytes + bytes.length > this.tx.length || this.answers >= batchUdpLimits.batch) {
      this.overflowed++;
      return false;
    }
    this.tx.set(bytes, this.txBytes);
    this.commit(i, bytes.length);
    return true;
  }

  counters(): BatchUdpCounters {
    const c = {} as BatchUdpCounters;
    batchUdpCounterNames.forEach((name, i) => {
      c[name] = this.counterValues[i] as number;
    });
    return c;
  }

  /** Whether this socket keeps the process alive (as dgram's ref/unref). */
  ref(on: boolean): void {
    if (!this.closed) this.binding.ref(this.handle, on);
  }

  /** Stops polling and closes the socket if it owns it; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.binding.close(this.handle);
  }
}
