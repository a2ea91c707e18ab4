// Issues and checks credentials: the password, client_credentials (API key or signed JWT
// assertion) and refresh_token grants; refresh-token rotation with reuse detection;
// introspection and revocation. Access tokens are JWTs signed by the current key (jose).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { decodeProtectedHeader, importJWK, jwtVerify, SignJWT } from "jose";
import type { Logger } from "pino";
import { isApiError } from "../core/errors.ts";
import type { AnyResource } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import {
  type AccessTokenClaims,
  type RevocationSpec,
  type ServiceAccountSpec,
  type TokenResponse,
  tokenAudience,
  type UserSpec,
} from "./api.ts";
import type { AuthzState } from "./authz-state.ts";
import {
  internalKinds,
  type RefreshTokenSpec,
  resourceOf,
  type ServiceAccountKeySpec,
  type UserCredentialSpec,
} from "./internal-kinds.ts";
import type { Lockout } from "./lockout.ts";
import { OAuthError } from "./oauth-error.ts";
import { verifyPassword } from "./password-hash.ts";
import type { SigningKeys } from "./signing-keys.ts";
import { unverifiedClaims, verifyAccessToken } from "./token-verifier.ts";

export interface TokenLifetimes {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** A login session (refresh-token family) ends this long after login, however often refreshed. */
  sessionMaxSeconds: number;
  clockSkewSeconds: number;
  /** Longest-lived client assertion accepted (RFC 7523 asks for short ones). */
  maxAssertionTtlSeconds: number;
}

export const defaultLifetimes: TokenLifetimes = {
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 7 * 86_400,
  sessionMaxSeconds: 30 * 86_400,
  clockSkewSeconds: 30,
  maxAssertionTtlSeconds: 300,
};

/** Assertion jtis remembered against replay; when full, new assertions wait for old ones to expire. */
export const assertionReplayCacheSize = 100_000;

const sha256 = (s: string) => createHash("sha256").update(s).digest();
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const refreshTokenRe = /^phr_([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;
const clientSecretRe = /^phs\.(k-[0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
const clientIdRe = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)\/([a-z0-9]([a-z0-9-]*[a-z0-9])?)$/;

export interface TokenServiceDeps {
  store: ResourceStore;
  keys: SigningKeys;
  state: () => AuthzState;
  lockout: Lockout;
  lifetimes: TokenLifetimes;
  issuer: () => string;
  clock: () => number;
  log: Logger;
  dummyPasswordHash: string;
}

export class TokenService {
  private readonly usedAssertions = new Map<string, number>();
  constructor(private readonly d: TokenServiceDeps) {}

  private nowSec(): number {
    return Math.floor(this.d.clock() / 1000);
  }

  /** Signs an access token for a subject (also used for PhotonCloud's own components). */
  async accessToken(
    subject: string,
    name: string,
    extra: { sid?: string; client_id?: string } = {},
  ): Promise<{ token: string; expiresIn: number }> {
    const nowMs = this.d.clock();
    const now = Math.floor(nowMs / 1000);
    const ttl = this.d.lifetimes.accessTokenTtlSeconds;
    const { kid, privateKey } = this.d.keys.signer();
    const token = await new SignJWT({ name, ...extra, iat_ms: nowMs })
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt" })
      .setIssuer(this.d.issuer())
      .setSubject(subject)
      .setAudience(tokenAudience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(hex(16))
      .sign(privateKey);
    return { token, expiresIn: ttl };
  }

  async passwordGrant(username: string, password: string): Promise<TokenResponse> {
    const account = `user:${username}`;
    const nowMs = this.d.clock();
    const wait = this.d.lockout.waitMs(account, nowMs);
    if (wait > 0) {
      const s = Math.ceil(wait / 1000);
      throw new OAuthError(
        "invalid_grant",
        `too many failed logins for ${username}; retry in ${s} s`,
        429,
        s,
      );
    }
    const user =
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(username) && username.length <= 63
        ? await this.d.store.get({ kind: "User", name: username })
        : undefined;
    const cred = user
      ? await this.d.store.get({ kind: internalKinds.userCredential, name: username })
      : undefined;
    // Unknown users cost the same scrypt as known ones, so timing does not reveal who exists.
    const ok = await verifyPassword(
      password,
      cred ? (cred.spec as UserCredentialSpec).passwordHash : this.d.dummyPasswordHash,
    );
    if (!ok || !cred || !user) {
      this.d.lockout.failed(account, this.d.clock());
      this.d.log.info({ user: username }, "login failed");
      throw new OAuthError("invalid_grant", "wrong username or password");
    }
    this.d.lockout.succeeded(account);
    const spec = user.spec as UserSpec;
    if (spec.disabled) throw new OAuthError("invalid_grant", `user ${username} is disabled`);
    this.d.log.info({ user: username }, "login");
    return this.startSession(account, spec.displayName || username);
  }

  async clientCredentialsGrant(auth: ClientAuth): Promise<TokenResponse> {
    const { subject, clientId } = await this.authenticateClient(auth);
    const { token, expiresIn } = await this.accessToken(subject, subject, { client_id: clientId });
    return { access_token: token, token_type: "Bearer", expires_in: expiresIn };
  }

  async refreshGrant(refreshToken: string): Promise<TokenResponse> {
    const m = refreshTokenRe.exec(refreshToken);
    if (!m) throw new OAuthError("invalid_grant", "malformed refresh token");
    const [, id, secret] = m as unknown as [string, string, string];
    const obj = await this.d.store.get({ kind: internalKinds.refreshToken, name: `rt-${id}` });
    const spec = obj?.spec as RefreshTokenSpec | undefined;
    if (!obj || !spec || !timingSafeEqual(Buffer.from(spec.secretHash, "hex"), sha256(secret)))
      throw new OAuthError("invalid_grant", "unknown refresh token");
    const now = this.nowSec();
    if (spec.state === "revoked")
      throw new OAuthError("invalid_grant", "the session has been revoked; log in again");
    if (spec.state === "used") {
      await this.revokeFamily(spec.family, "refresh token reused");
      throw new OAuthError(
        "invalid_grant",
        "refresh token reused: the whole session is revoked; log in again",
      );
    }
    if (now >= spec.expiresAt || now >= spec.familyExpiresAt)
      throw new OAuthError("invalid_grant", "refresh token expired; log in again");
    const active = this.d.state().subjectActive(spec.subject);
    if (!active.active) throw new OAuthError("invalid_grant", `cannot refresh: ${active.reason}`);
    try {
      await this.d.store.update(
        { ...obj, spec: { ...spec, state: "used" } },
        { revision: obj.metadata.revision },
      );
    } catch (e) {
      // Two concurrent uses of one refresh token: only one can win; treat the loser as reuse.
      if (isApiError(e) && e.code === "Conflict") {
        await this.revokeFamily(spec.family, "refresh token used concurrently");
        throw new OAuthError(
          "invalid_grant",
          "refresh token reused: the whole session is revoked; log in again",
        );
      }
      throw e;
    }
    return this.issuePair(spec.subject, spec.name, spec.family, spec.familyExpiresAt);
  }

  /** RFC 7662: what a token is, for resource servers that do not verify locally. */
  async introspect(token: string): Promise<Record<string, unknown>> {
    const m = refreshTokenRe.exec(token);
    if (m) {
      const obj = await this.d.store.get({ kind: internalKinds.refreshToken, name: `rt-${m[1]}` });
      const spec = obj?.spec as RefreshTokenSpec | undefined;
      const ok =
        spec &&
        timingSafeEqual(Buffer.from(spec.secretHash, "hex"), sha256(m[2]!)) &&
        spec.state === "active" &&
        this.nowSec() < spec.expiresAt;
      return ok
        ? {
            active: true,
            token_type: "refresh_token",
            sub: spec.subject,
            exp: spec.expiresAt,
            sid: spec.family,
          }
        : { active: false };
    }
    try {
      const claims = this.verify(token);
      const state = this.d.state();
      if (state.revoked(claims) || !state.subjectActive(claims.sub).active) return { active: false };
      return {
        active: true,
        token_type: "access_token",
        ...claims,
        username: claims.sub.startsWith("user:") ? claims.sub.slice(5) : undefined,
      };
    } catch {
      return { active: false };
    }
  }

  /** RFC 7009: holding a token is the right to revoke it. Unknown tokens are not an error. */
  async revoke(token: string): Promise<void> {
    const m = refreshTokenRe.exec(token);
    if (m) {
      const obj = await this.d.store.get({ kind: internalKinds.refreshToken, name: `rt-${m[1]}` });
      const spec = obj?.spec as RefreshTokenSpec | undefined;
      if (spec && timingSafeEqual(Buffer.from(spec.secretHash, "hex"), sha256(m[2]!)))
        await this.revokeFamily(spec.family, "refresh token revoked");
      return;
    }
    let claims: AccessTokenClaims;
    try {
      // An expired token needs no revocation; a valid signature proves the token is ours.
      claims = this.verify(token);
    } catch {
      return;
    }
    await this.addRevocation(`jti-${claims.jti}`, {
      type: "token",
      value: claims.jti,
      expiresAt: claims.exp + this.d.lifetimes.clockSkewSeconds,
    });
    if (claims.sid) await this.revokeFamily(claims.sid, "access token revoked");
  }

  /** Ends every token of a subject issued until now (user deleted, disabled or compromised). */
  async revokeSubject(subject: string): Promise<void> {
    const now = this.nowSec();
    const name = `sub-${sha256(subject).toString("hex").slice(0, 40)}`;
    await this.addRevocation(name, {
      type: "subject",
      value: subject,
      issuedBeforeMs: this.d.clock(),
      expiresAt: now + 1 + this.d.lifetimes.accessTokenTtlSeconds + this.d.lifetimes.clockSkewSeconds,
    });
  }

  verify(token: string): AccessTokenClaims {
    return verifyAccessToken(token, this.d.state().keys, {
      issuer: this.d.issuer(),
      audience: tokenAudience,
      clockSkewSeconds: this.d.lifetimes.clockSkewSeconds,
      nowSeconds: this.nowSec(),
    });
  }

  /** Deletes expired refresh tokens and revocations, at most `maxDeletes` per call. */
  async sweep(maxDeletes = 1000): Promise<number> {
    const now = this.nowSec();
    let removed = 0;
    for (const kind of [internalKinds.refreshToken, "Revocation"]) {
      let cont: string | undefined;
      do {
        const page = await this.d.store.list(kind, undefined, {
          limit: 1000,
          ...(cont ? { continue: cont } : {}),
        });
        for (const o of page.items) {
          if (now < (o.spec as { expiresAt: number }).expiresAt) continue;
          await this.d.store.delete({ kind, name: o.metadata.name }).catch(() => undefined);
          if (++removed >= maxDeletes) return removed;
        }
        cont = page.continue;
      } while (cont);
    }
    return removed;
  }

  private async startSession(subject: string, name: string): Promise<TokenResponse> {
    return this.issuePair(subject, name, hex(12), this.nowSec() + this.d.lifetimes.sessionMaxSeconds);
  }

  private async issuePair(
    subject: string,
    name: string,
    family: string,
    familyExpiresAt: number,
  ): Promise<TokenResponse> {
    const id = hex(16);
    const secret = randomBytes(32).toString("base64url");
    const spec: RefreshTokenSpec = {
      family,
      subject,
      name,
      secretHash: sha256(secret).toString("hex"),
      state: "active",
      expiresAt: Math.min(familyExpiresAt, this.nowSec() + this.d.lifetimes.refreshTokenTtlSeconds),
      familyExpiresAt,
    };
    await this.d.store.create(
      resourceOf(internalKinds.refreshToken, `rt-${id}`, spec, undefined, { family }),
    );
    const { token, expiresIn } = await this.accessToken(subject, name, { sid: family });
    return {
      access_token: token,
      token_type: "Bearer",
      expires_in: expiresIn,
      refresh_token: `phr_${id}.${secret}`,
    };
  }

  private async revokeFamily(family: string, why: string): Promise<void> {
    this.d.log.warn({ session: family, why }, "session revoked");
    let cont: string | undefined;
    do {
      const page = await this.d.store.list(internalKinds.refreshToken, undefined, {
        labelSelector: `family=${family}`,
        limit: 500,
        ...(cont ? { continue: cont } : {}),
      });
      for (const o of page.items) {
        if ((o.spec as RefreshTokenSpec).state === "revoked") continue;
        await this.d.store
          .update({ ...o, spec: { ...(o.spec as RefreshTokenSpec), state: "revoked" } })
          .catch(() => undefined);
      }
      cont = page.continue;
    } while (cont);
    const l = this.d.lifetimes;
    await this.addRevocation(`sid-${family}`, {
      type: "session",
      value: family,
      expiresAt: this.nowSec() + l.accessTokenTtlSeconds + l.clockSkewSeconds,
    });
  }

  private async addRevocation(name: string, spec: RevocationSpec): Promise<void> {
    const existing = await this.d.store.get({ kind: "Revocation", name });
    if (existing) await this.d.store.update({ ...existing, spec });
    else
      await this.d.store
        .create(resourceOf("Revocation", name, spec))
        .catch((e) => (isApiError(e) && e.code === "AlreadyExists" ? undefined : Promise.reject(e)));
  }

  private async authenticateClient(auth: ClientAuth): Promise<{ subject: string; clientId: string }> {
    if (auth.assertion !== undefined) return this.authenticateAssertion(auth.assertion, auth.clientId);
    const clientId = auth.clientId;
    const secret = auth.secret;
    if (!clientId || !secret)
      throw new OAuthError(
        "invalid_client",
        "client authentication needed: HTTP Basic, client_id + client_secret, or a client_assertion",
      );
    const idm = clientIdRe.exec(clientId);
    const sm = clientSecretRe.exec(secret);
    if (!idm || !sm)
      throw new OAuthError(
        "invalid_client",
        "client_id must be <project>/<service account> and client_secret a phs.… key",
      );
    const [project, sa] = [idm[1]!, idm[3]!];
    const key = await this.d.store.get({ kind: internalKinds.serviceAccountKey, project, name: sm[1]! });
    const spec = key?.spec as ServiceAccountKeySpec | undefined;
    const good =
      spec?.type === "secret" &&
      spec.serviceAccount === sa &&
      spec.secretHash !== undefined &&
      timingSafeEqual(Buffer.from(spec.secretHash, "hex"), sha256(sm[2]!));
    if (!good || !spec) throw new OAuthError("invalid_client", "unknown client or wrong secret");
    if (spec.expiresAt !== undefined && this.nowSec() >= spec.expiresAt)
      throw new OAuthError("invalid_client", "this API key has expired");
    await this.assertServiceAccountEnabled(project, sa);
    return { subject: `serviceaccount:${project}/${sa}`, clientId };
  }

  private async authenticateAssertion(
    assertion: string,
    clientIdHint: string | undefined,
  ): Promise<{ subject: string; clientId: string }> {
    let kid: string | undefined;
    let claimed: Record<string, unknown> | undefined;
    try {
      kid = decodeProtectedHeader(assertion).kid;
      claimed = unverifiedClaims(assertion);
    } catch {
      throw new OAuthError("invalid_client", "client_assertion is not a JWT");
    }
    const clientId = typeof claimed?.iss === "string" ? claimed.iss : "";
    const idm = clientIdRe.exec(clientId);
    if (!idm || !kid || (clientIdHint && clientIdHint !== clientId))
      throw new OAuthError(
        "invalid_client",
        "client_assertion needs kid, and iss = sub = client_id = <project>/<service account>",
      );
    const [project, sa] = [idm[1]!, idm[3]!];
    const key = /^k-[0-9a-f]{16}$/.test(kid)
      ? await this.d.store.get({ kind: internalKinds.serviceAccountKey, project, name: kid })
      : undefined;
    const spec = key?.spec as ServiceAccountKeySpec | undefined;
    if (spec?.type !== "jwk" || spec.serviceAccount !== sa || !spec.publicJwk)
      throw new OAuthError("invalid_client", "unknown client key");
    if (spec.expiresAt !== undefined && this.nowSec() >= spec.expiresAt)
      throw new OAuthError("invalid_client", "this key has expired");
    const issuer = this.d.issuer();
    let payload: Record<string, unknown>;
    try {
      const pub = await importJWK(
        spec.publicJwk as never,
        (spec.publicJwk as { alg?: string }).alg ?? "EdDSA",
      );
      ({ payload } = await jwtVerify(assertion, pub, {
        issuer: clientId,
        subject: clientId,
        audience: [issuer, `${issuer}/oauth/token`],
        algorithms: ["EdDSA", "ES256", "RS256", "PS256"],
        clockTolerance: this.d.lifetimes.clockSkewSeconds,
        requiredClaims: ["exp", "jti"],
        currentDate: new Date(this.d.clock()),
      }));
    } catch (e) {
      throw new OAuthError("invalid_client", `client_assertion rejected: ${(e as Error).message}`);
    }
    const now = this.nowSec();
    const exp = payload.exp as number;
    if (exp - now > this.d.lifetimes.maxAssertionTtlSeconds)
      throw new OAuthError(
        "invalid_client",
        `client_assertion may live at most ${this.d.lifetimes.maxAssertionTtlSeconds} s`,
      );
    const jti = `${clientId}#${String(payload.jti)}`;
    for (const [k, until] of this.usedAssertions) {
      if (until > now) break;
      this.usedAssertions.delete(k);
    }
    if (this.usedAssertions.has(jti))
      throw new OAuthError("invalid_client", "client_assertion replayed (jti already used)");
    if (this.usedAssertions.size >= assertionReplayCacheSize)
      throw new OAuthError("temporarily_unavailable", "too many assertions in flight; retry shortly", 503);
    this.usedAssertions.set(jti, exp + this.d.lifetimes.clockSkewSeconds);
    await this.assertServiceAccountEnabled(project, sa);
    return { subject: `serviceaccount:${project}/${sa}`, clientId };
  }

  private async assertServiceAccountEnabled(project: string, sa: string): Promise<void> {
    const obj: AnyResource | undefined = await this.d.store.get({
      kind: "ServiceAccount",
      project,
      name: sa,
    });
    if (!obj) throw new OAuthError("invalid_client", `service account ${project}/${sa} does not exist`);
    if ((obj.spec as ServiceAccountSpec).disabled)
      throw new OAuthError("invalid_client", `service account ${project}/${sa} is disabled`);
  }
}

export interface ClientAuth {
  clientId?: string | undefined;
  secret?: string | undefined;
  assertion?: string | undefined;
}
