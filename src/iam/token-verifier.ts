// Local verification of PhotonCloud access tokens: strict compact-JWS parsing, EdDSA only,
// the key by kid from the replicated key set, then issuer, audience and time claims with a
// bounded clock skew. Pure: the caller passes the keys and the time.
import { verify } from "node:crypto";
import { ApiError } from "../core/errors.ts";
import type { AccessTokenClaims } from "./api.ts";
import type { VerifierKey } from "./authz-state.ts";

/** Longest token accepted; ours are ~400 bytes, so anything near this is not ours. */
export const maxTokenBytes = 8192;
/** Bound on the configurable clock-skew tolerance. */
export const maxClockSkewSeconds = 300;

export interface VerifyOptions {
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  nowSeconds: number;
}

const segmentRe = /^[A-Za-z0-9_-]+$/;
/** An Ed25519 signature (64 bytes) in base64url without padding. */
const signatureChars = 86;
/** Distinct header segments remembered parsed; iam has a handful of keys, so a few suffice. */
export const headerCacheSize = 64;

const reject = (why: string) =>
  new ApiError("Unauthenticated", `invalid token: ${why}; run \`photon login\` for a new one`);

/** base64url alphabet value of a character code (the caller has checked the alphabet). */
function b64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  return c === 45 ? 62 : 63;
}

/**
 * Base64url without padding, and canonical: exactly one text per byte string, so a token
 * cannot be altered without changing its signing input. Checked arithmetically (a length
 * that no byte count gives, or non-zero unused bits in the last character) rather than by
 * re-encoding, which would cost an allocation per segment.
 */
function checkSegment(seg: string, what: string): void {
  if (!segmentRe.test(seg)) throw reject(`${what} is not base64url`);
  const rem = seg.length & 3;
  if (rem === 1) throw reject(`${what} is not canonical base64url`);
  if (rem !== 0 && (b64Value(seg.charCodeAt(seg.length - 1)) & (rem === 2 ? 0x0f : 0x03)) !== 0)
    throw reject(`${what} is not canonical base64url`);
}

function parseJson(seg: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(seg, "base64url").toString("utf8")) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw reject(`${what} is not a JSON object`);
}

/**
 * Every token of one signing key carries the same header text, so its checks run once per
 * key rather than once per token. A header is remembered only once a token carrying it has
 * verified, so only iam's own headers enter (bounded anyway: cleared when full).
 */
const verifiedHeaders = new Map<string, string>();

/** The kid of an acceptable header, or a rejection. */
function headerKid(h: string): string {
  const known = verifiedHeaders.get(h);
  if (known !== undefined) return known;
  checkSegment(h, "header");
  const header = parseJson(h, "header");
  if (header.alg !== "EdDSA")
    throw reject(`algorithm ${JSON.stringify(header.alg)} is not accepted (only EdDSA)`);
  if (header.crit !== undefined) throw reject("critical header extensions are not supported");
  if (typeof header.kid !== "string") throw reject("no key id (kid)");
  return header.kid;
}

/**
 * Verifies a compact JWS access token. The cost is one Ed25519 verification (node:crypto
 * with the key imported once, when the feed delivered it) plus a few microseconds: the
 * header is checked once per key, segments are checked without re-encoding, and the
 * payload is parsed only after the signature holds.
 */
export function verifyAccessToken(
  token: string,
  keys: ReadonlyMap<string, VerifierKey>,
  o: VerifyOptions,
): AccessTokenClaims {
  if (token.length > maxTokenBytes) throw reject("too long");
  const d1 = token.indexOf(".");
  const d2 = d1 < 0 ? -1 : token.indexOf(".", d1 + 1);
  if (d2 < 0 || token.indexOf(".", d2 + 1) >= 0) throw reject("not a compact JWS (header.payload.signature)");
  const h = token.slice(0, d1);
  const kid = headerKid(h);
  const key = keys.get(kid);
  if (!key) throw reject(`signed by unknown key ${kid.slice(0, 40)}`);
  const p = token.slice(d1 + 1, d2);
  const s = token.slice(d2 + 1);
  if (s.length !== signatureChars) throw reject("signature has the wrong length");
  checkSegment(s, "signature");
  checkSegment(p, "payload");
  if (!verify(null, Buffer.from(token.slice(0, d2), "latin1"), key.key, Buffer.from(s, "base64url")))
    throw reject("bad signature");
  if (!verifiedHeaders.has(h)) {
    if (verifiedHeaders.size >= headerCacheSize) verifiedHeaders.clear();
    verifiedHeaders.set(h, kid);
  }
  const c = parseJson(p, "payload");
  if (c.iss !== o.issuer) throw reject(`issuer ${JSON.stringify(c.iss)} is not ${o.issuer}`);
  const aud = c.aud;
  if (!(aud === o.audience || (Array.isArray(aud) && aud.includes(o.audience))))
    throw reject(`audience is not ${o.audience}`);
  if (typeof c.sub !== "string" || typeof c.jti !== "string") throw reject("sub and jti are required");
  if (typeof c.exp !== "number" || typeof c.iat !== "number") throw reject("exp and iat are required");
  const skew = Math.min(o.clockSkewSeconds, maxClockSkewSeconds);
  if (o.nowSeconds >= c.exp + skew) throw reject("expired");
  if (c.iat > o.nowSeconds + skew) throw reject("issued in the future");
  if (typeof c.nbf === "number" && c.nbf > o.nowSeconds + skew) throw reject("not yet valid");
  // A key signs only inside its active window; anything else was not signed by iam.
  if (c.iat > key.retireAt + skew || c.iat < key.activeFrom - skew)
    throw reject("issued outside its signing key's active period");
  return c as unknown as AccessTokenClaims;
}

/** Reads claims without verifying (for revoking one's own expired token, and the CLI's expiry check). */
export function unverifiedClaims(token: string): Record<string, unknown> | undefined {
  const p = token.split(".")[1];
  if (!p) return undefined;
  try {
    const v = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as unknown;
    return v && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
