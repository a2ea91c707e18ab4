// Turns the bytes an NBD client sends into frames, with no I/O: the server shell pushes
// what the socket delivered and takes complete frames out. A violation of the framing (bad
// magic, an oversized payload) is a ProtocolViolation, after which the connection is closed:
// the spec gives the server no way to resynchronize a byte stream it cannot parse.
//
// A WRITE's payload is gathered into one buffer of its own (from `allocPayload`, the server's
// pool) as it arrives: the input may then be a reused receive buffer (see `detach`), and the
// server may even have the socket read the rest of the payload straight into it
// (`payloadTarget`/`payloadFilled`), so a large write is copied by the kernel only.
import {
  knownClientFlags,
  cmd as nbdCmd,
  nbdLimits,
  optMagic,
  requestHeaderBytes,
  requestMagic,
} from "./nbd-protocol.ts";

export class ProtocolViolation extends Error {
  override readonly name = "ProtocolViolation";
}

export type Frame =
  | { type: "clientFlags"; flags: number }
  | { type: "option"; option: number; data: Buffer }
  | {
      type: "request";
      flags: number;
      command: number;
      handle: Buffer;
      offset: number;
      length: number;
      /** The payload of a WRITE (exactly `length` bytes); empty otherwise. */
      payload: Buffer[];
      /** The buffer the payload lives in (from allocPayload; may be longer), if any. */
      payloadBuffer?: Buffer;
    };

type RequestFrame = Extract<Frame, { type: "request" }>;

export type Phase = "clientFlags" | "options" | "transmission";

/** Largest offset we accept as a JS number (2^53); real exports are far smaller. */
const maxSafeOffset = Number.MAX_SAFE_INTEGER;

export class NbdDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** A WRITE whose header is parsed and whose payload is still arriving. */
  private sink: { frame: RequestFrame; buf: Buffer; filled: number } | undefined;
  phase: Phase = "clientFlags";

  constructor(
    private readonly maxPayloadBytes: number = nbdLimits.maxPayloadBytes,
    private readonly allocPayload: (n: number) => Buffer = Buffer.allocUnsafe,
  ) {}

  /** Bytes received and not yet part of a frame (a payload being gathered is not counted). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Bytes from the socket. They may be retained until `detach` is called. */
  push(b: Buffer): void {
    if (b.length === 0) return;
    const s = this.sink;
    if (s && this.buffered === 0) {
      const k = Math.min(b.length, s.frame.length - s.filled);
      b.copy(s.buf, s.filled, 0, k);
      s.filled += k;
      if (k === b.length) return;
      b = b.subarray(k);
    }
    this.chunks.push(b);
    this.buffered += b.length;
  }

  /**
   * Copies whatever input bytes are still retained into memory of the decoder's own, so the
   * caller may reuse the buffers it pushed (a partial header at most, or an unfinished option).
   */
  detach(): void {
    if (this.chunks.length === 0) return;
    this.chunks = [Buffer.concat(this.chunks, this.buffered)];
  }

  /**
   * Where the socket may put the next bytes directly: the unfilled rest of a payload being
   * gathered, if at least `min` bytes remain. Report what was put there with payloadFilled.
   */
  payloadTarget(min: number): Buffer | undefined {
    const s = this.sink;
    if (!s || this.buffered > 0 || s.frame.length - s.filled < min) return undefined;
    return s.buf.subarray(s.filled, s.frame.length);
  }

  payloadFilled(n: number): void {
    this.sink!.filled += n;
  }

  /** The next complete frame, or undefined until more bytes arrive. Throws ProtocolViolation. */
  next(): Frame | undefined {
    const s = this.sink;
    if (s) {
      // push() fills the sink before anything is buffered, so bytes buffered here follow it.
      if (s.filled < s.frame.length) return undefined;
      this.sink = undefined;
      return s.frame;
    }
    switch (this.phase) {
      case "clientFlags": {
        const h = this.peek(4);
        if (!h) return undefined;
        this.skip(4);
        const flags = h.readUInt32BE(0);
        if ((flags & ~knownClientFlags) !== 0)
          throw new ProtocolViolation(`unknown client flags 0x${flags.toString(16)}`);
        this.phase = "options";
        return { type: "clientFlags", flags };
      }
      case "options": {
        const h = this.peek(16);
        if (!h) return undefined;
        if (h.readBigUInt64BE(0) !== optMagic) throw new ProtocolViolation("option without IHAVEOPT magic");
        const option = h.readUInt32BE(8);
        const length = h.readUInt32BE(12);
        if (length > nbdLimits.maxOptionBytes)
          throw new ProtocolViolation(
            `option ${option} carries ${length} bytes (at most ${nbdLimits.maxOptionBytes})`,
          );
        if (this.buffered < 16 + length) return undefined;
        this.skip(16);
        // Copied: the input may be a receive buffer the server reuses.
        return { type: "option", option, data: Buffer.from(this.take(length)) };
      }
      case "transmission": {
        const h = this.peek(requestHeaderBytes);
        if (!h) return undefined;
        if (h.readUInt32BE(0) !== requestMagic) throw new ProtocolViolation("request without its magic");
        const flags = h.readUInt16BE(4);
        const command = h.readUInt16BE(6);
        const handle = Buffer.from(h.subarray(8, 16));
        // Two 32-bit halves rather than a BigInt per request; anything at or past 2^53 is
        // clamped (it is past the end of every export, and the request check says so).
        const offsetHigh = h.readUInt32BE(16);
        const offset = offsetHigh >= 0x200000 ? maxSafeOffset : offsetHigh * 0x100000000 + h.readUInt32BE(20);
        const length = h.readUInt32BE(24);
        if (command === nbdCmd.write) {
          // The payload follows the header; one we will not buffer cannot be skipped safely.
          if (length > this.maxPayloadBytes)
            throw new ProtocolViolation(`write of ${length} bytes (at most ${this.maxPayloadBytes})`);
          this.skip(requestHeaderBytes);
          if (length === 0) return { type: "request", flags, command, handle, offset, length, payload: [] };
          const buf = this.allocPayload(length);
          const frame: RequestFrame = {
            type: "request",
            flags,
            command,
            handle,
            offset,
            length,
            payload: [buf.length === length ? buf : buf.subarray(0, length)],
            payloadBuffer: buf,
          };
          const k = Math.min(this.buffered, length);
          this.copyOut(buf, k);
          if (k === length) return frame;
          this.sink = { frame, buf, filled: k };
          return undefined;
        }
        this.skip(requestHeaderBytes);
        return { type: "request", flags, command, handle, offset, length, payload: [] };
      }
    }
  }

  /** The first n bytes without consuming them (copied only when they span chunks). */
  private peek(n: number): Buffer | undefined {
    if (this.buffered < n) return undefined;
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (const c of this.chunks) {
      if (filled === n) break;
      const k = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, k);
      filled += k;
    }
    return out;
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    if (first.length >= n) {
      const out = first.subarray(0, n);
      this.skip(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, k);
      filled += k;
      this.skip(k);
    }
    return out;
  }

  /** Moves the next n buffered bytes into `into`. */
  private copyOut(into: Buffer, n: number): void {
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - filled);
      c.copy(into, filled, 0, k);
      filled += k;
      this.skip(k);
    }
  }

  private skip(n: number): void {
    this.buffered -= n;
    while (n > 0) {
      const c = this.chunks[0]!;
      if (c.length <= n) {
        n -= c.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = c.subarray(n);
        n = 0;
      }
    }
  }
}
