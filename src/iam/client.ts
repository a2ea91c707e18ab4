// Typed client of iam, and IamAuth: the Authenticator & Authorizer every other component
// serves with. IamAuth replicates iam's authz feed (keys, revocations, bindings, principals)
// over one long-lived stream and decides locally, so no request pays a network hop.
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type {
  AccessRequest,
  Authenticator,
  Authorizer,
  AuthRequest,
  Decision,
  Principal,
} from "../core/api/auth.ts";
import { backoffDelayMs } from "../core/backoff.ts";
import { ApiError } from "../core/errors.ts";
import { HttpClient, type HttpClientOptions } from "../core/http-client.ts";
import { silentLogger } from "../core/log.ts";
import type { Resource } from "../core/resource/model.ts";
import type { ListResult } from "../core/resource/store.ts";
import { type AuditEntry, type TokenResponse, tokenAudience } from "./api.ts";
import { AuditLog } from "./audit-log.ts";
import { type AuthzEvent, AuthzState } from "./authz-state.ts";
import { componentCredentialsPath, readComponentCredentials, readSystemCredentials } from "./bootstrap.ts";
import { formatResume, parseResume } from "./feed-resume.ts";
import { unverifiedClaims } from "./token-verifier.ts";
import { Verifier } from "./verifier.ts";

/** Posts an OAuth2 token request (form-encoded) and returns the token, or throws with OAuth's error. */
export async function requestToken(
  iamUrl: string,
  form: Record<string, string>,
  timeoutMs = 10_000,
): Promise<TokenResponse> {
  let res: Response;
  try {
    res = await fetch(`${iamUrl.replace(/\/+$/, "")}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new ApiError(
      "Unavailable",
      `cannot reach iam at ${iamUrl}: ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`,
    );
  }
  const body = (await res.json().catch(() => ({}))) as TokenResponse & {
    error?: string;
    error_description?: string;
  };
  if (!res.ok) {
    const code = res.status === 429 ? "RateLimited" : res.status >= 500 ? "Unavailable" : "Unauthenticated";
    throw new ApiError(code, `${body.error ?? res.status}: ${body.error_description ?? res.statusText}`);
  }
  return body;
}

export class IamClient {
  readonly http: HttpClient;
  constructor(opts: HttpClientOptions | HttpClient) {
    this.http = opts instanceof HttpClient ? opts : new HttpClient(opts);
  }

  whoami(): Promise<{ subject: string; name: string; groups: string[]; bindings: unknown[] }> {
    return this.http.get("/v1/self");
  }

  list(
    plural: string,
    project?: string,
    query: { limit?: number; continue?: string } = {},
  ): Promise<ListResult> {
    return this.http.get(project ? `/v1/projects/${project}/${plural}` : `/v1/${plural}`, { query });
  }

  create<S>(
    plural: string,
    name: string,
    spec: S,
    project?: string,
    labels?: Record<string, string>,
  ): Promise<Resource<S>> {
    return this.http.post(project ? `/v1/projects/${project}/${plural}` : `/v1/${plural}`, {
      metadata: { name, ...(labels ? { labels } : {}) },
      spec,
    });
  }

  get<S>(plural: string, name: string, project?: string): Promise<Resource<S>> {
    return this.http.get(project ? `/v1/projects/${project}/${plural}/${name}` : `/v1/${plural}/${name}`);
  }

  delete(plural: string, name: string, project?: string): Promise<unknown> {
    return this.http.delete(project ? `/v1/projects/${project}/${plural}/${name}` : `/v1/${plural}/${name}`);
  }

  setPassword(user: string, password: string): Promise<void> {
    return this.http.put(`/v1/users/${user}/password`, { password });
  }

  createKey(
    project: string,
    serviceAccount: string,
    body: { type: "secret" } | { type: "jwk"; publicJwk: Record<string, unknown> },
  ): Promise<{ keyId: string; clientId: string; clientSecret?: string }> {
    return this.http.post(`/v1/projects/${project}/serviceaccounts/${serviceAccount}/keys`, body);
  }

  authorize(
    permission: string,
    resource: { project?: string; name?: string } = {},
    principal?: string,
  ): Promise<Decision> {
    return this.http.post("/v1/authorize", { permission, resource, ...(principal ? { principal } : {}) });
  }

  audit(
    query: { limit?: number; subject?: string; project?: string } = {},
  ): Promise<{ items: AuditEntry[] }> {
    return this.http.get("/v1/audit", { query });
  }
}

/** How long a verifier may serve from a feed it lost before it refuses (it would miss revocations). */
export const maxFeedStalenessMs = 60_000;
/** Silence on the feed longer than this means the stream is dead (iam sends a heartbeat every 5 s). */
export const feedIdleTimeoutMs = 20_000;
/** How long a request signed by a not-yet-seen key waits for that key to arrive over the feed. */
export const unknownKeyWaitMs = 1000;
/** Requests allowed to wait that way at once; beyond it they fail at once (no pile-up on forged kids). */
const maxKeyWaiters = 64;

/**
 * Only a token issued moments ago can carry a key the feed has not delivered yet (iam creates
 * a key before it signs with it, and the feed delivers in milliseconds), so only such tokens
 * wait; the clock-skew tolerance is added for iam's clock being behind ours.
 */
const newKeyTokenAgeMs = 5_000;

/** The kid of a token worth waiting for (issued within the last few seconds), else undefined. */
function kidWorthWaiting(
  authorization: string | undefined,
  nowMs: number,
  skewMs: number,
): string | undefined {
  const token = authorization?.replace(/^Bearer\s+/i, "");
  try {
    const h = JSON.parse(Buffer.from(token?.split(".")[0] ?? "", "base64url").toString("utf8")) as {
      kid?: unknown;
    };
    if (typeof h.kid !== "string" || h.kid.length > 64) return undefined;
    const c = unverifiedClaims(token ?? "");
    const iatMs =
      typeof c?.iat_ms === "number" ? c.iat_ms : typeof c?.iat === "number" ? c.iat * 1000 : undefined;
    return iatMs !== undefined && nowMs - iatMs < newKeyTokenAgeMs + skewMs ? h.kid : undefined;
  } catch {
    return undefined;
  }
}

/** Longest line accepted on the feed (one resource). */
const maxFeedLineBytes = 2 * 1_048_576;

export interface IamAuthOptions {
  iamUrl: string;
  /** client_credentials of the component's service account. */
  clientId: string;
  clientSecret: string;
  /** Names the verifier in audit entries and logs. */
  name: string;
  log?: Logger;
  clock?: () => number;
  clockSkewSeconds?: number;
  random?: () => number;
  /** How long start() waits for the first snapshot. */
  startTimeoutMs?: number;
}

export class IamAuth implements Authenticator, Authorizer {
  readonly audit: AuditLog;
  private state = new AuthzState();
  private readonly verifier: Verifier;
  private readonly log: Logger;
  private readonly clock: () => number;
  private issuer = "";
  private syncedAt = 0;
  private connected = false;
  private closed = false;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private cachedToken: { token: string; refreshAt: number } | undefined;
  private tokenInFlight: Promise<string> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private keyWaiters = 0;
  /** Where to resume the feed after a reconnect: iam's epoch and, per kind, the last revision held. */
  private resume: { epoch: string; revisions: Record<string, number> } | undefined;
  private readonly feedCounts = { snapshots: 0, resumes: 0 };

  private constructor(private readonly o: IamAuthOptions) {
    this.log = (o.log ?? silentLogger).child({ verifier: o.name });
    this.clock = o.clock ?? Date.now;
    this.audit = new AuditLog(this.log);
    this.verifier = new Verifier({
      state: () => this.state,
      issuer: () => this.issuer,
      audience: tokenAudience,
      clockSkewSeconds: o.clockSkewSeconds ?? 30,
      clock: this.clock,
      audit: this.audit,
      name: o.name,
      notReady: () => this.notReady(),
    });
  }

  /** Connects to iam, waits for the first full snapshot, and keeps it current in the background. */
  static async start(o: IamAuthOptions): Promise<IamAuth> {
    const a = new IamAuth(o);
    const doc = await new HttpClient({ baseUrl: o.iamUrl, timeoutMs: 10_000 }).get<{ issuer: string }>(
      "/.well-known/openid-configuration",
    );
    a.issuer = doc.issuer;
    let first!: () => void;
    const synced = new Promise<void>((r) => (first = r));
    a.loop = a.run(first);
    const timeoutMs = o.startTimeoutMs ?? 30_000;
    const ok = await Promise.race([synced.then(() => true), sleep(timeoutMs, false, { ref: false })]);
    if (!ok) {
      await a.close();
      throw new ApiError(
        "Unavailable",
        `iam at ${o.iamUrl} did not deliver its authz data within ${timeoutMs} ms`,
      );
    }
    return a;
  }

  async authenticate(req: AuthRequest): Promise<Principal | undefined> {
    try {
      return await this.verifier.authenticate(req);
    } catch (e) {
      // A key iam just created (forced rotation) may reach a client before it reaches us over the feed.
      const kid =
        e instanceof ApiError && /unknown key/.test(e.message)
          ? kidWorthWaiting(req.authorization, this.clock(), (this.o.clockSkewSeconds ?? 30) * 1000)
          : undefined;
      if (!kid || !(await this.waitForKey(kid))) throw e;
      return this.verifier.authenticate(req);
    }
  }

  private async waitForKey(kid: string): Promise<boolean> {
    if (this.keyWaiters >= maxKeyWaiters || !this.connected) return false;
    this.keyWaiters++;
    try {
      for (let waited = 0; waited < unknownKeyWaitMs; waited += 25) {
        if (this.state.keys.has(kid)) return true;
        await sleep(25, undefined, { ref: false });
      }
      return this.state.keys.has(kid);
    } finally {
      this.keyWaiters--;
    }
  }

  authorize(principal: Principal, req: AccessRequest): Promise<Decision> {
    return this.verifier.authorize(principal, req);
  }

  /** The decision with labels too (for handlers that know the resource's labels). */
  decide(
    subject: string,
    permission: string,
    resource: { project?: string; name?: string; labels?: Record<string, string> },
  ): Decision {
    return this.verifier.decide(subject, permission, resource);
  }

  /** An access token for this component's own calls, renewed before it expires. */
  async serviceToken(): Promise<string> {
    const now = this.clock();
    if (this.cachedToken && now < this.cachedToken.refreshAt) return this.cachedToken.token;
    this.tokenInFlight ??= requestToken(this.o.iamUrl, {
      grant_type: "client_credentials",
      client_id: this.o.clientId,
      client_secret: this.o.clientSecret,
    })
      .then((t) => {
        this.cachedToken = { token: t.access_token, refreshAt: this.clock() + t.expires_in * 800 };
        return t.access_token;
      })
      .finally(() => {
        this.tokenInFlight = undefined;
      });
    return this.tokenInFlight;
  }

  /** Counts for metrics and tests. */
  stats() {
    return {
      projects: this.state.projectCount(),
      bindings: this.state.bindingCount(),
      revocations: this.state.revocationCount(),
      keys: this.state.keys.size,
      connected: this.connected,
      /** Feed (re)connections answered with the full snapshot, and with only the changes missed. */
      snapshots: this.feedCounts.snapshots,
      resumes: this.feedCounts.resumes,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    clearTimeout(this.idleTimer);
    await this.loop?.catch(() => undefined);
  }

  private notReady(): string | undefined {
    if (this.syncedAt === 0) return "the authz data from iam has not arrived yet";
    if (!this.connected && this.clock() - this.syncedAt > maxFeedStalenessMs)
      return `lost the authz feed from iam more than ${maxFeedStalenessMs / 1000} s ago`;
    return undefined;
  }

  private async run(onFirstSync: () => void): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.follow(() => {
          attempt = 0;
          onFirstSync();
        });
      } catch (err) {
        if (this.closed) return;
        this.log.warn({ err: (err as Error).message }, "authz feed from iam interrupted; reconnecting");
      }
      this.connected = false;
      if (this.closed) return;
      await sleep(
        backoffDelayMs(Math.max(1, attempt), (this.o.random ?? Math.random)(), { baseMs: 100, maxMs: 5000 }),
        undefined,
        { ref: false },
      ).catch(() => undefined);
    }
  }

  /**
   * One stream: a snapshot into a fresh state (swapped in at SYNCED), or — when iam can
   * resume from where the last stream ended — only the changes missed, applied in place;
   * then live events.
   */
  private async follow(onSynced: () => void): Promise<void> {
    this.abort = new AbortController();
    const token = await this.serviceToken();
    const query = this.resume
      ? `?${new URLSearchParams({ epoch: this.resume.epoch, resume: formatResume(this.resume.revisions) })}`
      : "";
    const res = await fetch(`${this.o.iamUrl.replace(/\/+$/, "")}/v1/authz/watch${query}`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/x-ndjson" },
      signal: this.abort.signal,
    });
    if (!res.ok || !res.body) {
      if (res.status === 401) this.cachedToken = undefined;
      throw new Error(
        `GET /v1/authz/watch: ${res.status} ${(await res.text().catch(() => "")).slice(0, 200)}`,
      );
    }
    let next: AuthzState | undefined = new AuthzState();
    /** Per kind, the highest revision of this stream's events (they arrive in order per kind). */
    const seen: Record<string, number> = {};
    let live: Record<string, number> | undefined;
    const armIdle = () => {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.abort.abort(new Error("authz feed idle")), feedIdleTimeoutMs);
      this.idleTimer.unref();
    };
    armIdle();
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      armIdle();
      buf += decoder.decode(chunk, { stream: true });
      if (buf.length > maxFeedLineBytes && !buf.includes("\n")) throw new Error("authz feed line too long");
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf("\n");
        if (!line) continue;
        const msg = JSON.parse(line) as {
          type: string;
          object?: AuthzEvent["object"];
          revision?: number;
          epoch?: string;
          resume?: string;
          error?: { message: string };
        };
        if (msg.type === "RESUMED") {
          // Only the changes since our revisions follow: they apply to the state we hold.
          next = undefined;
          this.feedCounts.resumes++;
        } else if (msg.type === "SYNCED") {
          if (next) {
            this.state = next;
            this.feedCounts.snapshots++;
          }
          next = undefined;
          this.connected = true;
          this.syncedAt = this.clock();
          if (msg.epoch && msg.resume) {
            live = parseResume(msg.resume);
            for (const [k, r] of Object.entries(seen)) live[k] = Math.max(live[k] ?? 0, r);
            this.resume = { epoch: msg.epoch, revisions: live };
          } else this.resume = undefined;
          onSynced();
        } else if (msg.type === "ERROR") {
          throw new Error(`iam ended the authz feed: ${msg.error?.message}`);
        } else if (msg.type === "BOOKMARK") {
          if (this.connected) this.syncedAt = this.clock();
        } else if (msg.object) {
          (next ?? this.state).apply({ type: msg.type as AuthzEvent["type"], object: msg.object });
          if (!next) this.syncedAt = this.clock();
          if (msg.revision !== undefined) {
            const kind = msg.object.kind;
            const at = live ?? seen;
            at[kind] = Math.max(at[kind] ?? 0, msg.revision);
          }
        }
      }
    }
    throw new Error("authz feed closed by iam");
  }
}

/**
 * IamAuth for a PhotonCloud role started next to iam: it authenticates as the role's own
 * service account (`system/<role>`, only the permissions its calls need), whose API key iam
 * wrote into the shared data dir. A role iam made no account for runs as the shared one,
 * which may verify tokens but call nothing.
 */
export async function connectIamAuth(
  iamUrl: string,
  dataDir: string,
  name: string,
  log?: Logger,
): Promise<IamAuth> {
  const own = readComponentCredentials(dataDir, name);
  const creds = own ?? readSystemCredentials(dataDir);
  if (!creds) {
    throw new ApiError(
      "FailedPrecondition",
      `no iam credentials for ${name} in ${componentCredentialsPath(dataDir, name)}; start ${name} with the same --data-dir as iam (iam writes them at its first start)`,
    );
  }
  if (!own)
    log?.warn(
      { role: name, file: componentCredentialsPath(dataDir, name) },
      "no service account of its own for this role (add it to src/iam/component-accounts.ts); it runs as the shared one, whose calls to other components are refused",
    );
  return IamAuth.start({
    iamUrl,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    name,
    ...(log ? { log } : {}),
  });
}
