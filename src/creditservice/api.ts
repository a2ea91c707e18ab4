// creditservice's public contract: quotas, reservations, the credit balance and the ledger.
// Every other service reserves here before it creates anything (see README.md).
import { z } from "zod";
import { defineKind } from "../core/resource/kind.ts";
import { conditionSchema, nameSchema } from "../core/resource/model.ts";

/** Resource classes that quotas limit. Units are in the names; all quantities are integers. */
export const resourceClasses = [
  "vcpu",
  "memory_mib",
  "volume_gib",
  "object_gib",
  "buckets",
  "vms",
  "load_balancers",
  "public_ips",
  "pods",
  "dns_zones",
] as const;
export const resourceClassSchema = z.enum(resourceClasses);
export type ResourceClass = z.infer<typeof resourceClassSchema>;

/** Largest quantity anywhere: far beyond any real cloud, and exact in a double. */
export const maxQuantity = 1_000_000_000_000;
const quantity = z
  .number()
  .int("must be a whole number")
  .min(0, "must not be negative")
  .max(maxQuantity, `must be at most ${maxQuantity}`);
const positiveQuantity = quantity.min(1, "must be at least 1");

export const amountsSchema = z
  .partialRecord(resourceClassSchema, quantity)
  .refine((a) => Object.keys(a).length > 0, "name at least one resource class");
export type Amounts = Partial<Record<ResourceClass, number>>;

/** What a reservation or a usage release asks for: each named class at least 1. */
export const requestAmountsSchema = z
  .partialRecord(resourceClassSchema, positiveQuantity)
  .refine((a) => Object.keys(a).length > 0, "name at least one resource class");

export const quotaName = "default";

export const quotaSpecSchema = z.strictObject({
  /** Limit per class; a class not listed falls back to the cluster's default limit. */
  limits: z.partialRecord(resourceClassSchema, quantity),
  /** Refuse new reservations while the credit balance is not positive. */
  enforceCredit: z.boolean().default(false),
});
export type QuotaSpec = z.infer<typeof quotaSpecSchema>;

export const reservationSchema = z.strictObject({
  id: z.string(),
  amounts: z.partialRecord(resourceClassSchema, quantity),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Reservation = z.infer<typeof reservationSchema>;

export const unrecordedCreditSchema = z.strictObject({
  requestId: z.string(),
  amountMilli: z.number().int(),
  balanceAfterMilli: z.number().int(),
  description: z.string().max(1024),
});
export type UnrecordedCredit = z.infer<typeof unrecordedCreditSchema>;

export const quotaStatusSchema = z.strictObject({
  used: z.partialRecord(resourceClassSchema, quantity),
  reservations: z.array(reservationSchema),
  /** Ids of recent commits and releases, so a retried call is answered, not applied twice. */
  recentIds: z.array(z.string()),
  /** Credit balance in millicredits (1 credit = 1000). */
  balanceMilli: z.number().int(),
  /** Metering has charged usage up to this time. */
  meteredAt: z.string().optional(),
  /** Sub-millicredit remainder carried to the next charge, in millicredit·ms per hour units. */
  carryMicro: z.string().default("0"),
  /**
   * Credits already in the balance whose ledger line is not written yet. The balance changes
   * first (one atomic write); the line follows, and the controller writes any a crash left.
   */
  unrecordedCredits: z.array(unrecordedCreditSchema).default([]),
  conditions: z.array(conditionSchema),
});
export type QuotaStatus = z.infer<typeof quotaStatusSchema>;

export const quotaKind = defineKind({
  component: "creditservice",
  apiVersion: "creditservice/v1",
  kind: "Quota",
  plural: "quotas",
  scope: "project",
  spec: quotaSpecSchema,
  status: quotaStatusSchema,
  initialStatus: (): QuotaStatus => ({
    used: {},
    reservations: [],
    recentIds: [],
    balanceMilli: 0,
    carryMicro: "0",
    unrecordedCredits: [],
    conditions: [],
  }),
  description: "A project's limits, usage, pending reservations and credit balance",
});

export const rateCardSpecSchema = z.strictObject({
  /** Millicredits charged per unit of each class per hour of use. */
  ratesMilliPerHour: z.partialRecord(resourceClassSchema, quantity),
});
export type RateCardSpec = z.infer<typeof rateCardSpecSchema>;

export const rateCardKind = defineKind({
  component: "creditservice",
  apiVersion: "creditservice/v1",
  kind: "RateCard",
  plural: "ratecards",
  scope: "cluster",
  spec: rateCardSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "Charge rates per resource-hour; the one named 'default' applies",
});

export const ledgerEntrySpecSchema = z.strictObject({
  type: z.enum(["charge", "credit"]),
  /** Signed: charges are negative, credits positive. */
  amountMilli: z.number().int(),
  balanceAfterMilli: z.number().int(),
  description: z.string().max(1024),
  periodStart: z.string().optional(),
  periodEnd: z.string().optional(),
  usage: z.partialRecord(resourceClassSchema, quantity).optional(),
  requestId: z.string().optional(),
});
export type LedgerEntrySpec = z.infer<typeof ledgerEntrySpecSchema>;

export const ledgerEntryKind = defineKind({
  component: "creditservice",
  apiVersion: "creditservice/v1",
  kind: "LedgerEntry",
  plural: "ledger",
  scope: "project",
  spec: ledgerEntrySpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "One append-only line of a project's usage ledger",
});

/** Reservation and request ids: chosen by the caller, so retries are idempotent. */
export const requestIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, "request id may hold letters, digits and . _ : -");

export const maxReservationTtlSeconds = 3600;

export const reserveRequestSchema = z.strictObject({
  requestId: requestIdSchema,
  amounts: requestAmountsSchema,
  ttlSeconds: z.number().int().min(1).max(maxReservationTtlSeconds).optional(),
});
export type ReserveRequest = z.infer<typeof reserveRequestSchema>;

export const usageReleaseSchema = z.strictObject({
  requestId: requestIdSchema,
  amounts: requestAmountsSchema,
});
export type UsageRelease = z.infer<typeof usageReleaseSchema>;

export const creditRequestSchema = z.strictObject({
  requestId: requestIdSchema,
  amountMilli: z.number().int().min(1).max(maxQuantity),
  description: z.string().max(1024).default("credit"),
});
export type CreditRequest = z.infer<typeof creditRequestSchema>;

export const reservationResultSchema = z.strictObject({
  project: nameSchema,
  reservation: reservationSchema,
  state: z.enum(["pending", "committed", "released"]),
});
export type ReservationResult = z.infer<typeof reservationResultSchema>;
