// Starts a real iam role in-process (memory store, cheap scrypt, port 0) for iam's tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { StaticTokenAuth } from "../../src/core/api/auth.ts";
import { loadConfig } from "../../src/core/config.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { silentLogger } from "../../src/core/log.ts";
import { LocalStore } from "../../src/core/resource/local-store.ts";
import type { ResourceStore } from "../../src/core/resource/store.ts";
import { readBootstrapAdmin, readSystemCredentials } from "../../src/iam/bootstrap.ts";
import { IamClient, requestToken } from "../../src/iam/client.ts";
import { iamOptions, iamRole } from "../../src/iam/server.ts";

export interface IamHarness {
  url: string;
  dataDir: string;
  store: ResourceStore;
  admin: { username: string; password: string };
  system: { clientId: string; clientSecret: string };
  adminToken(): Promise<string>;
  adminClient(): Promise<IamClient>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  log?: Logger;
  /** Reuse a data dir (and its LMDB store) across restarts; the caller removes it. */
  dataDir?: string;
  lmdb?: boolean;
}

export async function startIam(
  flags: Record<string, unknown> = {},
  o: HarnessOptions = {},
): Promise<IamHarness> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), "photon-iam-"));
  const config = loadConfig(iamOptions, "iam", {
    flags: { port: 0, dataDir, scryptLogN: 10, logLevel: "silent", ...flags },
  });
  const store = o.lmdb ? LocalStore.lmdb(join(dataDir, "iam", "store")) : LocalStore.memory();
  const running = await iamRole.start(config, {
    log: o.log ?? silentLogger,
    lifecycle: new Lifecycle(silentLogger, 1000),
    auth: new StaticTokenAuth("unused"),
    serviceToken: async () => undefined,
    openStore: async () => store,
    endpoints: {},
  });
  const url = running.endpoints.api!;
  const admin = readBootstrapAdmin(dataDir)!;
  const system = readSystemCredentials(dataDir)!;
  const adminToken = async () =>
    (await requestToken(url, { grant_type: "password", username: admin.username, password: admin.password }))
      .access_token;
  return {
    url,
    dataDir,
    store,
    admin,
    system,
    adminToken,
    adminClient: async () => new IamClient({ baseUrl: url, token: await adminToken() }),
    async close() {
      await running.close();
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
