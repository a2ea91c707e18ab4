// Fills an AuthzState (or a store) with P projects × 10 bindings each, shaped so that 10 and
// 10,000 projects compare like with like: P users, each bound in exactly 10 projects (u-k
// in p-k … p-(k+9), wrapping), so every principal has the same 10 bindings at both scales
// and only the number of principals, projects and bindings around them grows.
import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import type { AnyResource } from "../../src/core/resource/model.ts";
import type { ResourceStore } from "../../src/core/resource/store.ts";
import { AuthzState } from "../../src/iam/authz-state.ts";
import { internalKinds, resourceOf } from "../../src/iam/internal-kinds.ts";

export const bindingsPerProject = 10;
/** Equal to bindingsPerProject: P principals × 10 = P projects × 10 bindings. */
export const bindingsPerPrincipal = bindingsPerProject;
const roles = ["viewer", "editor", "admin"];
export const organizations = 100;

/** The i-th project principal u-k is bound in (i < bindingsPerPrincipal). */
export const boundProject = (k: number, i: number, projects: number) => `p-${(k + i) % projects}`;
/** The role u-k holds in its i-th project. */
export const boundRole = (k: number, i: number) => roles[(k + i) % roles.length]!;

export interface PopulationOptions {
  /** User u-k's stored password hash, so the users can log in (bench logins). */
  passwordHash?: (k: number) => string;
}

export function* population(projects: number, o: PopulationOptions = {}): Generator<AnyResource> {
  for (let p = 0; p < projects; p++)
    yield resourceOf("Project", `p-${p}`, { displayName: "", organization: `o-${p % organizations}` });
  for (let k = 0; k < projects; k++) {
    yield resourceOf("User", `u-${k}`, { displayName: `User ${k}`, disabled: false });
    if (o.passwordHash)
      yield resourceOf(internalKinds.userCredential, `u-${k}`, { passwordHash: o.passwordHash(k) });
    for (let i = 0; i < bindingsPerPrincipal; i++)
      yield resourceOf(
        "RoleBinding",
        `u-${k}`,
        { principal: `user:u-${k}`, role: boundRole(k, i) },
        boundProject(k, i, projects),
      );
  }
}

export function populatedState(projects: number): AuthzState {
  const state = new AuthzState();
  for (const o of population(projects)) state.apply({ type: "ADDED", object: o });
  return state;
}

export async function populateStore(
  store: ResourceStore,
  projects: number,
  o: PopulationOptions = {},
): Promise<void> {
  for (const obj of population(projects, o)) await store.create(obj);
}

/** A small seeded generator (mulberry32), so both scales see the same kind of sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A signing key in the state, and a function minting tokens for a subject that it verifies. */
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
  return (subject = "user:u-0") =>
    new SignJWT({ name: subject.slice(subject.indexOf(":") + 1), iat_ms: Date.now() })
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt" })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience("photoncloud")
      .setIssuedAt(now)
      .setExpirationTime(now + 3000)
      .setJti(`bench-${n++}`)
      .sign(privateKey);
}
