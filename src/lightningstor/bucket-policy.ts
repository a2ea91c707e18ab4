// Bucket policies, reduced to what anonymous access needs: a statement that Allows
// Principal "*" an action on the bucket's ARN grants it to anyone (public-read). Deny
// statements for "*" win. Everything else in a policy is kept but not evaluated here:
// authenticated callers are authorized by the project that owns the bucket.
import { z } from "zod";
import { S3Error } from "./s3-error.ts";

/** S3's limit on a bucket policy document. */
export const maxPolicyBytes = 20 * 1024;

const strings = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const statement = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(["Allow", "Deny"]),
  Principal: z.union([z.literal("*"), z.object({ AWS: strings })]),
  Action: strings,
  Resource: strings,
});
const policySchema = z.object({
  Version: z.string().optional(),
  Id: z.string().optional(),
  Statement: z.union([statement, z.array(statement)]),
});

export type BucketPolicy = z.infer<typeof policySchema>;

export function parsePolicy(text: string): BucketPolicy {
  if (Buffer.byteLength(text) > maxPolicyBytes)
    throw new S3Error("MalformedPolicy", `Policies must be at most ${maxPolicyBytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new S3Error("MalformedPolicy", "Policies must be valid JSON");
  }
  const r = policySchema.safeParse(json);
  if (!r.success)
    throw new S3Error(
      "MalformedPolicy",
      `Policy has invalid structure: ${r.error.issues[0]?.message ?? "invalid"}`,
    );
  return r.data;
}

const globMatch = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(value);

const isAnyone = (p: BucketPolicy["Statement"] extends infer S ? (S extends (infer T)[] ? T : S) : never) =>
  p.Principal === "*" || (typeof p.Principal === "object" && p.Principal.AWS.includes("*"));

/** Whether an anonymous caller may perform `action` (e.g. "s3:GetObject") on `resource`. */
export function allowsAnonymous(
  policy: BucketPolicy | undefined,
  action: string,
  bucket: string,
  key?: string,
): boolean {
  if (!policy) return false;
  const arn = key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const applies = statements.filter(
    (s) =>
      isAnyone(s) && s.Action.some((a) => globMatch(a, action)) && s.Resource.some((r) => globMatch(r, arn)),
  );
  if (applies.some((s) => s.Effect === "Deny")) return false;
  return applies.some((s) => s.Effect === "Allow");
}
