// Typed client of creditservice, for the services that reserve quota and for the CLI.
import { HttpClient, type HttpClientOptions } from "../core/http-client.ts";
import type { Resource } from "../core/resource/model.ts";
import type { ListResult } from "../core/resource/store.ts";
import type {
  Amounts,
  LedgerEntrySpec,
  QuotaSpec,
  QuotaStatus,
  RateCardSpec,
  Reservation,
  ReservationResult,
} from "./api.ts";
import { quotaName } from "./api.ts";

export type Quota = Resource<QuotaSpec, QuotaStatus>;

export class CreditClient {
  readonly http: HttpClient;
  constructor(opts: HttpClientOptions | HttpClient) {
    this.http = opts instanceof HttpClient ? opts : new HttpClient(opts);
  }

  getQuota(project: string): Promise<Quota> {
    return this.http.get(`/v1/projects/${project}/quotas/${quotaName}`);
  }

  listQuotas(project: string): Promise<ListResult> {
    return this.http.get(`/v1/projects/${project}/quotas`);
  }

  /** Sets limits (merged into the existing ones), creating the quota if needed. */
  async setLimits(project: string, limits: Amounts, enforceCredit?: boolean): Promise<Quota> {
    const spec: Partial<QuotaSpec> = { limits, ...(enforceCredit !== undefined ? { enforceCredit } : {}) };
    try {
      return await this.http.patch(`/v1/projects/${project}/quotas/${quotaName}`, { spec });
    } catch (e) {
      if ((e as { code?: string }).code !== "NotFound") throw e;
      return this.http.post(`/v1/projects/${project}/quotas`, {
        metadata: { name: quotaName },
        spec: { limits, enforceCredit: enforceCredit ?? false },
      });
    }
  }

  deleteQuota(project: string): Promise<Quota> {
    return this.http.delete(`/v1/projects/${project}/quotas/${quotaName}`);
  }

  /** Reserve before creating; safe to retry with the same requestId. */
  reserve(
    project: string,
    requestId: string,
    amounts: Amounts,
    ttlSeconds?: number,
  ): Promise<ReservationResult> {
    return this.http.post(
      `/v1/projects/${project}/reservations`,
      { requestId, amounts, ...(ttlSeconds ? { ttlSeconds } : {}) },
      { idempotent: true },
    );
  }

  commit(project: string, requestId: string): Promise<ReservationResult> {
    return this.http.post(
      `/v1/projects/${project}/reservations/${encodeURIComponent(requestId)}/commit`,
      {},
      { idempotent: true },
    );
  }

  release(project: string, requestId: string): Promise<ReservationResult> {
    return this.http.delete(`/v1/projects/${project}/reservations/${encodeURIComponent(requestId)}`);
  }

  listReservations(project: string): Promise<{ items: Reservation[] }> {
    return this.http.get(`/v1/projects/${project}/reservations`);
  }

  releaseUsage(project: string, requestId: string, amounts: Amounts): Promise<QuotaStatus> {
    return this.http.post(
      `/v1/projects/${project}/usage/release`,
      { requestId, amounts },
      { idempotent: true },
    );
  }

  addCredit(
    project: string,
    requestId: string,
    amountMilli: number,
    description?: string,
  ): Promise<QuotaStatus> {
    return this.http.post(
      `/v1/projects/${project}/credits`,
      { requestId, amountMilli, ...(description ? { description } : {}) },
      { idempotent: true },
    );
  }

  ledger(
    project: string,
    opts: { limit?: number; continue?: string } = {},
  ): Promise<ListResult & { items: Resource<LedgerEntrySpec>[] }> {
    return this.http.get(`/v1/projects/${project}/ledger`, { query: opts });
  }

  setRates(ratesMilliPerHour: Amounts): Promise<Resource<RateCardSpec>> {
    return this.http
      .put<Resource<RateCardSpec>>(`/v1/ratecards/default`, {
        metadata: { name: "default" },
        spec: { ratesMilliPerHour },
      })
      .catch((e) => {
        if ((e as { code?: string }).code !== "NotFound") throw e;
        return this.http.post(`/v1/ratecards`, {
          metadata: { name: "default" },
          spec: { ratesMilliPerHour },
        });
      });
  }

  /**
   * Runs `create` under a reservation: reserve, create, commit; release if create fails.
   * This is the integration pattern every service follows (README.md).
   */
  async withReservation<T>(
    project: string,
    requestId: string,
    amounts: Amounts,
    create: () => Promise<T>,
  ): Promise<T> {
    await this.reserve(project, requestId, amounts);
    let created: T;
    try {
      created = await create();
    } catch (e) {
      await this.release(project, requestId).catch(() => undefined);
      throw e;
    }
    await this.commit(project, requestId);
    return created;
  }
}
