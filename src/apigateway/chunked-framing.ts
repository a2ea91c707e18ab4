// Where a chunked HTTP body ends (RFC 9112 §7.1). The gateway passes chunked bodies through
// byte for byte; it only needs to know where one message stops and the next starts, and how
// many payload bytes went by (for body limits). Pure: bytes in, offsets out.

/** Longest chunk-size line or trailer section accepted. */
export const maxChunkLineBytes = 4096;
/** Largest chunk accepted (2^40 bytes, far beyond any body limit). */
const maxChunkHexDigits = 10;

enum S {
  Size,
  SizeExt,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  Trailer,
  TrailerLf,
  FinalLf,
  Done,
}

export class ChunkedFraming {
  private state = S.Size;
  private remaining = 0;
  private digits = 0;
  private lineBytes = 0;
  /** Payload bytes seen so far (not counting chunk framing). */
  dataBytes = 0;

  get done(): boolean {
    return this.state === S.Done;
  }

  /**
   * Consumes buf[start, end). Returns the offset just past the end of the message when it ends
   * inside this range, or -1 when more bytes are needed. Throws on malformed framing.
   */
  feed(buf: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end) {
      const c = buf[i]!;
      switch (this.state) {
        case S.Data: {
          const n = Math.min(this.remaining, end - i);
          this.remaining -= n;
          this.dataBytes += n;
          i += n;
          if (this.remaining === 0) this.state = S.DataCr;
          continue;
        }
        case S.Size: {
          const v = hexValue(c);
          if (v >= 0) {
            if (++this.digits > maxChunkHexDigits) throw new Error("chunk size is too large");
            this.remaining = this.remaining * 16 + v;
          } else if (this.digits > 0 && (c === 0x3b || c === 0x20 || c === 0x09)) this.state = S.SizeExt;
          else if (this.digits > 0 && c === 0x0d) this.state = S.SizeLf;
          else throw new Error("malformed chunk size");
          break;
        }
        case S.SizeExt:
          if (c === 0x0d) this.state = S.SizeLf;
          else if (++this.lineBytes > maxChunkLineBytes) throw new Error("chunk extension is too long");
          break;
        case S.SizeLf:
          if (c !== 0x0a) throw new Error("chunk size line does not end with CRLF");
          this.digits = 0;
          this.lineBytes = 0;
          this.state = this.remaining === 0 ? S.TrailerStart : S.Data;
          break;
        case S.DataCr:
          if (c !== 0x0d) throw new Error("chunk data does not end with CRLF");
          this.state = S.DataLf;
          break;
        case S.DataLf:
          if (c !== 0x0a) throw new Error("chunk data does not end with CRLF");
          this.state = S.Size;
          break;
        case S.TrailerStart:
          this.state = c === 0x0d ? S.FinalLf : S.Trailer;
          if (this.state === S.Trailer && ++this.lineBytes > maxChunkLineBytes)
            throw new Error("chunked trailers are too long");
          break;
        case S.Trailer:
          if (c === 0x0d) this.state = S.TrailerLf;
          else if (++this.lineBytes > maxChunkLineBytes) throw new Error("chunked trailers are too long");
          break;
        case S.TrailerLf:
          if (c !== 0x0a) throw new Error("trailer line does not end with CRLF");
          this.state = S.TrailerStart;
          break;
        case S.FinalLf:
          if (c !== 0x0a) throw new Error("chunked body does not end with CRLF");
          this.state = S.Done;
          return i + 1;
        case S.Done:
          return i;
      }
      i++;
    }
    return -1;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
