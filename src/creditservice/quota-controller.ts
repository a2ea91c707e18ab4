// Keeps every quota's status true to the world, level-triggered: expired reservations are
// dropped, usage is metered into the ledger, and conditions say why a quota is as it is.
import type { Logger } from "pino";
import type { Registry } from "../core/metrics.ts";
import { setCondition } from "../core/resource/conditions.ts";
import { Controller } from "../core/resource/controller.ts";
import type { ResourceKey } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import { type Amounts, type QuotaStatus, quotaKind, type RateCardSpec, rateCardKind } from "./api.ts";
import { chargeFor } from "./metering.ts";
import type { QuotaBook } from "./quota-book.ts";
import { type Defaults, overLimit, pruneExpired } from "./quota-math.ts";

export interface QuotaControllerOptions {
  store: ResourceStore;
  book: QuotaBook;
  defaults: Defaults;
  log: Logger;
  registry?: Registry;
  clock: () => number;
  /** How often usage is turned into a ledger charge. */
  meterIntervalMs: number;
  resyncMs: number;
}

export function quotaController(o: QuotaControllerOptions): Controller {
  const rates = async (): Promise<Amounts> => {
    const card = await o.store.get({ kind: rateCardKind.kind, name: "default" });
    return (card?.spec as RateCardSpec | undefined)?.ratesMilliPerHour ?? {};
  };

  const reconcile = async (key: ResourceKey) => {
    const project = key.project!;
    // A credit whose ledger line a crash left unwritten gets it now.
    if ((await o.book.quota(project)).status.unrecordedCredits.length) await o.book.recordCredits(project);
    let nextWakeMs = o.meterIntervalMs;
    await o.book.mutate(project, async (q, nowMs) => {
      let status: QuotaStatus = pruneExpired(q.status, nowMs).status;
      const now = new Date(nowMs).toISOString();
      const meteredAtMs = status.meteredAt ? Date.parse(status.meteredAt) : undefined;
      if (meteredAtMs === undefined) {
        status = { ...status, meteredAt: now };
      } else if (nowMs - meteredAtMs >= o.meterIntervalMs) {
        const c = chargeFor(status.used, await rates(), nowMs - meteredAtMs, BigInt(status.carryMicro));
        if (c.amountMilli > 0) {
          // Named by the period's start, so a retried reconcile finds the line it wrote.
          const line = await o.book.appendLedger(project, `charge-${meteredAtMs}`, {
            type: "charge",
            amountMilli: -c.amountMilli,
            balanceAfterMilli: status.balanceMilli - c.amountMilli,
            description: "usage",
            periodStart: status.meteredAt,
            periodEnd: now,
            usage: status.used,
          });
          status = {
            ...status,
            balanceMilli: line.spec.balanceAfterMilli,
            meteredAt: line.spec.periodEnd!,
            carryMicro: c.carry.toString(),
          };
        } else {
          status = { ...status, meteredAt: now, carryMicro: c.carry.toString() };
        }
      } else {
        nextWakeMs = meteredAtMs + o.meterIntervalMs - nowMs;
      }
      for (const r of status.reservations)
        nextWakeMs = Math.min(nextWakeMs, Date.parse(r.expiresAt) - nowMs + 1);

      const over = overLimit(q.spec, o.defaults, status);
      let conditions = setCondition(
        status.conditions,
        over.length
          ? {
              type: "WithinLimits",
              status: "False",
              reason: "UsageAboveLimit",
              message: `usage is above the limit for ${over.join(", ")}; new reservations for them are refused until usage drops`,
            }
          : {
              type: "WithinLimits",
              status: "True",
              reason: "UsageWithinLimits",
              message: "usage is within every limit",
            },
        now,
      );
      conditions = setCondition(
        conditions,
        status.balanceMilli > 0 || !q.spec.enforceCredit
          ? {
              type: "CreditAvailable",
              status: "True",
              reason: q.spec.enforceCredit ? "BalancePositive" : "CreditNotEnforced",
              message: `balance ${status.balanceMilli} millicredits`,
            }
          : {
              type: "CreditAvailable",
              status: "False",
              reason: "BalanceExhausted",
              message: `balance ${status.balanceMilli} millicredits; add credit with \`photon credit add\``,
            },
        now,
      );
      status = { ...status, conditions };
      const changed = JSON.stringify(status) !== JSON.stringify(q.status);
      return { status: changed ? status : q.status, result: undefined };
    });
    return { requeueAfterMs: Math.max(1, nextWakeMs) };
  };

  return new Controller({
    name: "creditservice-quota",
    kind: quotaKind.kind,
    store: o.store,
    log: o.log,
    resyncMs: o.resyncMs,
    reconcile: async (key, obj) => (obj ? reconcile(key) : undefined),
    ...(o.registry ? { registry: o.registry } : {}),
  });
}
