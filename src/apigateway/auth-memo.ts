// Who a bearer token belongs to, remembered for a moment at the edge. The verifier (iam's,
// with its own verified-token cache) still decides; the memo only saves repeating that work
// for a token seen within the last memoTtlMs. A token revoked meanwhile is refused by the
// gateway at most memoTtlMs later, and by the backend (which checks every call) at once.
import type { Authenticator, Principal } from "../core/api/auth.ts";

export const memoTtlMs = 1_000;
/** Tokens remembered at once; a full memo starts over. */
export const memoEntries = 10_000;

interface Entry {
  principal: Principal;
  untilMs: number;
}

export class AuthMemo {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly auth: Authenticator,
    private readonly clock: () => number,
  ) {}

  /** The remembered caller for this Authorization header, without waiting (the hot path). */
  cached(authorization: string | undefined): Principal | undefined {
    if (authorization === undefined) return undefined;
    const hit = this.entries.get(authorization);
    return hit !== undefined && this.clock() < hit.untilMs ? hit.principal : undefined;
  }

  /** The caller, or undefined without credentials; throws Unauthenticated like the verifier. */
  async authenticate(authorization: string | undefined): Promise<Principal | undefined> {
    if (authorization === undefined) return this.auth.authenticate({ authorization });
    const now = this.clock();
    const principal = await this.auth.authenticate({ authorization });
    if (principal) {
      if (this.entries.size >= memoEntries) this.entries.clear();
      this.entries.set(authorization, { principal, untilMs: now + memoTtlMs });
    }
    return principal;
  }
}
