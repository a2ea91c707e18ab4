// Generic verbs for every resource of every component, as kubectl has them: list, get,
// create, apply, delete and --watch, driven by the cloud's own OpenAPI description.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { parseAllDocuments } from "yaml";
import { ApiError } from "../../core/errors.ts";
import type { AnyResource } from "../../core/resource/model.ts";
import { collectionPath, findCollection, loadCatalog } from "../api-catalog.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

type Row = AnyResource & {
  status?: { conditions?: Array<{ type: string; status: string; reason: string }> };
};

const columns: Array<[string, (r: Row) => unknown]> = [
  ["NAME", (r) => r.metadata.name],
  ["PROJECT", (r) => r.metadata.project ?? ""],
  ["REVISION", (r) => r.metadata.revision],
  ["AGE", (r) => age(r.metadata.createdAt)],
  ["STATUS", (r) => summary(r)],
];

function age(iso: string): string {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

function summary(r: Row): string {
  if (r.metadata.deletionTimestamp) return "Deleting";
  const conds = r.status?.conditions ?? [];
  const bad = conds.find((c) => c.status !== "True");
  if (bad) return `${bad.type}=${bad.status} (${bad.reason})`;
  return conds.length ? "Ok" : "";
}

function readManifests(file: string): Array<Record<string, unknown>> {
  const text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
  const docs = parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((d) => d !== null);
  for (const d of docs) {
    if (
      typeof d !== "object" ||
      Array.isArray(d) ||
      !(d as { metadata?: { name?: string } }).metadata?.name
    ) {
      throw new ApiError("InvalidArgument", `${file}: every document needs metadata.name`);
    }
  }
  return docs as Array<Record<string, unknown>>;
}

export function registerResources(program: Command, env: CliEnv): void {
  const project = (o: { project?: string }) => o.project ?? env.context().project;

  program
    .command("api-resources")
    .description("list every resource type the cloud serves")
    .action(async () => {
      const catalog = await loadCatalog(env);
      print(
        env.format(),
        catalog.map(({ client: _, ...c }) => c),
        [
          ["NAME", (c: { plural: string }) => c.plural],
          ["COMPONENT", (c: { component: string }) => c.component],
          ["SCOPE", (c: { scope: string }) => c.scope],
          ["PATH", (c: { path: string }) => c.path],
        ],
      );
    });

  program
    .command("get <type> [name]")
    .description("list resources of a type, or show one (e.g. `photon get quotas -p demo`)")
    .option("-p, --project <project>", "project (default: the context's)")
    .option("-l, --selector <labels>", "label selector, e.g. tier=web,env!=dev")
    .option("--limit <n>", "page size", (v) => Number(v))
    .option("-w, --watch", "after listing, stream changes until Ctrl-C")
    .action(
      async (
        type: string,
        name: string | undefined,
        o: { project?: string; selector?: string; limit?: number; watch?: boolean },
      ) => {
        const c = await findCollection(env, type);
        const base = collectionPath(c, project(o));
        if (name) {
          const one = await c.client.get<Row>(`${base}/${encodeURIComponent(name)}`);
          print(env.format(), env.format() === "table" ? [one] : one, columns);
          return;
        }
        const items: Row[] = [];
        let cont: string | undefined;
        let revision = 0;
        do {
          const page = await c.client.get<{ items: Row[]; continue?: string; revision: number }>(base, {
            query: { limit: o.limit ?? 500, continue: cont, labelSelector: o.selector },
          });
          items.push(...page.items);
          cont = page.continue;
          revision ||= page.revision;
        } while (cont && !o.limit);
        print(env.format(), env.format() === "table" ? items : { items, revision }, columns);
        if (o.watch) await watch(c.client, base, revision);
      },
    );

  program
    .command("create <type>")
    .description("create resources from a YAML or JSON file (-f - reads standard input)")
    .requiredOption("-f, --file <file>", "manifest file")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (type: string, o: { file: string; project?: string }) => {
      const c = await findCollection(env, type);
      for (const doc of readManifests(o.file)) {
        const made = await c.client.post<Row>(collectionPath(c, project(o)), { ...doc, status: undefined });
        process.stdout.write(
          `${c.plural}/${made.metadata.name} created (revision ${made.metadata.revision})\n`,
        );
      }
    });

  program
    .command("apply <type>")
    .description("create or update resources from a file, so the cloud matches it")
    .requiredOption("-f, --file <file>", "manifest file")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (type: string, o: { file: string; project?: string }) => {
      const c = await findCollection(env, type);
      const base = collectionPath(c, project(o));
      for (const doc of readManifests(o.file)) {
        const name = (doc.metadata as { name: string }).name;
        const current = await c.client
          .get<Row>(`${base}/${encodeURIComponent(name)}`)
          .catch((e: ApiError) => {
            if (e.code === "NotFound") return undefined;
            throw e;
          });
        const body = { ...doc, status: undefined };
        if (!current) {
          const made = await c.client.post<Row>(base, body);
          process.stdout.write(`${c.plural}/${name} created (revision ${made.metadata.revision})\n`);
        } else {
          const meta = { ...(doc.metadata as object), revision: current.metadata.revision };
          const updated = await c.client.put<Row>(`${base}/${encodeURIComponent(name)}`, {
            ...body,
            metadata: meta,
          });
          process.stdout.write(`${c.plural}/${name} configured (revision ${updated.metadata.revision})\n`);
        }
      }
    });

  program
    .command("delete <type> <names...>")
    .description("delete resources by name")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (type: string, names: string[], o: { project?: string }) => {
      const c = await findCollection(env, type);
      const base = collectionPath(c, project(o));
      for (const n of names) {
        const gone = await c.client.delete<Row>(`${base}/${encodeURIComponent(n)}`);
        process.stdout.write(
          `${c.plural}/${n} ${gone.metadata.deletionTimestamp ? "marked for deletion" : "deleted"}\n`,
        );
      }
    });

  async function watch(
    client: import("../../core/http-client.ts").HttpClient,
    base: string,
    revision: number,
  ): Promise<void> {
    const res = await client.stream(base, { query: { watch: 1, revision } });
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf("\n");
        if (!line.trim()) continue;
        const e = JSON.parse(line) as {
          type: string;
          revision?: number;
          object?: Row;
          error?: { message: string };
        };
        if (e.type === "BOOKMARK") continue;
        if (e.type === "ERROR") throw new ApiError("Unavailable", `watch ended: ${e.error?.message}`);
        if (env.format() === "table")
          process.stdout.write(
            `${e.type.padEnd(9)} ${e.object!.metadata.name.padEnd(30)} revision ${e.revision}  ${summary(e.object!)}\n`,
          );
        else process.stdout.write(`${JSON.stringify(e)}\n`);
      }
    }
  }
}
