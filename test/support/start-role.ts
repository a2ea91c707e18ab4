// Starts one role in this process on a free port with a temporary data dir, for tests.

import { ensureAdminToken } from "../../src/cli/local-admin.ts";
import { roleConfig, startRole } from "../../src/cli/run-role.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { silentLogger } from "../../src/core/log.ts";
import type { Role } from "../../src/core/role.ts";
import { tempDir } from "./temp-dir.ts";

export interface StartedRole {
  url: string;
  token: string;
  dataDir: string;
  stop(): Promise<void>;
  /** Stops and removes the data dir. */
  cleanup(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any role's option type.
export async function startTestRole(
  role: Role<any>,
  flags: Record<string, unknown> = {},
  existingDir?: string,
): Promise<StartedRole> {
  const dir = existingDir ? { path: existingDir, remove: () => undefined } : tempDir(`photon-${role.name}-`);
  const ports = Object.fromEntries(
    Object.keys(role.options)
      .filter((k) => /port$/i.test(k))
      .map((k) => [k, 0]),
  );
  const config = roleConfig(role, { dataDir: dir.path, logLevel: "silent", ...ports, ...flags });
  const lifecycle = new Lifecycle(silentLogger, 5000);
  const running = await startRole(role, config, {
    log: silentLogger,
    lifecycle,
    dataDir: dir.path,
    endpoints: {},
    storeBackend: "lmdb",
  });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await running.close();
    stopped = true;
  };
  return {
    url: running.endpoints.api!,
    token: ensureAdminToken(dir.path).token,
    dataDir: dir.path,
    stop,
    cleanup: async () => {
      await stop();
      dir.remove();
    },
  };
}
