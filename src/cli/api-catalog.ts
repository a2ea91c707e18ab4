// What collections the cloud serves, read from the OpenAPI documents of the gateway (or of
// each component when no gateway runs), so generic commands work for every component.
import { ApiError } from "../core/errors.ts";
import type { HttpClient } from "../core/http-client.ts";
import type { CliEnv } from "./cli-env.ts";

export interface Collection {
  plural: string;
  scope: "project" | "cluster";
  /** e.g. /v1/projects/{project}/quotas */
  path: string;
  component: string;
  client: HttpClient;
}

interface Doc {
  paths?: Record<string, Record<string, { "x-component"?: string; tags?: string[] }>>;
}

const projectCollection = /^\/v1\/projects\/\{project\}\/([a-z0-9-]+)$/;
const clusterCollection = /^\/v1\/([a-z0-9-]+)$/;

export async function loadCatalog(env: CliEnv): Promise<Collection[]> {
  const ctx = env.context();
  const sources = ctx.endpoints.apigateway
    ? ["apigateway"]
    : Object.keys(ctx.endpoints).filter((k) => !k.includes("."));
  const out: Collection[] = [];
  for (const source of sources) {
    const client = env.client(source);
    const doc = await client.get<Doc>("/openapi.json");
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      const m = projectCollection.exec(path) ?? clusterCollection.exec(path);
      if (!m || !ops.get || !ops.post || m[1] === "projects") continue;
      const component = ops.get["x-component"] ?? ops.get.tags?.[0] ?? source;
      out.push({
        plural: m[1]!,
        scope: path.includes("{project}") ? "project" : "cluster",
        path,
        component,
        client,
      });
    }
  }
  return out.sort((a, b) => a.plural.localeCompare(b.plural));
}

export async function findCollection(env: CliEnv, plural: string): Promise<Collection> {
  const catalog = await loadCatalog(env);
  const hit = catalog.find((c) => c.plural === plural) ?? catalog.find((c) => c.plural === `${plural}s`);
  if (!hit) {
    throw new ApiError(
      "NotFound",
      `no resource type "${plural}"; \`photon api-resources\` lists them: ${catalog.map((c) => c.plural).join(", ")}`,
    );
  }
  return hit;
}

export function collectionPath(c: Collection, project: string | undefined): string {
  if (c.scope === "cluster") return c.path;
  if (!project)
    throw new ApiError(
      "InvalidArgument",
      `${c.plural} belong to a project: pass -p <project> or set one with \`photon context set-project\``,
    );
  return c.path.replace("{project}", encodeURIComponent(project));
}
