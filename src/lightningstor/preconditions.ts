// Conditional request headers of GET/HEAD Object (RFC 7232 as S3 applies them):
// If-Match / If-Unmodified-Since fail with 412 PreconditionFailed; If-None-Match /
// If-Modified-Since answer 304 Not Modified.
import { S3Error } from "./s3-error.ts";

export interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

const etagList = (h: string) => h.split(",").map((t) => t.trim().replace(/^W\//, ""));
const matches = (h: string, etag: string) =>
  etagList(h).some((t) => t === "*" || t === etag || t === `"${etag.replace(/"/g, "")}"`);
/** HTTP dates have second precision; compare at that precision. */
const seconds = (ms: number) => Math.floor(ms / 1000);

export function evaluatePreconditions(
  c: Conditions,
  etag: string,
  lastModifiedMs: number,
  isGetOrHead = true,
): "ok" | "not-modified" {
  let ifMatchPassed = false;
  if (c.ifMatch !== undefined) {
    if (!matches(c.ifMatch, etag)) throw preconditionFailed("If-Match");
    ifMatchPassed = true;
  }
  if (c.ifUnmodifiedSince !== undefined && !ifMatchPassed) {
    const t = Date.parse(c.ifUnmodifiedSince);
    if (!Number.isNaN(t) && seconds(lastModifiedMs) > seconds(t))
      throw preconditionFailed("If-Unmodified-Since");
  }
  if (c.ifNoneMatch !== undefined) {
    if (matches(c.ifNoneMatch, etag)) {
      if (isGetOrHead) return "not-modified";
      throw preconditionFailed("If-None-Match");
    }
    return "ok";
  }
  if (c.ifModifiedSince !== undefined && isGetOrHead) {
    const t = Date.parse(c.ifModifiedSince);
    if (!Number.isNaN(t) && seconds(lastModifiedMs) <= seconds(t)) return "not-modified";
  }
  return "ok";
}

const preconditionFailed = (condition: string) =>
  new S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", {
    Condition: condition,
  });
