// HTTP/1.1 message heads, parsed for the gateway's hot path: one pass over the head text that
// pulls out the few headers the gateway acts on and keeps every other line as text to pass on
// unchanged. Pure: strings in, plain objects out. Strict where request smuggling lives
// (framing headers), permissive elsewhere.
import { ApiError } from "../core/errors.ts";

export const headLimits = {
  /** Longest request or response head (request line + headers), like Node's default. */
  maxHeadBytes: 16_384,
  /** Most header lines in one head. */
  maxHeaders: 100,
};

export interface RequestHead {
  method: string;
  /** The request target as sent (path and query). */
  target: string;
  /** The target without its query. */
  path: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: number;
  /** Header lines passed upstream unchanged ("name: value\r\n" each). */
  forwarded: string;
  /** -1 when the request has no Content-Length. */
  contentLength: number;
  chunked: boolean;
  keepAlive: boolean;
  expectContinue: boolean;
  authorization: string | undefined;
  contentType: string | undefined;
  origin: string | undefined;
  requestId: string | undefined;
  forwardedFor: string | undefined;
  corsRequestMethod: string | undefined;
  /** The Host header as sent (tenant routes are chosen by it). */
  host: string | undefined;
}

export interface ResponseHead {
  status: number;
  /** The status line after the version ("200 OK"). */
  statusText: string;
  minor: number;
  /** Header lines passed to the client unchanged. */
  forwarded: string;
  contentLength: number;
  chunked: boolean;
  /** The body runs until the connection closes (no length, not chunked). */
  untilClose: boolean;
  /** The backend will not take another request on this connection. */
  close: boolean;
}

const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const methodRe = /^[A-Z]{1,20}$/;
const targetRe = /^\/[!-~]*$/;
const lengthRe = /^\d{1,15}$/;

const bad = (why: string) => new ApiError("InvalidArgument", `malformed HTTP request: ${why}`);

/** Parses a request head: `text` runs from the request line through the CRLF of the last header. */
export function parseRequestHead(text: string): RequestHead {
  let end = text.indexOf("\r\n");
  if (end < 0) throw bad("no request line");
  const sp1 = text.indexOf(" ");
  const sp2 = sp1 < 0 ? -1 : text.indexOf(" ", sp1 + 1);
  if (sp1 < 0 || sp2 < 0 || sp2 > end) throw bad("request line is not 'METHOD /path HTTP/1.1'");
  const method = text.slice(0, sp1);
  const target = text.slice(sp1 + 1, sp2);
  const version = text.slice(sp2 + 1, end);
  if (!methodRe.test(method)) throw bad(`method ${JSON.stringify(method.slice(0, 20))}`);
  if (!targetRe.test(target) || target.includes("#"))
    throw bad("the request target must be a path starting with /");
  let minor: number;
  if (version === "HTTP/1.1") minor = 1;
  else if (version === "HTTP/1.0") minor = 0;
  else throw bad(`version ${JSON.stringify(version.slice(0, 20))}; HTTP/1.1 or HTTP/1.0 only`);
  const q = target.indexOf("?");
  const head: RequestHead = {
    method,
    target,
    path: q < 0 ? target : target.slice(0, q),
    minor,
    forwarded: "",
    contentLength: -1,
    chunked: false,
    keepAlive: minor === 1,
    expectContinue: false,
    authorization: undefined,
    contentType: undefined,
    origin: undefined,
    requestId: undefined,
    forwardedFor: undefined,
    corsRequestMethod: undefined,
    host: undefined,
  };
  if (hasBareLf(text)) throw bad("a bare LF in the head");
  let count = 0;
  // Kept lines are passed on as runs of the original text (one slice per run, not per line):
  // `keepFrom` is where the current run started.
  let forwarded = "";
  let keepFrom = end + 2;
  for (let pos = end + 2; pos < text.length; pos = end + 2) {
    end = text.indexOf("\r\n", pos);
    if (end < 0) end = text.length;
    if (++count > headLimits.maxHeaders) throw bad(`more than ${headLimits.maxHeaders} headers`);
    const colon = text.indexOf(":", pos);
    if (colon <= pos || colon > end) throw bad("a header line has no name");
    const name = text.slice(pos, colon);
    if (!tokenRe.test(name)) throw bad(`header name ${JSON.stringify(name.slice(0, 40))}`);
    // Only names as long as one the gateway acts on are lower-cased (most are not, and every
    // lower-casing allocates); an x-photon-* name is dropped whatever its length.
    const lower = requestNameLengths[name.length] === 1 || isPhotonName(name) ? name.toLowerCase() : "";
    let keep = true;
    switch (lower) {
      case "":
        break;
      case "content-length": {
        const value = headerValue(text, colon, end);
        if (!lengthRe.test(value)) throw bad("Content-Length is not a number");
        const n = Number(value);
        if (head.contentLength >= 0 && head.contentLength !== n) throw bad("two different Content-Lengths");
        head.contentLength = n;
        keep = false;
        break;
      }
      case "transfer-encoding": {
        const value = headerValue(text, colon, end);
        if (value.toLowerCase() !== "chunked")
          throw bad(`Transfer-Encoding ${JSON.stringify(value.slice(0, 40))}; only chunked is accepted`);
        head.chunked = true;
        keep = false;
        break;
      }
      case "connection": {
        const v = headerValue(text, colon, end).toLowerCase();
        if (v.includes("close")) head.keepAlive = false;
        else if (v.includes("keep-alive")) head.keepAlive = true;
        keep = false;
        break;
      }
      case "expect":
        if (headerValue(text, colon, end).toLowerCase() === "100-continue") head.expectContinue = true;
        keep = false;
        break;
      case "host":
        head.host = headerValue(text, colon, end);
        keep = false;
        break;
      case "keep-alive":
      case "proxy-connection":
      case "proxy-authorization":
      case "te":
      case "trailer":
      case "upgrade":
        keep = false;
        break;
      case "x-request-id":
        head.requestId = headerValue(text, colon, end);
        keep = false;
        break;
      case "x-forwarded-for":
        head.forwardedFor = headerValue(text, colon, end);
        keep = false;
        break;
      case "authorization":
        head.authorization = headerValue(text, colon, end);
        break;
      case "content-type":
        head.contentType = headerValue(text, colon, end);
        break;
      case "origin":
        head.origin = headerValue(text, colon, end);
        break;
      case "access-control-request-method":
        head.corsRequestMethod = headerValue(text, colon, end);
        break;
      default:
        // Identity headers are the gateway's to set; a client cannot claim one.
        if (lower.startsWith("x-photon")) keep = false;
    }
    if (!keep) {
      if (keepFrom < pos) forwarded += text.slice(keepFrom, pos);
      keepFrom = end + 2;
    }
  }
  if (keepFrom < text.length) forwarded += lineEnded(text.slice(keepFrom));
  if (head.chunked && head.contentLength >= 0) throw bad("both Content-Length and Transfer-Encoding");
  head.forwarded = forwarded;
  return head;
}

/** Parses a backend's response head (status line through the CRLF of the last header). */
export function parseResponseHead(text: string): ResponseHead {
  let end = text.indexOf("\r\n");
  if (end < 0) end = text.length;
  if (!text.startsWith("HTTP/1.") || (text.charCodeAt(12) !== 32 && end !== 12))
    throw new Error(`backend sent a malformed status line: ${JSON.stringify(text.slice(0, 40))}`);
  const minor = text.charCodeAt(7) === 49 ? 1 : 0;
  const status = Number(text.slice(9, 12));
  if (!Number.isInteger(status) || status < 100) throw new Error("backend sent a malformed status code");
  const head: ResponseHead = {
    status,
    statusText: text.slice(9, end),
    minor,
    forwarded: "",
    contentLength: -1,
    chunked: false,
    untilClose: false,
    close: minor === 0,
  };
  let transferEncoding = false;
  let count = 0;
  // As for requests: kept lines pass on as runs of the original text.
  let forwarded = "";
  let keepFrom = end + 2;
  for (let pos = end + 2; pos < text.length; pos = end + 2) {
    end = text.indexOf("\r\n", pos);
    if (end < 0) end = text.length;
    if (++count > headLimits.maxHeaders)
      throw new Error(`backend sent more than ${headLimits.maxHeaders} headers`);
    const colon = text.indexOf(":", pos);
    if (colon <= pos || colon > end) throw new Error("backend sent a header line without a name");
    const len = colon - pos;
    const lower = responseNameLengths[len] === 1 ? text.slice(pos, colon).toLowerCase() : "";
    let keep = true;
    switch (lower) {
      case "":
        break;
      case "content-length": {
        const v = headerValue(text, colon, end);
        if (!lengthRe.test(v)) throw new Error("backend sent a malformed Content-Length");
        head.contentLength = Number(v);
        break;
      }
      case "transfer-encoding": {
        transferEncoding = true;
        head.chunked = /(?:^|,)\s*chunked\s*$/i.test(text.slice(colon + 1, end));
        break;
      }
      case "connection": {
        const v = text.slice(colon + 1, end).toLowerCase();
        if (v.includes("close")) head.close = true;
        else if (v.includes("keep-alive")) head.close = false;
        keep = false;
        break;
      }
      case "keep-alive":
      case "proxy-connection":
      case "upgrade":
      case "x-request-id":
        keep = false;
        break;
    }
    if (!keep) {
      if (keepFrom < pos) forwarded += text.slice(keepFrom, pos);
      keepFrom = end + 2;
    }
  }
  if (keepFrom < text.length) forwarded += lineEnded(text.slice(keepFrom));
  // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; a non-chunked final coding
  // (or neither header) means the body ends when the connection does.
  if (transferEncoding) head.contentLength = -1;
  head.untilClose = !head.chunked && head.contentLength < 0;
  head.forwarded = forwarded;
  return head;
}

/** Lengths of the request header names the gateway acts on (1 = some name has this length). */
const requestNameLengths = lengthSet([
  "te",
  "host",
  "expect",
  "origin",
  "trailer",
  "upgrade",
  "connection",
  "keep-alive",
  "x-request-id",
  "content-type",
  "authorization",
  "content-length",
  "x-forwarded-for",
  "proxy-connection",
  "transfer-encoding",
  "proxy-authorization",
  "access-control-request-method",
]);
const responseNameLengths = lengthSet([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "proxy-connection",
  "upgrade",
  "x-request-id",
]);

function lengthSet(names: string[]): Uint8Array {
  const out = new Uint8Array(64);
  for (const n of names) out[n.length] = 1;
  return out;
}

/** x-photon-* (any case), without allocating. */
function isPhotonName(name: string): boolean {
  return (
    name.length > 8 &&
    (name.charCodeAt(0) | 32) === 120 &&
    name.charCodeAt(1) === 45 &&
    name.slice(2, 8).toLowerCase() === "photon"
  );
}

function headerValue(text: string, colon: number, end: number): string {
  return text.slice(colon + 1, end).trim();
}

/** The last line of a head may come without its CRLF (tests, hand-made heads); the forwarded text always has it. */
function lineEnded(run: string): string {
  return run.endsWith("\r\n") ? run : `${run}\r\n`;
}

/** A line feed not preceded by a carriage return: some parsers end a line there and others do not. */
function hasBareLf(text: string): boolean {
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1))
    if (i === 0 || text.charCodeAt(i - 1) !== 13) return true;
  return false;
}

/** Statuses whose responses never carry a body, whatever their headers say. */
export function bodyless(method: string, status: number): boolean {
  return method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200);
}
