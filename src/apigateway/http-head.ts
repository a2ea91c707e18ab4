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
  let count = 0;
  let forwarded = "";
  for (let pos = end + 2; pos < text.length; pos = end + 2) {
    end = text.indexOf("\r\n", pos);
    if (end < 0) end = text.length;
    if (++count > headLimits.maxHeaders) throw bad(`more than ${headLimits.maxHeaders} headers`);
    const colon = text.indexOf(":", pos);
    if (colon <= pos || colon > end) throw bad("a header line has no name");
    const name = text.slice(pos, colon);
    if (!tokenRe.test(name)) throw bad(`header name ${JSON.stringify(name.slice(0, 40))}`);
    const value = text.slice(colon + 1, end).trim();
    if (value.includes("\n")) throw bad("a bare LF in a header value");
    switch (name.length > 20 ? "" : name.toLowerCase()) {
      case "content-length": {
        if (!lengthRe.test(value)) throw bad("Content-Length is not a number");
        const n = Number(value);
        if (head.contentLength >= 0 && head.contentLength !== n) throw bad("two different Content-Lengths");
        head.contentLength = n;
        break;
      }
      case "transfer-encoding":
        if (value.toLowerCase() !== "chunked")
          throw bad(`Transfer-Encoding ${JSON.stringify(value.slice(0, 40))}; only chunked is accepted`);
        head.chunked = true;
        break;
      case "connection": {
        const v = value.toLowerCase();
        if (v.includes("close")) head.keepAlive = false;
        else if (v.includes("keep-alive")) head.keepAlive = true;
        break;
      }
      case "expect":
        if (value.toLowerCase() === "100-continue") head.expectContinue = true;
        break;
      case "host":
        head.host = value;
        break;
      case "keep-alive":
      case "proxy-connection":
      case "proxy-authorization":
      case "te":
      case "trailer":
      case "upgrade":
        break;
      case "x-request-id":
        head.requestId = value;
        break;
      case "x-forwarded-for":
        head.forwardedFor = value;
        break;
      case "authorization":
        head.authorization = value;
        forwarded += `${text.slice(pos, end)}\r\n`;
        break;
      case "content-type":
        head.contentType = value;
        forwarded += `${text.slice(pos, end)}\r\n`;
        break;
      case "origin":
        head.origin = value;
        forwarded += `${text.slice(pos, end)}\r\n`;
        break;
      default:
        // Identity headers are the gateway's to set; a client cannot claim one.
        if (name.length > 8 && name.slice(0, 8).toLowerCase() === "x-photon") break;
        if (name.length === 29 && name.toLowerCase() === "access-control-request-method")
          head.corsRequestMethod = value;
        forwarded += `${text.slice(pos, end)}\r\n`;
    }
  }
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
  let forwarded = "";
  for (let pos = end + 2; pos < text.length; pos = end + 2) {
    end = text.indexOf("\r\n", pos);
    if (end < 0) end = text.length;
    if (++count > headLimits.maxHeaders)
      throw new Error(`backend sent more than ${headLimits.maxHeaders} headers`);
    const colon = text.indexOf(":", pos);
    if (colon <= pos || colon > end) throw new Error("backend sent a header line without a name");
    const name = text.slice(pos, colon);
    switch (name.length > 20 ? "" : name.toLowerCase()) {
      case "content-length": {
        const v = text.slice(colon + 1, end).trim();
        if (!lengthRe.test(v)) throw new Error("backend sent a malformed Content-Length");
        head.contentLength = Number(v);
        forwarded += `${text.slice(pos, end)}\r\n`;
        break;
      }
      case "transfer-encoding": {
        transferEncoding = true;
        head.chunked = /(?:^|,)\s*chunked\s*$/i.test(text.slice(colon + 1, end));
        forwarded += `${text.slice(pos, end)}\r\n`;
        break;
      }
      case "connection": {
        const v = text.slice(colon + 1, end).toLowerCase();
        if (v.includes("close")) head.close = true;
        else if (v.includes("keep-alive")) head.close = false;
        break;
      }
      case "keep-alive":
      case "proxy-connection":
      case "upgrade":
      case "x-request-id":
        break;
      default:
        forwarded += `${text.slice(pos, end)}\r\n`;
    }
  }
  // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; a non-chunked final coding
  // (or neither header) means the body ends when the connection does.
  if (transferEncoding) head.contentLength = -1;
  head.untilClose = !head.chunked && head.contentLength < 0;
  head.forwarded = forwarded;
  return head;
}

/** Statuses whose responses never carry a body, whatever their headers say. */
export function bodyless(method: string, status: number): boolean {
  return method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200);
}
