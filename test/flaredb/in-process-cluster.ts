// A placement driver and N stores in this process, on loopback with free ports, for tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/core/log.ts";
import { FlareClient } from "../../src/flaredb/client.ts";
import type { PlacementConfig } from "../../src/flaredb/pd/cluster-view.ts";
import { PlacementDriver } from "../../src/flaredb/pd/pd-server.ts";
import { LmdbPdStorage } from "../../src/flaredb/pd/pd-storage.ts";
import { FlareStore } from "../../src/flaredb/store/store-server.ts";

export interface InProcessCluster {
  dir: string;
  pd: PlacementDriver;
  stores: FlareStore[];
  client: FlareClient;
  close(): Promise<void>;
}

export async function startCluster(
  n: number,
  config: Partial<PlacementConfig> = {},
): Promise<InProcessCluster> {
  const dir = mkdtempSync(join(tmpdir(), "flaredb-"));
  const log = createLogger({ level: process.env.FLAREDB_TEST_LOG ?? "silent", name: "flaredb-test" });
  const pd = await PlacementDriver.start({
    host: "127.0.0.1",
    port: 0,
    log,
    storage: new LmdbPdStorage(join(dir, "pd")),
    config: { bootstrapWaitMs: 10_000, storeDownMs: 3_000, ...config },
  });
  const stores: FlareStore[] = [];
  for (let i = 0; i < n; i++) {
    stores.push(
      await FlareStore.start({
        dataDir: join(dir, `store${i}`),
        host: "127.0.0.1",
        port: 0,
        raftPort: 0,
        metricsPort: 0,
        pd: [pd.address],
        log,
        heartbeatMs: 200,
      }),
    );
  }
  const client = new FlareClient({ pd: [pd.address], timeoutMs: 5_000 });
  return {
    dir,
    pd,
    stores,
    client,
    async close() {
      client.close();
      for (const s of stores) await s.close();
      await pd.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}
