// The verified-token cache skips only the signature check: expiry, revocation and the
// principal being enabled are decided on every request, the cache stays bounded, and a
// remembered header never lets a tampered token through.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { populatedState, withSigningKey } from "../../bench/iam/population.ts";
import { ApiError } from "../../src/core/errors.ts";
import type { AuthzState } from "../../src/iam/authz-state.ts";
import { resourceOf } from "../../src/iam/internal-kinds.ts";
import { unverifiedClaims } from "../../src/iam/token-verifier.ts";
import { Verifier, verifiedCacheSize } from "../../src/iam/verifier.ts";

const issuer = "http://iam.test";

function setup() {
  const state = populatedState(10);
  const mint = withSigningKey(state, issuer);
  let now = Date.now();
  const verifier = new Verifier({
    state: () => state,
    issuer: () => issuer,
    audience: "photoncloud",
    clockSkewSeconds: 30,
    clock: () => now,
    name: "test",
  });
  return { state, mint, verifier, advance: (ms: number) => (now += ms) };
}

const unauthenticated = (what: RegExp) => (e: unknown) =>
  e instanceof ApiError && e.code === "Unauthenticated" && what.test(e.message);

function revoke(state: AuthzState, type: "token" | "session" | "subject", value: string) {
  state.apply({
    type: "ADDED",
    object: resourceOf("Revocation", `r-${value.replace(/[^a-z0-9]/g, "")}`, {
      type,
      value,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      ...(type === "subject" ? { issuedBeforeMs: Date.now() + 1000 } : {}),
    }),
  });
}

describe("the verified-token cache", () => {
  test("a cached token that is then revoked is refused on its next use", async () => {
    const { state, mint, verifier } = setup();
    const token = await mint("user:u-1");
    verifier.verifyToken(token);
    assert.equal(verifier.cachedTokens(), 1);
    revoke(state, "token", unverifiedClaims(token)!.jti as string);
    assert.throws(() => verifier.verifyToken(token), unauthenticated(/revoked/));
  });

  test("a revocation of the whole subject reaches its cached tokens too", async () => {
    const { state, mint, verifier } = setup();
    const token = await mint("user:u-2");
    verifier.verifyToken(token);
    revoke(state, "subject", "user:u-2");
    assert.throws(() => verifier.verifyToken(token), unauthenticated(/revoked/));
  });

  test("a cached token expires on time", async () => {
    const { mint, verifier, advance } = setup();
    const token = await mint("user:u-3");
    verifier.verifyToken(token);
    advance(2_000_000); // tokens of withSigningKey live 3,000 s; 2,000 s + skew is still inside
    verifier.verifyToken(token);
    advance(1_100_000);
    assert.throws(() => verifier.verifyToken(token), unauthenticated(/expired/));
  });

  test("disabling the user ends its cached tokens", async () => {
    const { state, mint, verifier } = setup();
    const token = await mint("user:u-4");
    verifier.verifyToken(token);
    state.apply({
      type: "MODIFIED",
      object: resourceOf("User", "u-4", { displayName: "U", disabled: true }),
    });
    assert.throws(() => verifier.verifyToken(token), unauthenticated(/disabled/));
  });

  test("a tampered payload behind a remembered header still fails the signature check", async () => {
    const { mint, verifier } = setup();
    const good = await mint("user:u-5");
    verifier.verifyToken(good); // its header is now remembered as verified
    const [h, p, s] = good.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: "user:u-6" })).toString("base64url")}.${s}`;
    assert.throws(() => verifier.verifyToken(forged), unauthenticated(/bad signature/));
    const nonCanonical = `${h}.${p}.${s.slice(0, -1)}${s.endsWith("A") ? "B" : "A"}`;
    assert.throws(() => verifier.verifyToken(nonCanonical), unauthenticated(/canonical|bad signature/));
  });

  test("stays within its bound, and a token in use survives the churn", async () => {
    const { state, mint, verifier } = setup();
    const kept = await mint("user:u-7");
    verifier.verifyToken(kept);
    const tokensOfU9 = [await mint("user:u-9")]; // never verified, so never cached
    const batch = 2_000;
    for (let done = 0; done < verifiedCacheSize + batch; done += batch) {
      const tokens = await Promise.all(Array.from({ length: batch }, () => mint("user:u-8")));
      for (const t of tokens) verifier.verifyToken(t);
      verifier.verifyToken(kept); // used between batches, as a client's token is
      assert.ok(verifier.cachedTokens() <= verifiedCacheSize, `${verifier.cachedTokens()} cached`);
    }
    // Without its key only a cached token can still pass: proof that it was never evicted.
    for (const kid of [...state.keys.keys()])
      state.apply({ type: "DELETED", object: resourceOf("SigningKey", kid, { kid }) });
    verifier.verifyToken(kept);
    assert.throws(() => verifier.verifyToken(tokensOfU9[0]!), unauthenticated(/unknown key/));
  });
});
