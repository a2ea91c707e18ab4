// Background work over all stored objects: scrubbing (verify every chunk, rebuild missing
// or corrupt ones, move shards off dead nodes) and lifecycle expiration. Each pass is
// bounded and the loop is driven by the role's timer; the passes themselves are plain
// async functions that tests call directly.
import type { Logger } from "pino";
import { currentExpired, noncurrentExpired, uploadExpired } from "./lifecycle-rules.ts";
import type { MetaStore, VersionRecord } from "./meta-store.ts";
import type { QuotaGate } from "./quota-gate.ts";
import type { SegmentStore } from "./segment-store.ts";

/** Most versions one lifecycle pass expires (the next pass continues). */
export const maxExpirationsPerPass = 10_000;

export interface ScrubReport {
  startedMs: number;
  finishedMs: number;
  segments: number;
  chunksChecked: number;
  chunksRepaired: number;
  stripesUnrecoverable: number;
  segmentsMoved: number;
}

export async function scrubAll(
  meta: MetaStore,
  segments: SegmentStore,
  clock: () => number,
  log: Logger,
): Promise<ScrubReport> {
  const report: ScrubReport = {
    startedMs: clock(),
    finishedMs: 0,
    segments: 0,
    chunksChecked: 0,
    chunksRepaired: 0,
    stripesUnrecoverable: 0,
    segmentsMoved: 0,
  };
  for (const v of meta.scanAllVersions()) {
    if (v.segments.length === 0) continue;
    let changed = false;
    const segs = [];
    for (const s of v.segments) {
      const r = await segments.scrub(s);
      report.segments++;
      report.chunksChecked += r.checked;
      report.chunksRepaired += r.repaired;
      report.stripesUnrecoverable += r.unrecoverable;
      if (r.nodes) {
        changed = true;
        report.segmentsMoved++;
        segs.push({ ...s, nodes: r.nodes });
      } else segs.push(s);
    }
    if (changed) await meta.updateVersion({ ...v, segments: segs });
  }
  for (const u of meta.allUploads()) {
    for (const p of meta.listParts(u.uploadId)) {
      const r = await segments.scrub(p.segment);
      report.segments++;
      report.chunksChecked += r.checked;
      report.chunksRepaired += r.repaired;
      report.stripesUnrecoverable += r.unrecoverable;
      if (r.nodes) {
        report.segmentsMoved++;
        await meta.putPart({ ...p, segment: { ...p.segment, nodes: r.nodes } });
      }
    }
  }
  report.finishedMs = clock();
  if (report.chunksRepaired || report.stripesUnrecoverable || report.segmentsMoved)
    log.info(report, "scrub repaired data");
  return report;
}

/** Applies every bucket's lifecycle rules once; returns how many versions and uploads it removed. */
export async function expireAll(
  meta: MetaStore,
  segments: SegmentStore,
  quota: QuotaGate,
  clock: () => number,
): Promise<number> {
  const now = clock();
  let removed = 0;
  for (const b of meta.listBuckets()) {
    if (!b.lifecycle?.some((r) => r.enabled)) continue;
    let lastKey: string | undefined;
    const doomed: VersionRecord[] = [];
    const markers: VersionRecord[] = [];
    for (const v of meta.scanVersions(b.name)) {
      if (doomed.length + markers.length >= maxExpirationsPerPass) break;
      const isLatest = v.key !== lastKey;
      lastKey = v.key;
      if (isLatest && !v.deleteMarker && currentExpired(b.lifecycle, v.key, v.lastModifiedMs, now))
        markers.push(v);
      else if (
        !isLatest &&
        noncurrentExpired(b.lifecycle, v.key, v.noncurrentSinceMs ?? v.lastModifiedMs, now)
      )
        doomed.push(v);
    }
    for (const v of markers) {
      if (b.versioning === "Enabled") {
        // Expiring a current version of a versioned bucket adds a delete marker.
        await meta.putVersion(
          {
            bucket: b.name,
            key: v.key,
            versionId: `lc${now.toString(36)}${removed}`,
            deleteMarker: true,
            etag: "",
            size: 0,
            lastModifiedMs: now,
            headers: {},
            userMeta: {},
            segments: [],
          },
          false,
          now,
        );
        removed++;
      } else doomed.push(v);
    }
    for (const v of doomed) {
      await meta.removeVersion(b.name, v.key, v.versionId);
      for (const s of v.segments) await segments.delete(s);
      if (v.size) await quota.removeBytes(b.project, `lifecycle-${v.bucket}-${v.versionId}`, v.size);
      removed++;
    }
    for (const u of meta.listUploads(b.name)) {
      if (!uploadExpired(b.lifecycle, u.key, u.initiatedMs, now)) continue;
      for (const p of await meta.removeUpload(b.name, u.uploadId)) await segments.delete(p.segment);
      removed++;
    }
  }
  return removed;
}
