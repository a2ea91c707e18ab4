// A bare flashdns DNS server on the bench's generated zone, without the API or the store: for
// CPU profiles of the per-packet path (`node --cpu-prof --import tsx bench/flashdns/serve-zone.ts`).
//   serve-zone.ts [--port 0] [--seed 1] [--seconds 30] [--udp-io auto|batched|dgram]   prints "port N", exits after --seconds
import { parseArgs } from "node:util";
import { silentLogger } from "../../src/core/log.ts";
import { DnsServer, type UdpIo } from "../../src/flashdns/dns-server.ts";
import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { nameFromText } from "../../src/flashdns/wire/name.ts";
import { compileZone } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";
import { generateZone } from "../../test/flashdns/zone-generator.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
    seconds: { type: "string", default: "30" },
    "udp-io": { type: "string", default: "auto" },
  },
});
const zone = generateZone(Number(values.seed), "bench.test.");
const origin = nameFromText(zone.origin);
const index = new ZoneIndex();
index.set(compileZone(origin, parseMasterFile(zone.text, { origin })));
const server = new DnsServer({
  index,
  log: silentLogger,
  host: "127.0.0.1",
  port: Number(values.port),
  udpIo: values["udp-io"] as UdpIo,
});
await server.listen();
process.on("SIGTERM", () => {
  console.log(JSON.stringify({ stats: server.stats, udpIo: server.udpIoCounters() }));
  process.exit(0);
});
console.log(`port ${server.port} (${server.udpPath})`);
const seconds = Math.max(1, Math.min(600, Number(values.seconds)));
setTimeout(async () => {
  console.log(JSON.stringify({ stats: server.stats, udpIo: server.udpIoCounters() }));
  await server.close();
  process.exit(0);
}, seconds * 1000);
