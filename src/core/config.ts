// Configuration for every role: each option is declared once (schema, default, help text) and
// read from, in rising precedence, its default, a YAML/JSON config file, the environment
// (PHOTON_<ROLE>_<NAME> or PHOTON_<NAME>) and command-line flags. The result is validated;
// a bad value names the option and every place it could have come from.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ApiError } from "./errors.ts";

export interface OptionSpec<T = unknown> {
  schema: z.ZodType<T>;
  default: T;
  description: string;
}

export type ConfigSpec = Record<string, OptionSpec>;
export type ConfigOf<S extends ConfigSpec> = { [K in keyof S]: S[K]["default"] };

export function option<T>(schema: z.ZodType<T>, defaultValue: T, description: string): OptionSpec<T> {
  return { schema, default: defaultValue, description };
}

export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const envName = (prefix: string, name: string) => `${prefix}_${kebab(name).replace(/-/g, "_").toUpperCase()}`;

/** Adds `--<kebab-name> <value>` for each option (and `--config <file>`), with defaults in the help. */
export function addConfigOptions(cmd: Command, spec: ConfigSpec, role: string): Command {
  cmd.option("--config <file>", "YAML or JSON file with any of these options");
  for (const [name, o] of Object.entries(spec)) {
    const shown = typeof o.default === "string" && o.default === "" ? '""' : JSON.stringify(o.default);
    const help = `${o.description} (default: ${shown}; env ${envName(`PHOTON_${role.toUpperCase().replace(/-/g, "_")}`, name)})`;
    if (typeof o.default === "boolean") {
      cmd.option(`--${kebab(name)} [bool]`, help);
      cmd.option(`--no-${kebab(name)}`, `disable --${kebab(name)}`);
    } else {
      cmd.option(`--${kebab(name)} <value>`, help);
    }
  }
  return cmd;
}

export interface ConfigSources {
  flags?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  file?: string;
}

export function loadConfig<S extends ConfigSpec>(
  spec: S,
  role: string,
  sources: ConfigSources = {},
): ConfigOf<S> {
  const env = sources.env ?? {};
  const fromFile = sources.file ? readConfigFile(sources.file) : {};
  const rolePrefix = `PHOTON_${role.toUpperCase().replace(/-/g, "_")}`;
  const out: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec)) {
    let raw: unknown = o.default;
    let origin = "default";
    const fileValue = fromFile[name] ?? fromFile[kebab(name)];
    if (fileValue !== undefined) [raw, origin] = [fileValue, `config file ${sources.file}`];
    for (const key of [envName("PHOTON", name), envName(rolePrefix, name)]) {
      if (env[key] !== undefined) [raw, origin] = [env[key], `environment ${key}`];
    }
    const flag = sources.flags?.[name];
    if (flag !== undefined) [raw, origin] = [flag, `flag --${kebab(name)}`];
    out[name] = coerce(name, o, raw, origin);
  }
  return out as ConfigOf<S>;
}

function coerce(name: string, o: OptionSpec, raw: unknown, origin: string): unknown {
  let value = raw;
  if (typeof raw === "string" && typeof o.default === "number")
    value = raw.trim() === "" ? Number.NaN : Number(raw);
  if (typeof raw === "string" && typeof o.default === "boolean")
    value = !["false", "0", "no", "off"].includes(raw);
  if (raw === true && typeof o.default !== "boolean") value = raw; // `--flag` with no value; the schema decides.
  if (typeof raw === "string" && Array.isArray(o.default))
    value = raw === "" ? [] : raw.split(",").map((s) => s.trim());
  if (typeof raw === "string" && isPlainObject(o.default)) value = parseMapping(raw);
  const r = o.schema.safeParse(value);
  if (!r.success) {
    const why = r.error.issues.map((i) => i.message).join("; ");
    throw new ApiError(
      "InvalidArgument",
      `option --${kebab(name)} (from ${origin}): ${why}; got ${JSON.stringify(raw)}`,
    );
  }
  return r.data;
}

const isPlainObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);

/** `a=1,b=2` or JSON, for mapping-valued options given as flags or environment. */
function parseMapping(raw: string): unknown {
  const t = raw.trim();
  if (t.startsWith("{")) {
    try {
      return JSON.parse(t);
    } catch {
      return raw;
    }
  }
  const out: Record<string, unknown> = {};
  for (const part of t.split(",").filter(Boolean)) {
    const [k, v] = part.split("=", 2).map((x) => x.trim());
    if (!k || v === undefined) return raw;
    out[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ApiError("InvalidArgument", `cannot read config file ${path}: ${(e as Error).message}`);
  }
  const parsed = parseYaml(text) as unknown;
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError(
      "InvalidArgument",
      `config file ${path} must hold a mapping of option names to values`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** Options every serving role shares. */
export const commonOptions = {
  listen: option(z.string().min(1), "127.0.0.1", "address to bind"),
  dataDir: option(z.string().min(1), "./.photon", "directory for durable state"),
  logLevel: option(
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    "info",
    "log level",
  ),
  shutdownGraceMs: option(
    z.number().int().min(0).max(600_000),
    10_000,
    "time allowed for in-flight work on SIGTERM",
  ),
} satisfies ConfigSpec;
