// S3's bucket naming rules (general purpose buckets), as a pure check.
import { S3Error } from "./s3-error.ts";

const invalid = (name: string, why: string) =>
  new S3Error("InvalidBucketName", `The specified bucket is not valid. (${why})`, { BucketName: name });

export function checkBucketName(name: string): void {
  if (name.length < 3 || name.length > 63) throw invalid(name, "bucket names are 3 to 63 characters long");
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    throw invalid(
      name,
      "use lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit",
    );
  if (name.includes("..")) throw invalid(name, "two adjacent periods are not allowed");
  if (name.includes(".-") || name.includes("-."))
    throw invalid(name, "a period next to a hyphen is not allowed");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name))
    throw invalid(name, "a bucket name must not look like an IP address");
  if (name.startsWith("xn--") || name.startsWith("sthree-")) throw invalid(name, "reserved prefix");
  if (name.endsWith("-s3alias") || name.endsWith("--ol-s3")) throw invalid(name, "reserved suffix");
}
