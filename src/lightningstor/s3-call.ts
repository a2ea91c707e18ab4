// What every S3 operation handler gets: the parsed request, who is calling, and the
// component's parts; plus the reply helpers that write S3's XML and headers.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { allowsAnonymous, parsePolicy } from "./bucket-policy.ts";
import type { BucketRecord, MetaStore } from "./meta-store.ts";
import type { QuotaGate } from "./quota-gate.ts";
import type { RequestBody } from "./request-body.ts";
import { noSuchBucket, type S3Error, S3Error as S3ErrorClass } from "./s3-error.ts";
import { type XmlObject, xmlDocument } from "./s3-xml.ts";
import type { SegmentStore } from "./segment-store.ts";

export interface S3Deps {
  meta: MetaStore;
  segments: SegmentStore;
  quota: QuotaGate;
  clock: () => number;
  region: string;
  log: Logger;
  /** Largest single PUT (S3: 5 GiB) and largest part. */
  maxObjectBytes: number;
  /** Smallest part other than the last (S3: 5 MiB). */
  minPartBytes: number;
}

export type Caller = { kind: "key"; project: string; accessKeyId: string } | { kind: "anonymous" };

export interface S3Call {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: Map<string, string>;
  headers: Record<string, string | undefined>;
  body: RequestBody;
  caller: Caller;
  requestId: string;
}

export function sendXml(
  call: S3Call,
  status: number,
  root: string,
  body: XmlObject,
  headers: Record<string, string> = {},
): void {
  const text = xmlDocument(root, body);
  call.res.writeHead(status, {
    ...headers,
    "content-type": "application/xml",
    "content-length": String(Buffer.byteLength(text)),
  });
  call.res.end(text);
}

export function sendEmpty(call: S3Call, status: number, headers: Record<string, string> = {}): void {
  call.res.writeHead(status, { ...headers, "content-length": "0" });
  call.res.end();
}

/** The bucket of the call, if the caller may perform `action` on it (anonymous via policy). */
export function authorizeBucket(call: S3Call, deps: S3Deps, action: string, key?: string): BucketRecord {
  const name = call.bucket as string;
  const b = deps.meta.getBucket(name);
  if (call.caller.kind === "anonymous") {
    if (b?.policy && allowsAnonymous(parsePolicy(b.policy), action, name, key)) return b;
    throw new S3ErrorClass("AccessDenied", "Access Denied");
  }
  if (!b) throw noSuchBucket(name);
  if (b.project !== call.caller.project) throw new S3ErrorClass("AccessDenied", "Access Denied");
  return b;
}

export type { S3Error };
