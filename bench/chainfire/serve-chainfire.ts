// Runs one chainfire member in its own process for the benchmark, printing its endpoint.
import { ChainfireServer } from "../../src/chainfire/server.ts";
import { createLogger } from "../../src/core/log.ts";

// Usage: serve-chainfire.ts <dataDir> [name peerPort initialCluster]
const [dataDir, name, peerPort, initialCluster] = process.argv.slice(2);
const server = await ChainfireServer.start({
  dataDir: dataDir!,
  listen: "127.0.0.1",
  clientPort: 0,
  peerPort: Number(peerPort ?? 2380),
  httpPort: -1,
  name: name ?? "bench",
  ...(initialCluster ? { initialCluster } : {}),
  log: createLogger({ level: "warn", name: "chainfire" }),
});
console.log(`ENDPOINT ${server.clientUrl}`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
