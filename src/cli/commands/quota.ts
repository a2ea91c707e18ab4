// `photon quota …` and `photon credit …`: creditservice from the command line.
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import { type Amounts, type ResourceClass, resourceClasses } from "../../creditservice/api.ts";
import { CreditClient, type Quota } from "../../creditservice/client.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

function parseAmounts(pairs: string[]): Amounts {
  const out: Amounts = {};
  for (const p of pairs) {
    const m = /^([a-z_]+)=(\d+)$/.exec(p);
    if (!m || !(resourceClasses as readonly string[]).includes(m[1]!)) {
      throw new ApiError(
        "InvalidArgument",
        `"${p}" is not <class>=<whole number>; classes: ${resourceClasses.join(", ")}`,
      );
    }
    out[m[1] as ResourceClass] = Number(m[2]);
  }
  return out;
}

function quotaRows(q: Quota) {
  const reserved: Amounts = {};
  for (const r of q.status.reservations)
    for (const [c, n] of Object.entries(r.amounts))
      reserved[c as ResourceClass] = (reserved[c as ResourceClass] ?? 0) + (n ?? 0);
  const classes = new Set([
    ...Object.keys(q.spec.limits),
    ...Object.keys(q.status.used),
    ...Object.keys(reserved),
  ]) as Set<ResourceClass>;
  return [...classes].sort().map((c) => ({
    class: c,
    limit: q.spec.limits[c] ?? "(default)",
    used: q.status.used[c] ?? 0,
    reserved: reserved[c] ?? 0,
  }));
}

export function registerQuota(program: Command, env: CliEnv): void {
  const credit = () => new CreditClient(env.client("creditservice"));
  const quota = program.command("quota").description("project quotas: limits, usage and reservations");

  quota
    .command("get <project>")
    .description("show a project's limits, usage and pending reservations")
    .action(async (project: string) => {
      const q = await credit().getQuota(project);
      if (env.format() === "table") {
        print("table", quotaRows(q), [
          ["CLASS", (r: { class: string }) => r.class],
          ["LIMIT", (r: { limit: unknown }) => r.limit],
          ["USED", (r: { used: number }) => r.used],
          ["RESERVED", (r: { reserved: number }) => r.reserved],
        ]);
        process.stdout.write(
          `balance: ${q.status.balanceMilli / 1000} credits; revision ${q.metadata.revision}\n`,
        );
      } else print(env.format(), q);
    });

  quota
    .command("set <project> <limits...>")
    .description("set limits, e.g. `photon quota set demo vcpu=8 memory_mib=16384`")
    .option("--enforce-credit", "refuse reservations while the credit balance is not positive")
    .action(async (project: string, pairs: string[], o: { enforceCredit?: boolean }) => {
      const q = await credit().setLimits(project, parseAmounts(pairs), o.enforceCredit);
      print(env.format(), env.format() === "table" ? quotaRows(q) : q, [
        ["CLASS", (r: { class: string }) => r.class],
        ["LIMIT", (r: { limit: unknown }) => r.limit],
        ["USED", (r: { used: number }) => r.used],
      ]);
    });

  quota
    .command("delete <project>")
    .description("delete a project's quota (its limits fall back to the defaults)")
    .action(async (project: string) => {
      await credit().deleteQuota(project);
      process.stdout.write(`quota of project ${project} deleted\n`);
    });

  quota
    .command("reserve <project> <amounts...>")
    .description("reserve quota, e.g. `photon quota reserve demo vcpu=2` (prints the reservation id)")
    .option("--id <requestId>", "request id (default: a new UUID)")
    .option("--ttl <seconds>", "expire the reservation after this long", (v) => Number(v))
    .action(async (project: string, pairs: string[], o: { id?: string; ttl?: number }) => {
      const r = await credit().reserve(project, o.id ?? randomUUID(), parseAmounts(pairs), o.ttl);
      print(env.format(), r, [
        ["ID", (x: typeof r) => x.reservation.id],
        ["STATE", (x: typeof r) => x.state],
        ["AMOUNTS", (x: typeof r) => x.reservation.amounts],
        ["EXPIRES", (x: typeof r) => x.reservation.expiresAt],
      ]);
    });

  quota
    .command("commit <project> <requestId>")
    .description("turn a reservation into usage")
    .action(async (project: string, id: string) => {
      const r = await credit().commit(project, id);
      print(env.format(), r, [
        ["ID", (x: typeof r) => x.reservation.id],
        ["STATE", (x: typeof r) => x.state],
      ]);
    });

  quota
    .command("release <project> <requestId>")
    .description("release a pending reservation")
    .action(async (project: string, id: string) => {
      const r = await credit().release(project, id);
      print(env.format(), r, [
        ["ID", (x: typeof r) => x.reservation.id],
        ["STATE", (x: typeof r) => x.state],
      ]);
    });

  quota
    .command("reservations <project>")
    .description("list pending reservations")
    .action(async (project: string) => {
      const { items } = await credit().listReservations(project);
      print(env.format(), items, [
        ["ID", (x: (typeof items)[0]) => x.id],
        ["AMOUNTS", (x: (typeof items)[0]) => x.amounts],
        ["EXPIRES", (x: (typeof items)[0]) => x.expiresAt],
      ]);
    });

  const cr = program.command("credit").description("project credit balances and the usage ledger");
  cr.command("add <project> <credits>")
    .description("add credit (whole or fractional credits, e.g. 12.5)")
    .option("--id <requestId>", "request id, to make a retry safe (default: a new UUID)")
    .option("--description <text>", "ledger description", "credit")
    .action(async (project: string, amount: string, o: { id?: string; description: string }) => {
      if (!/^\d+(\.\d{1,3})?$/.test(amount))
        throw new ApiError(
          "InvalidArgument",
          `credits must be a positive number with at most 3 decimals; got "${amount}"`,
        );
      const [whole, frac = ""] = amount.split(".");
      const milli = Number(whole) * 1000 + Number(frac.padEnd(3, "0"));
      const s = await credit().addCredit(project, o.id ?? randomUUID(), milli, o.description);
      print(env.format(), env.format() === "table" ? { project, balance: s.balanceMilli / 1000 } : s, [
        ["PROJECT", (x: { project: string }) => x.project],
        ["BALANCE", (x: { balance: number }) => x.balance],
      ]);
    });
  cr.command("balance <project>")
    .description("show the credit balance")
    .action(async (project: string) => {
      const q = await credit().getQuota(project);
      print(
        env.format(),
        { project, balanceMilli: q.status.balanceMilli, balance: q.status.balanceMilli / 1000 },
        [
          ["PROJECT", (x: { project: string }) => x.project],
          ["BALANCE", (x: { balance: number }) => x.balance],
        ],
      );
    });
  cr.command("ledger <project>")
    .description("list the usage ledger")
    .option("--limit <n>", "at most this many lines", (v) => Number(v), 100)
    .action(async (project: string, o: { limit: number }) => {
      const page = await credit().ledger(project, { limit: o.limit });
      type Line = (typeof page.items)[0];
      print(env.format(), page.items, [
        ["NAME", (x: Line) => x.metadata.name],
        ["TYPE", (x: Line) => x.spec.type],
        ["AMOUNT", (x: Line) => x.spec.amountMilli / 1000],
        ["BALANCE", (x: Line) => x.spec.balanceAfterMilli / 1000],
        ["AT", (x: Line) => x.metadata.createdAt],
        ["DESCRIPTION", (x: Line) => x.spec.description],
      ]);
    });
}
