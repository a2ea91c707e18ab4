// Quota for buckets and stored bytes, through creditservice when it runs: a bucket is
// reserved before it is created and released when deleted; stored bytes are charged in
// whole GiB (object_gib) as a project's total crosses each GiB boundary.
import type { Logger } from "pino";
import { S3Error } from "./s3-error.ts";

/** The part of creditservice's client this uses (src/creditservice/client.ts). */
export interface CreditPort {
  withReservation<T>(
    project: string,
    requestId: string,
    amounts: Record<string, number>,
    create: () => Promise<T>,
  ): Promise<T>;
  releaseUsage(project: string, requestId: string, amounts: Record<string, number>): Promise<unknown>;
}

export interface QuotaGate {
  createBucket<T>(project: string, requestId: string, create: () => Promise<T>): Promise<T>;
  bucketDeleted(project: string, requestId: string): Promise<void>;
  /** Called before storing `bytes` more for a project; throws QuotaExceeded when over. */
  addBytes(project: string, requestId: string, bytes: number): Promise<void>;
  removeBytes(project: string, requestId: string, bytes: number): Promise<void>;
}

export const noQuota: QuotaGate = {
  createBucket: (_p, _r, create) => create(),
  bucketDeleted: async () => undefined,
  addBytes: async () => undefined,
  removeBytes: async () => undefined,
};

const gib = 1024 ** 3;
const gibOf = (bytes: number) => Math.ceil(bytes / gib);

export class CreditQuotaGate implements QuotaGate {
  /** Bytes charged per project (rebuilt from metadata at start). */
  private readonly bytes = new Map<string, number>();

  constructor(
    private readonly credit: CreditPort,
    private readonly log: Logger,
    initialBytes: Map<string, number> = new Map(),
  ) {
    for (const [p, b] of initialBytes) this.bytes.set(p, b);
  }

  createBucket<T>(project: string, requestId: string, create: () => Promise<T>): Promise<T> {
    return this.credit
      .withReservation(project, `lightningstor-bucket-${requestId}`, { buckets: 1 }, create)
      .catch((e) => {
        if ((e as { code?: string }).code === "QuotaExceeded") {
          throw new S3Error(
            "TooManyBuckets",
            `You have attempted to create more buckets than allowed: ${(e as Error).message}`,
          );
        }
        throw toS3(e);
      });
  }

  async bucketDeleted(project: string, requestId: string): Promise<void> {
    await this.credit
      .releaseUsage(project, `lightningstor-bucket-del-${requestId}`, { buckets: 1 })
      .catch((err) => this.log.warn({ err }, "releasing bucket quota failed"));
  }

  async addBytes(project: string, requestId: string, bytes: number): Promise<void> {
    const before = this.bytes.get(project) ?? 0;
    const delta = gibOf(before + bytes) - gibOf(before);
    if (delta > 0)
      await this.credit
        .withReservation(
          project,
          `lightningstor-bytes-${requestId}`,
          { object_gib: delta },
          async () => undefined,
        )
        .catch((e) => {
          throw toS3(e);
        });
    this.bytes.set(project, before + bytes);
  }

  async removeBytes(project: string, requestId: string, bytes: number): Promise<void> {
    const before = this.bytes.get(project) ?? 0;
    const after = Math.max(before - bytes, 0);
    this.bytes.set(project, after);
    const delta = gibOf(before) - gibOf(after);
    if (delta > 0)
      await this.credit
        .releaseUsage(project, `lightningstor-bytes-del-${requestId}`, { object_gib: delta })
        .catch((err) => this.log.warn({ err }, "releasing object quota failed"));
  }
}

function toS3(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  if (code === "QuotaExceeded")
    return new S3Error("QuotaExceeded", `project quota exceeded: ${(e as Error).message}`);
  if (code === "Unavailable" || code === "DeadlineExceeded")
    return new S3Error("ServiceUnavailable", "quota service unavailable; retry");
  return e;
}
