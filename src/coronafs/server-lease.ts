// A volume server's liveness as a chainfire lease: the key /photon/coronafs/servers/<id>
// (value: its NBD address) lives only while the server keeps its lease alive, so the
// control plane sees a dead server as soon as the lease runs out, whatever the network
// between them says. A lease lost while the process lives is granted again.
import type { Logger } from "pino";
import { ChainfireClient, type LeaseKeeper } from "../chainfire/client.ts";

export const serverLeasePrefix = "/photon/coronafs/servers/";

export class ServerLease {
  private keeper: LeaseKeeper | undefined;
  private closed = false;
  private readonly client: ChainfireClient;

  constructor(
    endpoint: string,
    private readonly id: string,
    private readonly value: string,
    private readonly ttlSeconds: number,
    private readonly log: Logger,
  ) {
    this.client = new ChainfireClient(endpoint);
  }

  async start(): Promise<void> {
    this.keeper = await this.client.lease(this.ttlSeconds, () => {
      if (this.closed) return;
      this.log.warn({ server: this.id }, "chainfire lease lost; taking a new one");
      setTimeout(
        () => void this.start().catch((err) => this.log.error({ err }, "lease renewal failed")),
        500,
      ).unref();
    });
    await this.client.put(`${serverLeasePrefix}${this.id}`, this.value, { lease: this.keeper.id });
  }

  async close(): Promise<void> {
    this.closed = true;
    // Revoking deletes the key: a server stopped on purpose is seen as gone at once.
    await this.keeper?.close();
    this.client.close();
  }
}

/** Ids of the servers whose lease is alive (the control plane's view). */
export async function liveServers(client: ChainfireClient): Promise<Set<string>> {
  const r = await client.range(serverLeasePrefix, { prefix: true });
  return new Set(r.kvs.map((kv) => kv.key.toString().slice(serverLeasePrefix.length)));
}
