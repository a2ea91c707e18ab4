// `photon up`: every role in one process with embedded defaults, data under ./.photon.
// Writes the endpoints and a ready CLI configuration into the data dir and says so.
import { rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { z } from "zod";
import { commonOptions, loadConfig, option } from "../core/config.ts";
import { Lifecycle } from "../core/lifecycle.ts";
import { createLogger, fileAndConsoleWarnings } from "../core/log.ts";
import { adminFileStamp, adminSession } from "../iam/admin-session.ts";
import { writeCliConfig } from "./cli-config.ts";
import { adminTokenFile, ensureAdminToken } from "./local-admin.ts";
import { roleNames } from "./role-names.ts";
import { roleConfig, startRole } from "./run-role.ts";

export const upOptions = {
  ...commonOptions,
  roles: option(z.array(z.string()), roleNames, "roles to start (comma-separated)"),
  ephemeralPorts: option(
    z.boolean(),
    false,
    "bind every role to a free port instead of its default (for tests)",
  ),
  store: option(z.enum(["lmdb", "memory"]), "lmdb", "resource store backend"),
  logFile: option(
    z.string(),
    "",
    "where the full log goes ('' = <data-dir>/photon.log, '-' = stderr); stderr always gets warnings and errors",
  ),
};

export async function up(flags: Record<string, unknown>, configFile?: string): Promise<void> {
  const { roles } = await import("./roles.ts");
  const cfg = loadConfig(upOptions, "up", {
    flags,
    env: process.env,
    ...(configFile ? { file: configFile } : {}),
  });
  const dataDir = resolve(cfg.dataDir);
  const logFile = cfg.logFile === "-" ? undefined : resolve(cfg.logFile || join(dataDir, "photon.log"));
  const log = createLogger({
    level: cfg.logLevel,
    name: "photon-up",
    ...(logFile ? { destination: fileAndConsoleWarnings(logFile) } : {}),
  });
  const lifecycle = new Lifecycle(log, cfg.shutdownGraceMs);
  lifecycle.handleSignals();
  // With iam, the bootstrap admin's iam tokens replace the static local admin token.
  const iamRuns = cfg.roles.includes("iam") && roles.some((r) => r.name === "iam");
  const admin = iamRuns ? undefined : ensureAdminToken(dataDir);
  const stamp = iamRuns ? adminFileStamp(dataDir) : 0;
  const endpoints: Record<string, string> = {};
  const unknown = cfg.roles.filter((n) => !roles.some((r) => r.name === n));
  if (unknown.length)
    throw new Error(`unknown role(s) ${unknown.join(", ")}; known: ${roles.map((r) => r.name).join(", ")}`);

  for (const role of roles.filter((r) => cfg.roles.includes(r.name))) {
    const roleFlags: Record<string, unknown> = { dataDir, listen: cfg.listen, logLevel: cfg.logLevel };
    if (cfg.ephemeralPorts) for (const k of Object.keys(role.options)) if (/port$/i.test(k)) roleFlags[k] = 0;
    const config = roleConfig(role, roleFlags, configFile);
    const running = await startRole(role, config, {
      log,
      lifecycle,
      dataDir,
      endpoints,
      storeBackend: cfg.store,
    });
    lifecycle.own(role.name, running);
    for (const [k, v] of Object.entries(running.endpoints))
      endpoints[k === "api" ? role.name : `${role.name}.${k}`] = v;
  }

  const cliPath = join(dataDir, "cli.json");
  const session = iamRuns && endpoints.iam ? await adminSession(dataDir, endpoints.iam, stamp) : undefined;
  if (session) {
    // admin-token holds a short-lived access token for curl; the CLI context refreshes its own.
    rmSync(adminTokenFile(dataDir), { force: true });
    if (session.accessToken)
      writeFileSync(adminTokenFile(dataDir), `${session.accessToken}\n`, { mode: 0o600, flag: "wx" });
  }
  const tokens = session?.accessToken
    ? { token: session.accessToken, ...(session.refreshToken ? { refreshToken: session.refreshToken } : {}) }
    : {};
  writeCliConfig(cliPath, {
    current: "local",
    contexts: { local: session ? { endpoints, ...tokens } : { endpoints, tokenFile: "admin-token" } },
  });
  writeFileSync(join(dataDir, "endpoints.json"), `${JSON.stringify(endpoints, null, 2)}\n`);
  const shown = relative(process.cwd(), dataDir) || ".";
  const lines = [
    "",
    "PhotonCloud is up.",
    ...Object.entries(endpoints).map(([k, v]) => `  ${k.padEnd(22)} ${v}`),
    "",
    `  data          ${shown}`,
    ...(logFile
      ? [`  log           ${relative(process.cwd(), logFile)}  — warnings and errors also show here`]
      : []),
    ...(admin
      ? [
          `  admin token   ${relative(process.cwd(), admin.path)}${admin.created ? " (new)" : ""}  — send as 'Authorization: Bearer <token>'`,
        ]
      : []),
    ...(session
      ? [
          session.newPassword
            ? `  admin login   ${session.username} / ${session.newPassword}  (shown this once; kept in ${relative(process.cwd(), session.passwordFile)}, mode 0600)`
            : `  admin login   ${session.username}, password in ${relative(process.cwd(), session.passwordFile)}`,
          session.accessToken
            ? `  admin token   ${relative(process.cwd(), adminTokenFile(dataDir))}  — an access token for ${Math.round((session.expiresIn ?? 0) / 60)} min; 'photon login' for more`
            : `  admin token   none: ${session.problem}`,
        ]
      : []),
    `  CLI config    ${relative(process.cwd(), cliPath)}  — photon commands run from here find it`,
    "",
    `  try:  curl ${endpoints.apigateway ?? Object.entries(endpoints).find(([k]) => !k.includes("."))?.[1] ?? ""}/healthz`,
    "        node bin/photon.js quota get demo",
    "",
    "Ctrl-C stops it; a restart keeps all data.",
    "",
  ];
  process.stdout.write(lines.join("\n"));
}
