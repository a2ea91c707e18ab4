// The S3 REST endpoint on node:http (uploads and downloads stream; nothing is buffered
// whole): parses path-style requests, authenticates SigV4 (header, presigned, streaming),
// applies CORS, dispatches to the operation handlers, and writes S3's error documents.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Counter, Histogram, latencyBuckets, type Registry } from "../core/metrics.ts";
import { matchCors } from "./cors.ts";
import { RequestBody } from "./request-body.ts";
import * as buckets from "./s3-bucket-ops.ts";
import type { Caller, S3Call, S3Deps } from "./s3-call.ts";
import { noSuchBucket, S3Error } from "./s3-error.ts";
import * as lists from "./s3-list-ops.ts";
import * as multipart from "./s3-multipart-ops.ts";
import * as objects from "./s3-object-ops.ts";
import { xmlDocument } from "./s3-xml.ts";
import { parseV2Presigned, verifyV2Presigned } from "./sigv2-presigned.ts";
import { parseAuth, parseQuery, type SignableRequest, safeDecode, verify } from "./sigv4.ts";

/** Largest request header section accepted; past it S3 answers RequestHeaderSectionTooLarge. */
export const maxHeaderBytes = 16 * 1024;

/** Where access keys come from: this component's own table now, iam's keys later. */
export interface AccessKeyResolver {
  resolve(accessKeyId: string): Promise<{ secret: string; project: string } | undefined>;
}

type Handler = (call: S3Call, deps: S3Deps) => Promise<void>;

function route(call: S3Call): { op: string; handler: Handler } {
  const q = call.query;
  const m = call.method;
  if (call.bucket === undefined) {
    if (m === "GET") return { op: "ListBuckets", handler: buckets.listBuckets };
    throw new S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.");
  }
  if (call.key === undefined) {
    const sub = [
      "versioning",
      "cors",
      "lifecycle",
      "policy",
      "location",
      "acl",
      "uploads",
      "versions",
      "delete",
    ].find((s) => q.has(s));
    const table: Record<string, Record<string, [string, Handler]>> = {
      PUT: {
        versioning: ["PutBucketVersioning", buckets.putVersioning],
        cors: ["PutBucketCors", buckets.putCors],
        lifecycle: ["PutBucketLifecycle", buckets.putLifecycle],
        policy: ["PutBucketPolicy", buckets.putPolicy],
        acl: ["PutBucketAcl", buckets.putAcl],
        "": ["CreateBucket", buckets.createBucket],
      },
      GET: {
        versioning: ["GetBucketVersioning", buckets.getVersioning],
        cors: ["GetBucketCors", buckets.getCors],
        lifecycle: ["GetBucketLifecycle", buckets.getLifecycle],
        policy: ["GetBucketPolicy", buckets.getPolicy],
        location: ["GetBucketLocation", buckets.getLocation],
        acl: ["GetBucketAcl", buckets.getAcl],
        uploads: ["ListMultipartUploads", multipart.listMultipartUploads],
        versions: ["ListObjectVersions", lists.listObjectVersions],
        "":
          q.get("list-type") === "2"
            ? ["ListObjectsV2", lists.listObjectsV2]
            : ["ListObjects", lists.listObjectsV1],
      },
      HEAD: { "": ["HeadBucket", buckets.headBucket] },
      DELETE: {
        cors: ["DeleteBucketCors", buckets.deleteCors],
        lifecycle: ["DeleteBucketLifecycle", buckets.deleteLifecycle],
        policy: ["DeleteBucketPolicy", buckets.deletePolicy],
        "": ["DeleteBucket", buckets.deleteBucket],
      },
      POST: { delete: ["DeleteObjects", objects.deleteObjects] },
    };
    const hit = table[m]?.[sub ?? ""];
    if (!hit)
      throw new S3Error(
        table[m] ? "NotImplemented" : "MethodNotAllowed",
        "A header or query you provided requested a function that is not implemented.",
      );
    return { op: hit[0], handler: hit[1] };
  }
  if (m === "PUT") {
    if (q.has("uploadId")) {
      return call.headers["x-amz-copy-source"]
        ? { op: "UploadPartCopy", handler: multipart.uploadPartCopy }
        : { op: "UploadPart", handler: multipart.uploadPart };
    }
    if (q.has("acl") || q.has("tagging"))
      return {
        op: "PutObjectAcl",
        handler: async (c) => {
          c.body.discard();
          await objectAck(c);
        },
      };
    if (call.headers["x-amz-copy-source"]) return { op: "CopyObject", handler: objects.copyObject };
    return { op: "PutObject", handler: objects.putObject };
  }
  if (m === "GET") {
    if (q.has("uploadId")) return { op: "ListParts", handler: multipart.listParts };
    if (q.has("acl")) return { op: "GetObjectAcl", handler: objects.getObjectAcl };
    if (q.has("tagging")) return { op: "GetObjectTagging", handler: objects.getObjectTagging };
    return { op: "GetObject", handler: (c, d) => objects.getObject(c, d, false) };
  }
  if (m === "HEAD") return { op: "HeadObject", handler: (c, d) => objects.getObject(c, d, true) };
  if (m === "DELETE") {
    if (q.has("uploadId")) return { op: "AbortMultipartUpload", handler: multipart.abortMultipartUpload };
    return { op: "DeleteObject", handler: objects.deleteObject };
  }
  if (m === "POST") {
    if (q.has("uploads")) return { op: "CreateMultipartUpload", handler: multipart.createMultipartUpload };
    if (q.has("uploadId"))
      return { op: "CompleteMultipartUpload", handler: multipart.completeMultipartUpload };
  }
  throw new S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.");
}

async function objectAck(call: S3Call): Promise<void> {
  call.res.writeHead(200, { "content-length": "0" });
  call.res.end();
}

export interface S3ServerOptions {
  deps: S3Deps;
  keys: AccessKeyResolver;
  registry: Registry;
}

export class S3Server {
  private server: Server | undefined;
  private readonly requests: Counter;
  private readonly latency: Histogram;
  /** Request ids: a random per-process prefix and a counter (unique, and no RNG call per request). */
  private readonly idPrefix = randomBytes(4).toString("hex").toUpperCase();
  private idCounter = 0;
  /** Metric children by label values, so a request does not hash its labels twice. */
  private readonly requestCounters = new Map<string, ReturnType<Counter["labels"]>>();
  private readonly latencyChildren = new Map<string, ReturnType<Histogram["labels"]>>();

  constructor(private readonly opts: S3ServerOptions) {
    this.requests = new Counter({
      name: "lightningstor_s3_requests_total",
      help: "S3 requests by operation and status",
      labelNames: ["op", "status"],
      registers: [opts.registry],
    });
    this.latency = new Histogram({
      name: "lightningstor_s3_request_seconds",
      help: "S3 request time to last byte",
      labelNames: ["op"],
      buckets: latencyBuckets,
      registers: [opts.registry],
    });
  }

  private nextRequestId(): string {
    this.idCounter = (this.idCounter + 1) % 0x100000000;
    return `${this.idPrefix}${this.idCounter.toString(16).toUpperCase().padStart(8, "0")}`;
  }

  private record(op: string, status: number, seconds: number): void {
    const key = `${op} ${status}`;
    let c = this.requestCounters.get(key);
    if (!c) {
      c = this.requests.labels({ op, status: String(status) });
      this.requestCounters.set(key, c);
    }
    c.inc();
    let h = this.latencyChildren.get(op);
    if (!h) {
      h = this.latency.labels({ op });
      this.latencyChildren.set(op, h);
    }
    h.observe(seconds);
  }

  async listen(host: string, port: number): Promise<string> {
    const server = createServer(
      { maxHeaderSize: maxHeaderBytes, requestTimeout: 0, keepAliveTimeout: 30_000 },
      (req, res) => void this.handle(req, res),
    );
    server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => onClientError(err, socket));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    return this.url();
  }

  url(): string {
    const a = this.server?.address() as AddressInfo;
    return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeIdleConnections();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => s.closeAllConnections(), 5_000);
      s.close(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = this.nextRequestId();
    res.setHeader("x-amz-request-id", requestId);
    res.setHeader("x-amz-id-2", requestId);
    res.setHeader("server", "PhotonCloud-lightningstor");
    const rawUrl = req.url ?? "/";
    const qi = rawUrl.indexOf("?");
    const rawPath = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const queryPairs = parseQuery(qi < 0 ? "" : rawUrl.slice(qi + 1));
    const headers: Record<string, string | undefined> = {};
    const given = req.headers;
    for (const k in given) {
      const v = given[k];
      headers[k] = Array.isArray(v) ? v.join(",") : v;
    }
    const path = safeDecode(rawPath);
    const slash = path.indexOf("/", 1);
    const bucket = path.length > 1 ? path.slice(1, slash < 0 ? undefined : slash) : undefined;
    const key = slash < 0 || slash === path.length - 1 ? undefined : path.slice(slash + 1);
    let op = "Unknown";
    let call: S3Call | undefined;
    try {
      if (req.method === "OPTIONS") {
        op = "PreflightCors";
        this.preflight(req, res, bucket, headers);
        return;
      }
      const signable: SignableRequest = { method: req.method ?? "GET", rawPath, query: queryPairs, headers };
      const auth = parseAuth(signable);
      let caller: Caller = { kind: "anonymous" };
      let signing: ConstructorParameters<typeof RequestBody>[2];
      const v2 = auth ? undefined : parseV2Presigned(queryPairs);
      if (v2) {
        const found = await this.opts.keys.resolve(v2.accessKeyId);
        if (!found)
          throw new S3Error(
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            { AWSAccessKeyId: v2.accessKeyId },
          );
        verifyV2Presigned(signable, v2, found.secret, this.opts.deps.clock());
        caller = { kind: "key", project: found.project, accessKeyId: v2.accessKeyId };
      }
      if (auth) {
        const found = await this.opts.keys.resolve(auth.accessKeyId);
        if (!found)
          throw new S3Error(
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            { AWSAccessKeyId: auth.accessKeyId },
          );
        const v = verify(signable, auth, found.secret, this.opts.deps.clock());
        caller = { kind: "key", project: found.project, accessKeyId: auth.accessKeyId };
        signing = { key: v.key, amzDate: auth.amzDate, scope: auth.scope, seedSignature: v.seedSignature };
      }
      const body = new RequestBody(
        req,
        auth?.kind === "header" ? auth.payloadHash : headers["x-amz-content-sha256"],
        signing,
      );
      call = {
        req,
        res,
        method: req.method ?? "GET",
        bucket,
        key,
        query: new Map(queryPairs),
        headers,
        body,
        caller,
        requestId,
      };
      const r = route(call);
      op = r.op;
      this.applyCors(call);
      await r.handler(call, this.opts.deps);
    } catch (err) {
      this.sendError(req, res, err, requestId, rawPath);
    } finally {
      call?.body.discard();
      res.once("finish", () => this.record(op, res.statusCode, (performance.now() - started) / 1000));
    }
  }

  private applyCors(call: S3Call): void {
    const origin = call.headers.origin;
    if (!origin || !call.bucket) return;
    const b = this.opts.deps.meta.getBucket(call.bucket);
    const rule = matchCors(b?.cors, origin, call.method);
    if (!rule) return;
    call.res.setHeader("access-control-allow-origin", rule.allowedOrigins.includes("*") ? "*" : origin);
    call.res.setHeader("access-control-allow-methods", rule.allowedMethods.join(", "));
    if (rule.exposeHeaders.length)
      call.res.setHeader("access-control-expose-headers", rule.exposeHeaders.join(", "));
    call.res.setHeader("vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
  }

  private preflight(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string | undefined,
    headers: Record<string, string | undefined>,
  ): void {
    req.resume();
    const origin = headers.origin;
    const method = headers["access-control-request-method"];
    if (!origin || !method)
      throw new S3Error("InvalidRequest", "Insufficient information. Origin request header needed.");
    const b = bucket ? this.opts.deps.meta.getBucket(bucket) : undefined;
    if (bucket && !b) throw noSuchBucket(bucket);
    const requested = (headers["access-control-request-headers"] ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    const rule = matchCors(b?.cors, origin, method, requested);
    if (!rule)
      throw new S3Error(
        "AccessDenied",
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      );
    const out: Record<string, string> = {
      "access-control-allow-origin": rule.allowedOrigins.includes("*") ? "*" : origin,
      "access-control-allow-methods": rule.allowedMethods.join(", "),
      vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
      "content-length": "0",
    };
    if (requested.length) out["access-control-allow-headers"] = requested.join(", ");
    if (rule.exposeHeaders.length) out["access-control-expose-headers"] = rule.exposeHeaders.join(", ");
    if (rule.maxAgeSeconds !== undefined) out["access-control-max-age"] = String(rule.maxAgeSeconds);
    res.writeHead(200, out);
    res.end();
  }

  private sendError(
    req: IncomingMessage,
    res: ServerResponse,
    err: unknown,
    requestId: string,
    resource: string,
  ): void {
    let e: S3Error;
    if (err instanceof S3Error) e = err;
    else {
      this.opts.deps.log.error({ err, requestId }, "S3 request failed");
      e = new S3Error("InternalError", "We encountered an internal error. Please try again.");
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A body the handler never read stays unread; closing after the reply spares reading it.
    if (!req.complete) res.setHeader("connection", "close");
    const headers: Record<string, string> = { ...e.headers };
    if (e.code === "NotModified") {
      res.writeHead(304, headers).end();
      return;
    }
    const body = xmlDocument(
      "Error",
      {
        Code: e.code,
        Message: e.message,
        ...e.extra,
        Resource: resource,
        RequestId: requestId,
        HostId: requestId,
      },
      false,
    );
    if (req.method === "HEAD") {
      res.writeHead(e.status, headers).end();
      return;
    }
    res.writeHead(e.status, {
      ...headers,
      "content-type": "application/xml",
      "content-length": String(Buffer.byteLength(body)),
    });
    res.end(body);
    if (!req.complete) req.resume();
  }
}

/** Answers what node:http rejects before a request exists, in S3's words. */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [code, status, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [
          "RequestHeaderSectionTooLarge",
          "400 Bad Request",
          `Your request header section exceeds the maximum allowed size of ${maxHeaderBytes} bytes.`,
        ]
      : ["BadRequest", "400 Bad Request", "An error occurred when parsing the HTTP request."];
  const body = xmlDocument("Error", { Code: code, Message: message }, false);
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
