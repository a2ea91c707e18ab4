// Decoder of `Content-Encoding: aws-chunked` bodies, as a pure state machine fed buffers:
// `<hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n` … a zero-size chunk, then optional
// trailing headers (x-amz-checksum-*, x-amz-trailer-signature) and an empty line.
// Signed variants check every chunk signature against the chain started by the seed.
import { createHash, type Hash } from "node:crypto";
import { S3Error } from "./s3-error.ts";
import { chunkSignature, emptySha256, equalSignatures, type Scope, trailerSignature } from "./sigv4.ts";

/** Longest chunk header or trailer line accepted (a size, a signature and some slack). */
export const maxChunkLineBytes = 4096;
/** Largest single chunk accepted; clients send 8 KiB–8 MiB chunks. */
export const maxChunkBytes = 64 * 1024 * 1024;
/** At most this many trailing header lines. */
export const maxTrailerLines = 16;

export interface ChunkSigning {
  key: Buffer;
  amzDate: string;
  scope: Scope;
  seedSignature: string;
}

type State = "header" | "data" | "data-crlf" | "trailer" | "done";

const badChunk = (msg: string) => new S3Error("IncompleteBody", `aws-chunked body is malformed: ${msg}`);
const badSignature = () =>
  new S3Error(
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  );

export class AwsChunkedDecoder {
  private state: State = "header";
  private line: Buffer[] = [];
  private lineBytes = 0;
  private remaining = 0;
  private chunkSig = "";
  private hash: Hash | undefined;
  private previousSig: string;
  private crlfSeen = 0;
  readonly trailers: Record<string, string> = {};
  private trailerText = "";
  private trailerCount = 0;
  decodedBytes = 0;

  /** `signing` undefined = STREAMING-UNSIGNED-PAYLOAD-TRAILER (no chunk signatures). */
  constructor(private readonly signing: ChunkSigning | undefined) {
    this.previousSig = signing?.seedSignature ?? "";
  }

  get finished(): boolean {
    return this.state === "done";
  }

  /** Feeds raw body bytes; returns the decoded payload bytes they contained. */
  write(buf: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let i = 0;
    while (i < buf.length) {
      switch (this.state) {
        case "header":
        case "trailer": {
          const nl = buf.indexOf(0x0a, i);
          const end = nl < 0 ? buf.length : nl + 1;
          this.lineBytes += end - i;
          if (this.lineBytes > maxChunkLineBytes) throw badChunk("a chunk header line is too long");
          this.line.push(buf.subarray(i, end));
          i = end;
          if (nl >= 0) {
            const text = Buffer.concat(this.line).toString("latin1");
            this.line = [];
            this.lineBytes = 0;
            if (!text.endsWith("\r\n")) throw badChunk("lines must end with CRLF");
            const content = text.slice(0, -2);
            if (this.state === "header") this.onHeader(content);
            else this.onTrailer(content);
          }
          break;
        }
        case "data": {
          const take = Math.min(this.remaining, buf.length - i);
          const piece = buf.subarray(i, i + take);
          this.hash?.update(piece);
          out.push(piece);
          this.decodedBytes += take;
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) {
            this.state = "data-crlf";
            this.crlfSeen = 0;
          }
          break;
        }
        case "data-crlf": {
          const expect = this.crlfSeen === 0 ? 0x0d : 0x0a;
          if (buf[i] !== expect) throw badChunk("chunk data must be followed by CRLF");
          i++;
          if (++this.crlfSeen === 2) {
            this.checkChunkSignature();
            this.state = "header";
          }
          break;
        }
        case "done":
          // Bytes after the terminating empty line are not part of the object.
          throw badChunk("data after the final chunk");
      }
    }
    return out;
  }

  /** Call at end of body: throws IncompleteBody unless the final chunk and trailers arrived. */
  end(): void {
    if (this.state !== "done")
      throw new S3Error(
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
      );
  }

  private onHeader(content: string): void {
    const [sizeText = "", ...exts] = content.split(";");
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw badChunk(`bad chunk size "${sizeText.slice(0, 20)}"`);
    const size = Number.parseInt(sizeText, 16);
    if (size > maxChunkBytes)
      throw new S3Error("InvalidChunkSizeError", `chunk of ${size} bytes is larger than ${maxChunkBytes}`);
    this.chunkSig = "";
    for (const e of exts) {
      const [k = "", v] = e.split("=");
      if (k.trim() === "chunk-signature") this.chunkSig = (v ?? "").trim();
    }
    if (this.signing && !this.chunkSig) throw badChunk("missing chunk-signature");
    this.remaining = size;
    this.hash = this.signing ? createHash("sha256") : undefined;
    if (size === 0) {
      this.checkChunkSignature();
      this.state = "trailer";
      return;
    }
    this.state = "data";
  }

  private checkChunkSignature(): void {
    if (!this.signing) return;
    const { key, amzDate, scope } = this.signing;
    const digest = this.hash ? this.hash.digest("hex") : emptySha256;
    this.hash = undefined;
    const expected = chunkSignature(key, amzDate, scope, this.previousSig, digest);
    if (!equalSignatures(expected, this.chunkSig)) throw badSignature();
    this.previousSig = expected;
  }

  private onTrailer(content: string): void {
    if (content === "") {
      this.state = "done";
      return;
    }
    if (++this.trailerCount > maxTrailerLines) throw badChunk("too many trailing headers");
    const i = content.indexOf(":");
    if (i <= 0) throw badChunk("a trailing header must be name:value");
    const name = content.slice(0, i).trim().toLowerCase();
    const value = content.slice(i + 1).trim();
    if (name === "x-amz-trailer-signature") {
      if (this.signing) {
        const { key, amzDate, scope } = this.signing;
        const expected = trailerSignature(key, amzDate, scope, this.previousSig, this.trailerText);
        if (!equalSignatures(expected, value)) throw badSignature();
      }
      return;
    }
    this.trailers[name] = value;
    this.trailerText += `${name}:${value}\n`;
  }
}
