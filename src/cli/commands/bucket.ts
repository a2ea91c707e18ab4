// `photon bucket key create|list|delete`: S3 access keys of a project (until iam issues them).
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import type { AccessKeyView } from "../../lightningstor/api.ts";
import { LightningstorClient } from "../../lightningstor/client.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

export function lightningstorClient(env: CliEnv): LightningstorClient {
  const ctx = env.context();
  const baseUrl = ctx.endpoints.lightningstor ?? ctx.endpoints.apigateway;
  if (!baseUrl)
    throw new ApiError(
      "FailedPrecondition",
      `context "${ctx.name}" has no lightningstor endpoint; is lightningstor running? (\`photon up\` starts it)`,
    );
  return new LightningstorClient({ baseUrl, token: ctx.token, timeoutMs: 60_000 });
}

const columns: Array<[string, (k: never) => unknown]> = [
  ["ACCESS KEY", (k: AccessKeyView) => k.accessKeyId],
  ["PROJECT", (k: AccessKeyView) => k.project],
  ["CREATED", (k: AccessKeyView) => k.createdAt],
  ["DESCRIPTION", (k: AccessKeyView) => k.description ?? ""],
];

export function registerBucket(program: Command, env: CliEnv): void {
  const bucket = program.command("bucket").description("lightningstor object storage (S3 on port 9000)");
  const key = bucket.command("key").description("S3 access keys bound to a project");

  key
    .command("create <project>")
    .description("create an access key; the secret is printed once")
    .option("--description <text>", "what the key is for")
    .action(async (project: string, o: { description?: string }) => {
      const k = await lightningstorClient(env).createAccessKey(project, o.description);
      if (env.format() === "table") {
        const s3 = env.context().endpoints["lightningstor.s3"] ?? "http://127.0.0.1:9000";
        process.stdout.write(
          `AWS_ACCESS_KEY_ID=${k.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${k.secretAccessKey}\n# aws --endpoint-url ${s3} s3 ls   (the secret is not shown again)\n`,
        );
      } else print(env.format(), k);
    });

  key
    .command("list <project>")
    .description("list a project's access keys")
    .action(async (project: string) => {
      const r = await lightningstorClient(env).listAccessKeys(project);
      print(env.format(), env.format() === "table" ? r.items : r, columns);
    });

  key
    .command("delete <project> <accessKeyId>")
    .description("delete an access key")
    .action(async (project: string, id: string) => {
      await lightningstorClient(env).deleteAccessKey(project, id);
      process.stdout.write(`access key ${id} deleted\n`);
    });
}
