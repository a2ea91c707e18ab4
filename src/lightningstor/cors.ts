// Bucket CORS configuration: parsed from S3's XML, matched against a request's Origin,
// method and requested headers (pure).
import { S3Error } from "./s3-error.ts";
import { asArray, asText, type XmlObject } from "./s3-xml.ts";

export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export const maxCorsRules = 100;
const methods = new Set(["GET", "PUT", "HEAD", "POST", "DELETE"]);

export function parseCors(doc: XmlObject): CorsRule[] {
  const rules = asArray(doc.CORSRule as XmlObject | XmlObject[]);
  if (rules.length === 0 || rules.length > maxCorsRules)
    throw new S3Error("MalformedXML", `a CORS configuration needs 1 to ${maxCorsRules} CORSRule elements`);
  return rules.map((r) => {
    const strs = (v: unknown) => asArray(v as string | string[]).map((x) => asText(x) ?? "");
    const rule: CorsRule = {
      allowedOrigins: strs(r.AllowedOrigin),
      allowedMethods: strs(r.AllowedMethod),
      allowedHeaders: strs(r.AllowedHeader),
      exposeHeaders: strs(r.ExposeHeader),
    };
    const id = asText(r.ID);
    if (id) rule.id = id;
    const maxAge = asText(r.MaxAgeSeconds);
    if (maxAge !== undefined) rule.maxAgeSeconds = Number(maxAge);
    if (rule.allowedOrigins.length === 0 || rule.allowedMethods.length === 0)
      throw new S3Error("MalformedXML", "each CORSRule needs AllowedOrigin and AllowedMethod");
    for (const m of rule.allowedMethods)
      if (!methods.has(m))
        throw new S3Error(
          "InvalidRequest",
          `Found unsupported HTTP method in CORS config. Unsupported method is ${m}`,
        );
    return rule;
  });
}

export function corsToXml(rules: CorsRule[]): XmlObject {
  return {
    CORSRule: rules.map((r) => ({
      ID: r.id,
      AllowedHeader: r.allowedHeaders,
      AllowedMethod: r.allowedMethods,
      AllowedOrigin: r.allowedOrigins,
      ExposeHeader: r.exposeHeaders,
      MaxAgeSeconds: r.maxAgeSeconds,
    })),
  };
}

const wildcard = (pattern: string, value: string) => {
  const i = pattern.indexOf("*");
  if (i < 0) return pattern.toLowerCase() === value.toLowerCase();
  return (
    value.toLowerCase().startsWith(pattern.slice(0, i).toLowerCase()) &&
    value.toLowerCase().endsWith(pattern.slice(i + 1).toLowerCase())
  );
};

/** The first rule that allows this origin, method and set of request headers. */
export function matchCors(
  rules: CorsRule[] | undefined,
  origin: string,
  method: string,
  requestHeaders: string[] = [],
): CorsRule | undefined {
  return rules?.find(
    (r) =>
      r.allowedOrigins.some((o) => wildcard(o, origin)) &&
      r.allowedMethods.includes(method) &&
      requestHeaders.every((h) => r.allowedHeaders.some((a) => wildcard(a, h))),
  );
}
