// Applies the quota arithmetic to stored quotas. Every change is one optimistic-concurrency
// update of the project's Quota object, so concurrent callers (in this process or in other
// replicas) can never overshoot a limit: a lost race is re-read and re-decided.
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { ApiError } from "../core/errors.ts";
import { KeyedMutex } from "../core/keyed-mutex.ts";
import type { AnyResource, Resource } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import {
  type Amounts,
  type CreditRequest,
  type LedgerEntrySpec,
  ledgerEntryKind,
  type QuotaSpec,
  type QuotaStatus,
  quotaKind,
  quotaName,
  type ReservationResult,
  type ReserveRequest,
} from "./api.ts";
import { commit, type Defaults, quotaBounds, release, releaseUsage, reserve } from "./quota-math.ts";

export type QuotaResource = Resource<QuotaSpec, QuotaStatus>;

export interface QuotaBookOptions {
  store: ResourceStore;
  defaults: Defaults;
  defaultTtlSeconds: number;
  clock: () => number;
  log: Logger;
}

/**
 * A credit's ledger line is named by its request id, so writing it twice finds the first; the
 * hash keeps ids that read alike once lower-cased and sanitised apart.
 */
const creditLineName = (requestId: string) =>
  `credit-${requestId
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 40)}-${createHash("sha256").update(requestId).digest("hex").slice(0, 10)}`;

/** Optimistic retries before giving up with Unavailable (each retry re-reads the quota). */
const maxAttempts = 50;

export class QuotaBook {
  private readonly mutex = new KeyedMutex();
  constructor(private readonly o: QuotaBookOptions) {}

  /** The project's quota, created with default limits on first use. */
  async quota(project: string): Promise<QuotaResource> {
    const key = { kind: quotaKind.kind, project, name: quotaName };
    const found = await this.o.store.get(key);
    if (found) return found as QuotaResource;
    const fresh: AnyResource = {
      apiVersion: quotaKind.apiVersion,
      kind: quotaKind.kind,
      metadata: {
        name: quotaName,
        project,
        uid: "",
        revision: 0,
        labels: {},
        annotations: {},
        createdAt: "",
        updatedAt: "",
      },
      spec: { limits: {}, enforceCredit: false } satisfies QuotaSpec,
      status: quotaKind.initialStatus(),
    };
    try {
      return (await this.o.store.create(fresh)) as QuotaResource;
    } catch (e) {
      if (e instanceof ApiError && e.code === "AlreadyExists")
        return (await this.o.store.get(key)) as QuotaResource;
      throw e;
    }
  }

  reserve(project: string, req: ReserveRequest): Promise<ReservationResult> {
    const ttlSeconds = req.ttlSeconds ?? this.o.defaultTtlSeconds;
    return this.mutate(project, (q, now) =>
      reserve(
        q.status,
        q.spec,
        this.o.defaults,
        { project, requestId: req.requestId, amounts: req.amounts, ttlSeconds },
        now,
      ),
    );
  }

  commit(project: string, id: string): Promise<ReservationResult> {
    return this.mutate(project, (q, now) => commit(q.status, project, id, now));
  }

  release(project: string, id: string): Promise<ReservationResult> {
    return this.mutate(project, (q, now) => release(q.status, project, id, now));
  }

  releaseUsage(project: string, requestId: string, amounts: Amounts): Promise<QuotaStatus> {
    return this.mutate(project, (q) => {
      const status = releaseUsage(q.status, requestId, amounts);
      return { status, result: status };
    });
  }

  /**
   * Adds credit. The balance changes first, in the quota's one atomic write, with the credit
   * remembered as unrecorded; then its ledger line is written and the mark cleared. A crash in
   * between leaves the mark, and recordCredits (run by the controller) writes the line later.
   */
  async credit(project: string, req: CreditRequest): Promise<QuotaStatus> {
    await this.quota(project);
    const tag = `k:${req.requestId}`;
    const status = await this.mutate(project, (q) => {
      if (q.status.recentIds.includes(tag)) return { status: q.status, result: q.status };
      if (q.status.unrecordedCredits.length >= quotaBounds.maxUnrecordedCredits)
        throw new ApiError(
          "Unavailable",
          `project ${project} has ${q.status.unrecordedCredits.length} credits waiting for their ledger lines; retry once the ledger is writable again`,
        );
      const balanceAfterMilli = q.status.balanceMilli + req.amountMilli;
      const next: QuotaStatus = {
        ...q.status,
        balanceMilli: balanceAfterMilli,
        recentIds: [...q.status.recentIds, tag].slice(-quotaBounds.recentIdMemory),
        unrecordedCredits: [
          ...q.status.unrecordedCredits,
          {
            requestId: req.requestId,
            amountMilli: req.amountMilli,
            balanceAfterMilli,
            description: req.description,
          },
        ],
      };
      return { status: next, result: next };
    });
    return status.unrecordedCredits.length ? this.recordCredits(project) : status;
  }

  /** Writes the ledger line of every unrecorded credit, then clears their marks. */
  async recordCredits(project: string): Promise<QuotaStatus> {
    const pending = (await this.quota(project)).status.unrecordedCredits;
    for (const c of pending) {
      await this.appendLedger(project, creditLineName(c.requestId), {
        type: "credit",
        amountMilli: c.amountMilli,
        balanceAfterMilli: c.balanceAfterMilli,
        description: c.description,
        requestId: c.requestId,
      });
    }
    const done = new Set(pending.map((c) => c.requestId));
    return this.mutate(project, (q) => {
      if (!q.status.unrecordedCredits.some((c) => done.has(c.requestId)))
        return { status: q.status, result: q.status };
      const next = {
        ...q.status,
        unrecordedCredits: q.status.unrecordedCredits.filter((c) => !done.has(c.requestId)),
      };
      return { status: next, result: next };
    });
  }

  /** Writes a ledger line unless one with this name exists; returns the stored line. */
  async appendLedger(
    project: string,
    name: string,
    spec: LedgerEntrySpec,
  ): Promise<Resource<LedgerEntrySpec>> {
    const obj: AnyResource = {
      apiVersion: ledgerEntryKind.apiVersion,
      kind: ledgerEntryKind.kind,
      metadata: {
        name,
        project,
        uid: "",
        revision: 0,
        labels: { type: spec.type },
        annotations: {},
        createdAt: "",
        updatedAt: "",
      },
      spec,
      status: {},
    };
    try {
      return (await this.o.store.create(obj)) as Resource<LedgerEntrySpec>;
    } catch (e) {
      if (e instanceof ApiError && e.code === "AlreadyExists") {
        return (await this.o.store.get({
          kind: ledgerEntryKind.kind,
          project,
          name,
        })) as Resource<LedgerEntrySpec>;
      }
      throw e;
    }
  }

  /** Read-decide-write with optimistic concurrency; decide() may throw to refuse. */
  mutate<T>(
    project: string,
    decide: (
      q: QuotaResource,
      nowMs: number,
    ) => { status: QuotaStatus; result: T } | Promise<{ status: QuotaStatus; result: T }>,
  ): Promise<T> {
    return this.mutex.run(project, async () => {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const q = await this.quota(project);
        const { status, result } = await decide(q, this.o.clock());
        if (status === q.status) return result;
        try {
          await this.o.store.update({ ...q, status }, { revision: q.metadata.revision });
          return result;
        } catch (e) {
          if (!(e instanceof ApiError && e.code === "Conflict")) throw e;
          this.o.log.debug({ project, attempt }, "quota changed underneath; deciding again");
        }
      }
      throw new ApiError(
        "Unavailable",
        `quota of project ${project} is changing too fast to update; retry shortly`,
      );
    });
  }
}
