// Applies the quota arithmetic to stored quotas. Every change is one optimistic-concurrency
// update of the project's Quota object, so concurrent callers (in this process or in other
// replicas) can never overshoot a limit: a lost race is re-read and re-decided.
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
import { commit, type Defaults, release, releaseUsage, reserve } from "./quota-math.ts";

export type QuotaResource = Resource<QuotaSpec, QuotaStatus>;

export interface QuotaBookOptions {
  store: ResourceStore;
  defaults: Defaults;
  defaultTtlSeconds: number;
  clock: () => number;
  log: Logger;
}

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
   * Adds credit: the ledger line first (named by request id, so a retry finds it), then the
   * balance. A caller that retries with the same request id completes a half-done credit.
   */
  async credit(project: string, req: CreditRequest): Promise<QuotaStatus> {
    await this.quota(project);
    const tag = `k:${req.requestId}`;
    return this.mutate(project, async (q) => {
      if (q.status.recentIds.includes(tag)) return { status: q.status, result: q.status };
      const balanceAfterMilli = q.status.balanceMilli + req.amountMilli;
      await this.appendLedger(
        project,
        `credit-${req.requestId
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, "-")
          .slice(0, 50)}`,
        {
          type: "credit",
          amountMilli: req.amountMilli,
          balanceAfterMilli,
          description: req.description,
          requestId: req.requestId,
        },
      );
      const status = {
        ...q.status,
        balanceMilli: balanceAfterMilli,
        recentIds: [...q.status.recentIds, tag].slice(-1000),
      };
      return { status, result: status };
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
