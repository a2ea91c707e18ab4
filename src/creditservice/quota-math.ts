// The quota arithmetic, pure: reserve, commit, release and expire on a quota's status, with
// integer quantities only. Every function returns a new status or throws an ApiError that
// names the limit, the usage and the request.
import { ApiError } from "../core/errors.ts";
import type {
  Amounts,
  QuotaSpec,
  QuotaStatus,
  Reservation,
  ReservationResult,
  ResourceClass,
} from "./api.ts";

export const quotaBounds = {
  /** Pending reservations one project may hold at once. */
  maxPendingReservations: 1000,
  /** Ids remembered to answer retried commits and releases. */
  recentIdMemory: 1000,
  /** Credits whose ledger line is still to be written; more are refused until it is. */
  maxUnrecordedCredits: 100,
};

export type Defaults = Amounts;

export function limitOf(spec: QuotaSpec, defaults: Defaults, c: ResourceClass): number {
  return spec.limits[c] ?? defaults[c] ?? 0;
}

export function pruneExpired(
  status: QuotaStatus,
  nowMs: number,
): { status: QuotaStatus; expired: Reservation[] } {
  const expired = status.reservations.filter((r) => Date.parse(r.expiresAt) <= nowMs);
  if (expired.length === 0) return { status, expired };
  return {
    status: { ...status, reservations: status.reservations.filter((r) => !expired.includes(r)) },
    expired,
  };
}

export function reservedTotals(status: QuotaStatus): Amounts {
  const out: Amounts = {};
  for (const r of status.reservations) {
    for (const [c, n] of Object.entries(r.amounts) as [ResourceClass, number][]) out[c] = (out[c] ?? 0) + n;
  }
  return out;
}

const sameAmounts = (a: Amounts, b: Amounts) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<ResourceClass>;
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

const remember = (status: QuotaStatus, tag: string): string[] =>
  [...status.recentIds, tag].slice(-quotaBounds.recentIdMemory);

export interface ReserveInput {
  project: string;
  requestId: string;
  amounts: Amounts;
  ttlSeconds: number;
}

export function reserve(
  status0: QuotaStatus,
  spec: QuotaSpec,
  defaults: Defaults,
  req: ReserveInput,
  nowMs: number,
): { status: QuotaStatus; result: ReservationResult } {
  const { status } = pruneExpired(status0, nowMs);
  const existing = status.reservations.find((r) => r.id === req.requestId);
  if (existing) {
    if (!sameAmounts(existing.amounts, req.amounts)) {
      throw new ApiError(
        "AlreadyExists",
        `reservation "${req.requestId}" already exists with other amounts; use a new request id`,
      );
    }
    return { status, result: { project: req.project, reservation: existing, state: "pending" } };
  }
  const settled = status.recentIds.find((t) => t.slice(2) === req.requestId);
  if (settled) {
    throw new ApiError(
      "FailedPrecondition",
      `reservation "${req.requestId}" was already ${settled.startsWith("c:") ? "committed" : "released"}; use a new request id`,
    );
  }
  if (spec.enforceCredit && status.balanceMilli <= 0) {
    throw new ApiError(
      "QuotaExceeded",
      `project ${req.project} has no credit left (balance ${status.balanceMilli} millicredits); add credit with \`photon credit add\``,
      {
        balanceMilli: status.balanceMilli,
      },
    );
  }
  if (status.reservations.length >= quotaBounds.maxPendingReservations) {
    throw new ApiError(
      "QuotaExceeded",
      `project ${req.project} already has ${status.reservations.length} pending reservations, the most allowed; commit or release some`,
    );
  }
  const reserved = reservedTotals(status);
  for (const [c, n] of Object.entries(req.amounts) as [ResourceClass, number][]) {
    const limit = limitOf(spec, defaults, c);
    const used = status.used[c] ?? 0;
    const held = reserved[c] ?? 0;
    if (used + held + n > limit) {
      throw new ApiError(
        "QuotaExceeded",
        `quota exceeded for ${c} in project ${req.project}: limit ${limit}, in use ${used}, reserved ${held}, requested ${n}; free some or raise the limit with \`photon quota set ${req.project} ${c}=<n>\``,
        { class: c, limit, used, reserved: held, requested: n },
      );
    }
  }
  const reservation: Reservation = {
    id: req.requestId,
    amounts: req.amounts,
    createdAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + req.ttlSeconds * 1000).toISOString(),
  };
  return {
    status: { ...status, reservations: [...status.reservations, reservation] },
    result: { project: req.project, reservation, state: "pending" },
  };
}

function settledReplay(status: QuotaStatus, project: string, id: string): ReservationResult | undefined {
  const tag = status.recentIds.find((t) => t.slice(2) === id);
  if (!tag) return undefined;
  const state = tag.startsWith("c:") ? "committed" : "released";
  return { project, reservation: { id, amounts: {}, createdAt: "", expiresAt: "" }, state };
}

type Settlement = "committed" | "released";

/**
 * Takes a pending reservation out of status for commit or release. A retry of the same
 * settlement answers as the first did; the other settlement of a settled id is refused.
 */
function settle(
  status0: QuotaStatus,
  project: string,
  id: string,
  nowMs: number,
  as: Settlement,
): { status: QuotaStatus; reservation: Reservation } | { replay: ReservationResult; status: QuotaStatus } {
  const { status } = pruneExpired(status0, nowMs);
  const reservation = status.reservations.find((x) => x.id === id);
  if (reservation) {
    return {
      reservation,
      status: {
        ...status,
        reservations: status.reservations.filter((x) => x !== reservation),
        recentIds: remember(status, `${as === "committed" ? "c" : "r"}:${id}`),
      },
    };
  }
  const replay = settledReplay(status, project, id);
  if (replay?.state === as) return { replay, status };
  if (replay?.state === "released")
    throw new ApiError("FailedPrecondition", `reservation "${id}" was released; reserve again`);
  if (replay)
    throw new ApiError("FailedPrecondition", `reservation "${id}" was committed; release the usage instead`);
  throw new ApiError(
    "NotFound",
    `reservation "${id}" in project ${project} not found or expired; reserve again`,
  );
}

export function commit(
  status0: QuotaStatus,
  project: string,
  id: string,
  nowMs: number,
): { status: QuotaStatus; result: ReservationResult } {
  const s = settle(status0, project, id, nowMs, "committed");
  if ("replay" in s) return { status: s.status, result: s.replay };
  const used = { ...s.status.used };
  for (const [c, n] of Object.entries(s.reservation.amounts) as [ResourceClass, number][])
    used[c] = (used[c] ?? 0) + n;
  return {
    status: { ...s.status, used },
    result: { project, reservation: s.reservation, state: "committed" },
  };
}

export function release(
  status0: QuotaStatus,
  project: string,
  id: string,
  nowMs: number,
): { status: QuotaStatus; result: ReservationResult } {
  const s = settle(status0, project, id, nowMs, "released");
  if ("replay" in s) return { status: s.status, result: s.replay };
  return { status: s.status, result: { project, reservation: s.reservation, state: "released" } };
}

/** Gives back usage when a resource is deleted; idempotent by request id. */
export function releaseUsage(status: QuotaStatus, requestId: string, amounts: Amounts): QuotaStatus {
  const tag = `u:${requestId}`;
  if (status.recentIds.includes(tag)) return status;
  const used = { ...status.used };
  for (const [c, n] of Object.entries(amounts) as [ResourceClass, number][])
    used[c] = Math.max(0, (used[c] ?? 0) - n);
  return { ...status, used, recentIds: remember(status, tag) };
}

/** Classes whose usage is above the limit (after a limit was lowered). */
export function overLimit(spec: QuotaSpec, defaults: Defaults, status: QuotaStatus): ResourceClass[] {
  return (Object.entries(status.used) as [ResourceClass, number][])
    .filter(([c, n]) => n > limitOf(spec, defaults, c))
    .map(([c]) => c);
}
