// Lifecycle configuration reduced to expiration: rules with a prefix filter and
// Expiration Days (current versions), NoncurrentVersionExpiration and
// AbortIncompleteMultipartUpload. Parsing and the "is this expired" decision are pure.
import { S3Error } from "./s3-error.ts";
import { asArray, asText, type XmlObject } from "./s3-xml.ts";

export interface LifecycleRule {
  id: string;
  enabled: boolean;
  prefix: string;
  expirationDays?: number;
  noncurrentDays?: number;
  abortIncompleteDays?: number;
}

export const maxLifecycleRules = 1000;
const dayMs = 86_400_000;

const days = (v: unknown): number | undefined => {
  const t = asText(
    (v as XmlObject | undefined)?.Days ??
      (v as XmlObject | undefined)?.NoncurrentDays ??
      (v as XmlObject | undefined)?.DaysAfterInitiation,
  );
  if (t === undefined) return undefined;
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1)
    throw new S3Error("InvalidArgument", "'Days' for Expiration action must be a positive integer");
  return n;
};

export function parseLifecycle(doc: XmlObject): LifecycleRule[] {
  const rules = asArray(doc.Rule as XmlObject | XmlObject[]);
  if (rules.length === 0 || rules.length > maxLifecycleRules)
    throw new S3Error("MalformedXML", "a lifecycle configuration needs at least one Rule");
  return rules.map((r, i) => {
    const status = asText(r.Status);
    if (status !== "Enabled" && status !== "Disabled")
      throw new S3Error("MalformedXML", "each Rule needs Status Enabled or Disabled");
    const filter = r.Filter as XmlObject | string | undefined;
    const prefix =
      asText(r.Prefix) ??
      (typeof filter === "object"
        ? (asText(filter.Prefix) ?? asText((filter.And as XmlObject | undefined)?.Prefix))
        : undefined) ??
      "";
    const rule: LifecycleRule = {
      id: asText(r.ID) ?? `rule-${i + 1}`,
      enabled: status === "Enabled",
      prefix,
    };
    const exp = days(r.Expiration);
    if (exp !== undefined) rule.expirationDays = exp;
    const nc = days(r.NoncurrentVersionExpiration);
    if (nc !== undefined) rule.noncurrentDays = nc;
    const ab = days(r.AbortIncompleteMultipartUpload);
    if (ab !== undefined) rule.abortIncompleteDays = ab;
    if (exp === undefined && nc === undefined && ab === undefined)
      throw new S3Error(
        "MalformedXML",
        "each Rule needs an action (Expiration, NoncurrentVersionExpiration or AbortIncompleteMultipartUpload)",
      );
    return rule;
  });
}

export function lifecycleToXml(rules: LifecycleRule[]): XmlObject {
  return {
    Rule: rules.map((r) => ({
      ID: r.id,
      Filter: { Prefix: r.prefix },
      Status: r.enabled ? "Enabled" : "Disabled",
      Expiration: r.expirationDays !== undefined ? { Days: r.expirationDays } : undefined,
      NoncurrentVersionExpiration:
        r.noncurrentDays !== undefined ? { NoncurrentDays: r.noncurrentDays } : undefined,
      AbortIncompleteMultipartUpload:
        r.abortIncompleteDays !== undefined ? { DaysAfterInitiation: r.abortIncompleteDays } : undefined,
    })),
  };
}

/** S3 expires objects at midnight UTC after `days` full days from creation. */
export function expiresAt(createdMs: number, days: number): number {
  return Math.ceil((createdMs + days * dayMs) / dayMs) * dayMs;
}

export function currentExpired(
  rules: LifecycleRule[] | undefined,
  key: string,
  lastModifiedMs: number,
  nowMs: number,
): boolean {
  return (rules ?? []).some(
    (r) =>
      r.enabled &&
      r.expirationDays !== undefined &&
      key.startsWith(r.prefix) &&
      nowMs >= expiresAt(lastModifiedMs, r.expirationDays),
  );
}

export function noncurrentExpired(
  rules: LifecycleRule[] | undefined,
  key: string,
  becameNoncurrentMs: number,
  nowMs: number,
): boolean {
  return (rules ?? []).some(
    (r) =>
      r.enabled &&
      r.noncurrentDays !== undefined &&
      key.startsWith(r.prefix) &&
      nowMs >= expiresAt(becameNoncurrentMs, r.noncurrentDays),
  );
}

export function uploadExpired(
  rules: LifecycleRule[] | undefined,
  key: string,
  initiatedMs: number,
  nowMs: number,
): boolean {
  return (rules ?? []).some(
    (r) =>
      r.enabled &&
      r.abortIncompleteDays !== undefined &&
      key.startsWith(r.prefix) &&
      nowMs >= expiresAt(initiatedMs, r.abortIncompleteDays),
  );
}
