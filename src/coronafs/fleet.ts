// The volume servers the control plane knows, with their NBD addresses and health, refreshed
// by polling each server's admin API. A server that has not answered for `deadAfterMs` is
// down: its volumes' primaries fail over to in-sync replicas (volume-controller.ts).
import type { Logger } from "pino";
import { ChainfireClient } from "../chainfire/client.ts";
import type { ServerLoad } from "./placement.ts";
import { liveServers } from "./server-lease.ts";
import { VolumeServerClient } from "./volume-server-client.ts";

export interface FleetMember {
  id: string;
  api: string;
  client: VolumeServerClient;
  nbd?: string;
  volumes: number;
  lastSeenMs?: number;
  healthy: boolean;
}

export interface FleetOptions {
  servers: Record<string, string>;
  token: () => Promise<string | undefined>;
  log: Logger;
  clock: () => number;
  pollMs: number;
  deadAfterMs: number;
  /** With chainfire, a server is alive exactly while its lease key exists (server-lease.ts). */
  chainfire?: string | undefined;
}

export class Fleet {
  readonly members = new Map<string, FleetMember>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly listeners: Array<(m: FleetMember) => void> = [];
  private readonly chainfire: ChainfireClient | undefined;

  constructor(private readonly o: FleetOptions) {
    this.chainfire = o.chainfire ? new ChainfireClient(o.chainfire) : undefined;
    for (const [id, api] of Object.entries(o.servers))
      this.members.set(id, {
        id,
        api,
        client: new VolumeServerClient(api, o.token),
        volumes: 0,
        healthy: false,
      });
  }

  /** Polls once now, then every pollMs. */
  async start(): Promise<void> {
    await this.poll();
    const loop = () => {
      if (this.closed) return;
      this.timer = setTimeout(() => void this.poll().finally(loop), this.o.pollMs);
    };
    loop();
  }

  /** Called when a server's health changes. */
  onChange(fn: (m: FleetMember) => void): void {
    this.listeners.push(fn);
  }

  get(id: string): FleetMember | undefined {
    return this.members.get(id);
  }

  loads(): ServerLoad[] {
    return [...this.members.values()].map((m) => ({ id: m.id, healthy: m.healthy, volumes: m.volumes }));
  }

  async poll(): Promise<void> {
    let leased: Set<string> | undefined;
    if (this.chainfire)
      leased = await liveServers(this.chainfire).catch((err) => {
        // chainfire unreachable: keep every server's last known state rather than guess.
        this.o.log.warn({ err }, "chainfire unreachable; server liveness unchanged");
        return undefined;
      });
    await Promise.all(
      [...this.members.values()].map(async (m) => {
        const was = m.healthy;
        if (this.chainfire) {
          if (leased) m.healthy = leased.has(m.id);
          await m.client
            .info()
            .then((info) => {
              m.nbd = info.nbd;
              m.volumes = info.volumes;
              m.lastSeenMs = this.o.clock();
            })
            .catch(() => undefined);
          if (was !== m.healthy) {
            this.o.log.info({ server: m.id, healthy: m.healthy }, "volume server lease changed");
            for (const l of this.listeners) l(m);
          }
          return;
        }
        try {
          const info = await m.client.info();
          m.nbd = info.nbd;
          m.volumes = info.volumes;
          m.lastSeenMs = this.o.clock();
          m.healthy = true;
        } catch (err) {
          const silentMs = this.o.clock() - (m.lastSeenMs ?? 0);
          if (m.lastSeenMs === undefined || silentMs >= this.o.deadAfterMs) m.healthy = false;
          if (was) this.o.log.debug({ err, server: m.id, silentMs }, "volume server did not answer");
        }
        if (was !== m.healthy) {
          this.o.log.info({ server: m.id, healthy: m.healthy }, "volume server health changed");
          for (const l of this.listeners) l(m);
        }
      }),
    );
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.chainfire?.close();
  }
}
