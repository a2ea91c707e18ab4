// The other nightlight replicas, as seen from this one: forwarding a write to each (the raw
// remote_write body, flagged so that the peer stores it without forwarding it again), reading a
// selector's raw samples from them, listing their tenants, and probing which of them are alive.
import type { Logger } from "pino";
import { z } from "zod";
import { snappyDecompress } from "../ingest/snappy.ts";
import { decodeWriteRequest, type WriteSeries } from "../ingest/write-request.ts";
import type { Matcher } from "../tsdb/matcher.ts";
import type { SelectedSeries } from "../tsdb/tsdb.ts";
import { type QuorumSizes, quorumSizes } from "./quorum.ts";

/** Header that marks a write forwarded by a replica (honoured for unrestricted callers only). */
export const replicaHeader = "x-nightlight-replica";
/** Paths of the replica-to-replica API. */
export const replicaSelectPath = "/internal/replica/select";
export const replicaTenantsPath = "/internal/replica/tenants";
/** Forwards one peer may have outstanding; beyond it a write is not sent there (counts as failed). */
export const maxInFlightForwardsPerPeer = 64;
/** Largest decompressed answer accepted from a peer's select. */
export const maxReplicaReadBytes = 512 * 1024 * 1024;

export const replicaSelectBodySchema = z.strictObject({
  matchers: z
    .array(
      z.strictObject({
        type: z.enum(["=", "!=", "=~", "!~"]),
        name: z.string().max(1024),
        value: z.string().max(65_536),
      }),
    )
    .min(1)
    .max(64),
  /** Milliseconds; JSON has no infinities, so the open ends are clamped by the sender. */
  mint: z.number(),
  maxt: z.number(),
  maxSamples: z.number().int().min(1).optional(),
  /** Label sets only (no samples), for the series and label endpoints. */
  labelsOnly: z.boolean().optional(),
});
export type ReplicaSelectBody = z.infer<typeof replicaSelectBodySchema>;

export interface ReplicaSetOptions {
  /** This replica's base URL as its peers name it. */
  self: string;
  /** Base URLs of the other replicas. */
  peers: string[];
  token: () => Promise<string | undefined>;
  log: Logger;
  forwardTimeoutMs?: number;
  readTimeoutMs?: number;
  probeTimeoutMs?: number;
}

const timeClampMs = 9_000_000_000_000_000;

export class ReplicaSet {
  readonly quorum: QuorumSizes;
  readonly self: string;
  readonly peers: readonly string[];
  private readonly alive = new Set<string>();
  private readonly inFlight = new Map<string, number>();
  forwardsFailed = 0;

  constructor(private readonly o: ReplicaSetOptions) {
    this.self = trimSlash(o.self);
    this.peers = [...new Set(o.peers.map(trimSlash))].filter((p) => p !== this.self);
    this.quorum = quorumSizes(1 + this.peers.length);
    // Until the first probe, assume every peer is up (a down one fails fast anyway).
    for (const p of this.peers) this.alive.add(p);
  }

  get replicated(): boolean {
    return this.peers.length > 0;
  }

  /** This replica and the peers that answered the last probe, sorted. */
  liveReplicas(): string[] {
    return [this.self, ...this.peers.filter((p) => this.alive.has(p))].sort();
  }

  /** Asks every peer's /readyz; returns whether the set of live replicas changed. */
  async probe(): Promise<boolean> {
    const before = this.liveReplicas().join(",");
    await Promise.all(
      this.peers.map(async (p) => {
        try {
          const res = await fetch(`${p}/readyz`, {
            signal: AbortSignal.timeout(this.o.probeTimeoutMs ?? 2000),
          });
          await res.arrayBuffer();
          if (res.status === 200) this.alive.add(p);
          else this.alive.delete(p);
        } catch {
          this.alive.delete(p);
        }
      }),
    );
    return before !== this.liveReplicas().join(",");
  }

  private async headers(tenant: string, extra: Record<string, string>): Promise<Record<string, string>> {
    const token = await this.o.token();
    return {
      ...extra,
      "x-photon-project": tenant,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
  }

  /**
   * Sends a snappy-compressed remote_write body to every peer. Each promise resolves true when
   * the peer stored what it could (204, or 400 for samples every replica refuses alike).
   */
  forward(tenant: string, body: Uint8Array): Promise<boolean>[] {
    return this.peers.map(async (p) => {
      const n = this.inFlight.get(p) ?? 0;
      if (n >= maxInFlightForwardsPerPeer) {
        this.forwardsFailed++;
        return false;
      }
      this.inFlight.set(p, n + 1);
      try {
        const res = await fetch(`${p}/api/v1/write`, {
          method: "POST",
          headers: await this.headers(tenant, {
            "content-type": "application/x-protobuf",
            "content-encoding": "snappy",
            [replicaHeader]: "1",
          }),
          body,
          signal: AbortSignal.timeout(this.o.forwardTimeoutMs ?? 10_000),
        });
        const text = await res.text();
        if (res.status === 204 || res.status === 400) return true;
        this.o.log.debug({ peer: p, status: res.status, text }, "replica refused a forwarded write");
      } catch (err) {
        this.o.log.debug({ peer: p, err: (err as Error).message }, "cannot forward a write to a replica");
      } finally {
        this.inFlight.set(p, (this.inFlight.get(p) ?? 1) - 1);
      }
      this.forwardsFailed++;
      return false;
    });
  }

  /** One peer's raw samples of the series matching `matchers` within [mint, maxt]. */
  async selectFrom(
    peer: string,
    tenant: string,
    matchers: readonly Matcher[],
    mint: number,
    maxt: number,
    opts: { maxSamples?: number; labelsOnly?: boolean } = {},
  ): Promise<SelectedSeries[]> {
    const body: ReplicaSelectBody = {
      matchers: matchers.map(({ type, name, value }) => ({ type, name, value })),
      mint: clamp(mint),
      maxt: clamp(maxt),
      ...opts,
    };
    const res = await fetch(`${peer}${replicaSelectPath}`, {
      method: "POST",
      headers: await this.headers(tenant, { "content-type": "application/json" }),
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.o.readTimeoutMs ?? 30_000),
    });
    const buf = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200)
      throw new Error(`replica ${peer} answered ${res.status}: ${Buffer.from(buf).toString("utf8", 0, 500)}`);
    return decodeWriteRequest(snappyDecompress(buf, maxReplicaReadBytes)).series.map(toSelected);
  }

  /**
   * Reads a selector from the peers until `needed` of them answered (or all failed); resolves
   * with the answers got by then. The slower peers' answers are not waited for.
   */
  selectFromPeers(
    tenant: string,
    matchers: readonly Matcher[],
    mint: number,
    maxt: number,
    needed: number,
    opts: { labelsOnly?: boolean } = {},
  ): Promise<SelectedSeries[][]> {
    const got: SelectedSeries[][] = [];
    if (needed <= 0 || this.peers.length === 0) return Promise.resolve(got);
    return new Promise((resolve) => {
      let settled = 0;
      const settle = () => {
        settled++;
        if (got.length >= needed || settled === this.peers.length) resolve(got);
      };
      for (const p of this.peers) {
        this.selectFrom(p, tenant, matchers, mint, maxt, opts).then(
          (s) => {
            got.push(s);
            settle();
          },
          (err: Error) => {
            this.o.log.debug({ peer: p, err: err.message }, "replica read failed");
            settle();
          },
        );
      }
    });
  }

  async tenantsOf(peer: string): Promise<string[]> {
    const token = await this.o.token();
    const res = await fetch(`${peer}${replicaTenantsPath}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(this.o.readTimeoutMs ?? 30_000),
    });
    const json: unknown = await res.json();
    if (res.status !== 200) throw new Error(`replica ${peer} answered ${res.status}`);
    return z.object({ tenants: z.array(z.string()) }).parse(json).tenants;
  }
}

function toSelected(ws: WriteSeries): SelectedSeries {
  const n = ws.ts.length;
  const stale = new Uint8Array(n);
  for (const i of ws.stale ?? []) stale[i] = 1;
  return { labels: ws.labels, ts: Float64Array.from(ws.ts), vs: Float64Array.from(ws.vs), stale };
}

/** A selected series as remote_write series (for the replica select answer and backfill). */
export function toWriteSeries(s: SelectedSeries): WriteSeries {
  const stale: number[] = [];
  for (let i = 0; i < s.stale.length; i++) if (s.stale[i]) stale.push(i);
  return {
    labels: s.labels.map(([n, v]) => [n, v]),
    ts: Array.from(s.ts),
    vs: Array.from(s.vs),
    ...(stale.length > 0 ? { stale } : {}),
  };
}

const clamp = (t: number) => Math.max(-timeClampMs, Math.min(timeClampMs, t));
const trimSlash = (u: string) => u.replace(/\/+$/, "");
