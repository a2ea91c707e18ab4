// Starts `photon flashdns` in this process on free ports with a temporary data dir.
import { ensureAdminToken } from "../../src/cli/local-admin.ts";
import { roleConfig, startRole } from "../../src/cli/run-role.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { silentLogger } from "../../src/core/log.ts";
import { FlashdnsClient } from "../../src/flashdns/client.ts";
import { flashdnsRole } from "../../src/flashdns/server.ts";
import { tempDir } from "../support/temp-dir.ts";

export interface FlashdnsUnderTest {
  client: FlashdnsClient;
  url: string;
  dnsPort: number;
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function startFlashdns(flags: Record<string, unknown> = {}): Promise<FlashdnsUnderTest> {
  const dir = tempDir("photon-flashdns-");
  const config = roleConfig(flashdnsRole, {
    dataDir: dir.path,
    logLevel: "silent",
    port: 0,
    dnsPort: 0,
    ...flags,
  });
  const running = await startRole(flashdnsRole, config, {
    log: silentLogger,
    lifecycle: new Lifecycle(silentLogger, 5000),
    dataDir: dir.path,
    endpoints: {},
    storeBackend: "lmdb",
  });
  const url = running.endpoints.api as string;
  const dns = running.endpoints.dns as string;
  return {
    client: new FlashdnsClient({ baseUrl: url, token: ensureAdminToken(dir.path).token }),
    url,
    dnsPort: Number(dns.slice(dns.lastIndexOf(":") + 1)),
    dataDir: dir.path,
    cleanup: async () => {
      await running.close();
      dir.remove();
    },
  };
}
