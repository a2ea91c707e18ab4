// ListObjectsV2, ListObjects (V1) and ListObjectVersions: prefix, delimiter (common
// prefixes), max-keys and continuation, in S3's UTF-8 byte order.
import type { VersionRecord } from "./meta-store.ts";
import { authorizeBucket, type S3Call, type S3Deps, sendXml } from "./s3-call.ts";
import { S3Error } from "./s3-error.ts";
import { quoted } from "./s3-object-ops.ts";
import { isoDate, type XmlObject } from "./s3-xml.ts";

export const maxListKeys = 1000;
/** Bound on versions examined by one list call (skipped old versions and markers included). */
export const maxScannedPerList = 100_000;

function maxKeys(call: S3Call, name = "max-keys"): number {
  const raw = call.query.get(name);
  if (raw === undefined) return maxListKeys;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n))
    throw new S3Error("InvalidArgument", `Provided ${name} not an integer or within integer range`, {
      ArgumentName: name,
      ArgumentValue: raw,
    });
  return Math.min(n, maxListKeys);
}

const encodeKey = (call: S3Call, k: string) =>
  call.query.get("encoding-type") === "url" ? encodeURIComponent(k).replace(/%2F/g, "/") : k;

interface Listing {
  contents: VersionRecord[];
  prefixes: string[];
  truncated: boolean;
  /** Last key or common prefix returned (the next page starts after it). */
  last: string | undefined;
}

/** Latest, non-deleted versions after `after`, grouped by delimiter. */
function listLatest(
  deps: S3Deps,
  bucket: string,
  prefix: string,
  delimiter: string,
  after: string,
  limit: number,
): Listing {
  const out: Listing = { contents: [], prefixes: [], truncated: false, last: undefined };
  if (limit === 0) return out;
  let seenKey: string | undefined;
  let scanned = 0;
  let from = after > prefix ? after : prefix;
  let inclusive = after <= prefix;
  for (;;) {
    let jumped = false;
    for (const v of deps.meta.scanVersions(bucket, from, inclusive)) {
      if (++scanned > maxScannedPerList) {
        out.truncated = true;
        return out;
      }
      if (!v.key.startsWith(prefix)) return out;
      if (v.key === seenKey) continue;
      seenKey = v.key;
      if (v.key <= after) continue;
      const rest = v.key.slice(prefix.length);
      const d = delimiter ? rest.indexOf(delimiter) : -1;
      if (d >= 0) {
        const cp = prefix + rest.slice(0, d + delimiter.length);
        if (out.contents.length + out.prefixes.length >= limit) {
          out.truncated = true;
          return out;
        }
        out.prefixes.push(cp);
        out.last = cp;
        // Skip everything under this common prefix in one jump.
        from = `${cp}\uffff`;
        inclusive = true;
        jumped = true;
        break;
      }
      if (v.deleteMarker) continue;
      if (out.contents.length + out.prefixes.length >= limit) {
        out.truncated = true;
        return out;
      }
      out.contents.push(v);
      out.last = v.key;
    }
    if (!jumped) return out;
  }
}

const contentsXml = (call: S3Call, v: VersionRecord, withOwner: boolean, project: string): XmlObject => ({
  Key: encodeKey(call, v.key),
  LastModified: isoDate(v.lastModifiedMs),
  ETag: quoted(v.etag),
  ...(v.checksum ? { ChecksumAlgorithm: v.checksum.algorithm.toUpperCase() } : {}),
  Size: v.size,
  ...(withOwner ? { Owner: { ID: project, DisplayName: project } } : {}),
  StorageClass: "STANDARD",
});

export async function listObjectsV2(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:ListBucket");
  const prefix = call.query.get("prefix") ?? "";
  const delimiter = call.query.get("delimiter") ?? "";
  const limit = maxKeys(call);
  const token = call.query.get("continuation-token");
  let after = call.query.get("start-after") ?? "";
  if (token !== undefined) {
    const decoded = Buffer.from(token, "base64url").toString("utf8");
    if (!decoded.startsWith("k:"))
      throw new S3Error("InvalidArgument", "The continuation token provided is incorrect", {
        ArgumentName: "continuation-token",
      });
    after = decoded.slice(2);
  }
  const l = listLatest(deps, b.name, prefix, delimiter, after, limit);
  sendXml(call, 200, "ListBucketResult", {
    Name: b.name,
    Prefix: encodeKey(call, prefix),
    ...(call.query.has("start-after")
      ? { StartAfter: encodeKey(call, call.query.get("start-after") as string) }
      : {}),
    ...(token !== undefined ? { ContinuationToken: token } : {}),
    ...(l.truncated && l.last !== undefined
      ? { NextContinuationToken: Buffer.from(`k:${l.last}`).toString("base64url") }
      : {}),
    KeyCount: l.contents.length + l.prefixes.length,
    MaxKeys: limit,
    ...(delimiter ? { Delimiter: encodeKey(call, delimiter) } : {}),
    ...(call.query.get("encoding-type") === "url" ? { EncodingType: "url" } : {}),
    IsTruncated: l.truncated,
    Contents: l.contents.map((v) =>
      contentsXml(call, v, call.query.get("fetch-owner") === "true", b.project),
    ),
    CommonPrefixes: l.prefixes.map((p) => ({ Prefix: encodeKey(call, p) })),
  });
}

export async function listObjectsV1(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:ListBucket");
  const prefix = call.query.get("prefix") ?? "";
  const delimiter = call.query.get("delimiter") ?? "";
  const marker = call.query.get("marker") ?? "";
  const limit = maxKeys(call);
  const l = listLatest(deps, b.name, prefix, delimiter, marker, limit);
  sendXml(call, 200, "ListBucketResult", {
    Name: b.name,
    Prefix: encodeKey(call, prefix),
    Marker: encodeKey(call, marker),
    ...(l.truncated && delimiter && l.last !== undefined ? { NextMarker: encodeKey(call, l.last) } : {}),
    MaxKeys: limit,
    ...(delimiter ? { Delimiter: encodeKey(call, delimiter) } : {}),
    ...(call.query.get("encoding-type") === "url" ? { EncodingType: "url" } : {}),
    IsTruncated: l.truncated,
    Contents: l.contents.map((v) => contentsXml(call, v, true, b.project)),
    CommonPrefixes: l.prefixes.map((p) => ({ Prefix: encodeKey(call, p) })),
  });
}

export async function listObjectVersions(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:ListBucketVersions");
  const prefix = call.query.get("prefix") ?? "";
  const delimiter = call.query.get("delimiter") ?? "";
  const keyMarker = call.query.get("key-marker") ?? "";
  const versionMarker = call.query.get("version-id-marker") ?? "";
  const limit = maxKeys(call);
  const versions: XmlObject[] = [];
  const markers: XmlObject[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let nextKey: string | undefined;
  let nextVersion: string | undefined;
  let lastKey: string | undefined;
  let pastVersionMarker = versionMarker === "";
  let count = 0;
  let scanned = 0;
  const from = [keyMarker, prefix].sort()[1] ?? prefix;
  for (const v of deps.meta.scanVersions(b.name, from, true)) {
    if (++scanned > maxScannedPerList || !v.key.startsWith(prefix)) break;
    const isLatest = v.key !== lastKey;
    lastKey = v.key;
    if (keyMarker && v.key < keyMarker) continue;
    if (keyMarker && v.key === keyMarker) {
      // Resume after version-id-marker within the marker key; without one the key is done.
      if (!versionMarker) continue;
      if (!pastVersionMarker) {
        if (v.versionId === versionMarker) pastVersionMarker = true;
        continue;
      }
    }
    const rest = v.key.slice(prefix.length);
    const d = delimiter ? rest.indexOf(delimiter) : -1;
    if (d >= 0) {
      const cp = prefix + rest.slice(0, d + delimiter.length);
      if (prefixes[prefixes.length - 1] === cp) continue;
      if (count >= limit) {
        truncated = true;
        break;
      }
      prefixes.push(cp);
      count++;
      nextKey = cp;
      nextVersion = undefined;
      continue;
    }
    if (count >= limit) {
      truncated = true;
      break;
    }
    const common = {
      Key: encodeKey(call, v.key),
      VersionId: v.versionId,
      IsLatest: isLatest,
      LastModified: isoDate(v.lastModifiedMs),
      Owner: { ID: b.project, DisplayName: b.project },
    };
    if (v.deleteMarker) markers.push(common);
    else versions.push({ ...common, ETag: quoted(v.etag), Size: v.size, StorageClass: "STANDARD" });
    count++;
    nextKey = v.key;
    nextVersion = v.versionId;
  }
  sendXml(call, 200, "ListVersionsResult", {
    Name: b.name,
    Prefix: encodeKey(call, prefix),
    KeyMarker: encodeKey(call, keyMarker),
    VersionIdMarker: versionMarker,
    ...(truncated && nextKey !== undefined ? { NextKeyMarker: encodeKey(call, nextKey) } : {}),
    ...(truncated && nextVersion !== undefined ? { NextVersionIdMarker: nextVersion } : {}),
    MaxKeys: limit,
    ...(delimiter ? { Delimiter: encodeKey(call, delimiter) } : {}),
    IsTruncated: truncated,
    Version: versions,
    DeleteMarker: markers,
    CommonPrefixes: prefixes.map((p) => ({ Prefix: encodeKey(call, p) })),
  });
}
