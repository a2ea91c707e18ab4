// Password hashing with scrypt (node:crypto), self-describing so the cost can rise later:
// `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`. Comparison is constant-time.
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

export interface ScryptCost {
  /** CPU/memory cost, a power of two. 2^15 with r=8 uses 32 MiB and ~50–100 ms per hash. */
  N: number;
  r: number;
  p: number;
}

export const defaultScryptCost: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
export const passwordLimits = { minLength: 8, maxLength: 1024 };
const keyBytes = 32;

function derive(password: string, salt: Buffer, c: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFKC"),
      salt,
      keyBytes,
      { N: c.N, r: c.r, p: c.p, maxmem: 256 * c.N * c.r + 1_048_576 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string, cost: ScryptCost = defaultScryptCost): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = encoded.split("$");
  if (alg !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const got = await derive(password, Buffer.from(salt, "base64url"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** A hash of nothing, verified against when the user does not exist, so timing does not tell. */
export async function dummyHash(cost: ScryptCost): Promise<string> {
  return hashPassword(randomBytes(16).toString("hex"), cost);
}
