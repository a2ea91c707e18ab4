// Scrapes targets on their interval and stores what they expose, like Prometheus: `job` and
// `instance` labels, the synthetic `up`, `scrape_duration_seconds` and
// `scrape_samples_scraped` series, and staleness markers for series that vanish.
import type { Logger } from "pino";
import type { WriteSeries } from "../ingest/write-request.ts";
import type { MetadataStore } from "../metadata-store.ts";
import { labelsKey } from "../tsdb/labels.ts";
import { parseExposition } from "./exposition.ts";

export interface ScrapeTarget {
  url: string;
  job: string;
  tenant: string;
  intervalMs: number;
  labels?: Record<string, string>;
}

/** Where scraped samples go (the TSDB, or the replica set's quorum write). */
export interface SampleSink {
  write(tenant: string, series: WriteSeries[]): Promise<{ status: number; message?: string }>;
}

export type Fetcher = (url: string, timeoutMs: number) => Promise<{ status: number; body: string }>;

export const defaultFetcher: Fetcher = async (url, timeoutMs) => {
  const res = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: "text/plain;version=0.0.4;q=1,*/*;q=0.1" },
  });
  return { status: res.status, body: await res.text() };
};

/** Targets scraped at once (more are skipped with a warning). */
export const maxTargets = 10_000;

function instanceOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export const targetKey = (t: ScrapeTarget) => `${t.tenant}|${t.job}|${t.url}`;

export class Scraper {
  private readonly timers = new Map<
    string,
    { target: ScrapeTarget; timer: NodeJS.Timeout; last: Map<string, [string, string][]> }
  >();
  private closed = false;

  constructor(
    private readonly o: {
      db: SampleSink;
      metadata: MetadataStore;
      fetch: Fetcher;
      clock: () => number;
      log: Logger;
    },
  ) {}

  /**
   * Makes the running set equal to `targets` (level-triggered: call it whenever they may change).
   * Targets dropped get staleness markers, unless `handedOver` names them (another replica now
   * scrapes them, so their series go on).
   */
  sync(targets: ScrapeTarget[], handedOver: readonly ScrapeTarget[] = []): void {
    if (this.closed) return;
    const want = new Map(targets.slice(0, maxTargets).map((t) => [targetKey(t), t]));
    const elsewhere = new Set(handedOver.map(targetKey));
    for (const [k, entry] of this.timers) {
      if (!want.has(k)) {
        clearInterval(entry.timer);
        this.timers.delete(k);
        if (!elsewhere.has(k)) void this.markStale(entry.target, entry.last);
      }
    }
    for (const [k, t] of want) {
      if (this.timers.has(k)) continue;
      const entry = {
        target: t,
        last: new Map<string, [string, string][]>(),
        timer: setInterval(() => void this.scrape(k), t.intervalMs),
      };
      entry.timer.unref();
      this.timers.set(k, entry);
      void this.scrape(k);
    }
  }

  private async markStale(t: ScrapeTarget, last: Map<string, [string, string][]>): Promise<void> {
    const now = this.o.clock();
    const series: WriteSeries[] = [...last.values()].map((labels) => ({
      labels,
      ts: [now],
      vs: [0],
      stale: [0],
    }));
    if (series.length > 0) await this.o.db.write(t.tenant, series).catch(() => undefined);
  }

  /** Scrapes one target once and stores the result (exported for tests). */
  async scrape(key: string): Promise<void> {
    const entry = this.timers.get(key);
    if (!entry) return;
    const t = entry.target;
    const started = this.o.clock();
    const base: [string, string][] = [
      ["instance", instanceOf(t.url)],
      ["job", t.job],
      ...Object.entries(t.labels ?? {}),
    ];
    let up = 0;
    const series: WriteSeries[] = [];
    const seen = new Map<string, [string, string][]>();
    try {
      const res = await this.o.fetch(t.url, Math.max(1000, t.intervalMs - 100));
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const parsed = parseExposition(res.body);
      this.o.metadata.record(
        t.tenant,
        parsed.families.map((f) => ({ type: f.type, family: f.name, help: f.help, unit: "" })),
      );
      for (const s of parsed.samples) {
        const names = new Set(s.labels.map(([n]) => n));
        const labels = [...s.labels, ...base.filter(([n]) => !names.has(n))];
        const k = labelsKey([...labels].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
        seen.set(k, labels);
        series.push({ labels, ts: [s.timestampMs ?? started], vs: [s.value] });
      }
      up = 1;
    } catch (err) {
      this.o.log.debug({ target: t.url, err: (err as Error).message }, "scrape failed");
    }
    const duration = (this.o.clock() - started) / 1000;
    const synthetic = (name: string, v: number): WriteSeries => ({
      labels: [["__name__", name], ...base],
      ts: [started],
      vs: [v],
    });
    series.push(
      synthetic("up", up),
      synthetic("scrape_duration_seconds", duration),
      synthetic("scrape_samples_scraped", seen.size),
    );
    // Series present last time and gone now get a staleness marker, so queries stop seeing them.
    for (const [k, labels] of entry.last)
      if (!seen.has(k)) series.push({ labels, ts: [started], vs: [0], stale: [0] });
    entry.last = seen;
    const out = await this.o.db
      .write(t.tenant, series)
      .catch((err: Error) => ({ status: 500, message: err.message }));
    if (out.status !== 204)
      this.o.log.warn({ target: t.url, status: out.status, message: out.message }, "scraped samples refused");
  }

  close(): void {
    this.closed = true;
    for (const e of this.timers.values()) clearInterval(e.timer);
    this.timers.clear();
  }
}
