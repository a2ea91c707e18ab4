// Leader election of coronafs control planes through a chainfire lease (chainfire's
// Election): only the leader's controllers place copies and decide failovers. A leader
// whose lease is lost stops leading at once and campaigns again.
import { hostname } from "node:os";
import type { Logger } from "pino";
import { ChainfireClient, Election } from "../chainfire/client.ts";

export const leaderTtlSeconds = 5;

export class Leadership {
  leading = false;
  private closed = false;
  private readonly client: ChainfireClient;
  private election: Election;

  constructor(
    endpoint: string,
    private readonly log: Logger,
  ) {
    this.client = new ChainfireClient(endpoint);
    this.election = new Election(this.client, "coronafs");
    void this.campaign();
  }

  private async campaign(): Promise<void> {
    while (!this.closed) {
      try {
        await this.election.campaign(`${hostname()}:${process.pid}`, {
          ttlSeconds: leaderTtlSeconds,
          onLost: () => {
            this.leading = false;
            this.log.warn("coronafs leadership lost; campaigning again");
            this.election = new Election(this.client, "coronafs");
            void this.campaign();
          },
        });
        if (this.closed) return;
        this.leading = true;
        this.log.info("coronafs control plane leads");
        return;
      } catch (err) {
        if (this.closed) return;
        this.log.warn({ err }, "campaign failed; retrying");
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.leading = false;
    await this.election.resign().catch(() => undefined);
    this.client.close();
  }
}
