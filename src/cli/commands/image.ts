// `photon image import|list|get|delete`: VM images in lightningstor's registry.
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import { imageFormats, imageVisibilities } from "../../lightningstor/api.ts";
import type { Image } from "../../lightningstor/client.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";
import { lightningstorClient, registerBucket } from "./bucket.ts";

const columns: Array<[string, (i: never) => unknown]> = [
  ["NAME", (i: Image) => i.metadata.name],
  ["FORMAT", (i: Image) => i.spec.format],
  ["VISIBILITY", (i: Image) => i.spec.visibility],
  ["PHASE", (i: Image) => i.status.phase],
  ["SIZE", (i: Image) => i.status.sizeBytes ?? ""],
  ["SHA256", (i: Image) => i.status.sha256?.slice(0, 16) ?? ""],
];

function projectOf(env: CliEnv, given: string | undefined): string {
  const p = given ?? env.context().project;
  if (!p)
    throw new ApiError(
      "InvalidArgument",
      "which project? pass --project <name> (or set one in the CLI context)",
    );
  return p;
}

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
        const img = await c.uploadImage(project, name, file);
        print(env.format(), img, columns);
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
