// Where the CLI finds the cloud: named contexts (endpoints and a token file or token), in a
// JSON file that `photon up` writes and `photon login` will update.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ApiError } from "../core/errors.ts";

const contextSchema = z.object({
  endpoints: z.record(z.string(), z.string()),
  token: z.string().optional(),
  /** iam refresh token from `photon login`; the CLI renews `token` with it before it expires. */
  refreshToken: z.string().optional(),
  tokenFile: z.string().optional(),
  project: z.string().optional(),
});
export type CliContext = z.infer<typeof contextSchema>;

const fileSchema = z.object({ current: z.string(), contexts: z.record(z.string(), contextSchema) });
export type CliConfigFile = z.infer<typeof fileSchema>;

/** The first of: --config-file / PHOTON_CONFIG, ./.photon/cli.json, ~/.config/photon/config.json. */
export function findConfigPath(explicit?: string): string {
  if (explicit) return resolve(explicit);
  if (process.env.PHOTON_CONFIG) return resolve(process.env.PHOTON_CONFIG);
  const local = resolve(".photon", "cli.json");
  if (existsSync(local)) return local;
  return join(homedir(), ".config", "photon", "config.json");
}

export function readCliConfig(path: string): CliConfigFile | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success)
    throw new ApiError(
      "InvalidArgument",
      `CLI config ${path} is malformed: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

export function writeCliConfig(path: string, cfg: CliConfigFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(cfg, null, 2)}\n`, { mode: 0o600 });
}

export interface ResolvedContext {
  name: string;
  endpoints: Record<string, string>;
  token: string | undefined;
  project: string | undefined;
}

export function currentContext(path: string, name?: string): ResolvedContext {
  const cfg = readCliConfig(path);
  if (!cfg) {
    throw new ApiError(
      "FailedPrecondition",
      `no CLI configuration at ${path}; start a cloud with \`photon up\` (it writes one) or run \`photon login\``,
    );
  }
  const ctxName = name ?? cfg.current;
  const ctx = cfg.contexts[ctxName];
  if (!ctx)
    throw new ApiError(
      "NotFound",
      `context "${ctxName}" not in ${path}; known: ${Object.keys(cfg.contexts).join(", ")}`,
    );
  let token = process.env.PHOTON_TOKEN ?? ctx.token;
  if (!token && ctx.tokenFile) {
    const file = resolve(dirname(path), ctx.tokenFile);
    if (existsSync(file)) token = readFileSync(file, "utf8").trim();
  }
  return { name: ctxName, endpoints: ctx.endpoints, token, project: ctx.project };
}

/** Stores (or, with undefined, clears) a context's tokens, as `photon login` and `photon logout` do. */
export function saveContextTokens(
  path: string,
  name: string | undefined,
  tokens: { token?: string | undefined; refreshToken?: string | undefined },
): string {
  const cfg = readCliConfig(path);
  if (!cfg)
    throw new ApiError(
      "FailedPrecondition",
      `no CLI configuration at ${path}; start a cloud with \`photon up\` first`,
    );
  const ctxName = name ?? cfg.current;
  const ctx = cfg.contexts[ctxName];
  if (!ctx)
    throw new ApiError(
      "NotFound",
      `context "${ctxName}" not in ${path}; known: ${Object.keys(cfg.contexts).join(", ")}`,
    );
  const { token: _t, refreshToken: _r, tokenFile: _f, ...rest } = ctx;
  cfg.contexts[ctxName] = {
    ...rest,
    ...(tokens.token ? { token: tokens.token } : {}),
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
  };
  writeCliConfig(path, cfg);
  return ctxName;
}
