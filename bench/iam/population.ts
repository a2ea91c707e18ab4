// Fills an AuthzState (or a store) with P projects × 10 bindings each: alice in every
// project plus nine others, so the principal under test is bound as widely as possible.
import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import type { ResourceStore } from "../../src/core/resource/store.ts";
import { AuthzState } from "../../src/iam/authz-state.ts";
import { resourceOf } from "../../src/iam/internal-kinds.ts";

export const bindingsPerProject = 10;
const roles = ["viewer", "editor", "admin"];

export function* population(projects: number) {
  for (let p = 0; p < projects; p++) {
    const project = `p-${p}`;
    yield resourceOf("Project", project, { displayName: "", organization: `o-${p % 100}` });
    yield resourceOf("RoleBinding", "alice", { principal: "user:alice", role: roles[p % 3] }, project);
    for (let i = 1; i < bindingsPerProject; i++)
      yield resourceOf(
        "RoleBinding",
        `u-${i}`,
        { principal: `user:u-${(p * 7 + i) % 5000}`, role: roles[i % 3] },
        project,
      );
  }
  yield resourceOf("User", "alice", { displayName: "Alice", disabled: false });
}

export function populatedState(projects: number): AuthzState {
  const state = new AuthzState();
  for (const o of population(projects)) state.apply({ type: "ADDED", object: o });
  return state;
}

export async function populateStore(store: ResourceStore, projects: number): Promise<void> {
  for (const o of population(projects)) await store.create(o);
}

/** A signing key in the state, and a function minting tokens it verifies. */
export function withSigningKey(state: AuthzState, issuer: string) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const kid = "k-bench000000000";
  const now = Math.floor(Date.now() / 1000);
  state.apply({
    type: "ADDED",
    object: resourceOf("SigningKey", kid, {
      kid,
      alg: "EdDSA",
      publicJwk: { ...publicKey.export({ format: "jwk" }), kid },
      activeFrom: now - 10,
      retireAt: now + 3600,
      removeAt: now + 7200,
    }),
  });
  let n = 0;
  return () =>
    new SignJWT({ name: "alice", iat_ms: Date.now() })
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt" })
      .setIssuer(issuer)
      .setSubject("user:alice")
      .setAudience("photoncloud")
      .setIssuedAt(now)
      .setExpirationTime(now + 3000)
      .setJti(`bench-${n++}`)
      .sign(privateKey);
}
