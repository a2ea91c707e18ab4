// Object operations: PUT (with Content-MD5 and x-amz-checksum-*), GET and HEAD (Range,
// conditional headers), DELETE (versions and delete markers), multi-object delete and
// CopyObject. Object bytes stream between the client and the segment store.

import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { type ChecksumAlgorithm, checksumAlgorithms, type Hasher, hasher } from "./checksums.ts";
import { releaseReadBuffer } from "./chunk-store.ts";
import { parseRange } from "./http-range.ts";
import type { BucketRecord, VersionRecord } from "./meta-store.ts";
import { evaluatePreconditions } from "./preconditions.ts";
import { authorizeBucket, type S3Call, type S3Deps, sendEmpty, sendXml } from "./s3-call.ts";
import { malformedXml, noSuchKey, S3Error } from "./s3-error.ts";
import { asArray, asText, isoDate, maxXmlBodyBytes, parseXmlBody, type XmlObject } from "./s3-xml.ts";
import type { Segment } from "./segment.ts";

/** S3's limits on keys and user metadata. */
export const maxKeyBytes = 1024;
export const maxUserMetadataBytes = 2048;
/** Most keys one multi-object delete may name. */
export const maxDeleteKeys = 1000;

/** Headers stored with an object and returned on GET/HEAD. */
const storedHeaders = [
  "content-type",
  "content-encoding",
  "content-disposition",
  "content-language",
  "cache-control",
  "expires",
];

export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > maxKeyBytes)
    throw new S3Error("KeyTooLongError", "Your key is too long", { MaxSizeAllowed: String(maxKeyBytes) });
  if (key.includes("\u0000") || key.includes("\uffff"))
    throw new S3Error("InvalidArgument", "object keys may not contain U+0000 or U+FFFF");
}

export function objectHeadersFrom(h: Record<string, string | undefined>): {
  headers: Record<string, string>;
  userMeta: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  const userMeta: Record<string, string> = {};
  let metaBytes = 0;
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    if (storedHeaders.includes(k)) headers[k] = v;
    else if (k.startsWith("x-amz-meta-")) {
      const name = k.slice("x-amz-meta-".length);
      userMeta[name] = v;
      metaBytes += Buffer.byteLength(name) + Buffer.byteLength(v);
    }
  }
  if (metaBytes > maxUserMetadataBytes) {
    throw new S3Error("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.", {
      MaxMessageLengthBytes: String(maxUserMetadataBytes),
    });
  }
  // An aws-chunked upload's Content-Encoding describes the transfer, not the object.
  if (headers["content-encoding"]) {
    const rest = headers["content-encoding"]
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s && s !== "aws-chunked");
    if (rest.length) headers["content-encoding"] = rest.join(",");
    else delete headers["content-encoding"];
  }
  return { headers, userMeta };
}

/** Hex, so that no id starts with '-', which command-line clients would read as an option. */
export const newVersionId = () => randomBytes(16).toString("hex");
export const quoted = (etag: string) => `"${etag}"`;

/** Whether writes to this bucket keep old versions (Enabled) or replace the null version. */
export const keepsVersions = (b: BucketRecord) => b.versioning === "Enabled";

interface Digests {
  md5: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

/**
 * Streams the call's body into a new segment while computing MD5 and any requested
 * checksum, then checks Content-MD5 / x-amz-checksum-* (header or trailer).
 */
export async function storeBody(
  call: S3Call,
  deps: S3Deps,
  maxBytes: number,
): Promise<{ segment: Segment; digests: Digests }> {
  const contentMd5 = call.headers["content-md5"];
  if (contentMd5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(contentMd5))
    throw new S3Error("InvalidDigest", "The Content-MD5 you specified was invalid.");
  const declared = call.body.declaredLength();
  if (declared === undefined && call.headers["transfer-encoding"] === undefined)
    throw new S3Error("MissingContentLength", "You must provide the Content-Length HTTP header.");
  if (declared !== undefined && declared > maxBytes)
    throw new S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", {
      ProposedSize: String(declared),
      MaxSizeAllowed: String(maxBytes),
    });
  let algorithm = checksumAlgorithms.find((a) => call.headers[`x-amz-checksum-${a}`] !== undefined);
  const trailer = call.headers["x-amz-trailer"]?.toLowerCase();
  if (!algorithm && trailer?.startsWith("x-amz-checksum-"))
    algorithm = checksumAlgorithms.find((a) => trailer === `x-amz-checksum-${a}`);
  const md5 = createHash("md5");
  const check: Hasher | undefined = algorithm ? hasher(algorithm) : undefined;
  const body = call.body;
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const b of body.stream()) {
      md5.update(b);
      check?.update(b);
      yield b;
    }
  }
  const segment = await deps.segments.write(hashed(), maxBytes, declared);
  try {
    const md5Bytes = md5.digest();
    if (contentMd5 !== undefined && md5Bytes.toString("base64") !== contentMd5)
      throw new S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.");
    const digests: Digests = { md5: md5Bytes.toString("hex") };
    if (algorithm && check) {
      const value = check.digest();
      const given =
        call.headers[`x-amz-checksum-${algorithm}`] ?? body.trailers[`x-amz-checksum-${algorithm}`];
      if (given !== undefined && given !== value)
        throw new S3Error(
          "BadDigest",
          `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
        );
      digests.checksum = { algorithm, value };
    }
    return { segment, digests };
  } catch (e) {
    void deps.segments.delete(segment);
    throw e;
  }
}

/** Deletes the data of versions that no longer exist, after the metadata commit. */
export function dropData(deps: S3Deps, project: string, requestId: string, removed: VersionRecord[]): void {
  for (const v of removed) {
    for (const s of v.segments)
      void deps.segments
        .delete(s)
        .catch((err) => deps.log.warn({ err, segment: s.id }, "deleting object data failed"));
    if (v.size > 0) void deps.quota.removeBytes(project, requestId, v.size);
  }
}

export async function putObject(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:PutObject");
  const key = call.key as string;
  checkKey(key);
  const { headers, userMeta } = objectHeadersFrom(call.headers);
  await deps.quota.addBytes(b.project, call.requestId, call.body.declaredLength() ?? 0);
  const { segment, digests } = await storeBody(call, deps, deps.maxObjectBytes);
  const versionId = keepsVersions(b) ? newVersionId() : "null";
  const { version, removed } = await deps.meta.putVersion(
    {
      bucket: b.name,
      key,
      versionId,
      deleteMarker: false,
      etag: digests.md5,
      size: segment.size,
      lastModifiedMs: deps.clock(),
      headers,
      userMeta,
      segments: [segment],
      ...(digests.checksum ? { checksum: digests.checksum } : {}),
    },
    !keepsVersions(b),
    deps.clock(),
  );
  dropData(deps, b.project, call.requestId, removed);
  const out: Record<string, string> = { etag: quoted(version.etag) };
  if (b.versioning) out["x-amz-version-id"] = versionId;
  if (digests.checksum) out[`x-amz-checksum-${digests.checksum.algorithm}`] = digests.checksum.value;
  sendEmpty(call, 200, out);
}

/** The version a GET/HEAD/copy names (latest unless versionId), or NoSuchKey/NoSuchVersion. */
export function findVersion(
  deps: S3Deps,
  bucket: string,
  key: string,
  versionId: string | undefined,
  forRead = true,
): VersionRecord {
  if (versionId !== undefined) {
    const v = deps.meta.getVersion(bucket, key, versionId);
    if (!v) {
      if (!/^[A-Za-z0-9_-]{1,64}$|^null$/.test(versionId))
        throw new S3Error("InvalidArgument", "Invalid version id specified", {
          ArgumentName: "versionId",
          ArgumentValue: versionId,
        });
      throw new S3Error("NoSuchVersion", "The specified version does not exist.", {
        Key: key,
        VersionId: versionId,
      });
    }
    if (v.deleteMarker && forRead)
      throw new S3Error(
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        { Method: "GET", ResourceType: "DeleteMarker" },
        { "x-amz-delete-marker": "true", "x-amz-version-id": versionId },
      );
    return v;
  }
  const v = deps.meta.latest(bucket, key);
  if (!v) throw noSuchKey(key);
  if (v.deleteMarker)
    throw new S3Error(
      "NoSuchKey",
      "The specified key does not exist.",
      { Key: key },
      { "x-amz-delete-marker": "true", "x-amz-version-id": v.versionId },
    );
  return v;
}

function objectResponseHeaders(v: VersionRecord, b: BucketRecord): Record<string, string> {
  const h: Record<string, string> = {
    etag: quoted(v.etag),
    "last-modified": new Date(v.lastModifiedMs).toUTCString(),
    "accept-ranges": "bytes",
    "content-type": v.headers["content-type"] ?? "binary/octet-stream",
  };
  for (const name of storedHeaders)
    if (name !== "content-type" && v.headers[name] !== undefined) h[name] = v.headers[name] as string;
  for (const [k, val] of Object.entries(v.userMeta)) h[`x-amz-meta-${k}`] = val;
  if (b.versioning) h["x-amz-version-id"] = v.versionId;
  if (v.partsCount) h["x-amz-mp-parts-count"] = String(v.partsCount);
  return h;
}

/** Response header overrides GET allows through the query (response-content-type, …). */
const overrides: Record<string, string> = {
  "response-content-type": "content-type",
  "response-content-language": "content-language",
  "response-expires": "expires",
  "response-cache-control": "cache-control",
  "response-content-disposition": "content-disposition",
  "response-content-encoding": "content-encoding",
};

export async function getObject(call: S3Call, deps: S3Deps, head: boolean): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:GetObject", call.key);
  const key = call.key as string;
  const v = findVersion(deps, b.name, key, call.query.get("versionId"));
  const headers = objectResponseHeaders(v, b);
  const h = call.headers;
  const conditional =
    h["if-match"] !== undefined ||
    h["if-none-match"] !== undefined ||
    h["if-modified-since"] !== undefined ||
    h["if-unmodified-since"] !== undefined;
  const cond = conditional
    ? evaluatePreconditions(
        {
          ...(h["if-match"] !== undefined ? { ifMatch: h["if-match"] } : {}),
          ...(h["if-none-match"] !== undefined ? { ifNoneMatch: h["if-none-match"] } : {}),
          ...(h["if-modified-since"] !== undefined ? { ifModifiedSince: h["if-modified-since"] } : {}),
          ...(h["if-unmodified-since"] !== undefined ? { ifUnmodifiedSince: h["if-unmodified-since"] } : {}),
        },
        quoted(v.etag),
        v.lastModifiedMs,
      )
    : undefined;
  if (cond === "not-modified") {
    call.res.writeHead(304, {
      etag: headers.etag as string,
      "last-modified": headers["last-modified"] as string,
    });
    call.res.end();
    return;
  }
  if (call.query.size > 0)
    for (const [q, name] of Object.entries(overrides)) {
      const val = call.query.get(q);
      if (val !== undefined) headers[name] = val;
    }
  const partNumber = call.query.get("partNumber");
  let range = parseRange(call.headers.range, v.size);
  if (partNumber !== undefined && !range) {
    const n = Number(partNumber);
    const segs = v.segments;
    if (!Number.isInteger(n) || n < 1 || n > Math.max(segs.length, 1))
      throw new S3Error("InvalidPartNumber", "The requested partnumber is not satisfiable");
    const start = segs.slice(0, n - 1).reduce((a, s) => a + s.size, 0);
    range = { start, end: start + (segs[n - 1]?.size ?? 0) };
    if (range.end === range.start && v.size === 0) range = undefined;
  }
  let status = 200;
  let start = 0;
  let end = v.size;
  if (range) {
    status = 206;
    start = range.start;
    end = range.end;
    headers["content-range"] = `bytes ${start}-${end - 1}/${v.size}`;
  }
  headers["content-length"] = String(end - start);
  call.res.writeHead(status, headers);
  if (head || end === start) {
    call.res.end();
    return;
  }
  await streamVersion(call, deps, v, start, end);
}

/** Writes object bytes [start, end) to the response with backpressure. */
async function streamVersion(
  call: S3Call,
  deps: S3Deps,
  v: VersionRecord,
  start: number,
  end: number,
): Promise<void> {
  const res = call.res;
  const only = v.segments.length === 1 ? v.segments[0] : undefined;
  if (only?.inline) {
    // A small object kept inline: one write, no stream machinery.
    res.end(Buffer.from(only.inline.buffer, only.inline.byteOffset + start, end - start));
    return;
  }
  try {
    for await (const buf of readVersion(deps, v, start, end)) {
      if (res.destroyed) return;
      // Once the socket has the bytes, their read buffer serves the next read.
      const more = res.write(buf, (err) => {
        if (!err) releaseReadBuffer(buf);
      });
      if (!more) await once(res, "drain");
    }
    res.end();
  } catch (err) {
    // Headers are gone; the only honest signal left is a cut connection.
    deps.log.error({ err, bucket: v.bucket, key: v.key }, "object read failed mid-stream");
    res.destroy();
  }
}

/** Object bytes [start, end) across the version's segments. */
export async function* readVersion(
  deps: S3Deps,
  v: VersionRecord,
  start = 0,
  end = v.size,
): AsyncGenerator<Buffer> {
  let offset = 0;
  for (const seg of v.segments) {
    const segStart = offset;
    const segEnd = offset + seg.size;
    offset = segEnd;
    if (segEnd <= start || segStart >= end) continue;
    yield* deps.segments.read(seg, Math.max(start - segStart, 0), Math.min(end, segEnd) - segStart);
  }
}

export async function deleteObject(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:DeleteObject");
  const key = call.key as string;
  const r = await deleteOne(deps, b, key, call.query.get("versionId"), call.requestId);
  const headers: Record<string, string> = {};
  if (r.versionId !== undefined && b.versioning) headers["x-amz-version-id"] = r.versionId;
  if (r.deleteMarker) headers["x-amz-delete-marker"] = "true";
  sendEmpty(call, 204, headers);
}

interface DeleteOutcome {
  versionId?: string;
  deleteMarker: boolean;
  deleteMarkerVersionId?: string;
}

async function deleteOne(
  deps: S3Deps,
  b: BucketRecord,
  key: string,
  versionId: string | undefined,
  requestId: string,
): Promise<DeleteOutcome> {
  checkKey(key);
  if (versionId !== undefined) {
    const removed = await deps.meta.removeVersion(b.name, key, versionId);
    if (removed) dropData(deps, b.project, requestId, [removed]);
    return { versionId, deleteMarker: removed?.deleteMarker ?? false };
  }
  if (!b.versioning) {
    const removed = await deps.meta.removeVersion(b.name, key, "null");
    if (removed) dropData(deps, b.project, requestId, [removed]);
    return { deleteMarker: false };
  }
  // Versioned: a delete marker becomes the latest version (null when suspended).
  const markerId = keepsVersions(b) ? newVersionId() : "null";
  const { removed } = await deps.meta.putVersion(
    {
      bucket: b.name,
      key,
      versionId: markerId,
      deleteMarker: true,
      etag: "",
      size: 0,
      lastModifiedMs: deps.clock(),
      headers: {},
      userMeta: {},
      segments: [],
    },
    !keepsVersions(b),
    deps.clock(),
  );
  dropData(deps, b.project, requestId, removed);
  return { versionId: markerId, deleteMarker: true, deleteMarkerVersionId: markerId };
}

export async function deleteObjects(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:DeleteObject");
  const doc = parseXmlBody(await call.body.text(maxXmlBodyBytes), "Delete");
  const objects = asArray(doc.Object as XmlObject | XmlObject[]);
  if (objects.length === 0 || objects.length > maxDeleteKeys) throw malformedXml();
  const quiet = asText(doc.Quiet) === "true";
  const deleted: XmlObject[] = [];
  const errors: XmlObject[] = [];
  for (const o of objects) {
    const key = asText(o.Key);
    if (key === undefined) throw malformedXml();
    const versionId = asText(o.VersionId);
    try {
      const r = await deleteOne(deps, b, key, versionId, call.requestId);
      if (!quiet) {
        deleted.push({
          Key: key,
          VersionId: versionId,
          DeleteMarker: r.deleteMarker ? "true" : undefined,
          DeleteMarkerVersionId: r.deleteMarkerVersionId,
        });
      }
    } catch (e) {
      if (!(e instanceof S3Error)) throw e;
      errors.push({ Key: key, VersionId: versionId, Code: e.code, Message: e.message });
    }
  }
  sendXml(call, 200, "DeleteResult", { Deleted: deleted, Error: errors });
}

/** `x-amz-copy-source: /bucket/key?versionId=…` (leading slash optional, key URL-encoded). */
export function parseCopySource(header: string): { bucket: string; key: string; versionId?: string } {
  const [path = "", query = ""] = header.split("?");
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/^\//, ""));
  } catch {
    throw new S3Error(
      "InvalidArgument",
      "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
      { ArgumentName: "x-amz-copy-source" },
    );
  }
  const i = decoded.indexOf("/");
  if (i <= 0 || i === decoded.length - 1)
    throw new S3Error(
      "InvalidArgument",
      "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
      { ArgumentName: "x-amz-copy-source" },
    );
  const vid = new URLSearchParams(query).get("versionId");
  return { bucket: decoded.slice(0, i), key: decoded.slice(i + 1), ...(vid ? { versionId: vid } : {}) };
}

/** Resolves and authorizes a copy source, applying x-amz-copy-source-if-* conditions. */
export function copySource(call: S3Call, deps: S3Deps): VersionRecord {
  const src = parseCopySource(call.headers["x-amz-copy-source"] as string);
  const srcCall = { ...call, bucket: src.bucket, key: src.key } as S3Call;
  const sb = authorizeBucket(srcCall, deps, "s3:GetObject", src.key);
  const v = findVersion(deps, sb.name, src.key, src.versionId);
  const h = call.headers;
  const cond = evaluatePreconditions(
    {
      ...(h["x-amz-copy-source-if-match"] !== undefined ? { ifMatch: h["x-amz-copy-source-if-match"] } : {}),
      ...(h["x-amz-copy-source-if-none-match"] !== undefined
        ? { ifNoneMatch: h["x-amz-copy-source-if-none-match"] }
        : {}),
      ...(h["x-amz-copy-source-if-modified-since"] !== undefined
        ? { ifModifiedSince: h["x-amz-copy-source-if-modified-since"] }
        : {}),
      ...(h["x-amz-copy-source-if-unmodified-since"] !== undefined
        ? { ifUnmodifiedSince: h["x-amz-copy-source-if-unmodified-since"] }
        : {}),
    },
    quoted(v.etag),
    v.lastModifiedMs,
  );
  if (cond === "not-modified")
    throw new S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", {
      Condition: "x-amz-copy-source-If-None-Match",
    });
  return v;
}

export async function copyObject(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:PutObject");
  const key = call.key as string;
  checkKey(key);
  const src = copySource(call, deps);
  const directive = call.headers["x-amz-metadata-directive"] ?? "COPY";
  if (directive !== "COPY" && directive !== "REPLACE")
    throw new S3Error("InvalidArgument", "Unknown metadata directive.", {
      ArgumentName: "x-amz-metadata-directive",
    });
  if (
    src.bucket === b.name &&
    src.key === key &&
    directive === "COPY" &&
    call.headers["x-amz-copy-source"]?.includes("versionId") !== true
  ) {
    throw new S3Error(
      "InvalidRequest",
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  call.body.discard();
  const meta =
    directive === "REPLACE"
      ? objectHeadersFrom(call.headers)
      : { headers: src.headers, userMeta: src.userMeta };
  await deps.quota.addBytes(b.project, call.requestId, src.size);
  const md5 = createHash("md5");
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of readVersion(deps, src)) {
      md5.update(chunk);
      yield chunk;
    }
  }
  const segment = await deps.segments.write(hashed(), Number.MAX_SAFE_INTEGER, src.size);
  // A copy of a multipart object is one segment, so its ETag is the plain MD5 (as in S3).
  const etag = md5.digest("hex");
  const versionId = keepsVersions(b) ? newVersionId() : "null";
  const { version, removed } = await deps.meta.putVersion(
    {
      bucket: b.name,
      key,
      versionId,
      deleteMarker: false,
      etag,
      size: segment.size,
      lastModifiedMs: deps.clock(),
      headers: meta.headers,
      userMeta: meta.userMeta,
      segments: [segment],
    },
    !keepsVersions(b),
    deps.clock(),
  );
  dropData(deps, b.project, call.requestId, removed);
  const headers: Record<string, string> = {};
  if (b.versioning) headers["x-amz-version-id"] = versionId;
  if (src.versionId !== "null") headers["x-amz-copy-source-version-id"] = src.versionId;
  sendXml(
    call,
    200,
    "CopyObjectResult",
    { LastModified: isoDate(version.lastModifiedMs), ETag: quoted(etag) },
    headers,
  );
}

/** Access is by project and bucket policy; an object's ACL is its owner's full control. */
export async function getObjectAcl(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:GetObjectAcl", call.key);
  findVersion(deps, b.name, call.key as string, call.query.get("versionId"));
  sendXml(call, 200, "AccessControlPolicy", {
    Owner: { ID: b.project, DisplayName: b.project },
    AccessControlList: {
      Grant: {
        Grantee: {
          "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
          "@_xsi:type": "CanonicalUser",
          ID: b.project,
          DisplayName: b.project,
        },
        Permission: "FULL_CONTROL",
      },
    },
  });
}

/** Object tags are not kept; the tag set is empty. */
export async function getObjectTagging(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:GetObjectTagging", call.key);
  findVersion(deps, b.name, call.key as string, call.query.get("versionId"));
  sendXml(call, 200, "Tagging", { TagSet: "" });
}

export { checksumAlgorithms };
