// Micro-benchmark of the durable store alone (no gRPC): puts at N in flight.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KvStore } from "../../src/chainfire/kv-store.ts";
import { silentLogger } from "../../src/core/log.ts";

const dir = mkdtempSync(join(tmpdir(), "chainfire-store-bench-"));
const store = new KvStore({
  dataDir: dir,
  log: silentLogger,
  newIdentity: () => ({ clusterId: "1", memberId: "1" }),
});
const value = Buffer.alloc(256, 0x61);
for (const inFlight of [1, 16, 64]) {
  let n = 0;
  const end = performance.now() + 3000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end)
        await store.propose({ op: "put", req: { key: Buffer.from(`/k/${n++ % 10000}`), value } });
    }),
  );
  console.log(`store put x${inFlight}: ${(n / ((performance.now() - started) / 1000)).toFixed(0)} ops/s`);
}
await store.close();
rmSync(dir, { recursive: true, force: true });
