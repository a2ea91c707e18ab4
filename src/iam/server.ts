// `photon iam`: wires the store, the signing-key ring, the token service, iam's own verifier
// (fed from its own store, no network) and the REST, OAuth2 and OIDC routes.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ApiServer } from "../core/api/server.ts";
import { commonOptions, option } from "../core/config.ts";
import { createRegistry } from "../core/metrics.ts";
import type { Watch } from "../core/resource/store.ts";
import { defineRole } from "../core/role.ts";
import { tokenAudience } from "./api.ts";
import { AuditLog } from "./audit-log.ts";
import { openAuthzFeed } from "./authz-feed.ts";
import { AuthzState } from "./authz-state.ts";
import { bootstrap } from "./bootstrap.ts";
import { Lockout } from "./lockout.ts";
import { oauthRoutes } from "./oauth-routes.ts";
import { dummyHash } from "./password-hash.ts";
import { iamRoutes } from "./routes.ts";
import { SigningKeys } from "./signing-keys.ts";
import { TokenService } from "./token-service.ts";
import { maxClockSkewSeconds } from "./token-verifier.ts";
import { Verifier } from "./verifier.ts";

export const iamOptions = {
  ...commonOptions,
  port: option(
    z.number().int().min(0).max(65535),
    7401,
    "HTTP port of the REST API, token endpoint, discovery and JWKS",
  ),
  issuer: option(
    z.string().max(512),
    "",
    "issuer URL in tokens and discovery (default: the URL iam listens on)",
  ),
  accessTokenTtlSeconds: option(z.number().int().min(5).max(86_400), 900, "lifetime of access tokens"),
  refreshTokenTtlSeconds: option(
    z
      .number()
      .int()
      .min(60)
      .max(90 * 86_400),
    7 * 86_400,
    "lifetime of one refresh token (each use issues a new one)",
  ),
  sessionMaxSeconds: option(
    z
      .number()
      .int()
      .min(60)
      .max(365 * 86_400),
    30 * 86_400,
    "a login session ends this long after login, however often refreshed",
  ),
  clockSkewSeconds: option(
    z.number().int().min(0).max(maxClockSkewSeconds),
    30,
    "clock skew tolerated when checking token times",
  ),
  keyRotationSeconds: option(
    z
      .number()
      .int()
      .min(2)
      .max(365 * 86_400),
    86_400,
    "how long one signing key signs before its successor takes over",
  ),
  keyPrepublishSeconds: option(
    z.number().int().min(0).max(86_400),
    300,
    "a successor key is published this long before it signs",
  ),
  scryptLogN: option(
    z.number().int().min(10).max(20),
    15,
    "scrypt cost for password hashes, as log2(N) (r=8, p=1)",
  ),
  loginFreeAttempts: option(
    z.number().int().min(1).max(100),
    5,
    "failed logins allowed before the backoff starts",
  ),
  loginMaxBackoffSeconds: option(
    z.number().int().min(1).max(86_400),
    900,
    "longest lockout after repeated failed logins",
  ),
  sweepIntervalMs: option(
    z.number().int().min(100).max(3_600_000),
    60_000,
    "how often expired refresh tokens and revocations are deleted",
  ),
};

export const iamRole = defineRole({
  name: "iam",
  description: "identities, projects, roles, OAuth2 tokens and authorization",
  options: iamOptions,
  async start(config, deps) {
    const log = deps.log.child({ component: "iam" });
    const registry = createRegistry("iam");
    const store = await deps.openStore("iam");
    const clock = Date.now;
    const scrypt = { N: 2 ** config.scryptLogN, r: 8, p: 1 };
    const lifetimes = {
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      sessionMaxSeconds: config.sessionMaxSeconds,
      clockSkewSeconds: config.clockSkewSeconds,
      maxAssertionTtlSeconds: 300,
    };
    const keys = new SigningKeys(
      store,
      {
        rotationSeconds: config.keyRotationSeconds,
        prepublishSeconds: Math.min(config.keyPrepublishSeconds, Math.floor(config.keyRotationSeconds / 2)),
        maxTokenTtlSeconds: config.accessTokenTtlSeconds,
        clockSkewSeconds: config.clockSkewSeconds,
      },
      clock,
      log,
    );
    const boot = await bootstrap(store, config.dataDir, scrypt, log);
    await keys.tick();

    // iam verifies its own callers from its own store: the same state verifiers replicate.
    const state = new AuthzState();
    let feed: Watch | undefined;
    const openFeed = async () => {
      feed = await openAuthzFeed(store, {
        event: (e) => state.apply(e),
        synced: () => undefined,
        resumed: () => undefined,
        error: (err) => {
          log.error({ err }, "iam's own authz feed failed; reopening");
          void openFeed();
        },
      });
    };
    await openFeed();

    let issuer = config.issuer.replace(/\/+$/, "");
    const audit = new AuditLog(log);
    const verifier = new Verifier({
      state: () => state,
      issuer: () => issuer,
      audience: tokenAudience,
      clockSkewSeconds: config.clockSkewSeconds,
      clock,
      audit,
      name: "iam",
    });
    const tokens = new TokenService({
      store,
      keys,
      state: () => state,
      lockout: new Lockout({
        freeAttempts: config.loginFreeAttempts,
        baseDelayMs: 1000,
        maxDelayMs: config.loginMaxBackoffSeconds * 1000,
        maxEntries: 100_000,
      }),
      lifetimes,
      issuer: () => issuer,
      clock,
      log,
      dummyPasswordHash: await dummyHash(scrypt),
    });

    // Verifiers re-open their feed streams at once; cut whatever is left after a short drain.
    const api = new ApiServer({ name: "iam", logger: log, registry, auth: verifier, closeDrainMs: 2000 });
    // OAuth2 token requests are form-encoded (RFC 6749); JSON is accepted too.
    api.app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    api.add(...oauthRoutes(tokens, keys, () => issuer));
    const openFeeds = new Set<() => void>();
    // Names this iam process's store history: a verifier resumes the feed only within it.
    const feedEpoch = randomUUID();
    api.add(
      ...iamRoutes({
        store,
        tokens,
        keys,
        state: () => state,
        verifier,
        audit,
        scrypt,
        openFeeds,
        feedEpoch,
      }),
    );
    await api.listen(config.listen, config.port);
    if (!issuer) issuer = api.url();

    const keyTimer = setInterval(
      () => void keys.tick().catch((err) => log.error({ err }, "signing-key rotation failed")),
      Math.max(1000, Math.min(60_000, (config.keyRotationSeconds * 1000) / 4)),
    );
    const sweepTimer = setInterval(
      () => void tokens.sweep().catch((err) => log.error({ err }, "sweep failed")),
      config.sweepIntervalMs,
    );
    keyTimer.unref();
    sweepTimer.unref();
    log.info({ issuer, adminCreated: boot.adminCreated }, "iam serving");
    return {
      endpoints: { api: api.url() },
      async close() {
        clearInterval(keyTimer);
        clearInterval(sweepTimer);
        // Verifiers' feed streams never end by themselves; end them so the server can drain.
        for (const end of [...openFeeds]) end();
        await api.close();
        feed?.close();
        await store.close();
      },
    };
  },
});
