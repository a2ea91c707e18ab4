// A UDP worker process of `photon flashdns --dns-processes N` (forked by dns-worker-pool.ts
// through node:cluster): answers UDP on the primary's shared socket from a copy of the zone
// index that the primary keeps current. Exits when the primary goes away.
import cluster from "node:cluster";
import { createLogger } from "../core/log.ts";
import { DnsServer } from "./dns-server.ts";
import { workerCommand, workerConfig, workerConfigEnv, workerReport } from "./dns-worker-messages.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { parseTsigKeys } from "./tsig.ts";
import type { Zone } from "./zone.ts";
import { ZoneIndex } from "./zone-index.ts";

/** How often counters go to the primary (its /metrics lag by at most this). */
const statsIntervalMs = 1_000;

if (!cluster.isWorker) throw new Error("dns-worker.ts runs only as a flashdns cluster worker");
const config = workerConfig.parse(JSON.parse(process.env[workerConfigEnv] ?? "null"));
const log = createLogger({ name: "flashdns-worker", level: config.logLevel });
const index = new ZoneIndex();
const server = new DnsServer({
  index,
  log,
  host: config.host,
  port: config.port,
  tsigKeys: parseTsigKeys(config.tsigKeys),
  clock: Date.now,
  transports: { udp: true, tcp: false },
  ...(config.udpFd !== undefined ? { udpFd: config.udpFd } : { udpIo: "dgram" as const }),
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
const send = (m: unknown) => {
  if (process.connected) process.send?.(workerReport.parse(m));
};
let sentQueries = -1;
const statsTimer = setInterval(() => {
  if (server.stats.udpQueries === sentQueries) return;
  sentQueries = server.stats.udpQueries;
  const { udpQueries, cacheHits, rateLimited } = server.stats;
  send({ kind: "stats", stats: { udpQueries, cacheHits, rateLimited, udpDropped: server.udpDropped() } });
}, statsIntervalMs);

async function stop(code: number): Promise<void> {
  clearInterval(statsTimer);
  await server.close().catch(() => undefined);
  process.exit(code);
}

process.on("message", (m: unknown) => {
  const c = workerCommand.safeParse(m);
  if (!c.success) {
    log.warn({ issues: c.error.issues }, "ignoring a malformed message from the primary");
    return;
  }
  if (c.data.kind === "set") index.set(c.data.zone as unknown as Zone);
  else if (c.data.kind === "delete") index.delete(c.data.key);
  else
    server.listen().then(
      () => send({ kind: "listening" }),
      (err) => {
        log.error({ err }, "DNS worker could not listen");
        void stop(1);
      },
    );
});
process.on("disconnect", () => void stop(0));
send({ kind: "hello" });
process.on("SIGTERM", () => void stop(0));
// Ctrl-C reaches the whole process group: the primary decides when workers stop (SIGTERM).
process.on("SIGINT", () => undefined);
