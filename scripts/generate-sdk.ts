// Regenerates the typed SDK (src/sdk/) from the cloud's aggregated OpenAPI document: starts
// `photon up` on free ports with an in-memory store, reads the gateway's /openapi.json, and
// writes it with the TypeScript types openapi-typescript derives from it.
//   npm run generate:sdk            (test/sdk/sdk.test.ts fails when the SDK is out of date)
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { spawnPhoton } from "../test/support/spawn-photon.ts";
import { tempDir } from "../test/support/temp-dir.ts";

const root = join(import.meta.dirname, "..");
export const sdkDir = join(root, "src", "sdk");

/** Keys sorted at every level, so the same API always gives the same bytes. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, canonical(x)]),
    );
  }
  return v;
}

export async function fetchCloudOpenApi(): Promise<Record<string, unknown>> {
  const dir = tempDir("photon-sdk-");
  const up = spawnPhoton(
    [
      "up",
      "--ephemeral-ports",
      "--store",
      "memory",
      "--data-dir",
      join(dir.path, "data"),
      "--log-level",
      "warn",
    ],
    { cwd: dir.path },
  );
  try {
    await up.waitFor(/Ctrl-C stops it/, 120_000);
    const file = join(dir.path, "data", "endpoints.json");
    if (!existsSync(file)) throw new Error("photon up wrote no endpoints.json");
    const endpoints = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    const res = await fetch(`${endpoints.apigateway}/openapi.json`);
    return canonical(await res.json()) as Record<string, unknown>;
  } finally {
    await up.kill("SIGTERM");
    dir.remove();
  }
}

export async function renderSdk(doc: Record<string, unknown>): Promise<{ openapi: string; schema: string }> {
  const header =
    "// Generated from the aggregated OpenAPI document by `npm run generate:sdk`. Do not edit.\n";
  const ast = await openapiTS(doc as never);
  return { openapi: `${JSON.stringify(doc, null, 2)}\n`, schema: header + astToString(ast) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await renderSdk(await fetchCloudOpenApi());
  writeFileSync(join(sdkDir, "openapi.json"), out.openapi);
  writeFileSync(join(sdkDir, "schema.ts"), out.schema);
  console.log(`wrote ${join("src", "sdk", "openapi.json")} and ${join("src", "sdk", "schema.ts")}`);
}
