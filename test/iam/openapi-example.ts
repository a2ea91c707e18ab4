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

export function exampleOf(s: Schema | undefined): unknown {
  if (!s) return {};
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.oneOf)) return exampleOf(s.oneOf[0] as Schema);
  if (Array.isArray(s.anyOf))
    return exampleOf((s.anyOf as Schema[]).find((x) => x.type !== "null") ?? (s.anyOf[0] as Schema));
  switch (s.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const k of (s.required ?? []) as string[]) out[k] = exampleOf(props[k]);
      // Resource bodies need metadata.name even where the schema marks only metadata required.
      if (props.metadata && !out.metadata) out.metadata = exampleOf(props.metadata);
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
        exampleOf(s.items as Schema),
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
  body: unknown;
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
          }),
        body: body ? exampleOf(body) : undefined,
      });
    }
  }
  return out;
}
