// The ingest path of a replica set (remote_write and scrapes): a write is admitted against the
// tenant's rate limit where it arrives, stored in the local WAL and forwarded to every peer at
// once, and acknowledged when a write quorum (2 of 3) has it fsynced. With no peers it is the
// plain local write.
import { snappyCompress } from "../ingest/snappy.ts";
import { encodeWriteRequest, type WriteSeries } from "../ingest/write-request.ts";
import type { Tsdb, WriteOutcome } from "../tsdb/tsdb.ts";
import { awaitQuorum } from "./quorum.ts";
import type { ReplicaSet } from "./replica-set.ts";

export interface IngestOutcome {
  /** 204 stored; 400 some refused for good; 429 over the rate limit; 503 no write quorum. */
  status: 204 | 400 | 429 | 503;
  message?: string;
}

export class ReplicatedWrite {
  constructor(
    private readonly db: Tsdb,
    private readonly replicas: ReplicaSet | undefined,
  ) {}

  /**
   * A write forwarded by a peer: admitted there, stored here only. Out-of-order samples are taken
   * (within the window): forwards of one series travel as separate requests and may overtake
   * each other, so this replica can see batch k after k+1.
   */
  async storeReplica(tenant: string, series: WriteSeries[], wire?: Uint8Array): Promise<IngestOutcome> {
    return this.db.write(tenant, series, { admitted: true, outOfOrder: true, ...(wire ? { wire } : {}) });
  }

  /**
   * A write that arrived here (remote_write body `wire` when there is one, else it is encoded
   * for the peers).
   */
  async write(tenant: string, series: WriteSeries[], wire?: Uint8Array): Promise<IngestOutcome> {
    if (!this.replicas?.replicated) return this.db.write(tenant, series, wire ? { wire } : {});
    const refused = this.db.admit(tenant, series);
    if (refused) return refused as IngestOutcome;
    const body = wire ?? snappyCompress(encodeWriteRequest({ series }));
    let local: WriteOutcome | undefined;
    // The same verdicts as the peers reach on this body (they take out-of-order samples), so that
    // a 400 from here never hides samples the peers stored.
    const localWrite = this.db.write(tenant, series, { admitted: true, outOfOrder: true, wire: body }).then(
      (out) => {
        local = out;
        return true;
      },
      () => false,
    );
    const { write: needed, replicas } = this.replicas.quorum;
    const stored = await awaitQuorum([localWrite, ...this.replicas.forward(tenant, body)], needed);
    if (stored < needed)
      return {
        status: 503,
        message: `only ${stored} of ${replicas} replicas stored the write (${needed} needed); retry`,
      };
    // The answer carries the local verdict on refused samples (every replica decides alike).
    await localWrite;
    return local ?? { status: 204 };
  }
}
