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
import { connectIamAuth } from "../iam/client.ts";
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
  const openStore = async (name: string): Promise<ResourceStore> =>
    rt.storeBackend === "memory"
      ? LocalStore.memory()
      : LocalStore.lmdb(join(resolve(rt.dataDir), name, "store"));
  // Once iam runs, every other role verifies iam tokens locally (IamAuth), not the local admin token.
  const iamUrl = role.name === "iam" ? undefined : (rt.endpoints.iam ?? process.env.PHOTON_IAM_URL);
  if (iamUrl) {
    const iam = await connectIamAuth(iamUrl, rt.dataDir, role.name, rt.log);
    const running = await role
      .start(config, {
        log: rt.log,
        lifecycle: rt.lifecycle,
        auth: iam,
        serviceToken: () => iam.serviceToken(),
        openStore,
        endpoints: rt.endpoints,
      })
      .catch(async (e) => {
        await iam.close();
        throw e;
      });
    return {
      endpoints: running.endpoints,
      async close() {
        await running.close();
        await iam.close();
      },
    };
  }
  const { token } = ensureAdminToken(rt.dataDir);
  const auth = new StaticTokenAuth(token);
  return role.start(config, {
    log: rt.log,
    lifecycle: rt.lifecycle,
    auth,
    serviceToken: async () => token,
    openStore,
    endpoints: rt.endpoints,
  });
}
