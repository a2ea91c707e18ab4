// Catch-up of a replica that (re)starts: before it takes writes, it copies from its peers every
// sample newer than `sinceMs` that it lacks (the peers' answers merged, then written with the
// out-of-order path, so what it already has is skipped as duplicates and gaps below a series'
// last sample are filled). Writes acknowledged by the others during the backfill stay on those
// two (still a quorum).
import type { Logger } from "pino";
import { makeMatcher } from "../tsdb/matcher.ts";
import type { SelectedSeries, Tsdb } from "../tsdb/tsdb.ts";
import { mergeReplicaSeries } from "./merge-series.ts";
import { type ReplicaSet, toWriteSeries } from "./replica-set.ts";

/** Samples copied per tenant at most (a larger gap needs the blocks copied by hand). */
export const maxBackfillSamplesPerTenant = 20_000_000;
/** Samples per local write (one WAL record) while backfilling. */
const samplesPerWrite = 200_000;

export interface BackfillResult {
  peersAnswered: number;
  tenants: number;
  samples: number;
}

export async function backfillFromPeers(
  db: Tsdb,
  replicas: ReplicaSet,
  sinceMs: number,
  log: Logger,
): Promise<BackfillResult> {
  const peerTenants = await Promise.all(
    replicas.peers.map((p) =>
      replicas.tenantsOf(p).then(
        (tenants) => ({ p, tenants }),
        (err: Error) => {
          log.warn({ peer: p, err: err.message }, "peer unavailable for backfill");
          return undefined;
        },
      ),
    ),
  );
  const answered = peerTenants.filter((x) => x !== undefined);
  const tenants = new Set(answered.flatMap((x) => x.tenants));
  const all = [makeMatcher("=~", "__name__", ".+")];
  let samples = 0;
  for (const tenant of tenants) {
    const lists = await Promise.all(
      answered
        .filter((x) => x.tenants.includes(tenant))
        .map((x) =>
          replicas
            .selectFrom(x.p, tenant, all, sinceMs, Number.POSITIVE_INFINITY, {
              maxSamples: maxBackfillSamplesPerTenant,
            })
            .catch((err: Error) => {
              log.warn({ peer: x.p, tenant, err: err.message }, "backfill read failed");
              return [];
            }),
        ),
    );
    let batch: ReturnType<typeof toWriteSeries>[] = [];
    let batchSamples = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const out = await db.write(tenant, batch, { admitted: true, outOfOrder: true });
      samples += out.accepted;
      batch = [];
      batchSamples = 0;
    };
    // First every series' samples up to the newest one this replica held (gaps: the window is
    // measured back from that, so it must not move while they go in), then the newer ones.
    const split = db.newestHeadSampleMs();
    const merged = mergeReplicaSeries(lists);
    for (const older of [true, false]) {
      for (const s of merged) {
        const part = splitAt(s, split, older);
        if (part.ts.length === 0) continue;
        batch.push(toWriteSeries(part));
        batchSamples += part.ts.length;
        if (batchSamples >= samplesPerWrite) await flush();
      }
      await flush();
    }
  }
  return { peersAnswered: answered.length, tenants: tenants.size, samples };
}

/** The samples at or before `t` (`older`), or after it. */
function splitAt(s: SelectedSeries, t: number, older: boolean): SelectedSeries {
  let lo = 0;
  let hi = s.ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  const [a, b] = older ? [0, lo] : [lo, s.ts.length];
  return {
    labels: s.labels,
    ts: s.ts.subarray(a, b),
    vs: s.vs.subarray(a, b),
    stale: s.stale.subarray(a, b),
  };
}
