// Runs one chainfire member in its own process for the benchmark, printing its endpoint.
import { ChainfireServer } from "../../src/chainfire/server.ts";
import { createLogger } from "../../src/core/log.ts";

const [dataDir, port] = process.argv.slice(2);
const server = await ChainfireServer.start({
  dataDir: dataDir!,
  listen: "127.0.0.1",
  clientPort: Number(port ?? 0),
  peerPort: 2380,
  httpPort: -1,
  name: "bench",
  log: createLogger({ level: "warn", name: "chainfire" }),
});
console.log(`ENDPOINT ${server.clientUrl}`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
