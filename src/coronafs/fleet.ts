// The volume servers the control plane knows, with their NBD addresses and health, refreshed
// by polling each server's admin API. A server that has not answered for `deadAfterMs` is
// down: its volumes' primaries fail over to in-sync replicas (volume-controller.ts).
import type { Logger } from "pino";
import type { ServerLoad } from "./placement.ts";
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
}

export class Fleet {
  readonly members = new Map<string, FleetMember>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly listeners: Array<(m: FleetMember) => void> = [];

  constructor(private readonly o: FleetOptions) {
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
    await Promise.all(
      [...this.members.values()].map(async (m) => {
        const was = m.healthy;
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
  }
}
