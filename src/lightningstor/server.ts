// `photon lightningstor`: the S3 endpoint (port 9000), the admin REST API (access keys,
// images, storage status), the metadata store, the storage nodes it talks to (embedded
// ones under the data dir, or remote `photon lightningstor-node` processes), and the
// scrubbing and lifecycle loops. `photon lightningstor-node` runs one storage node alone.
import { join, resolve } from "node:path";
import { z } from "zod";
import { ApiServer } from "../core/api/server.ts";
import { commonOptions, option } from "../core/config.ts";
import { HttpClient } from "../core/http-client.ts";
import { createRegistry } from "../core/metrics.ts";
import { defineRole } from "../core/role.ts";
import { CreditClient } from "../creditservice/client.ts";
import { LocalAccessKeys } from "./access-keys.ts";
import { adminRoutes } from "./admin-routes.ts";
import { ChunkClient, type StorageNodeRef } from "./chunk-client.ts";
import { ChunkNode } from "./chunk-node.ts";
import { ImageRegistry, imageRoutes } from "./image-registry.ts";
import { expireAll, type ScrubReport, scrubAll } from "./maintenance.ts";
import { MetaStore } from "./meta-store.ts";
import { ParityPool } from "./parity-pool.ts";
import { CreditQuotaGate, noQuota, type QuotaGate } from "./quota-gate.ts";
import { validateParams } from "./reed-solomon.ts";
import type { S3Deps } from "./s3-call.ts";
import { S3Server } from "./s3-server.ts";
import { SegmentStore } from "./segment-store.ts";
import { WorkerChunkTransport } from "./worker-chunk-transport.ts";

const coding = z
  .string()
  .regex(/^\d+\+\d+$/, 'erasure coding is "k+m", e.g. "4+2" (or "1+2" for three replicas)')
  .refine((s) => {
    const [k, m] = s.split("+").map(Number) as [number, number];
    try {
      validateParams({ k, m });
      return true;
    } catch {
      return false;
    }
  }, "k ≥ 1, m ≥ 0, k + m ≤ 256");

export const lightningstorOptions = {
  ...commonOptions,
  port: option(z.coerce.number().int().min(0).max(65535), 9000, "S3 endpoint port"),
  adminPort: option(
    z.coerce.number().int().min(0).max(65535),
    9001,
    "REST API port (access keys, images, storage status)",
  ),
  region: option(
    z.string().regex(/^[a-z0-9-]{2,32}$/),
    "us-east-1",
    "region name the S3 endpoint answers to",
  ),
  coding: option(coding, "4+2", "erasure coding k+m of new objects; 1+m is plain replication"),
  shardSizeKib: option(
    z.coerce.number().int().min(4).max(4096),
    1024,
    "bytes of one data shard of a stripe, KiB",
  ),
  embeddedNodes: option(
    z.coerce.number().int().min(0).max(64),
    6,
    "storage nodes to run in this process (each with its own directory)",
  ),
  nodes: option(z.string(), "", "remote storage nodes as id=url,id=url (in addition to embedded ones)"),
  scrubIntervalMs: option(
    z.coerce.number().int().min(0).max(86_400_000),
    300_000,
    "how often every chunk is verified and healed (0 = never)",
  ),
  lifecycleIntervalMs: option(
    z.coerce.number().int().min(0).max(86_400_000),
    60_000,
    "how often lifecycle expiration runs (0 = never)",
  ),
  maxObjectGib: option(z.coerce.number().min(0.001).max(5), 5, "largest single PUT and part, GiB"),
  minPartMib: option(z.coerce.number().min(0).max(5), 5, "smallest multipart part other than the last, MiB"),
  fsync: option(z.boolean(), true, "fsync chunks before acknowledging writes"),
};

function parseNodes(spec: string): StorageNodeRef[] {
  return spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [id, url] = s.split("=");
      if (!id || !url) throw new Error(`--nodes entry "${s}" is not id=url`);
      return { id, url };
    });
}

export const lightningstorRole = defineRole({
  name: "lightningstor",
  description: "S3-compatible object storage, erasure-coded over storage nodes; VM images",
  options: lightningstorOptions,
  async start(config, deps) {
    const log = deps.log.child({ component: "lightningstor" });
    const registry = createRegistry("lightningstor");
    const dataDir = join(resolve(config.dataDir), "lightningstor");
    const clock = Date.now;
    const embedded: { id: string; transport: WorkerChunkTransport }[] = [];
    const closers: (() => Promise<void> | void)[] = [];
    try {
      // Embedded nodes run in worker threads: their hashing and file I/O stay off the S3
      // event loop, and chunk bytes move between threads without a copy or an HTTP hop.
      for (let i = 0; i < config.embeddedNodes; i++) {
        const transport = new WorkerChunkTransport(
          `local-${i}`,
          join(dataDir, "nodes", `local-${i}`),
          config.fsync,
        );
        closers.push(() => transport.close());
        embedded.push({ id: `local-${i}`, transport });
      }
      await Promise.all(embedded.map((n) => n.transport.start()));
      const nodes: StorageNodeRef[] = [...embedded, ...parseNodes(config.nodes)];
      if (nodes.length === 0)
        throw new Error("lightningstor needs storage nodes: --embedded-nodes N or --nodes id=url,…");
      const [k, m] = config.coding.split("+").map(Number) as [number, number];
      const chunks = new ChunkClient(nodes, clock);
      closers.push(() => chunks.close());
      const parity = new ParityPool();
      closers.push(() => parity.close());
      await parity.start();
      const segments = new SegmentStore(
        chunks,
        { k, m, shardSize: config.shardSizeKib * 1024 },
        log,
        (p, d) => parity.encode(p, d),
        true,
      );
      const meta = new MetaStore(join(dataDir, "meta"));
      closers.push(() => meta.close());
      let quota: QuotaGate = noQuota;
      const creditUrl = deps.endpoints.creditservice;
      if (creditUrl) {
        // The token is asked for on every call: service tokens expire and are renewed.
        const credit = new CreditClient(
          new HttpClient({ baseUrl: creditUrl, token: deps.serviceToken, timeoutMs: 10_000 }),
        );
        const bytes = new Map<string, number>();
        for (const b of meta.listBuckets())
          for (const v of meta.scanVersions(b.name))
            bytes.set(b.project, (bytes.get(b.project) ?? 0) + v.size);
        quota = new CreditQuotaGate(credit, log, bytes);
      }
      const s3deps: S3Deps = {
        meta,
        segments,
        quota,
        clock,
        region: config.region,
        log,
        maxObjectBytes: Math.floor(config.maxObjectGib * 1024 ** 3),
        minPartBytes: Math.floor(config.minPartMib * 1024 ** 2),
      };
      const keys = new LocalAccessKeys(meta);
      const s3 = new S3Server({ deps: s3deps, keys, registry });
      let lastScrub: ScrubReport | undefined;
      const images = new ImageRegistry(await deps.openStore("lightningstor"), s3deps, log);
      closers.push(() => images.close());
      const api = new ApiServer({ name: "lightningstor", logger: log, registry, auth: deps.auth });
      images.registerBodyParser(api);
      let scrubbing: Promise<ScrubReport> | undefined;
      const scrubNow = () => {
        // One scrub at a time: a request during a running pass waits for that pass.
        scrubbing ??= scrubAll(meta, segments, clock, log).finally(() => {
          scrubbing = undefined;
        });
        return scrubbing.then((r) => {
          lastScrub = r;
          return r;
        });
      };
      api.add(
        ...adminRoutes({
          scrubNow,
          meta,
          keys,
          clock,
          status: () => ({
            coding: { k, m, shardSizeBytes: config.shardSizeKib * 1024 },
            nodes: nodes.map((n) => ({
              id: n.id,
              url: "url" in n ? n.url : "embedded",
              live: chunks.isLive(n.id),
            })),
            lastScrub,
          }),
        }),
        ...imageRoutes(images),
      );
      await s3.listen(config.listen, config.port);
      closers.push(() => s3.close());
      await api.listen(config.listen, config.adminPort);
      closers.push(() => api.close());
      const timers: NodeJS.Timeout[] = [];
      const loop = (everyMs: number, name: string, work: () => Promise<unknown>) => {
        if (!everyMs) return;
        let running = false;
        const t = setInterval(() => {
          if (running) return;
          running = true;
          work()
            .catch((err) => log.error({ err }, `${name} failed`))
            .finally(() => {
              running = false;
            });
        }, everyMs);
        t.unref();
        timers.push(t);
      };
      loop(config.scrubIntervalMs, "scrub", scrubNow);
      loop(config.lifecycleIntervalMs, "lifecycle", () => expireAll(meta, segments, quota, clock));
      return {
        endpoints: { s3: s3.url(), api: api.url() },
        async close() {
          for (const t of timers) clearInterval(t);
          for (const c of closers.reverse()) await c();
        },
      };
    } catch (e) {
      for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
      throw e;
    }
  },
});

export const lightningstorNodeOptions = {
  ...commonOptions,
  port: option(z.coerce.number().int().min(0).max(65535), 9100, "chunk protocol port"),
  nodeId: option(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), "node-0", "this storage node's id"),
  fsync: option(z.boolean(), true, "fsync chunks before acknowledging writes"),
};

export const lightningstorNodeRole = defineRole({
  name: "lightningstor-node",
  description: "one lightningstor storage node: checksummed chunks in a directory, served over HTTP",
  options: lightningstorNodeOptions,
  async start(config, deps) {
    const log = deps.log.child({ component: "lightningstor-node", node: config.nodeId });
    const node = new ChunkNode({
      id: config.nodeId,
      dir: join(resolve(config.dataDir), "lightningstor-node", config.nodeId),
      host: config.listen,
      port: config.port,
      log,
      fsync: config.fsync,
    });
    await node.start();
    return { endpoints: { chunks: node.url() }, close: () => node.close() };
  },
});
