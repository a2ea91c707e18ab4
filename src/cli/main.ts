// The `photon` command: serving roles (`photon <role>`), `photon up`, and the operator CLI.
import { Command, Option } from "commander";
import { addConfigOptions } from "../core/config.ts";
import { ApiError } from "../core/errors.ts";
import { Lifecycle } from "../core/lifecycle.ts";
import { createLogger } from "../core/log.ts";
import { cliEnv } from "./cli-env.ts";
import { registerApi } from "./commands/api.ts";
import { registerChainfire } from "./commands/chainfire.ts";
import { registerCompletion } from "./commands/completion.ts";
import { registerContext } from "./commands/context.ts";
import { registerDns } from "./commands/dns.ts";
import { registerFlaredb } from "./commands/flaredb.ts";
import { registerIam } from "./commands/iam.ts";
import { registerImage } from "./commands/image.ts";
import { registerMetrics } from "./commands/metrics.ts";
import { registerQuota } from "./commands/quota.ts";
import { registerResources } from "./commands/resources.ts";
import { registerVm } from "./commands/vm.ts";
import { registerVolume } from "./commands/volume.ts";
import { roleNames } from "./role-names.ts";
import { roleConfig, startRole } from "./run-role.ts";
import { up, upOptions } from "./up.ts";

export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command("photon")
    .description("PhotonCloud: a self-hostable cloud in one binary")
    .addOption(
      new Option("-o, --output <format>", "output format")
        .choices(["table", "json", "yaml"])
        .default("table"),
    )
    .option("--context <name>", "CLI context to use (default: the current one)")
    .option(
      "--config-file <path>",
      "CLI configuration file (default: ./.photon/cli.json, then ~/.config/photon/config.json)",
    )
    .showHelpAfterError();

  addConfigOptions(
    program.command("up").description("start every component in one process (data in ./.photon)"),
    upOptions,
    "up",
  ).action(async (flags: Record<string, unknown>) => up(flags, flags.config as string | undefined));

  // Component code is loaded only when a role runs; other commands start fast without it.
  const roleToRun = roleNames.includes(argv[2] ?? "") ? argv[2] : undefined;
  const roles = roleToRun ? (await import("./roles.ts")).roles.filter((r) => r.name === roleToRun) : [];
  for (const name of roleNames.filter((n) => n !== roleToRun)) {
    program.command(name).description(`run ${name} (photon ${name} --help lists its options)`);
  }
  for (const role of roles) {
    const cmd = program.command(role.name).description(`run ${role.name}: ${role.description}`);
    addConfigOptions(cmd, role.options, role.name).action(async (flags: Record<string, unknown>) => {
      const config = roleConfig(role, flags, flags.config as string | undefined);
      const log = createLogger({ level: config.logLevel as string, name: role.name });
      const lifecycle = new Lifecycle(log, config.shutdownGraceMs as number);
      lifecycle.handleSignals();
      const running = await startRole(role, config, {
        log,
        lifecycle,
        dataDir: config.dataDir as string,
        endpoints: {},
        storeBackend: "lmdb",
      });
      lifecycle.own(role.name, running);
      process.stdout.write(`${role.name} serving ${JSON.stringify(running.endpoints)}\n`);
    });
  }

  const env = cliEnv(program);
  registerQuota(program, env);
  registerChainfire(program, env);
  registerDns(program, env);
  registerFlaredb(program, env);
  registerImage(program, env);
  registerIam(program, env);
  registerResources(program, env);
  registerApi(program, env);
  registerVolume(program, env);
  registerVm(program, env);
  registerContext(program, env);
  registerMetrics(program, env);
  registerCompletion(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (err) {
    if (err instanceof ApiError) {
      process.stderr.write(`error: ${err.code}: ${err.message}\n`);
      process.exitCode =
        err.code === "Unavailable"
          ? 69
          : err.code === "Unauthenticated" || err.code === "PermissionDenied"
            ? 77
            : 1;
      return;
    }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
