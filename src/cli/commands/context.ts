// `photon context …`: several clouds from one CLI, each a named context.
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import { findConfigPath, readCliConfig, writeCliConfig } from "../cli-config.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

export function registerContext(program: Command, env: CliEnv): void {
  const path = () => findConfigPath(program.opts<{ configFile?: string }>().configFile);
  const load = () => {
    const cfg = readCliConfig(path());
    if (!cfg)
      throw new ApiError(
        "FailedPrecondition",
        `no CLI configuration at ${path()}; run \`photon up\` or \`photon context add\``,
      );
    return cfg;
  };
  const ctx = program
    .command("context")
    .description("named contexts: which cloud, which project, which credentials");

  ctx
    .command("list")
    .description("list contexts")
    .action(() => {
      const cfg = load();
      const rows = Object.entries(cfg.contexts).map(([name, c]) => ({
        current: name === cfg.current ? "*" : "",
        name,
        endpoint: c.endpoints.apigateway ?? Object.values(c.endpoints)[0] ?? "",
        project: c.project ?? "",
      }));
      print(env.format(), rows, [
        ["CURRENT", (r: { current: string }) => r.current],
        ["NAME", (r: { name: string }) => r.name],
        ["ENDPOINT", (r: { endpoint: string }) => r.endpoint],
        ["PROJECT", (r: { project: string }) => r.project],
      ]);
    });

  ctx
    .command("use <name>")
    .description("make a context the current one")
    .action((name: string) => {
      const cfg = load();
      if (!cfg.contexts[name])
        throw new ApiError(
          "NotFound",
          `no context "${name}"; known: ${Object.keys(cfg.contexts).join(", ")}`,
        );
      writeCliConfig(path(), { ...cfg, current: name });
      process.stdout.write(`now using context ${name}\n`);
    });

  ctx
    .command("add <name> <gatewayUrl>")
    .description("add a context for a cloud reached through its gateway, then `photon login`")
    .action((name: string, url: string) => {
      if (!/^https?:\/\//.test(url)) throw new ApiError("InvalidArgument", `"${url}" is not an http(s) URL`);
      const cfg = readCliConfig(path()) ?? { current: name, contexts: {} };
      cfg.contexts[name] = { endpoints: { apigateway: url.replace(/\/+$/, "") } };
      writeCliConfig(path(), cfg);
      process.stdout.write(`context ${name} added; \`photon context use ${name}\` then \`photon login\`\n`);
    });

  ctx
    .command("set-project <project>")
    .description("set the default project of the current context")
    .action((project: string) => {
      const cfg = load();
      const cur = cfg.contexts[cfg.current]!;
      cfg.contexts[cfg.current] = { ...cur, project };
      writeCliConfig(path(), cfg);
      process.stdout.write(`context ${cfg.current} now defaults to project ${project}\n`);
    });
}
