// Starts coronafs (with its in-process volume server, or given servers) and optionally
// creditservice, in this process on free ports, for the control-plane tests.
import { ensureAdminToken } from "../../src/cli/local-admin.ts";
import { roleConfig, startRole } from "../../src/cli/run-role.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { silentLogger } from "../../src/core/log.ts";
import type { Role, RunningRole } from "../../src/core/role.ts";
import { CoronafsClient } from "../../src/coronafs/client.ts";
import { tempDir } from "../support/temp-dir.ts";

export interface TestCloud {
  dataDir: string;
  token: string;
  endpoints: Record<string, string>;
  coronafs: CoronafsClient;
  // biome-ignore lint/suspicious/noExplicitAny: any role's option type.
  start(role: Role<any>, flags?: Record<string, unknown>): Promise<RunningRole>;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any role's option type.
const zeroPorts = (role: Role<any>) =>
  Object.fromEntries(
    Object.keys(role.options)
      .filter((k) => /port$/i.test(k))
      .map((k) => [k, 0]),
  );

export async function testCloud(): Promise<TestCloud> {
  const dir = tempDir("coronafs-cloud-");
  const endpoints: Record<string, string> = {};
  const running: RunningRole[] = [];
  const token = ensureAdminToken(dir.path).token;
  const cloud: TestCloud = {
    dataDir: dir.path,
    token,
    endpoints,
    coronafs: undefined as unknown as CoronafsClient,
    async start(role, flags = {}) {
      const config = roleConfig(role, {
        dataDir: dir.path,
        logLevel: "silent",
        ...zeroPorts(role),
        ...flags,
      });
      const r = await startRole(role, config, {
        log: silentLogger,
        lifecycle: new Lifecycle(silentLogger, 1000),
        dataDir: dir.path,
        endpoints,
        storeBackend: "memory",
      });
      running.push(r);
      for (const [k, v] of Object.entries(r.endpoints))
        endpoints[k === "api" ? role.name : `${role.name}.${k}`] = v;
      if (role.name === "coronafs")
        cloud.coronafs = new CoronafsClient({ baseUrl: r.endpoints.api!, token, timeoutMs: 30_000 });
      return r;
    },
    async close() {
      for (const r of running.reverse()) await r.close().catch(() => undefined);
      dir.remove();
    },
  };
  return cloud;
}
