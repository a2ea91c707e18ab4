// Starts one role with its configuration and the shared runtime (logger, lifecycle, auth,
// stores), for `photon <role>` and for each role inside `photon up`.
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import { StaticTokenAuth } from "../core/api/auth.ts";
import { type ConfigOf, type ConfigSpec, loadConfig } from "../core/config.ts";
import type { Lifecycle } from "../core/lifecycle.ts";
import { LocalStore } from "../core/resource/local-store.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import type { Role, RunningRole } from "../core/role.ts";
import { ensureAdminToken } from "./local-admin.ts";

export interface RoleRuntime {
  log: Logger;
  lifecycle: Lifecycle;
  dataDir: string;
  endpoints: Record<string, string>;
  storeBackend: "lmdb" | "memory";
}

export function roleConfig<S extends ConfigSpec>(
  role: Role<S>,
  flags: Record<string, unknown>,
  configFile?: string,
): ConfigOf<S> {
  return loadConfig(role.options, role.name, {
    flags,
    env: process.env,
    ...(configFile ? { file: configFile } : {}),
  });
}

export async function startRole<S extends ConfigSpec>(
  role: Role<S>,
  config: ConfigOf<S>,
  rt: RoleRuntime,
): Promise<RunningRole> {
  const { token } = ensureAdminToken(rt.dataDir);
  const auth = new StaticTokenAuth(token);
  const openStore = async (name: string): Promise<ResourceStore> =>
    rt.storeBackend === "memory"
      ? LocalStore.memory()
      : LocalStore.lmdb(join(resolve(rt.dataDir), name, "store"));
  return role.start(config, {
    log: rt.log,
    lifecycle: rt.lifecycle,
    auth,
    serviceToken: async () => token,
    openStore,
    endpoints: rt.endpoints,
  });
}
