// The core of every verifier: authenticates a bearer token against the replicated key set,
// revocation list and principals, then authorizes with the indexed bindings — all from the
// in-memory AuthzState, so no request waits on the network. iam's own API and IamAuth in
// every other component (client.ts) are this class fed from different places.

import {
  type AccessRequest,
  type Authenticator,
  type Authorizer,
  type AuthRequest,
  bearerToken,
  type Decision,
  type Principal,
} from "../core/api/auth.ts";
import { ApiError } from "../core/errors.ts";
import type { AccessTokenClaims } from "./api.ts";
import type { AuditLog } from "./audit-log.ts";
import { shouldAudit } from "./audit-log.ts";
import type { AuthzState } from "./authz-state.ts";
import { verifyAccessToken } from "./token-verifier.ts";

/** Verified tokens remembered, so a token seen again skips the signature check. */
export const verifiedCacheSize = 10_000;

/**
 * A bounded map of verified tokens in two generations: new entries go into the young one;
 * when it holds half the bound it becomes the old one and the previous old one is dropped
 * whole. A hit in the old generation moves the entry up, so tokens in use stay. O(1) per
 * operation, where evicting the first key of one big Map walks over the holes its earlier
 * deletions left behind.
 */
class VerifiedTokens {
  private young = new Map<string, AccessTokenClaims>();
  private old = new Map<string, AccessTokenClaims>();

  get(token: string): AccessTokenClaims | undefined {
    const hit = this.young.get(token);
    if (hit !== undefined) return hit;
    const aged = this.old.get(token);
    if (aged !== undefined) {
      this.old.delete(token);
      this.set(token, aged);
    }
    return aged;
  }

  set(token: string, claims: AccessTokenClaims): void {
    if (this.young.size >= verifiedCacheSize / 2) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(token, claims);
  }

  delete(token: string): void {
    this.young.delete(token);
    this.old.delete(token);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

export interface VerifierOptions {
  /** The current state (swapped whole on a resync). */
  state: () => AuthzState;
  /** A function because iam learns its own URL only once it listens. */
  issuer: () => string;
  audience: string;
  clockSkewSeconds: number;
  clock: () => number;
  audit?: AuditLog | undefined;
  /** Names this verifier in audit entries, e.g. "creditservice". */
  name: string;
  /** undefined when ready; otherwise why not (requests get 503 meanwhile). */
  notReady?: () => string | undefined;
}

export class Verifier implements Authenticator, Authorizer {
  private readonly verified = new VerifiedTokens();
  constructor(private readonly o: VerifierOptions) {}

  async authenticate(req: AuthRequest): Promise<Principal | undefined> {
    const token = bearerToken(req.authorization);
    if (token === undefined) return undefined;
    const claims = this.verifyToken(token);
    return { subject: claims.sub, name: claims.name ?? claims.sub, tokenId: claims.jti };
  }

  /** Verified, unexpired, unrevoked claims of an active principal; otherwise Unauthenticated. */
  verifyToken(token: string): AccessTokenClaims {
    const why = this.o.notReady?.();
    if (why) throw new ApiError("Unavailable", `cannot verify tokens yet: ${why}`);
    const state = this.o.state();
    const nowSeconds = Math.floor(this.o.clock() / 1000);
    let claims = this.verified.get(token);
    if (claims) {
      if (nowSeconds >= claims.exp + this.o.clockSkewSeconds) {
        this.verified.delete(token);
        throw new ApiError("Unauthenticated", "invalid token: expired; run `photon login` for a new one");
      }
    } else {
      claims = verifyAccessToken(token, state.keys, {
        issuer: this.o.issuer(),
        audience: this.o.audience,
        clockSkewSeconds: this.o.clockSkewSeconds,
        nowSeconds,
      });
      this.verified.set(token, claims);
    }
    const revoked = state.revoked(claims);
    if (revoked) throw new ApiError("Unauthenticated", `invalid token: ${revoked}`);
    const active = state.subjectActive(claims.sub);
    if (!active.active) throw new ApiError("Unauthenticated", `invalid token: ${active.reason}`);
    return claims;
  }

  /** Tokens in the verified cache (at most verifiedCacheSize). */
  cachedTokens(): number {
    return this.verified.size;
  }

  async authorize(principal: Principal, req: AccessRequest): Promise<Decision> {
    return this.decide(principal.subject, req.permission, { project: req.project, name: req.name });
  }

  decide(
    subject: string,
    permission: string,
    resource: {
      project?: string | undefined;
      name?: string | undefined;
      labels?: Record<string, string> | undefined;
    },
  ): Decision {
    const d = this.o.state().authorize(subject, permission, resource);
    if (this.o.audit && shouldAudit(permission, d.allowed)) {
      this.o.audit.record({
        at: new Date(this.o.clock()).toISOString(),
        subject,
        permission,
        ...(resource.project ? { project: resource.project } : {}),
        ...(resource.name ? { name: resource.name } : {}),
        allowed: d.allowed,
        reason: d.reason,
        verifier: this.o.name,
      });
    }
    return d;
  }
}
