// `photon image import|list|get|download|delete`: VM images in lightningstor's registry,
// with progress bars for the transfers.
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import { imageFormats, imageVisibilities } from "../../lightningstor/api.ts";
import type { Image } from "../../lightningstor/client.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";
import { ProgressBar } from "../progress.ts";
import { projectOf } from "../project-option.ts";
import { lightningstorClient, registerBucket } from "./bucket.ts";

const columns: Array<[string, (i: never) => unknown]> = [
  ["NAME", (i: Image) => i.metadata.name],
  ["FORMAT", (i: Image) => i.spec.format],
  ["VISIBILITY", (i: Image) => i.spec.visibility],
  ["PHASE", (i: Image) => i.status.phase],
  ["SIZE", (i: Image) => i.status.sizeBytes ?? ""],
  ["SHA256", (i: Image) => i.status.sha256?.slice(0, 16) ?? ""],
];

/** `photon image …` and, beside it, `photon bucket …` (both talk to lightningstor). */
export function registerImage(program: Command, env: CliEnv): void {
  registerBucket(program, env);
  const image = program.command("image").description("VM images (raw or qcow2) stored in lightningstor");

  image
    .command("import <name> <file>")
    .description("create an image and stream a local file into it")
    .option("-p, --project <project>", "project (default: the context's)")
    .option(
      "-f, --format <format>",
      `image format: ${imageFormats.join(" | ")} (default: detected from the file)`,
    )
    .option("--visibility <visibility>", `${imageVisibilities.join(" | ")}`, "private")
    .option("--description <text>", "free text")
    .action(
      async (
        name: string,
        file: string,
        o: { project?: string; format?: string; visibility: string; description?: string },
      ) => {
        const project = projectOf(env, o.project);
        const format = o.format ?? (await detectFormat(file));
        if (!(imageFormats as readonly string[]).includes(format))
          throw new ApiError("InvalidArgument", `--format must be one of ${imageFormats.join(", ")}`);
        if (!(imageVisibilities as readonly string[]).includes(o.visibility))
          throw new ApiError(
            "InvalidArgument",
            `--visibility must be one of ${imageVisibilities.join(", ")}`,
          );
        const c = lightningstorClient(env);
        await c.createImage(project, name, {
          format: format as (typeof imageFormats)[number],
          visibility: o.visibility as (typeof imageVisibilities)[number],
          ...(o.description ? { description: o.description } : {}),
        });
        const size = (await stat(file)).size;
        const bar = ProgressBar.forCli(`importing ${name}`, size, env.format());
        const counted = createReadStream(file).on("data", (chunk) => bar.add(chunk.length));
        try {
          const img = await c.uploadImage(project, name, counted);
          bar.finish();
          print(env.format(), img, columns);
        } catch (err) {
          bar.finish(false);
          throw err;
        }
      },
    );

  image
    .command("list")
    .description("list a project's images")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (o: { project?: string }) => {
      const r = await lightningstorClient(env).listImages(projectOf(env, o.project));
      print(env.format(), env.format() === "table" ? r.items : r, columns);
    });

  image
    .command("get <name>")
    .description("show one image")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, o: { project?: string }) => {
      print(env.format(), await lightningstorClient(env).getImage(projectOf(env, o.project), name), columns);
    });

  image
    .command("download <name> <file>")
    .description("save an image's bytes to a local file (- for stdout)")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, file: string, o: { project?: string }) => {
      const project = projectOf(env, o.project);
      const ctx = env.context();
      const base = (ctx.endpoints.apigateway ?? ctx.endpoints.lightningstor ?? "").replace(/\/+$/, "");
      const res = await fetch(
        `${base}/v1/projects/${encodeURIComponent(project)}/images/${encodeURIComponent(name)}/data`,
        { headers: ctx.token ? { authorization: `Bearer ${ctx.token}` } : {} },
      );
      if (!res.ok || !res.body) {
        const text = await res.text();
        let e: { code?: string; message?: string } | undefined;
        try {
          e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
        } catch {
          // not our error body
        }
        throw new ApiError(
          (e?.code as "NotFound") ?? "Unavailable",
          e?.message ?? `${res.status}: ${text.slice(0, 300)}`,
        );
      }
      const total = Number(res.headers.get("content-length") ?? Number.NaN);
      const bar = ProgressBar.forCli(
        `downloading ${name}`,
        Number.isFinite(total) ? total : undefined,
        file === "-" ? "json" : env.format(),
      );
      const source = Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>).on(
        "data",
        (chunk: Buffer) => bar.add(chunk.length),
      );
      try {
        await pipeline(source, file === "-" ? process.stdout : createWriteStream(file));
        bar.finish();
      } catch (err) {
        bar.finish(false);
        throw err;
      }
      if (file !== "-") process.stdout.write(`image ${name} saved to ${file}\n`);
    });

  image
    .command("delete <name>")
    .description("delete an image and its bytes")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, o: { project?: string }) => {
      await lightningstorClient(env).deleteImage(projectOf(env, o.project), name);
      process.stdout.write(`image ${name} deleted\n`);
    });
}

/** qcow2 files start with "QFI\xfb"; anything else is taken as raw. */
async function detectFormat(file: string): Promise<string> {
  const { open } = await import("node:fs/promises");
  const fh = await open(file, "r");
  try {
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, 0);
    return b.equals(Buffer.from([0x51, 0x46, 0x49, 0xfb])) ? "qcow2" : "raw";
  } finally {
    await fh.close();
  }
}
