// Multipart upload: create, upload part (and part copy), complete, abort, list parts and
// list uploads. Completing concatenates the parts' segments without moving data, and the
// ETag is S3's: md5 of the concatenated binary part MD5s, then "-<part count>".
import { createHash, randomBytes } from "node:crypto";
import { authorizeBucket, type S3Call, type S3Deps, sendEmpty, sendXml } from "./s3-call.ts";
import { malformedXml, S3Error } from "./s3-error.ts";
import {
  checkKey,
  copySource,
  dropData,
  keepsVersions,
  newVersionId,
  objectHeadersFrom,
  quoted,
  readVersion,
  storeBody,
} from "./s3-object-ops.ts";
import { asArray, asText, isoDate, maxXmlBodyBytes, parseXmlBody, type XmlObject } from "./s3-xml.ts";
import type { Segment } from "./segment.ts";

export const maxPartNumber = 10_000;
export const maxListParts = 1000;
export const maxListUploads = 1000;

const noSuchUpload = (uploadId: string) =>
  new S3Error(
    "NoSuchUpload",
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    { UploadId: uploadId },
  );

function upload(call: S3Call, deps: S3Deps) {
  const b = authorizeBucket(call, deps, "s3:PutObject");
  const uploadId = call.query.get("uploadId") as string;
  const u = deps.meta.getUpload(b.name, uploadId);
  if (!u || u.key !== call.key) throw noSuchUpload(uploadId);
  return { b, u };
}

/** Hex, not base64url: an id starting with '-' reads as an option to the aws cli (`--upload-id -x…`). */
export const newUploadId = () => randomBytes(24).toString("hex");

export async function createMultipartUpload(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:PutObject");
  const key = call.key as string;
  checkKey(key);
  const { headers, userMeta } = objectHeadersFrom(call.headers);
  call.body.discard();
  const uploadId = newUploadId();
  await deps.meta.putUpload({ bucket: b.name, key, uploadId, initiatedMs: deps.clock(), headers, userMeta });
  sendXml(call, 200, "InitiateMultipartUploadResult", { Bucket: b.name, Key: key, UploadId: uploadId });
}

function partNumber(call: S3Call): number {
  const raw = call.query.get("partNumber") ?? "";
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > maxPartNumber) {
    throw new S3Error(
      "InvalidArgument",
      `Part number must be an integer between 1 and ${maxPartNumber}, inclusive`,
      { ArgumentName: "partNumber", ArgumentValue: raw },
    );
  }
  return n;
}

export async function uploadPart(call: S3Call, deps: S3Deps): Promise<void> {
  const n = partNumber(call);
  const { b, u } = upload(call, deps);
  await deps.quota.addBytes(b.project, call.requestId, call.body.declaredLength() ?? 0);
  const { segment, digests } = await storeBody(call, deps, deps.maxObjectBytes);
  await savePart(deps, b.project, call.requestId, u.uploadId, n, digests.md5, segment);
  const headers: Record<string, string> = { etag: quoted(digests.md5) };
  if (digests.checksum) headers[`x-amz-checksum-${digests.checksum.algorithm}`] = digests.checksum.value;
  sendEmpty(call, 200, headers);
}

async function savePart(
  deps: S3Deps,
  project: string,
  requestId: string,
  uploadId: string,
  n: number,
  etag: string,
  segment: Segment,
): Promise<void> {
  const old = await deps.meta.putPart({
    uploadId,
    partNumber: n,
    etag,
    size: segment.size,
    lastModifiedMs: deps.clock(),
    segment,
  });
  if (old) {
    void deps.segments.delete(old.segment);
    void deps.quota.removeBytes(project, requestId, old.size);
  }
}

export async function uploadPartCopy(call: S3Call, deps: S3Deps): Promise<void> {
  const n = partNumber(call);
  const { b, u } = upload(call, deps);
  const src = copySource(call, deps);
  call.body.discard();
  let start = 0;
  let end = src.size;
  const range = call.headers["x-amz-copy-source-range"];
  if (range !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(range);
    if (!m || Number(m[2]) < Number(m[1]) || Number(m[2]) >= src.size) {
      throw new S3Error(
        "InvalidArgument",
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
        {
          ArgumentName: "x-amz-copy-source-range",
        },
      );
    }
    start = Number(m[1]);
    end = Number(m[2]) + 1;
  }
  await deps.quota.addBytes(b.project, call.requestId, end - start);
  const md5 = createHash("md5");
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of readVersion(deps, src, start, end)) {
      md5.update(chunk);
      yield chunk;
    }
  }
  const segment = await deps.segments.write(hashed(), deps.maxObjectBytes);
  const etag = md5.digest("hex");
  await savePart(deps, b.project, call.requestId, u.uploadId, n, etag, segment);
  sendXml(call, 200, "CopyPartResult", { LastModified: isoDate(deps.clock()), ETag: quoted(etag) });
}

export async function completeMultipartUpload(call: S3Call, deps: S3Deps): Promise<void> {
  const { b, u } = upload(call, deps);
  const doc = parseXmlBody(await call.body.text(maxXmlBodyBytes), "CompleteMultipartUpload");
  const wanted = asArray(doc.Part as XmlObject | XmlObject[]).map((p) => ({
    n: Number(asText(p.PartNumber)),
    etag: (asText(p.ETag) ?? "").replace(/"/g, ""),
  }));
  if (wanted.length === 0) throw malformedXml();
  const stored = new Map(deps.meta.listParts(u.uploadId).map((p) => [p.partNumber, p]));
  let prev = 0;
  const used = [];
  for (const [i, w] of wanted.entries()) {
    if (!Number.isInteger(w.n) || w.n <= prev)
      throw new S3Error(
        "InvalidPartOrder",
        "The list of parts was not in ascending order. Parts must be ordered by part number.",
        { UploadId: u.uploadId },
      );
    prev = w.n;
    const p = stored.get(w.n);
    if (!p || p.etag !== w.etag) {
      throw new S3Error(
        "InvalidPart",
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
        {
          UploadId: u.uploadId,
          PartNumber: String(w.n),
          ETag: w.etag,
        },
      );
    }
    if (i < wanted.length - 1 && p.size < deps.minPartBytes) {
      throw new S3Error(
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed object size.",
        {
          ProposedSize: String(p.size),
          MinSizeAllowed: String(deps.minPartBytes),
          PartNumber: String(w.n),
          ETag: quoted(p.etag),
        },
      );
    }
    used.push(p);
  }
  const etag = `${createHash("md5")
    .update(Buffer.concat(used.map((p) => Buffer.from(p.etag, "hex"))))
    .digest("hex")}-${used.length}`;
  const versionId = keepsVersions(b) ? newVersionId() : "null";
  const parts = await deps.meta.removeUpload(b.name, u.uploadId);
  const usedNumbers = new Set(used.map((p) => p.partNumber));
  const { removed } = await deps.meta.putVersion(
    {
      bucket: b.name,
      key: u.key,
      versionId,
      deleteMarker: false,
      etag,
      size: used.reduce((a, p) => a + p.size, 0),
      lastModifiedMs: deps.clock(),
      headers: u.headers,
      userMeta: u.userMeta,
      segments: used.map((p) => p.segment),
      partsCount: used.length,
    },
    !keepsVersions(b),
    deps.clock(),
  );
  for (const p of parts) {
    if (!usedNumbers.has(p.partNumber)) {
      void deps.segments.delete(p.segment);
      void deps.quota.removeBytes(b.project, call.requestId, p.size);
    }
  }
  dropData(deps, b.project, call.requestId, removed);
  const headers: Record<string, string> = {};
  if (b.versioning) headers["x-amz-version-id"] = versionId;
  const host = call.headers.host ?? "localhost";
  sendXml(
    call,
    200,
    "CompleteMultipartUploadResult",
    {
      Location: `http://${host}/${b.name}/${encodeURIComponent(u.key)}`,
      Bucket: b.name,
      Key: u.key,
      ETag: quoted(etag),
    },
    headers,
  );
}

export async function abortMultipartUpload(call: S3Call, deps: S3Deps): Promise<void> {
  const { b, u } = upload(call, deps);
  const parts = await deps.meta.removeUpload(b.name, u.uploadId);
  for (const p of parts) {
    void deps.segments.delete(p.segment);
    void deps.quota.removeBytes(b.project, call.requestId, p.size);
  }
  sendEmpty(call, 204);
}

export async function listParts(call: S3Call, deps: S3Deps): Promise<void> {
  const { b, u } = upload(call, deps);
  const marker = Number(call.query.get("part-number-marker") ?? "0") || 0;
  const max = Math.min(Number(call.query.get("max-parts") ?? maxListParts) || maxListParts, maxListParts);
  const all = deps.meta.listParts(u.uploadId).filter((p) => p.partNumber > marker);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  sendXml(call, 200, "ListPartsResult", {
    Bucket: b.name,
    Key: u.key,
    UploadId: u.uploadId,
    Initiator: { ID: b.project, DisplayName: b.project },
    Owner: { ID: b.project, DisplayName: b.project },
    StorageClass: "STANDARD",
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? (page[page.length - 1]?.partNumber ?? 0) : marker,
    MaxParts: max,
    IsTruncated: truncated,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: isoDate(p.lastModifiedMs),
      ETag: quoted(p.etag),
      Size: p.size,
    })),
  });
}

export async function listMultipartUploads(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:ListBucketMultipartUploads");
  const prefix = call.query.get("prefix") ?? "";
  const keyMarker = call.query.get("key-marker") ?? "";
  const idMarker = call.query.get("upload-id-marker") ?? "";
  const max = Math.min(
    Number(call.query.get("max-uploads") ?? maxListUploads) || maxListUploads,
    maxListUploads,
  );
  const all = deps.meta
    .listUploads(b.name)
    .filter((u) => u.key.startsWith(prefix))
    .filter(
      (u) =>
        !keyMarker || u.key > keyMarker || (u.key === keyMarker && idMarker !== "" && u.uploadId > idMarker),
    )
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.initiatedMs - y.initiatedMs));
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  sendXml(call, 200, "ListMultipartUploadsResult", {
    Bucket: b.name,
    KeyMarker: keyMarker,
    UploadIdMarker: idMarker,
    ...(truncated && last ? { NextKeyMarker: last.key, NextUploadIdMarker: last.uploadId } : {}),
    Prefix: prefix,
    MaxUploads: max,
    IsTruncated: truncated,
    Upload: page.map((u) => ({
      Key: u.key,
      UploadId: u.uploadId,
      Initiator: { ID: b.project, DisplayName: b.project },
      Owner: { ID: b.project, DisplayName: b.project },
      StorageClass: "STANDARD",
      Initiated: isoDate(u.initiatedMs),
    })),
  });
}
