// `photon creditservice`: wires the store, the quota book, the controller and the REST API.
import { z } from "zod";
import { ApiServer } from "../core/api/server.ts";
import { commonOptions, option } from "../core/config.ts";
import { createRegistry } from "../core/metrics.ts";
import { defineRole } from "../core/role.ts";
import { type Amounts, amountsSchema, maxReservationTtlSeconds } from "./api.ts";
import { QuotaBook } from "./quota-book.ts";
import { quotaController } from "./quota-controller.ts";
import { creditRoutes } from "./routes.ts";

/** Limits a project gets until someone sets its quota: a small laptop-sized cloud. */
export const defaultLimits: Amounts = {
  vcpu: 16,
  memory_mib: 32_768,
  volume_gib: 500,
  object_gib: 1000,
  buckets: 100,
  vms: 20,
  load_balancers: 10,
  public_ips: 5,
  pods: 100,
  dns_zones: 20,
};

export const creditserviceOptions = {
  ...commonOptions,
  port: option(z.number().int().min(0).max(65535), 7402, "HTTP port of the REST API"),
  defaultLimits: option(
    amountsSchema as z.ZodType<Amounts>,
    defaultLimits,
    "limits of a project without its own quota, as class=n,…",
  ),
  reservationTtlSeconds: option(
    z.number().int().min(1).max(maxReservationTtlSeconds),
    300,
    "how long an uncommitted reservation holds quota",
  ),
  meterIntervalMs: option(
    z.number().int().min(100).max(86_400_000),
    60_000,
    "how often usage is charged to the ledger",
  ),
  resyncMs: option(z.number().int().min(100).max(3_600_000), 30_000, "how often every quota is re-checked"),
};

export const creditserviceRole = defineRole({
  name: "creditservice",
  description: "quotas, reservations, credit balance and the usage ledger",
  options: creditserviceOptions,
  async start(config, deps) {
    const log = deps.log.child({ component: "creditservice" });
    const registry = createRegistry("creditservice");
    const store = await deps.openStore("creditservice");
    const clock = Date.now;
    const book = new QuotaBook({
      store,
      defaults: config.defaultLimits,
      defaultTtlSeconds: config.reservationTtlSeconds,
      clock,
      log,
    });
    const controller = quotaController({
      store,
      book,
      defaults: config.defaultLimits,
      log,
      registry,
      clock,
      meterIntervalMs: config.meterIntervalMs,
      resyncMs: config.resyncMs,
    });
    const api = new ApiServer({ name: "creditservice", logger: log, registry, auth: deps.auth });
    api.add(...creditRoutes(store, book));
    await controller.start();
    await api.listen(config.listen, config.port);
    return {
      endpoints: { api: api.url() },
      async close() {
        await api.close();
        await controller.close();
        await store.close();
      },
    };
  },
});
