// XML in and out of the S3 API, through fast-xml-parser: responses are plain objects turned
// into S3's documents (namespace, declaration); request bodies are validated and parsed,
// and anything not well-formed is MalformedXML.
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { malformedXml } from "./s3-error.ts";

export const s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
/** Largest XML request body read (multi-object delete of 1000 keys fits comfortably). */
export const maxXmlBodyBytes = 2 * 1024 * 1024;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: false,
  format: false,
});

/** Elements that may repeat in the request bodies we read; always parsed as arrays. */
const repeated = new Set([
  "Object",
  "Part",
  "CORSRule",
  "Rule",
  "AllowedOrigin",
  "AllowedMethod",
  "AllowedHeader",
  "ExposeHeader",
  "Tag",
]);
const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) => repeated.has(name),
  trimValues: true,
});

export type XmlValue = string | number | boolean | XmlObject | XmlValue[] | undefined;
export interface XmlObject {
  [k: string]: XmlValue;
}

/** A whole S3 response document: `<?xml …?><root xmlns="…">…</root>`. */
export function xmlDocument(root: string, body: XmlObject, namespace = true): string {
  const clean = dropUndefined(body) as XmlObject;
  return builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    [root]: namespace ? { "@_xmlns": s3Namespace, ...clean } : clean,
  }) as string;
}

function dropUndefined(v: XmlValue): XmlValue {
  if (Array.isArray(v)) return v.map(dropUndefined);
  if (v && typeof v === "object") {
    const out: XmlObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = dropUndefined(x);
    return out;
  }
  return v;
}

/** Parses a request body; returns the element named `root` or throws MalformedXML. */
export function parseXmlBody(text: string, root: string): XmlObject {
  if (text.trim() === "" || XMLValidator.validate(text) !== true) throw malformedXml();
  const doc = parser.parse(text) as XmlObject;
  const el = doc[root];
  if (el === undefined) throw malformedXml();
  return el === "" ? {} : (el as XmlObject);
}

export const asArray = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
export const asText = (v: XmlValue): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
export const isoDate = (ms: number) => new Date(ms).toISOString();
