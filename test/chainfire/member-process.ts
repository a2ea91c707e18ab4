// A chainfire member in a process of its own, for fault tests that SIGKILL it.
// Usage: member-process.ts <dataDir> <name> <peerPort> <initialCluster>
import { ChainfireServer } from "../../src/chainfire/chainfire-server.ts";
import { silentLogger } from "../../src/core/log.ts";

const [dataDir, name, peerPort, initialCluster] = process.argv.slice(2);
const server = await ChainfireServer.start({
  dataDir: dataDir!,
  listen: "127.0.0.1",
  clientPort: 0,
  peerPort: Number(peerPort),
  httpPort: -1,
  name: name!,
  initialCluster: initialCluster!,
  log: silentLogger,
});
console.log(`ENDPOINT ${server.clientUrl.replace("http://", "")}`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
