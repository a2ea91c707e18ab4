// A DnsServer in its own process (the addon loader remembers its outcome per process), for
// the fallback test: serves the generated zone with --udp-io auto, answers one SOA query
// itself, prints its warnings and the UDP path as JSON lines, and exits.
import pino from "pino";
import { DnsServer } from "../../src/flashdns/dns-server.ts";
import { parseMasterFile } from "../../src/flashdns/master-file.ts";
import { RRType } from "../../src/flashdns/wire/constants.ts";
import { nameFromText } from "../../src/flashdns/wire/name.ts";
import { compileZone } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";
import { dnsExchange } from "./dns-exchange.ts";
import { generateZone } from "./zone-generator.ts";

const zone = generateZone(3);
const origin = nameFromText(zone.origin);
const index = new ZoneIndex();
index.set(compileZone(origin, parseMasterFile(zone.text, { origin })));
const log = pino({ level: "warn" }, pino.destination({ fd: 1, sync: true }));
const server = new DnsServer({ index, log, host: "127.0.0.1", port: 0, udpIo: "auto" });
await server.listen();
const soa = await dnsExchange({ port: server.port, name: zone.origin, type: RRType.SOA });
console.log(JSON.stringify({ udpPath: server.udpPath, answers: soa.answers.length }));
await server.close();
