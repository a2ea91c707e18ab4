// AWS Signature Version 4 for S3, as a pure module: canonical request, string to sign,
// signing key and signature, for the Authorization header, presigned query strings and the
// chunk signatures of streaming `aws-chunked` uploads. No clock: callers pass `nowMs`.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { S3Error } from "./s3-error.ts";

export const algorithm = "AWS4-HMAC-SHA256";
export const emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
export const unsignedPayload = "UNSIGNED-PAYLOAD";
export const streamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
export const streamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
export const streamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/** S3 rejects a request whose signing time is further than this from its own clock. */
export const maxClockSkewMs = 15 * 60_000;
/** Longest validity of a presigned URL S3 accepts (7 days). */
export const maxPresignExpiresSeconds = 604_800;

export const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ is %XX (upper hex). */
const unreservedOnly = /^[A-Za-z0-9\-._~]*$/;
const unreservedOrSlash = /^[A-Za-z0-9\-._~/]*$/;

export function uriEncode(s: string, keepSlash = false): string {
  // Most keys and query values need no escaping: one regex test instead of a per-byte loop.
  if ((keepSlash ? unreservedOrSlash : unreservedOnly).test(s)) return s;
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Percent-decoding that never throws: a malformed escape stays as it was. */
export function safeDecode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A raw query string as ordered [key, value] pairs, decoded. */
export function parseQuery(raw: string): [string, string][] {
  if (!raw) return [];
  return raw
    .split("&")
    .filter((p) => p.length > 0)
    .map((p) => {
      const i = p.indexOf("=");
      return i < 0 ? [safeDecode(p), ""] : [safeDecode(p.slice(0, i)), safeDecode(p.slice(i + 1))];
    });
}

export interface SignableRequest {
  method: string;
  /** The path as sent on the wire (still percent-encoded). */
  rawPath: string;
  /** Decoded query pairs. */
  query: [string, string][];
  /** Lower-case header names; repeated headers joined with ",". */
  headers: Record<string, string | undefined>;
}

export function canonicalQuery(query: [string, string][], exclude?: string): string {
  if (query.length === 0) return "";
  return query
    .filter(([k]) => k !== exclude)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** S3 canonical URI: the decoded path, each segment encoded once (no double encoding). */
export const canonicalUri = (rawPath: string) => uriEncode(safeDecode(rawPath), true) || "/";

/** Whitespace that folding would change: anything but a lone space. */
const foldableSpace = /[^\S ]| {2}/;
const canonicalHeaderValue = (v: string) => {
  const t = v.trim();
  return foldableSpace.test(t) ? t.replace(/\s+/g, " ") : t;
};

export function canonicalRequest(
  req: SignableRequest,
  signedHeaders: string[],
  payloadHash: string,
  excludeQuery?: string,
): string {
  const headerLines = signedHeaders
    .map((h) => `${h}:${canonicalHeaderValue(req.headers[h] ?? "")}\n`)
    .join("");
  return [
    req.method,
    canonicalUri(req.rawPath),
    canonicalQuery(req.query, excludeQuery),
    headerLines,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

export interface Scope {
  date: string; // YYYYMMDD
  region: string;
  service: string;
}

export const scopeString = (s: Scope) => `${s.date}/${s.region}/${s.service}/aws4_request`;

export function stringToSign(amzDate: string, scope: Scope, canonical: string): string {
  return `${algorithm}\n${amzDate}\n${scopeString(scope)}\n${sha256Hex(canonical)}`;
}

/**
 * Derived signing keys by secret and scope. A key is valid for one day, region and
 * service, so a busy client reuses one all day: four HMACs saved per request.
 */
export const maxCachedSigningKeys = 1024;
const signingKeys = new Map<string, Buffer>();

export function signingKey(secret: string, scope: Scope): Buffer {
  const id = `${scopeString(scope)}\u0000${secret}`;
  const hit = signingKeys.get(id);
  if (hit) return hit;
  const kDate = hmac(`AWS4${secret}`, scope.date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  const key = hmac(kService, "aws4_request");
  // Oldest first out: a Map iterates in insertion order.
  if (signingKeys.size >= maxCachedSigningKeys) signingKeys.delete(signingKeys.keys().next().value as string);
  signingKeys.set(id, key);
  return key;
}

export const signHex = (key: Buffer, toSign: string) =>
  createHmac("sha256", key).update(toSign).digest("hex");

/** Signature of one chunk of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body. */
export function chunkSignature(
  key: Buffer,
  amzDate: string,
  scope: Scope,
  previousSignature: string,
  chunkSha256Hex: string,
): string {
  const toSign = [
    "AWS4-HMAC-SHA256-PAYLOAD",
    amzDate,
    scopeString(scope),
    previousSignature,
    emptySha256,
    chunkSha256Hex,
  ].join("\n");
  return signHex(key, toSign);
}

/** Signature of the trailing headers of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER body. */
export function trailerSignature(
  key: Buffer,
  amzDate: string,
  scope: Scope,
  previousSignature: string,
  trailerText: string,
): string {
  const toSign = [
    "AWS4-HMAC-SHA256-TRAILER",
    amzDate,
    scopeString(scope),
    previousSignature,
    sha256Hex(trailerText),
  ].join("\n");
  return signHex(key, toSign);
}

export function equalSignatures(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What a request claims about its signature, before the secret is known. */
export interface ParsedAuth {
  kind: "header" | "presigned";
  accessKeyId: string;
  scope: Scope;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  /** x-amz-content-sha256 (header auth) or UNSIGNED-PAYLOAD (presigned). */
  payloadHash: string;
  /** Presigned only: seconds the URL is valid from amzDate. */
  expiresSeconds?: number;
}

const amzDatePattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function parseAmzDate(s: string): number | undefined {
  const m = amzDatePattern.exec(s);
  if (!m) return undefined;
  const t = Date.UTC(
    +(m[1] as string),
    +(m[2] as string) - 1,
    +(m[3] as string),
    +(m[4] as string),
    +(m[5] as string),
    +(m[6] as string),
  );
  return Number.isNaN(t) ? undefined : t;
}

function parseCredential(
  cred: string,
  malformed: (msg: string) => S3Error,
): { accessKeyId: string; scope: Scope } {
  const parts = cred.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") {
    throw malformed(
      `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request"`,
    );
  }
  const [accessKeyId = "", date = "", region = "", service = ""] = parts;
  if (service !== "s3") throw malformed(`the Credential should be scoped to correct service: 's3'`);
  if (!/^\d{8}$/.test(date)) throw malformed(`the Credential date is mal-formed: ${date}`);
  return { accessKeyId, scope: { date, region, service } };
}

/**
 * Reads the SigV4 claims of a request; undefined when it carries none (anonymous).
 * Throws S3Error with S3's codes for malformed claims.
 */
export function parseAuth(req: SignableRequest): ParsedAuth | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    if (auth.startsWith("AWS "))
      throw new S3Error("InvalidRequest", "Signature Version 2 is not supported here; use AWS4-HMAC-SHA256");
    if (!auth.startsWith(`${algorithm} `))
      throw new S3Error("InvalidArgument", "Unsupported Authorization Type");
    const malformed = (msg: string) =>
      new S3Error("AuthorizationHeaderMalformed", `The authorization header is malformed; ${msg}`);
    const fields = new Map<string, string>();
    for (const part of auth.slice(algorithm.length + 1).split(",")) {
      const i = part.indexOf("=");
      if (i > 0) fields.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
    }
    const cred = fields.get("Credential");
    const signed = fields.get("SignedHeaders");
    const signature = fields.get("Signature");
    if (!cred || !signed || !signature)
      throw malformed("it must contain Credential, SignedHeaders and Signature");
    const { accessKeyId, scope } = parseCredential(cred, malformed);
    const amzDate = req.headers["x-amz-date"] ?? "";
    if (parseAmzDate(amzDate) === undefined) {
      // S3 accepts a Date header too; clients that sign send x-amz-date, so only that is read.
      throw new S3Error("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
    }
    if (amzDate.slice(0, 8) !== scope.date)
      throw malformed(
        `Invalid credential date "${scope.date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`,
      );
    const payloadHash = req.headers["x-amz-content-sha256"];
    if (!payloadHash)
      throw new S3Error("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    return {
      kind: "header",
      accessKeyId,
      scope,
      amzDate,
      signedHeaders: signed.split(";"),
      signature,
      payloadHash,
    };
  }
  if (req.query.length === 0) return undefined;
  const q = new Map(req.query);
  if (q.has("X-Amz-Algorithm") || q.has("X-Amz-Signature") || q.has("X-Amz-Credential")) {
    const malformed = (msg: string) =>
      new S3Error(
        "AuthorizationQueryParametersError",
        `Error parsing the X-Amz-Credential parameter; ${msg}`,
      );
    if (q.get("X-Amz-Algorithm") !== algorithm)
      throw new S3Error("AuthorizationQueryParametersError", `X-Amz-Algorithm only supports "${algorithm}"`);
    const cred = q.get("X-Amz-Credential");
    const amzDate = q.get("X-Amz-Date") ?? "";
    const signed = q.get("X-Amz-SignedHeaders");
    const signature = q.get("X-Amz-Signature");
    const expires = q.get("X-Amz-Expires");
    if (!cred || !signed || !signature || !expires || !amzDate) {
      throw new S3Error(
        "AuthorizationQueryParametersError",
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
      );
    }
    const { accessKeyId, scope } = parseCredential(cred, malformed);
    if (parseAmzDate(amzDate) === undefined)
      throw new S3Error(
        "AuthorizationQueryParametersError",
        "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
      );
    const expiresSeconds = Number(expires);
    if (!Number.isInteger(expiresSeconds) || expiresSeconds < 0)
      throw new S3Error("AuthorizationQueryParametersError", "X-Amz-Expires should be a number");
    if (expiresSeconds > maxPresignExpiresSeconds)
      throw new S3Error(
        "AuthorizationQueryParametersError",
        "X-Amz-Expires must be less than a week (in seconds) that is 604800",
      );
    return {
      kind: "presigned",
      accessKeyId,
      scope,
      amzDate,
      signedHeaders: signed.split(";"),
      signature,
      payloadHash: req.headers["x-amz-content-sha256"] ?? unsignedPayload,
      expiresSeconds,
    };
  }
  return undefined;
}

export interface Verified {
  /** Signing key, kept to check chunk signatures of a streaming body. */
  key: Buffer;
  /** The seed signature a streaming body's first chunk signature chains from. */
  seedSignature: string;
}

/**
 * Checks time and signature of a parsed request against the key's secret.
 * Throws RequestTimeTooSkewed, AccessDenied (expired) or SignatureDoesNotMatch as S3 does.
 */
export function verify(req: SignableRequest, auth: ParsedAuth, secret: string, nowMs: number): Verified {
  const signedAt = parseAmzDate(auth.amzDate) as number;
  if (auth.kind === "header") {
    if (Math.abs(nowMs - signedAt) > maxClockSkewMs) {
      throw new S3Error(
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
        {
          RequestTime: auth.amzDate,
          ServerTime: new Date(nowMs).toISOString(),
          MaxAllowedSkewMilliseconds: String(maxClockSkewMs),
        },
      );
    }
  } else {
    if (signedAt - nowMs > maxClockSkewMs) throw new S3Error("AccessDenied", "Request is not valid yet");
    if (nowMs > signedAt + (auth.expiresSeconds ?? 0) * 1000) {
      throw new S3Error("AccessDenied", "Request has expired", {
        Expires: new Date(signedAt + (auth.expiresSeconds ?? 0) * 1000).toISOString(),
        ServerTime: new Date(nowMs).toISOString(),
      });
    }
  }
  if (!auth.signedHeaders.includes("host")) throw new S3Error("AccessDenied", "Host header is not signed");
  const canonical = canonicalRequest(
    req,
    auth.signedHeaders,
    auth.payloadHash,
    auth.kind === "presigned" ? "X-Amz-Signature" : undefined,
  );
  const toSign = stringToSign(auth.amzDate, auth.scope, canonical);
  const key = signingKey(secret, auth.scope);
  const expected = signHex(key, toSign);
  if (!equalSignatures(expected, auth.signature)) {
    throw new S3Error(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      {
        AWSAccessKeyId: auth.accessKeyId,
        StringToSign: toSign,
        CanonicalRequest: canonical,
      },
    );
  }
  return { key, seedSignature: expected };
}

/** Client side (tests, image import): signs a request with the Authorization header. */
export function signRequest(
  req: SignableRequest,
  creds: { accessKeyId: string; secret: string },
  opts: { region: string; nowMs: number; payloadHash: string },
): string {
  const amzDate = new Date(opts.nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const scope = { date: amzDate.slice(0, 8), region: opts.region, service: "s3" };
  req.headers["x-amz-date"] = amzDate;
  req.headers["x-amz-content-sha256"] = opts.payloadHash;
  const signed = Object.keys(req.headers)
    .filter((h) => h === "host" || h.startsWith("x-amz-") || h === "content-type" || h === "content-md5")
    .sort();
  const sig = signHex(
    signingKey(creds.secret, scope),
    stringToSign(amzDate, scope, canonicalRequest(req, signed, opts.payloadHash)),
  );
  const authorization = `${algorithm} Credential=${creds.accessKeyId}/${scopeString(scope)}, SignedHeaders=${signed.join(";")}, Signature=${sig}`;
  req.headers.authorization = authorization;
  return authorization;
}
