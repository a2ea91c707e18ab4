// `photon flashdns`: the REST API for zones and record sets, and the DNS server (UDP+TCP)
// answering from an in-memory index that follows the store's watches.
import { z } from "zod";
import { ApiServer } from "../core/api/server.ts";
import { commonOptions, option } from "../core/config.ts";
import { Counter, createRegistry, Gauge } from "../core/metrics.ts";
import { defineRole } from "../core/role.ts";
import { DnsServer } from "./dns-server.ts";
import { DnsWorkerPool, dnsWorkerLimits } from "./dns-worker-pool.ts";
import { type BoundUdpSocket, batchUdpUnavailable, bindUdpSocket } from "./native/batch-udp.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { flashdnsRoutes } from "./routes.ts";
import { TransferService } from "./transfer-service.ts";
import { parseTsigKeys } from "./tsig.ts";
import { ZoneIndex } from "./zone-index.ts";
import { ZoneSync } from "./zone-sync.ts";

export const flashdnsOptions = {
  ...commonOptions,
  port: option(z.number().int().min(0).max(65535), 7403, "HTTP port of the REST API"),
  dnsPort: option(z.number().int().min(0).max(65535), 8053, "DNS port, UDP and TCP (53 in a cluster)"),
  dnsListen: option(z.string(), "", "address the DNS server binds (default: --listen)"),
  tsigKeys: option(
    z.string(),
    "",
    "TSIG keys for zone transfers, as name:hmac-sha256:base64secret, comma-separated (prefer the env PHOTON_FLASHDNS_TSIG_KEYS)",
  ),
  rrlResponsesPerSecond: option(
    z.number().int().min(0).max(1_000_000),
    0,
    "UDP responses per second per client /24 (/56) before rate limiting; 0 = off",
  ),
  rrlSlip: option(
    z.number().int().min(0).max(10),
    2,
    "every Nth rate-limited response is sent truncated (TC) instead of dropped; 0 = drop all",
  ),
  dnsProcesses: option(
    z.number().int().min(1).max(dnsWorkerLimits.maxWorkers),
    1,
    "processes answering UDP; above 1, worker processes share the UDP socket and this one keeps TCP",
  ),
  dnsUdpIo: option(
    z.enum(["auto", "batched", "dgram"]),
    "auto",
    "UDP I/O: batched (native recvmmsg/sendmmsg addon, compiled with gcc on first start), dgram (node:dgram), auto (batched if the addon builds, else dgram with a warning)",
  ),
  journalEntries: option(z.number().int().min(1).max(100_000), 100, "zone versions kept per zone for IXFR"),
};

export const flashdnsRole = defineRole({
  name: "flashdns",
  description: "authoritative DNS: zones and record sets per project, served over UDP and TCP",
  options: flashdnsOptions,
  async start(config, deps) {
    const log = deps.log.child({ component: "flashdns" });
    const registry = createRegistry("flashdns");
    const store = await deps.openStore("flashdns");
    const index = new ZoneIndex();
    const keys = parseTsigKeys(config.tsigKeys);
    const transferCount = new Counter({
      name: "flashdns_transfers_total",
      help: "zone transfer requests by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    });
    const transfers = new TransferService({
      log,
      keys,
      journalEntries: config.journalEntries,
      clock: Date.now,
      onTransfer: (outcome) => transferCount.inc({ outcome }),
    });
    const sync = new ZoneSync(store, index, log, (c) => transfers.onZoneChange(c));
    new Gauge({
      name: "flashdns_zones",
      help: "zones served",
      registers: [registry],
      collect() {
        this.set(index.size);
      },
    });
    new Gauge({
      name: "flashdns_zones_failing",
      help: "zones whose latest version does not compile (the last good one is served)",
      registers: [registry],
      collect() {
        this.set(sync.problems.size);
      },
    });
    const dnsHost = config.dnsListen || config.listen;
    let workers: DnsWorkerPool | undefined;
    const dns = new DnsServer({
      index,
      log,
      host: dnsHost,
      transports: { udp: config.dnsProcesses === 1, tcp: true },
      udpIo: config.dnsUdpIo,
      port: config.dnsPort,
      transfer: (answer, query, send, peer) => transfers.stream(answer, query, send, peer),
      tsigKeys: keys,
      clock: Date.now,
      ...(config.rrlResponsesPerSecond > 0
        ? {
            rateLimiter: new RateLimiter({
              responsesPerSecond: config.rrlResponsesPerSecond,
              slip: config.rrlSlip,
              maxTrackedNetworks: 100_000,
            }),
          }
        : {}),
    });
    new Counter({
      name: "flashdns_queries_total",
      help: "DNS queries received, by transport",
      labelNames: ["transport"],
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ transport: "udp" }, dns.stats.udpQueries + (workers?.stats.udpQueries ?? 0));
        this.inc({ transport: "tcp" }, dns.stats.tcpQueries);
      },
    });
    new Counter({
      name: "flashdns_answer_cache_hits_total",
      help: "queries answered from the cache of encoded replies",
      registers: [registry],
      collect() {
        this.reset();
        this.inc(dns.stats.cacheHits + (workers?.stats.cacheHits ?? 0));
      },
    });
    new Counter({
      name: "flashdns_rate_limited_total",
      help: "UDP replies dropped or truncated by response rate limiting",
      registers: [registry],
      collect() {
        this.reset();
        this.inc(dns.stats.rateLimited + (workers?.stats.rateLimited ?? 0));
      },
    });
    new Counter({
      name: "flashdns_udp_replies_dropped_total",
      help: "UDP answers not sent by the batched path (full socket send buffer or a send error)",
      registers: [registry],
      collect() {
        this.reset();
        this.inc(dns.udpDropped() + (workers?.stats.udpDropped ?? 0));
      },
    });
    const api = new ApiServer({ name: "flashdns", logger: log, registry, auth: deps.auth });
    api.add(...flashdnsRoutes(store));
    await sync.start();
    await dns.listen();
    // Worker processes inherit one socket bound here, when the addon is there to poll it.
    let shared: BoundUdpSocket | undefined;
    if (config.dnsProcesses > 1 && config.dnsUdpIo !== "dgram") {
      const why = await batchUdpUnavailable();
      if (!why) shared = await bindUdpSocket(dnsHost, dns.port);
      else if (config.dnsUdpIo === "batched")
        throw new Error(`batched UDP I/O is unavailable: ${why.message}`);
      else
        log.warn(
          { reason: why.message },
          "batched UDP I/O unavailable (native addon); workers serve UDP through node:dgram, at a lower rate",
        );
    }
    workers =
      config.dnsProcesses > 1
        ? new DnsWorkerPool({
            count: config.dnsProcesses,
            index,
            log,
            config: {
              host: dnsHost,
              port: dns.port,
              tsigKeys: config.tsigKeys,
              rrlResponsesPerSecond: config.rrlResponsesPerSecond,
              rrlSlip: config.rrlSlip,
              logLevel: config.logLevel,
            },
            ...(shared ? { udpFd: shared.fd } : {}),
          })
        : undefined;
    await workers?.start();
    transfers.start();
    await api.listen(config.listen, config.port);
    return {
      endpoints: { api: api.url(), dns: `${config.dnsListen || config.listen}:${dns.port}` },
      async close() {
        await api.close();
        transfers.close();
        sync.close();
        await workers?.close();
        shared?.close();
        await dns.close();
        await store.close();
      },
    };
  },
});
