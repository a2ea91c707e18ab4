// Runs one flaredb role (`flaredb` or `flaredb-pd`) as its own process with only flaredb's code
// loaded: the same role, options and config parsing as `photon <role>`, a faster start (the
// photon binary loads every component), which keeps the real-process tests inside their bound.
import { Command } from "commander";
import { addConfigOptions, loadConfig } from "../../src/core/config.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { createLogger } from "../../src/core/log.ts";
import { flaredbPdRole, flaredbRole } from "../../src/flaredb/server.ts";

const role = process.argv[2] === "flaredb-pd" ? flaredbPdRole : flaredbRole;
// biome-ignore lint/suspicious/noExplicitAny: the two roles differ in their option types.
const cmd = addConfigOptions(new Command(role.name), role.options as any, role.name);
cmd.parse(process.argv.slice(3), { from: "user" });
const config = loadConfig(role.options, role.name, { flags: cmd.opts(), env: process.env });
const log = createLogger({ level: config.logLevel as string, name: role.name });
const lifecycle = new Lifecycle(log, 1_000);
lifecycle.handleSignals();
const deny = async () => ({ allowed: false, reason: "no callers in this test" });
const running = await role.start(config as never, {
  log,
  lifecycle,
  auth: { authenticate: async () => undefined, authorize: deny },
  serviceToken: async () => undefined,
  openStore: async () => {
    throw new Error("flaredb keeps no resources");
  },
  endpoints: {},
});
lifecycle.own(role.name, running);
process.stdout.write(`${role.name} serving ${JSON.stringify(running.endpoints)}\n`);
