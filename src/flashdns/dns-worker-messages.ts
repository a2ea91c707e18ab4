// What the primary and its UDP worker processes tell each other (see dns-worker-pool.ts).
import { z } from "zod";

/** The environment variable carrying a worker's configuration (JSON of WorkerConfig). */
export const workerConfigEnv = "PHOTON_FLASHDNS_WORKER";

export const workerConfig = z.object({
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  /** TSIG keys in the --tsig-keys form, for signed UDP queries (a secondary's SOA checks). */
  tsigKeys: z.string(),
  rrlResponsesPerSecond: z.number().int().min(0),
  rrlSlip: z.number().int().min(0),
  logLevel: z.string(),
  /** The fd (in the worker) of the UDP socket the primary bound for batched I/O; absent: dgram. */
  udpFd: z.number().int().min(3).optional(),
});
export type WorkerConfig = z.infer<typeof workerConfig>;

const stats = z.object({
  udpQueries: z.number(),
  cacheHits: z.number(),
  rateLimited: z.number(),
  /** UDP answers the batched path could not send (full send buffer or a send error). */
  udpDropped: z.number(),
});
export type WorkerStats = z.infer<typeof stats>;

/** Worker → primary. */
export const workerReport = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("hello") }),
  z.object({ kind: z.literal("listening") }),
  z.object({ kind: z.literal("stats"), stats }),
]);

/** Primary → worker: zones are compiled Zone objects (structured clone), checked by kind only. */
export const workerCommand = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("set"), zone: z.object({ key: z.string() }).passthrough() }),
  z.object({ kind: z.literal("delete"), key: z.string() }),
  z.object({ kind: z.literal("start") }),
]);
