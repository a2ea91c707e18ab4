// Authentication and authorization as one hook in the API framework: every route declares the
// permission it needs, and no handler runs before the caller is known and allowed.
import { timingSafeEqual } from "node:crypto";
import { ApiError } from "../errors.ts";

export interface Principal {
  /** e.g. "user:alice", "serviceaccount:plasmavmc", "local:admin" */
  subject: string;
  /** Display name for logs and audit. */
  name: string;
  /** Projects the principal is confined to; undefined = no project restriction from the token. */
  project?: string;
  /** Token id, for revocation and audit. */
  tokenId?: string;
}

export const anonymous: Principal = { subject: "anonymous", name: "anonymous" };

export interface AuthRequest {
  authorization: string | undefined;
}

export interface Authenticator {
  /** Returns the caller, or throws Unauthenticated with a reason; undefined = no credentials. */
  authenticate(req: AuthRequest): Promise<Principal | undefined>;
}

export interface AccessRequest {
  permission: string;
  project?: string;
  name?: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

export interface Authorizer {
  authorize(principal: Principal, req: AccessRequest): Promise<Decision>;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) throw new ApiError("Unauthenticated", "Authorization header must be 'Bearer <token>'");
  return m[1];
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The local admin identity that single-node mode uses until iam issues tokens: one random
 * token, kept in a 0600 file in the data dir, that is allowed everything.
 */
export class StaticTokenAuth implements Authenticator, Authorizer {
  constructor(
    private readonly token: string,
    private readonly principal: Principal = { subject: "local:admin", name: "local admin" },
  ) {}

  async authenticate(req: AuthRequest): Promise<Principal | undefined> {
    const token = bearerToken(req.authorization);
    if (token === undefined) return undefined;
    if (!constantTimeEqual(token, this.token))
      throw new ApiError("Unauthenticated", "the token is not valid here; run `photon login`");
    return this.principal;
  }

  async authorize(principal: Principal): Promise<Decision> {
    return principal.subject === this.principal.subject
      ? { allowed: true, reason: "local admin" }
      : { allowed: false, reason: `${principal.subject} is not the local admin` };
  }
}
