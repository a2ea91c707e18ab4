// `photon nightlight`: the TSDB, remote_write ingestion, scraping (static targets, the other
// PhotonCloud roles, and ScrapeTarget resources) and the Prometheus query API on port 9090.
import { join } from "node:path";
import { z } from "zod";
import { resourceRoutes } from "../core/api/resource-routes.ts";
import { ApiServer } from "../core/api/server.ts";
import { commonOptions, option } from "../core/config.ts";
import { Counter, createRegistry, Gauge } from "../core/metrics.ts";
import { defineRole } from "../core/role.ts";
import { type ScrapeTargetSpec, scrapeTargetKind } from "./api.ts";
import { DecodePool } from "./ingest/decode-pool.ts";
import { MetadataStore } from "./metadata-store.ts";
import { registerPromApi, systemTenant } from "./prom-api.ts";
import { serveRemoteWriteAhead } from "./remote-write-endpoint.ts";
import { backfillFromPeers } from "./replication/backfill.ts";
import { ReplicaSet } from "./replication/replica-set.ts";
import { ReplicatedWrite } from "./replication/replicated-write.ts";
import { scrapeOwner } from "./replication/scrape-owner.ts";
import { defaultFetcher, Scraper, type ScrapeTarget, targetKey } from "./scrape/scraper.ts";
import { defaultLimits } from "./tsdb/tenant-limits.ts";
import { Tsdb } from "./tsdb/tsdb.ts";

export const nightlightOptions = {
  ...commonOptions,
  port: option(z.number().int().min(0).max(65535), 9090, "HTTP port of the Prometheus API and remote_write"),
  retentionHours: option(z.number().min(1).max(100_000), 360, "how long samples are kept"),
  blockRangeMinutes: option(z.number().int().min(1).max(1440), 120, "time span of a block cut from the head"),
  maxSeriesPerTenant: option(
    z.number().int().min(1),
    defaultLimits.maxSeriesPerTenant,
    "active series a project may hold",
  ),
  maxSamplesPerSecond: option(
    z.number().int().min(1),
    defaultLimits.maxSamplesPerSecond,
    "samples per second a project may write",
  ),
  maxSamplesPerQuery: option(z.number().int().min(1000), 50_000_000, "samples one query may load"),
  scrapeTargets: option(
    z.array(z.string()),
    [] as string[],
    "static targets as job=url (comma-separated), scraped into the system tenant",
  ),
  scrapeIntervalSeconds: option(
    z.number().int().min(1).max(3600),
    15,
    "interval of static and platform scrapes",
  ),
  scrapePlatform: option(z.boolean(), true, "scrape the /metrics of every other PhotonCloud role"),
  peers: option(
    z.array(z.url({ protocol: /^https?$/, error: "peers are base URLs, e.g. http://10.0.0.2:9090" })),
    [] as string[],
    "base URLs of the other nightlight replicas (comma-separated); writes need a quorum of all",
  ),
  advertiseUrl: option(
    z.string(),
    "",
    "this replica's base URL as its peers list it (default: the listening address)",
  ),
  decodeWorker: option(
    z.boolean(),
    true,
    "decode remote_write bodies on a worker thread (a second core for ingestion)",
  ),
  replicaProbeSeconds: option(z.number().min(0.1).max(3600), 2, "how often peers are probed for liveness"),
  compactIntervalSeconds: option(
    z.number().int().min(1).max(86_400),
    60,
    "how often the head is checked for blocks to cut",
  ),
};

export const nightlightRole = defineRole({
  name: "nightlight",
  description: "metrics: remote_write, scraping, a TSDB and PromQL (Prometheus HTTP API)",
  options: nightlightOptions,
  async start(config, deps) {
    const log = deps.log.child({ component: "nightlight" });
    const registry = createRegistry("nightlight");
    const clock = Date.now;
    const db = await Tsdb.open({
      dir: join(config.dataDir, "nightlight"),
      clock,
      blockRangeMs: config.blockRangeMinutes * 60_000,
      retentionMs: config.retentionHours * 3_600_000,
      limits: {
        maxSeriesPerTenant: config.maxSeriesPerTenant,
        maxSamplesPerSecond: config.maxSamplesPerSecond,
      },
    });
    const metadata = new MetadataStore();
    // Peers: the flag, plus other nightlight replicas `photon up` or the cluster knows of.
    const peerUrls = [
      ...config.peers,
      ...Object.entries(deps.endpoints)
        .filter(([name, url]) => /^nightlight-[\w-]+$/.test(name) && /^https?:\/\//.test(url))
        .map(([, url]) => url),
    ];
    const port = config.port;
    const self =
      config.advertiseUrl ||
      `http://${config.listen === "0.0.0.0" || config.listen === "::" ? "127.0.0.1" : config.listen}:${port}`;
    const replicas =
      peerUrls.length > 0
        ? new ReplicaSet({ self, peers: peerUrls, token: deps.serviceToken, log })
        : undefined;
    if (replicas && port === 0 && !config.advertiseUrl)
      throw new Error("a replicated nightlight needs a fixed --port or --advertise-url its peers know it by");
    const ingest = new ReplicatedWrite(db, replicas);
    const store = await deps.openStore("nightlight");
    new Gauge({
      name: "nightlight_head_series",
      help: "series in the head",
      registers: [registry],
      collect() {
        this.set(db.stats().series);
      },
    });
    new Gauge({
      name: "nightlight_samples_appended",
      help: "samples appended since start (including WAL replay)",
      registers: [registry],
      collect() {
        this.set(db.stats().samplesAppended);
      },
    });
    if (replicas) {
      new Gauge({
        name: "nightlight_replicas_live",
        help: "replicas (this one included) that answered the last probe",
        registers: [registry],
        collect() {
          this.set(replicas.liveReplicas().length);
        },
      });
      new Gauge({
        name: "nightlight_replica_forwards_failed",
        help: "writes not stored by a peer since start (it catches up at its next restart)",
        registers: [registry],
        collect() {
          this.set(replicas.forwardsFailed);
        },
      });
    }
    const api = new ApiServer({ name: "nightlight", logger: log, registry, auth: deps.auth });
    api.add(...resourceRoutes(scrapeTargetKind, store));
    const writeBodyLimitBytes = 16 * 1024 * 1024;
    const decodePool = config.decodeWorker ? DecodePool.lazy() : undefined;
    new Gauge({
      name: "nightlight_samples_out_of_order",
      help: "samples stored older than their series' last one (replicas' out-of-order path) since start",
      registers: [registry],
      collect() {
        this.set(db.stats().samplesOutOfOrder);
      },
    });
    const { remoteWrite } = registerPromApi(api.app, {
      ...(decodePool ? { decodeWrite: (body: Uint8Array) => decodePool.decode(body) } : {}),
      db,
      ingest,
      ...(replicas ? { replicas } : {}),
      metadata,
      auth: deps.auth,
      log,
      clock,
      maxSamplesPerQuery: config.maxSamplesPerQuery,
      lookbackMs: 300_000,
      writeBodyLimitBytes,
    });
    const writeRequests = new Counter({
      name: "nightlight_remote_write_requests_total",
      help: "remote_write requests answered (served ahead of the HTTP framework), by status",
      labelNames: ["status"],
      registers: [registry],
    });
    const writeEndpoint = serveRemoteWriteAhead(api.app.server, {
      bodyLimitBytes: writeBodyLimitBytes,
      handle: remoteWrite,
      answered: (status) => writeRequests.inc({ status: String(status) }),
      log,
    });
    const scraper = new Scraper({ db: ingest, metadata, fetch: defaultFetcher, clock, log });
    const interval = config.scrapeIntervalSeconds * 1000;
    const staticTargets: ScrapeTarget[] = config.scrapeTargets.map((s) => {
      const eq = s.indexOf("=");
      const job = eq > 0 ? s.slice(0, eq) : "static";
      return { url: eq > 0 ? s.slice(eq + 1) : s, job, tenant: systemTenant, intervalMs: interval };
    });
    // In a replica set each shared target is scraped by one live replica (its own /metrics by itself).
    const owned = (t: ScrapeTarget) =>
      !replicas || scrapeOwner(targetKey(t), replicas.liveReplicas()) === replicas.self;
    const syncTargets = async () => {
      const targets = [...staticTargets];
      if (config.scrapePlatform) {
        for (const [name, base] of Object.entries(deps.endpoints))
          if (/^https?:\/\//.test(base))
            targets.push({ url: `${base}/metrics`, job: name, tenant: systemTenant, intervalMs: interval });
      }
      try {
        const { items } = await store.list(scrapeTargetKind.kind, undefined, { limit: 10_000 });
        for (const r of items) {
          const spec = r.spec as ScrapeTargetSpec;
          targets.push({
            url: spec.url,
            job: spec.job,
            tenant: r.metadata.project ?? systemTenant,
            intervalMs: spec.intervalSeconds * 1000,
            labels: spec.labels,
          });
        }
      } catch (err) {
        log.warn({ err: (err as Error).message }, "cannot list scrape targets");
      }
      scraper.sync(
        [...targets.filter(owned), ...ownTargets],
        targets.filter((t) => !owned(t)),
      );
    };
    const ownTargets: ScrapeTarget[] = [];
    if (replicas) {
      // Catch up before taking writes (the port stays closed meanwhile, so peers route around us).
      const since = db.catchUpFromMs() ?? Number.NEGATIVE_INFINITY;
      const done = await backfillFromPeers(db, replicas, since, log);
      log.info({ ...done, since }, "backfilled from replicas");
    }
    await api.listen(config.listen, config.port);
    const url = api.url();
    if (config.scrapePlatform)
      ownTargets.push({
        url: `${url}/metrics`,
        job: "nightlight",
        tenant: systemTenant,
        intervalMs: interval,
      });
    await syncTargets();
    const targetTimer = setInterval(() => void syncTargets(), 10_000);
    targetTimer.unref();
    const probeTimer = replicas
      ? setInterval(() => {
          void replicas.probe().then((changed) => (changed ? syncTargets() : undefined));
        }, config.replicaProbeSeconds * 1000)
      : undefined;
    probeTimer?.unref();
    const compactTimer = setInterval(() => {
      db.compact().catch((err: Error) => log.error({ err: err.message }, "compaction failed"));
    }, config.compactIntervalSeconds * 1000);
    compactTimer.unref();
    return {
      endpoints: { api: url, remoteWrite: `${url}/api/v1/write` },
      async close() {
        clearInterval(targetTimer);
        if (probeTimer) clearInterval(probeTimer);
        clearInterval(compactTimer);
        scraper.close();
        writeEndpoint.close();
        await api.close();
        await decodePool?.close();
        await db.close();
        await store.close();
      },
    };
  },
});
