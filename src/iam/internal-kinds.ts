// Kinds iam keeps in its store but never serves as resources: secrets (password hashes,
// private keys, API-key hashes) and refresh tokens. Only iam's own code reads them.
import type { AnyResource } from "../core/resource/model.ts";
import type { SigningKeyPublic } from "./api.ts";

export const internalKinds = {
  signingKey: "SigningKey",
  userCredential: "UserCredential",
  serviceAccountKey: "ServiceAccountKey",
  refreshToken: "RefreshToken",
} as const;

export interface SigningKeySpec extends SigningKeyPublic {
  privateJwk: Record<string, unknown>;
}

export interface UserCredentialSpec {
  passwordHash: string;
}

export interface ServiceAccountKeySpec {
  serviceAccount: string;
  type: "secret" | "jwk";
  /** sha256 of the secret: it is 256 random bits, so a fast hash is enough. */
  secretHash?: string;
  publicJwk?: Record<string, unknown>;
  /** Epoch seconds; absent = does not expire. */
  expiresAt?: number;
}

export interface RefreshTokenSpec {
  family: string;
  subject: string;
  name: string;
  secretHash: string;
  state: "active" | "used" | "revoked";
  /** Epoch seconds: this token's end, and the whole family's absolute end. */
  expiresAt: number;
  familyExpiresAt: number;
}

export function resourceOf(
  kind: string,
  name: string,
  spec: unknown,
  project?: string,
  labels: Record<string, string> = {},
): AnyResource {
  return {
    apiVersion: "iam/v1",
    kind,
    metadata: {
      name,
      ...(project ? { project } : {}),
      uid: "",
      revision: 0,
      labels,
      annotations: {},
      createdAt: "",
      updatedAt: "",
    },
    spec,
    status: {},
  };
}
