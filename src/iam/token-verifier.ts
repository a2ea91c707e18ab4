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

const reject = (why: string) =>
  new ApiError("Unauthenticated", `invalid token: ${why}; run \`photon login\` for a new one`);

/** Base64url without padding, and canonical: a re-encoding must give the same text (no malleable trailing bits). */
function decodeSegment(seg: string, what: string): Buffer {
  if (!segmentRe.test(seg)) throw reject(`${what} is not base64url`);
  const buf = Buffer.from(seg, "base64url");
  if (buf.toString("base64url") !== seg) throw reject(`${what} is not canonical base64url`);
  return buf;
}

function parseJson(buf: Buffer, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(buf.toString("utf8")) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw reject(`${what} is not a JSON object`);
}

export function verifyAccessToken(
  token: string,
  keys: ReadonlyMap<string, VerifierKey>,
  o: VerifyOptions,
): AccessTokenClaims {
  if (token.length > maxTokenBytes) throw reject("too long");
  const parts = token.split(".");
  if (parts.length !== 3) throw reject("not a compact JWS (header.payload.signature)");
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(decodeSegment(h, "header"), "header");
  if (header.alg !== "EdDSA")
    throw reject(`algorithm ${JSON.stringify(header.alg)} is not accepted (only EdDSA)`);
  if (header.crit !== undefined) throw reject("critical header extensions are not supported");
  if (typeof header.kid !== "string") throw reject("no key id (kid)");
  const key = keys.get(header.kid);
  if (!key) throw reject(`signed by unknown key ${header.kid.slice(0, 40)}`);
  const sig = decodeSegment(s, "signature");
  if (sig.length !== 64) throw reject("signature has the wrong length");
  const payloadBytes = decodeSegment(p, "payload");
  if (!verify(null, Buffer.from(`${h}.${p}`, "ascii"), key.key, sig)) throw reject("bad signature");
  const c = parseJson(payloadBytes, "payload");
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
