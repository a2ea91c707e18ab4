// The instances behind one component: keep-alive connection pools, round-robin spreading,
// and passive health (an instance that refused a connection sits out a cooldown).
import { Pool } from "undici";

export interface Instance {
  url: string;
  pool: Pool;
  downUntilMs: number;
}

export const poolDefaults = {
  /** Keep-alive connections per backend instance. */
  connectionsPerInstance: 64,
  /** How long an instance that failed a connection is skipped. */
  failCooldownMs: 2_000,
};

export class UpstreamPool {
  private instances: Instance[] = [];
  private next = 0;

  constructor(
    urls: string[],
    private readonly clock: () => number = Date.now,
  ) {
    this.setInstances(urls);
  }

  setInstances(urls: string[]): void {
    const keep = this.instances.filter((i) => urls.includes(i.url));
    for (const gone of this.instances.filter((i) => !urls.includes(i.url))) void gone.pool.close();
    for (const url of urls.filter((u) => !keep.some((i) => i.url === u))) {
      keep.push({
        url,
        pool: new Pool(url, { connections: poolDefaults.connectionsPerInstance, pipelining: 1 }),
        downUntilMs: 0,
      });
    }
    this.instances = keep;
  }

  urls(): string[] {
    return this.instances.map((i) => i.url);
  }

  /** The next healthy instance not yet tried; an unhealthy one if nothing else is left. */
  pick(tried: ReadonlySet<string>): Instance | undefined {
    const now = this.clock();
    const candidates = this.instances.filter((i) => !tried.has(i.url));
    if (candidates.length === 0) return undefined;
    const healthy = candidates.filter((i) => i.downUntilMs <= now);
    const from = healthy.length ? healthy : candidates;
    this.next = (this.next + 1) % 1_000_000;
    return from[this.next % from.length];
  }

  markDown(i: Instance): void {
    i.downUntilMs = this.clock() + poolDefaults.failCooldownMs;
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.pool.close()));
    this.instances = [];
  }
}
