// Presigned URLs in the legacy Signature Version 2 form (AWSAccessKeyId, Expires,
// Signature), which s3cmd's `signurl` still produces. Only query-string V2 is accepted;
// requests signed with V2 headers are refused (SigV4 is required for those). Pure.
import { createHmac, timingSafeEqual } from "node:crypto";
import { S3Error } from "./s3-error.ts";
import { safeDecode } from "./sigv4.ts";

/** Sub-resources that are part of a V2 canonical resource. */
const subresources = new Set([
  "acl",
  "cors",
  "delete",
  "lifecycle",
  "location",
  "partNumber",
  "policy",
  "tagging",
  "uploadId",
  "uploads",
  "versionId",
  "versioning",
  "versions",
  "response-cache-control",
  "response-content-disposition",
  "response-content-encoding",
  "response-content-language",
  "response-content-type",
  "response-expires",
]);

export interface V2Presigned {
  accessKeyId: string;
  expiresSeconds: number;
  signature: string;
}

export function parseV2Presigned(query: [string, string][]): V2Presigned | undefined {
  const q = new Map(query);
  const accessKeyId = q.get("AWSAccessKeyId");
  const signature = q.get("Signature");
  const expires = q.get("Expires");
  if (accessKeyId === undefined || signature === undefined || expires === undefined) return undefined;
  const expiresSeconds = Number(expires);
  if (!Number.isInteger(expiresSeconds))
    throw new S3Error("AccessDenied", "Invalid date (should be seconds since epoch)");
  return { accessKeyId, expiresSeconds, signature };
}

export function verifyV2Presigned(
  req: {
    method: string;
    rawPath: string;
    query: [string, string][];
    headers: Record<string, string | undefined>;
  },
  p: V2Presigned,
  secret: string,
  nowMs: number,
): void {
  if (nowMs > p.expiresSeconds * 1000) throw new S3Error("AccessDenied", "Request has expired");
  const sub = req.query
    .filter(([k]) => subresources.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v === "" ? k : `${k}=${v}`))
    .join("&");
  const amz = Object.entries(req.headers)
    .filter(([k, v]) => k.startsWith("x-amz-") && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}:${(v as string).trim()}\n`)
    .join("");
  // Clients differ in whether they sign the path as sent or decoded; accept either.
  for (const path of new Set([req.rawPath, safeDecode(req.rawPath)])) {
    const resource = sub ? `${path}?${sub}` : path;
    const toSign = `${req.method}\n${req.headers["content-md5"] ?? ""}\n${req.headers["content-type"] ?? ""}\n${p.expiresSeconds}\n${amz}${resource}`;
    const expected = createHmac("sha1", secret).update(toSign).digest();
    const given = Buffer.from(p.signature, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  }
  throw new S3Error(
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    { AWSAccessKeyId: p.accessKeyId },
  );
}
