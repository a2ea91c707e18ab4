// Builds a request that passes a route's own validation from its OpenAPI description, so the
// isolation matrix reaches the auth hook on every route without hand-written bodies.
type Schema = Record<string, unknown>;

const stringCandidates = [
  "a",
  "a.b.c",
  "user:a",
  "default",
  "k-0123456789abcdef",
  "secret",
  "http://a.example/metrics",
  "a.example.",
];

const formats: Record<string, string> = {
  uri: "http://a.example/metrics",
  url: "http://a.example/metrics",
  email: "a@a.example",
  uuid: "00000000-0000-4000-8000-000000000000",
  "date-time": "2026-01-01T00:00:00Z",
  ipv4: "10.0.0.1",
  ipv6: "fd00::1",
};

export function exampleString(s: Schema): string {
  if (typeof s.format === "string" && formats[s.format]) return formats[s.format]!;
  const pattern = typeof s.pattern === "string" ? new RegExp(s.pattern) : undefined;
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  for (const c of pattern ? stringCandidates : ["a.b.c"]) {
    const v = c.length >= min ? c : c + "x".repeat(min - c.length);
    if (!pattern || pattern.test(v)) return v;
  }
  return "a";
}

/**
 * An example value of the schema. With `full`, optional properties are filled in too: rules
 * OpenAPI cannot state (a VM boots from an image or a volume) may need one of them.
 */
export function exampleOf(s: Schema | undefined, full = false): unknown {
  if (!s) return {};
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.oneOf)) return exampleOf(s.oneOf[0] as Schema, full);
  if (Array.isArray(s.anyOf))
    return exampleOf((s.anyOf as Schema[]).find((x) => x.type !== "null") ?? (s.anyOf[0] as Schema), full);
  switch (s.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const keys = full ? Object.keys(props) : ((s.required ?? []) as string[]);
      for (const k of keys) out[k] = exampleOf(props[k], full);
      // Resource bodies need metadata.name even where the schema marks only metadata required.
      if (props.metadata && !out.metadata) out.metadata = exampleOf(props.metadata, full);
      // Maps keyed by an enum (e.g. quota amounts) usually need at least one entry.
      const names = (s.propertyNames as Schema | undefined)?.enum;
      if (Array.isArray(names) && names.length && Object.keys(out).length === 0) {
        out[String(names[0])] = exampleOf(
          (s.additionalProperties as Schema | undefined) ?? { type: "integer", minimum: 1 },
        );
      }
      return out;
    }
    case "array":
      return Array.from({ length: typeof s.minItems === "number" ? s.minItems : 0 }, () =>
        exampleOf(s.items as Schema, full),
      );
    case "string":
      return exampleString(s);
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? s.minimum : 1;
    case "boolean":
      return false;
    default:
      return {};
  }
}

export interface RouteCase {
  method: string;
  path: string;
  permission: string | "public";
  hasProject: boolean;
  /** Fills {project} with the given project and other parameters with valid examples. */
  url(base: string, project: string): string;
  /** A JSON body, or undefined for none (see `bodyVariants`). */
  body: unknown;
  /** Candidate bodies, simplest first; the matrix keeps the first one that passes validation. */
  bodyVariants: unknown[];
  /** Extra headers naming the project, for APIs that take it from a header (Prometheus). */
  headers?: (project: string) => Record<string, string>;
  /** A non-JSON body (e.g. remote_write's protobuf). */
  rawBody?: { contentType: string; data: Uint8Array };
}

export async function routeCases(baseUrl: string): Promise<RouteCase[]> {
  const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, Schema>>;
  };
  const out: RouteCase[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as Array<{
        name: string;
        in: string;
        schema: Schema;
        required?: boolean;
      }>;
      const body = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)
        ?.content?.["application/json"]?.schema;
      // Required query parameters too: a request missing them never reaches authorization.
      const query = params
        .filter((x) => x.in === "query" && x.required)
        .map((x) => `${encodeURIComponent(x.name)}=${encodeURIComponent(String(exampleOf(x.schema)))}`)
        .join("&");
      const bodyVariants = body ? [exampleOf(body)] : [undefined];
      if (body && JSON.stringify(exampleOf(body, true)) !== JSON.stringify(bodyVariants[0]))
        bodyVariants.push(exampleOf(body, true));
      out.push({
        method: method.toUpperCase(),
        path,
        permission: Array.isArray(op.security) ? "public" : (op["x-permission"] as string),
        hasProject: path.includes("{project}"),
        url: (base, project) =>
          base +
          path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
            if (name === "project") return project;
            const p = params.find((x) => x.name === name && x.in === "path");
            return encodeURIComponent(exampleString(p?.schema ?? {}));
          }) +
          (query ? `?${query}` : ""),
        body: bodyVariants[0],
        bodyVariants,
      });
    }
  }
  return out;
}
