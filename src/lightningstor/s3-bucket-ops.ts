// Bucket operations: create, list, head, delete, location, versioning, CORS, lifecycle,
// policy (and a fixed ACL answer, since access is by project and policy).
import { checkBucketName } from "./bucket-name.ts";
import { parsePolicy } from "./bucket-policy.ts";
import { corsToXml, parseCors } from "./cors.ts";
import { lifecycleToXml, parseLifecycle } from "./lifecycle-rules.ts";
import { authorizeBucket, type S3Call, type S3Deps, sendEmpty, sendXml } from "./s3-call.ts";
import { S3Error } from "./s3-error.ts";
import { asText, isoDate, maxXmlBodyBytes, parseXmlBody } from "./s3-xml.ts";

const owner = (project: string) => ({ ID: project, DisplayName: project });

function requireKey(call: S3Call): { project: string } {
  if (call.caller.kind !== "key") throw new S3Error("AccessDenied", "Access Denied");
  return call.caller;
}

export async function listBuckets(call: S3Call, deps: S3Deps): Promise<void> {
  const { project } = requireKey(call);
  const buckets = deps.meta.listBuckets(project).sort((a, b) => (a.name < b.name ? -1 : 1));
  sendXml(call, 200, "ListAllMyBucketsResult", {
    Owner: owner(project),
    Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: isoDate(b.createdMs) })) },
  });
}

export async function createBucket(call: S3Call, deps: S3Deps): Promise<void> {
  const { project } = requireKey(call);
  const name = call.bucket as string;
  checkBucketName(name);
  let region = deps.region;
  const text = await call.body.text(maxXmlBodyBytes);
  if (text.trim()) {
    const cfg = parseXmlBody(text, "CreateBucketConfiguration");
    const loc = asText(cfg.LocationConstraint);
    if (loc && loc !== deps.region) {
      throw new S3Error(
        "InvalidLocationConstraint",
        `The specified location-constraint is not valid; this endpoint serves ${deps.region}`,
      );
    }
    region = loc || deps.region;
  }
  const existing = deps.meta.getBucket(name);
  if (existing) throw alreadyExists(existing.project === project, name);
  const taken = await deps.quota.createBucket(project, call.requestId, () =>
    deps.meta.createBucket({ name, project, createdMs: deps.clock(), region }),
  );
  if (taken) throw alreadyExists(taken.project === project, name);
  sendEmpty(call, 200, { location: `/${name}` });
}

const alreadyExists = (mine: boolean, name: string) =>
  mine
    ? new S3Error(
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
        { BucketName: name },
      )
    : new S3Error(
        "BucketAlreadyExists",
        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
        { BucketName: name },
      );

export async function headBucket(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:ListBucket");
  sendEmpty(call, 200, { "x-amz-bucket-region": b.region });
}

export async function deleteBucket(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:DeleteBucket");
  if (!(await deps.meta.deleteBucket(b.name)))
    throw new S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty", {
      BucketName: b.name,
    });
  await deps.quota.bucketDeleted(b.project, call.requestId);
  sendEmpty(call, 204);
}

export async function getLocation(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:GetBucketLocation");
  // S3 answers us-east-1 as an empty LocationConstraint.
  sendXml(call, 200, "LocationConstraint", { "#text": b.region === "us-east-1" ? "" : b.region });
}

export async function getVersioning(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:GetBucketVersioning");
  sendXml(call, 200, "VersioningConfiguration", b.versioning ? { Status: b.versioning } : {});
}

export async function putVersioning(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:PutBucketVersioning");
  const cfg = parseXmlBody(await call.body.text(maxXmlBodyBytes), "VersioningConfiguration");
  const status = asText(cfg.Status);
  if (status !== "Enabled" && status !== "Suspended") {
    throw new S3Error("IllegalVersioningConfigurationException", "The Versioning element must be specified");
  }
  deps.meta.putBucket({ ...b, versioning: status });
  sendEmpty(call, 200);
}

export async function getCors(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:GetBucketCORS");
  if (!b.cors)
    throw new S3Error("NoSuchCORSConfiguration", "The CORS configuration does not exist", {
      BucketName: b.name,
    });
  sendXml(call, 200, "CORSConfiguration", corsToXml(b.cors));
}

export async function putCors(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:PutBucketCORS");
  const cors = parseCors(parseXmlBody(await call.body.text(maxXmlBodyBytes), "CORSConfiguration"));
  deps.meta.putBucket({ ...b, cors });
  sendEmpty(call, 200);
}

export async function deleteCors(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:PutBucketCORS");
  const { cors: _dropped, ...rest } = b;
  deps.meta.putBucket(rest);
  sendEmpty(call, 204);
}

export async function getLifecycle(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:GetLifecycleConfiguration");
  if (!b.lifecycle)
    throw new S3Error("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", {
      BucketName: b.name,
    });
  sendXml(call, 200, "LifecycleConfiguration", lifecycleToXml(b.lifecycle));
}

export async function putLifecycle(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:PutLifecycleConfiguration");
  const lifecycle = parseLifecycle(
    parseXmlBody(await call.body.text(maxXmlBodyBytes), "LifecycleConfiguration"),
  );
  deps.meta.putBucket({ ...b, lifecycle });
  sendEmpty(call, 200);
}

export async function deleteLifecycle(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:PutLifecycleConfiguration");
  const { lifecycle: _dropped, ...rest } = b;
  deps.meta.putBucket(rest);
  sendEmpty(call, 204);
}

export async function getPolicy(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:GetBucketPolicy");
  if (!b.policy)
    throw new S3Error("NoSuchBucketPolicy", "The bucket policy does not exist", { BucketName: b.name });
  call.res.writeHead(200, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(b.policy)),
  });
  call.res.end(b.policy);
}

export async function putPolicy(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:PutBucketPolicy");
  const text = await call.body.text(maxXmlBodyBytes);
  parsePolicy(text);
  deps.meta.putBucket({ ...b, policy: text });
  sendEmpty(call, 204);
}

export async function deletePolicy(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:DeleteBucketPolicy");
  const { policy: _dropped, ...rest } = b;
  deps.meta.putBucket(rest);
  sendEmpty(call, 204);
}

/** Access is by project and bucket policy; the ACL shown is the owner's full control. */
export async function getAcl(call: S3Call, deps: S3Deps): Promise<void> {
  const b = authorizeBucket(call, deps, "s3:GetBucketAcl");
  sendXml(call, 200, "AccessControlPolicy", {
    Owner: owner(b.project),
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

export async function putAcl(call: S3Call, deps: S3Deps): Promise<void> {
  authorizeBucket(call, deps, "s3:PutBucketAcl");
  call.body.discard();
  sendEmpty(call, 200);
}
