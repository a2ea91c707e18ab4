// A bare flashdns DNS server on the bench's generated zone, without the API or the store: for
// CPU profiles of the per-packet path (`node --cpu-prof --import tsx bench/flashdns/serve-zone.ts`).
//   serve-zone.ts [--port 0] [--seed 1] [--seconds 30]   prints "port N", exits after --seconds
import { parseArgs } from "node:util";
import { silentLogger } from "../../src/core/log.ts";
import { DnsServer } from "../../src/flashdns/dns-server.ts";
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
  },
});
const zone = generateZone(Number(values.seed), "bench.test.");
const origin = nameFromText(zone.origin);
const index = new ZoneIndex();
index.set(compileZone(origin, parseMasterFile(zone.text, { origin })));
const server = new DnsServer({ index, log: silentLogger, host: "127.0.0.1", port: Number(values.port) });
await server.listen();
console.log(`port ${server.port}`);
const seconds = Math.max(1, Math.min(600, Number(values.seconds)));
setTimeout(async () => {
  await server.close();
  process.exit(0);
}, seconds * 1000);
