// The Prometheus HTTP API on nightlight's server: remote_write at /api/v1/write and the query
// endpoints Grafana's Prometheus data source calls, with Prometheus's JSON (including its error
// shape), so that existing clients work unchanged. The tenant comes from the caller's token.
import type { IncomingHttpHeaders } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { Authenticator, Authorizer, Principal } from "../core/api/auth.ts";
import { ApiError } from "../core/errors.ts";
import { SnappyError, snappyCompress, snappyDecompress } from "./ingest/snappy.ts";
import {
  decodeWriteRequest,
  encodeWriteRequest,
  ProtoError,
  type WriteRequest,
} from "./ingest/write-request.ts";
import type { MetadataStore } from "./metadata-store.ts";
import type { Expr } from "./promql/ast.ts";
import { type EvalOptions, Evaluator, QueryError } from "./promql/evaluator.ts";
import { parseDuration } from "./promql/lexer.ts";
import { ParseError, parseQuery } from "./promql/parser.ts";
import { formatFloat, type Value } from "./promql/value.ts";
import { mergeReplicaSeries } from "./replication/merge-series.ts";
import {
  type ReplicaSet,
  replicaHeader,
  replicaSelectBodySchema,
  replicaSelectPath,
  replicaTenantsPath,
  toWriteSeries,
} from "./replication/replica-set.ts";
import type { ReplicatedWrite } from "./replication/replicated-write.ts";
import { type Labels, labelsToObject } from "./tsdb/labels.ts";
import { type Matcher, makeMatcher } from "./tsdb/matcher.ts";
import type { SelectedSeries, Tsdb } from "./tsdb/tsdb.ts";

export interface PromApiOptions {
  db: Tsdb;
  /** Where writes go: the local TSDB, or the replica set's quorum write. */
  ingest: ReplicatedWrite;
  /** The other replicas, whose samples queries merge in (absent or empty: a single node). */
  replicas?: ReplicaSet;
  metadata: MetadataStore;
  auth: Authenticator & Authorizer;
  log: Logger;
  clock: () => number;
  /** Most samples one query may load. */
  maxSamplesPerQuery: number;
  lookbackMs: number;
  /** Body limit of a remote_write request (compressed). */
  writeBodyLimitBytes: number;
  /** Decodes a snappy remote_write body (a worker thread); default: inline. */
  decodeWrite?: (body: Uint8Array) => Promise<WriteRequest>;
}

/** Points one range-query series may have (Prometheus: 11,000). */
export const maxPointsPerSeries = 11_000;
/** Header with which an unrestricted caller (the local admin) picks the tenant it reads or writes. */
export const tenantHeader = "x-photon-project";
/** Tenant of platform metrics and of an unrestricted caller that names none. */
export const systemTenant = "system";

type ErrorType =
  | "bad_data"
  | "execution"
  | "timeout"
  | "internal"
  | "unavailable"
  | "not_found"
  | "unauthorized"
  | "forbidden";
const statusFor: Record<ErrorType, number> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  internal: 500,
  unavailable: 503,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
};

class PromError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
  }
}

function sendError(reply: FastifyReply, type: ErrorType, message: string) {
  return reply
    .code(statusFor[type])
    .header("content-type", "application/json")
    .send({ status: "error", errorType: type, error: message });
}

const minTimeMs = -9_223_372_036_854;
const maxTimeMs = 9_223_372_036_854;

export function parseTimeParam(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === "") return fallback;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const ms = Date.parse(raw);
  if (/^\d{4}-\d{2}-\d{2}T/.test(raw) && !Number.isNaN(ms)) return ms;
  if (raw === "-292273086-05-16T16:47:06Z") return minTimeMs;
  throw new PromError("bad_data", `invalid parameter "${name}": cannot parse "${raw}" to a valid timestamp`);
}

export function parseDurationParam(raw: string | undefined, name: string): number {
  if (raw === undefined || raw === "")
    throw new PromError("bad_data", `invalid parameter "${name}": cannot parse "" to a valid duration`);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) {
    const ms = Math.round(Number(raw) * 1000);
    if (!Number.isFinite(ms))
      throw new PromError(
        "bad_data",
        `invalid parameter "${name}": cannot parse "${raw}" to a valid duration. It overflows int64`,
      );
    return ms;
  }
  const d = parseDuration(raw);
  if (d === undefined)
    throw new PromError("bad_data", `invalid parameter "${name}": cannot parse "${raw}" to a valid duration`);
  return d;
}

function params(req: FastifyRequest): URLSearchParams {
  const p = new URLSearchParams(req.url.includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : "");
  if (req.method === "POST" && typeof req.body === "string")
    for (const [k, v] of new URLSearchParams(req.body)) p.append(k, v);
  return p;
}

const timestampSeconds = (ms: number) => ms / 1000;

function renderValue(v: Value, tMs: number): { resultType: string; result: unknown } {
  switch (v.type) {
    case "scalar":
      return { resultType: "scalar", result: [timestampSeconds(tMs), formatFloat(v.v)] };
    case "string":
      return { resultType: "string", result: [timestampSeconds(tMs), v.s] };
    case "vector":
      return {
        resultType: "vector",
        result: v.samples.map((s) => ({
          metric: labelsToObject(s.labels),
          value: [timestampSeconds(tMs), formatFloat(s.v)],
        })),
      };
    case "matrix":
      return {
        resultType: "matrix",
        result: v.series.map((s) => ({
          metric: labelsToObject(s.labels),
          values: Array.from({ length: s.hi - s.lo }, (_, i) => [
            timestampSeconds(s.ts[s.lo + i]!),
            formatFloat(s.vs[s.lo + i]!),
          ]),
        })),
      };
  }
}

function matchersFrom(p: URLSearchParams): Matcher[][] {
  return p.getAll("match[]").map((m) => {
    let e: ReturnType<typeof parseQuery>;
    try {
      e = parseQuery(m);
    } catch (err) {
      throw new PromError("bad_data", `invalid parameter "match[]": ${(err as Error).message}`);
    }
    if (e.type !== "vector")
      throw new PromError(
        "bad_data",
        `invalid parameter "match[]": 1:1: parse error: expected type instant vector in match[], got ${e.type}`,
      );
    return e.matchers;
  });
}

export interface RemoteWriteAnswer {
  status: number;
  /** Plain-text body (the reason), absent for 204. */
  text?: string;
}

/** Registers the routes; returns the remote_write handler for the framework-free endpoint. */
export function registerPromApi(
  app: FastifyInstance,
  o: PromApiOptions,
): { remoteWrite: (headers: IncomingHttpHeaders, body: unknown) => Promise<RemoteWriteAnswer> } {
  app.addContentTypeParser(
    ["application/x-protobuf", "application/octet-stream"],
    { parseAs: "buffer", bodyLimit: o.writeBodyLimitBytes },
    (_req, body, done) => done(null, body),
  );
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) =>
    done(null, body),
  );

  const tenantOf = async (req: FastifyRequest, verb: "read" | "write"): Promise<string> =>
    (await callerOf(req.headers, verb)).tenant;

  /** The caller's tenant, and whether the token is unrestricted (an admin or a replica). */
  const callerOf = async (
    headers: IncomingHttpHeaders,
    verb: "read" | "write",
  ): Promise<{ tenant: string; unrestricted: boolean }> => {
    let principal: Principal | undefined;
    try {
      principal = await o.auth.authenticate({ authorization: headers.authorization });
    } catch (err) {
      throw new PromError("unauthorized", err instanceof ApiError ? err.message : "authentication failed");
    }
    if (!principal)
      throw new PromError(
        "unauthorized",
        "this call needs a token (Authorization: Bearer …); run `photon login`",
      );
    const asked = headers[tenantHeader];
    const wanted = typeof asked === "string" && asked !== "" ? asked : undefined;
    if (principal.project && wanted && wanted !== principal.project)
      throw new PromError(
        "forbidden",
        `this token is confined to project "${principal.project}"; it cannot reach "${wanted}"`,
      );
    const tenant = principal.project ?? wanted ?? systemTenant;
    const decision = await o.auth.authorize(principal, {
      permission: `nightlight.metrics.${verb}`,
      project: tenant,
    });
    if (!decision.allowed)
      throw new PromError("forbidden", `not allowed to ${verb} metrics of "${tenant}": ${decision.reason}`);
    return { tenant, unrestricted: principal.project === undefined };
  };

  const handle =
    (fn: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const data = await fn(req, reply);
        if (reply.sent) return reply;
        return reply.header("content-type", "application/json").send({ status: "success", data });
      } catch (err) {
        if (err instanceof PromError) return sendError(reply, err.type, err.message);
        if (err instanceof ParseError) return sendError(reply, "bad_data", err.message);
        if (err instanceof QueryError) return sendError(reply, err.kind, err.message);
        req.log.error({ err }, "query API failure");
        return sendError(reply, "internal", (err as Error).message);
      }
    };

  const parse = (q: string | null) => {
    if (q === null || q === "")
      throw new PromError(
        "bad_data",
        'invalid parameter "query": unknown position: parse error: no expression found in input',
      );
    try {
      return parseQuery(q);
    } catch (err) {
      if (err instanceof ParseError)
        throw new PromError("bad_data", `invalid parameter "query": ${err.message}`);
      throw err;
    }
  };

  const queryable = (tenant: string) => ({
    select: (m: readonly Matcher[], mint: number, maxt: number) => o.db.select(tenant, m, mint, maxt),
  });

  /**
   * An evaluator over this replica's samples merged with those of enough peers to make a read
   * quorum (fetched before evaluation, since evaluation is synchronous).
   */
  const evaluator = async (tenant: string, expr: Expr, opts: EvalOptions): Promise<Evaluator> => {
    const local = queryable(tenant);
    const replicas = o.replicas;
    if (!replicas?.replicated) return new Evaluator(local, expr, opts);
    const needed = replicas.quorum.read - 1;
    const fetched = new Map<readonly Matcher[], SelectedSeries[][]>();
    await Promise.all(
      new Evaluator(local, expr, opts).selections().map(async ({ matchers, mint, maxt }) => {
        const got = await replicas.selectFromPeers(tenant, matchers, mint, maxt, needed);
        if (got.length < needed)
          throw new PromError(
            "unavailable",
            `only ${1 + got.length} of ${replicas.quorum.replicas} replicas answered (${replicas.quorum.read} needed for a complete answer); retry`,
          );
        fetched.set(matchers, got);
      }),
    );
    return new Evaluator(
      {
        select: (m, mint, maxt) => {
          const own = o.db.select(tenant, m, mint, maxt);
          const theirs = fetched.get(m);
          return theirs ? mergeReplicaSeries([own, ...theirs]) : own;
        },
      },
      expr,
      opts,
    );
  };

  const instant = handle(async (req) => {
    const tenant = await tenantOf(req, "read");
    const p = params(req);
    const expr = parse(p.get("query"));
    const t = parseTimeParam(p.get("time") ?? undefined, o.clock(), "time");
    const ev = await evaluator(tenant, expr, {
      startMs: t,
      endMs: t,
      stepMs: 1,
      lookbackMs: o.lookbackMs,
      maxSamples: o.maxSamplesPerQuery,
    });
    return renderValue(ev.evalInstant(t), t);
  });

  const range = handle(async (req, reply) => {
    const tenant = await tenantOf(req, "read");
    const p = params(req);
    const start = parseTimeParam(p.get("start") ?? undefined, Number.NaN, "start");
    const end = parseTimeParam(p.get("end") ?? undefined, Number.NaN, "end");
    if (Number.isNaN(start))
      throw new PromError("bad_data", 'invalid parameter "start": cannot parse "" to a valid timestamp');
    if (Number.isNaN(end))
      throw new PromError("bad_data", 'invalid parameter "end": cannot parse "" to a valid timestamp');
    if (end < start)
      throw new PromError("bad_data", 'invalid parameter "end": end timestamp must not be before start time');
    const step = parseDurationParam(p.get("step") ?? undefined, "step");
    if (step <= 0)
      throw new PromError(
        "bad_data",
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    if ((end - start) / step > maxPointsPerSeries)
      throw new PromError(
        "bad_data",
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
      );
    const expr = parse(p.get("query"));
    const t = expr.type;
    if (t === "matrix" || t === "subquery" || t === "string")
      throw new PromError(
        "bad_data",
        `invalid expression type "${t === "string" ? "string" : "range vector"}" for range query, must be Scalar or instant Vector`,
      );
    const series = (
      await evaluator(tenant, expr, {
        startMs: start,
        endMs: end,
        stepMs: step,
        lookbackMs: o.lookbackMs,
        maxSamples: o.maxSamplesPerQuery,
      })
    ).evalRange();
    series.sort((a, b) => compareLabels(a.labels, b.labels));
    // Written as one string (a range result is mostly [time, "value"] pairs): the same JSON
    // as serializing the objects, without building them.
    reply.header("content-type", "application/json").send(renderMatrixJson(series));
    return undefined;
  });

  /** Label sets of the series matching any of `sets`, from a read quorum of replicas. */
  const matchingLabelSets = async (
    tenant: string,
    sets: Matcher[][],
    start: number,
    end: number,
  ): Promise<Labels[]> => {
    const found = new Map<string, Labels>();
    const replicas = o.replicas;
    for (const ms of sets) {
      for (const l of o.db.seriesLabels(tenant, ms, start, end)) found.set(JSON.stringify(l), l);
      if (!replicas?.replicated) continue;
      const needed = replicas.quorum.read - 1;
      const got = await replicas.selectFromPeers(tenant, ms, start, end, needed, { labelsOnly: true });
      if (got.length < needed)
        throw new PromError(
          "unavailable",
          `only ${1 + got.length} of ${replicas.quorum.replicas} replicas answered (${replicas.quorum.read} needed for a complete answer); retry`,
        );
      for (const list of got) for (const s of list) found.set(JSON.stringify(s.labels), s.labels);
    }
    return [...found.values()];
  };

  const seriesRoute = handle(async (req) => {
    const tenant = await tenantOf(req, "read");
    const p = params(req);
    const sets = matchersFrom(p);
    if (sets.length === 0) throw new PromError("bad_data", "no match[] parameter provided");
    const start = parseTimeParam(p.get("start") ?? undefined, minTimeMs, "start");
    const end = parseTimeParam(p.get("end") ?? undefined, maxTimeMs, "end");
    return (await matchingLabelSets(tenant, sets, start, end)).sort(compareLabels).map(labelsToObject);
  });

  const labelSets = (tenant: string, p: URLSearchParams): Promise<Labels[]> => {
    const start = parseTimeParam(p.get("start") ?? undefined, minTimeMs, "start");
    const end = parseTimeParam(p.get("end") ?? undefined, maxTimeMs, "end");
    const sets = matchersFrom(p);
    const all: Matcher[][] =
      sets.length > 0 ? sets : [[{ type: "=~", name: "__name__", value: ".+", re: /^(?:.+)$/ }]];
    return matchingLabelSets(tenant, all, start, end);
  };

  const labels = handle(async (req) => {
    const tenant = await tenantOf(req, "read");
    const names = new Set<string>();
    for (const l of await labelSets(tenant, params(req))) for (const [n] of l) names.add(n);
    return [...names].sort();
  });

  const labelValues = handle(async (req) => {
    const tenant = await tenantOf(req, "read");
    const name = (req.params as { name: string }).name;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name))
      throw new PromError("bad_data", `invalid label name: "${name}"`);
    const values = new Set<string>();
    for (const l of await labelSets(tenant, params(req)))
      for (const [n, v] of l) if (n === name) values.add(v);
    return [...values].sort();
  });

  const metadata = handle(async (req) => {
    const tenant = await tenantOf(req, "read");
    const p = params(req);
    const limit = p.get("limit") ? Number(p.get("limit")) : -1;
    return o.metadata.query(tenant, p.get("metric") ?? undefined, Number.isFinite(limit) ? limit : -1);
  });

  /** remote_write, independent of the HTTP framework (see remote-write-endpoint.ts). */
  const remoteWrite = async (headers: IncomingHttpHeaders, body: unknown): Promise<RemoteWriteAnswer> => {
    try {
      const { tenant, unrestricted } = await callerOf(headers, "write");
      if (!Buffer.isBuffer(body))
        throw new PromError(
          "bad_data",
          "remote_write needs a snappy-compressed protobuf body (Content-Type: application/x-protobuf)",
        );
      let wr: WriteRequest;
      try {
        wr = o.decodeWrite ? await o.decodeWrite(body) : decodeWriteRequest(snappyDecompress(body));
      } catch (err) {
        if (err instanceof SnappyError || err instanceof ProtoError || err instanceof RangeError)
          throw new PromError("bad_data", `cannot decode remote_write body: ${(err as Error).message}`);
        throw err;
      }
      if (wr.metadata.length > 0) o.metadata.record(tenant, wr.metadata);
      // A peer's forwarded copy is stored here only; anything else goes through the quorum write.
      const out =
        unrestricted && headers[replicaHeader] === "1"
          ? await o.ingest.storeReplica(tenant, wr.series, body)
          : await o.ingest.write(tenant, wr.series, body);
      // remote_write clients retry 429 and 5xx, and drop batches answered with another 4xx.
      return out.status === 204 ? { status: 204 } : { status: out.status, text: `${out.message}\n` };
    } catch (err) {
      if (err instanceof PromError) return { status: statusFor[err.type], text: `${err.message}\n` };
      o.log.error({ err }, "remote_write failure");
      return { status: 500, text: `${(err as Error).message}\n` };
    }
  };

  const write = async (req: FastifyRequest, reply: FastifyReply) => {
    const out = await remoteWrite(req.headers, req.body);
    if (out.text === undefined) return reply.code(out.status).send();
    return reply.code(out.status).header("content-type", "text/plain").send(out.text);
  };

  for (const method of ["GET", "POST"] as const) {
    app.route({ method, url: "/api/v1/query", handler: instant });
    app.route({ method, url: "/api/v1/query_range", handler: range });
    app.route({ method, url: "/api/v1/series", handler: seriesRoute });
    app.route({ method, url: "/api/v1/labels", handler: labels });
  }
  app.get("/api/v1/label/:name/values", labelValues);
  app.get("/api/v1/metadata", metadata);
  app.get(
    "/api/v1/status/buildinfo",
    handle(async () => ({
      version: "2.42.0",
      revision: "nightlight",
      branch: "",
      buildUser: "",
      buildDate: "",
      goVersion: "",
    })),
  );
  app.get(
    "/api/v1/query_exemplars",
    handle(async () => []),
  );
  app.post("/api/v1/write", { bodyLimit: o.writeBodyLimitBytes }, write);

  // Replica-to-replica reads: raw samples of one selector (as a remote_write body), and the
  // tenants held. Unrestricted tokens only: a peer reads on behalf of every tenant.
  const replicaCaller = async (req: FastifyRequest): Promise<string> => {
    const { tenant, unrestricted } = await callerOf(req.headers, "read");
    if (!unrestricted)
      throw new PromError("forbidden", "the replica API needs an unrestricted (service) token");
    return tenant;
  };
  app.post(replicaSelectPath, async (req, reply) => {
    try {
      const tenant = await replicaCaller(req);
      const parsed = replicaSelectBodySchema.safeParse(req.body);
      if (!parsed.success)
        throw new PromError(
          "bad_data",
          `invalid replica select: ${parsed.error.issues[0]?.message ?? "bad body"}`,
        );
      const b = parsed.data;
      let matchers: Matcher[];
      try {
        matchers = b.matchers.map((m) => makeMatcher(m.type, m.name, m.value));
      } catch (err) {
        throw new PromError("bad_data", `invalid matcher: ${(err as Error).message}`);
      }
      if (b.labelsOnly) {
        const sets = o.db.seriesLabels(tenant, matchers, b.mint, b.maxt);
        const body = snappyCompress(
          encodeWriteRequest({
            series: sets.map((l) => ({ labels: l.map(([n, v]) => [n, v]), ts: [], vs: [] })),
          }),
        );
        return reply.code(200).header("content-type", "application/x-protobuf").send(Buffer.from(body));
      }
      const found = o.db.select(tenant, matchers, b.mint, b.maxt);
      const max = Math.min(b.maxSamples ?? o.maxSamplesPerQuery, o.maxSamplesPerQuery);
      let n = 0;
      for (const s of found) n += s.ts.length;
      if (n > max)
        throw new PromError("execution", `the selection holds ${n} samples, over the limit of ${max}`);
      const body = snappyCompress(encodeWriteRequest({ series: found.map(toWriteSeries) }));
      return reply.code(200).header("content-type", "application/x-protobuf").send(Buffer.from(body));
    } catch (err) {
      if (err instanceof PromError) return sendError(reply, err.type, err.message);
      req.log.error({ err }, "replica select failure");
      return sendError(reply, "internal", (err as Error).message);
    }
  });
  app.get(replicaTenantsPath, async (req, reply) => {
    try {
      await replicaCaller(req);
      return reply.header("content-type", "application/json").send({ tenants: o.db.tenantNames() });
    } catch (err) {
      if (err instanceof PromError) return sendError(reply, err.type, err.message);
      return sendError(reply, "internal", (err as Error).message);
    }
  });
  return { remoteWrite };
}

/** `{"status":"success","data":{"resultType":"matrix","result":[…]}}` for range-query series. */
export function renderMatrixJson(series: readonly { labels: Labels; ts: number[]; vs: number[] }[]): string {
  const parts: string[] = ['{"status":"success","data":{"resultType":"matrix","result":['];
  for (let k = 0; k < series.length; k++) {
    const s = series[k]!;
    let out = `${k > 0 ? "," : ""}{"metric":${JSON.stringify(labelsToObject(s.labels))},"values":[`;
    for (let i = 0; i < s.ts.length; i++) {
      // formatFloat yields digits, sign, point, NaN or ±Inf only: nothing to escape.
      out += `${i > 0 ? "," : ""}[${JSON.stringify(timestampSeconds(s.ts[i]!))},"${formatFloat(s.vs[i]!)}"]`;
    }
    parts.push(`${out}]}`);
  }
  parts.push("]}}");
  return parts.join("");
}

function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [an, av] = a[i]!;
    const [bn, bv] = b[i]!;
    if (an !== bn) return an < bn ? -1 : 1;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return a.length - b.length;
}
