// etcdserverpb.Lease. Grants and revokes are replicated commands; keep-alives only move the
// leader-local deadline (etcd does the same), so they cost no disk write.
import { randomInt } from "node:crypto";
import { etcdErrors } from "../etcd-errors.ts";
import { MAX_LEASE_TTL_SECONDS, MIN_LEASE_TTL_SECONDS } from "../limits.ts";
import { type Msg, num } from "./codec.ts";
import { header, type ServiceContext, unary } from "./context.ts";
import type { ServiceImpl } from "./method.ts";
import type { ServerStreamCall } from "./server-stream-call.ts";

export function leaseService(ctx: ServiceContext): ServiceImpl {
  const { store } = ctx;
  return {
    LeaseGrant: unary(ctx, async (m: Msg) => {
      const requestedTtl = num(m.TTL);
      if (requestedTtl > MAX_LEASE_TTL_SECONDS) throw etcdErrors.leaseTTLTooLarge();
      const ttlSeconds = Math.max(requestedTtl, MIN_LEASE_TTL_SECONDS);
      let id = num(m.ID);
      if (id < 0) throw etcdErrors.malformed("lease ID must not be negative");
      // Ids are chosen before proposing so that every member applies the same one.
      while (id === 0 || (num(m.ID) === 0 && store.view.lease(id))) id = randomInt(1, 2 ** 47);
      const { result, revision } = await store.propose({ op: "leaseGrant", id, ttlSeconds });
      if (result.op !== "leaseGrant") throw new Error("lease grant returned a different result");
      return { header: header(ctx, revision), ID: result.id, TTL: result.ttlSeconds, error: "" };
    }),
    LeaseRevoke: unary(ctx, async (m: Msg) => {
      const { revision } = await store.propose({ op: "leaseRevoke", id: num(m.ID) });
      return { header: header(ctx, revision) };
    }),
    LeaseKeepAlive: {
      kind: "stream",
      handle: (call: ServerStreamCall) => {
        call.on("data", (m: Msg) => {
          Promise.resolve()
            .then(async () => {
              const id = num(m.ID);
              // An unknown lease answers TTL 0, which clients read as "expired".
              call.write({ header: header(ctx), ID: id, TTL: await ctx.raft.keepAlive(id) });
            })
            .catch((err) => call.destroy(err));
        });
        call.on("end", () => call.end());
      },
    },
    LeaseTimeToLive: unary(ctx, async (m: Msg) => {
      const id = num(m.ID);
      return store.read((s) => {
        const lease = s.lease(id);
        if (!lease) return { header: header(ctx, s.revision), ID: id, TTL: -1, grantedTTL: 0, keys: [] };
        return {
          header: header(ctx, s.revision),
          ID: id,
          TTL: store.lessor.remainingSeconds(id),
          grantedTTL: lease.ttlSeconds,
          keys: m.keys ? lease.keys : [],
        };
      });
    }),
    LeaseLeases: unary(ctx, async () =>
      store.read((s) => ({ header: header(ctx, s.revision), leases: s.leaseIds().map((ID) => ({ ID })) })),
    ),
  };
}
