// `photon flaredb stores|regions|split|move|transfer-leader`: flaredb's placement driver from
// the command line (the region map, manual splits and replica moves). `photon flaredb` with no
// subcommand runs a store.
import type { Command } from "commander";
import type { RegionView, StoreInfo } from "../../flaredb/api.ts";
import { FlareClient } from "../../flaredb/client.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

const DEFAULT_PD = "127.0.0.1:2479";

/** A key as text when it is printable, else as hex. */
function showKey(b64: string, edge: string): string {
  if (b64 === "") return edge;
  const b = Buffer.from(b64, "base64");
  return /^[\x20-\x7e]*$/.test(b.toString("latin1")) ? b.toString("latin1") : `0x${b.toString("hex")}`;
}

/** --pd given to the subcommand, or to `photon flaredb` itself (the store role has the same flag). */
function pdFlag(cmd: Command): string | undefined {
  const v = cmd.optsWithGlobals<{ pd?: string }>().pd;
  return v ? v : undefined;
}

function pdOf(env: CliEnv, flag: string | undefined): string[] {
  if (flag) return flag.split(",");
  try {
    const pd = env.context().endpoints["flaredb-pd.pd"];
    if (pd) return [pd];
  } catch {
    // No CLI context: fall back to the default port on this host.
  }
  return [DEFAULT_PD];
}

async function withClient<T>(
  env: CliEnv,
  pd: string | undefined,
  f: (c: FlareClient) => Promise<T>,
): Promise<T> {
  const c = new FlareClient({ pd: pdOf(env, pd), timeoutMs: 10_000 });
  try {
    return await f(c);
  } finally {
    c.close();
  }
}

export function registerFlaredb(program: Command, env: CliEnv): void {
  const fdb =
    program.commands.find((c) => c.name() === "flaredb") ??
    program.command("flaredb").description("flaredb: run a store, or inspect and steer the cluster");
  const pdOpt = [
    "--pd <addresses>",
    `placement driver host:port,… (default: the context's, else ${DEFAULT_PD})`,
  ] as const;

  fdb
    .command("stores")
    .description("stores: address, state, replicas and leaders held")
    .option(...pdOpt)
    .action(async (_o: unknown, cmd: Command) => {
      const { stores } = await withClient(env, pdFlag(cmd), (c) => c.listStores());
      print(env.format(), stores, [
        ["ID", (s: StoreInfo) => s.id],
        ["ADDRESS", (s: StoreInfo) => s.address],
        ["STATE", (s: StoreInfo) => s.state],
        ["REGIONS", (s: StoreInfo) => s.regionCount],
        ["LEADERS", (s: StoreInfo) => s.leaderCount],
      ]);
    });

  fdb
    .command("regions")
    .description("the region map: key ranges in order, replicas, leader, size and load")
    .option(...pdOpt)
    .action(async (_o: unknown, cmd: Command) => {
      const { regions } = await withClient(env, pdFlag(cmd), (c) => c.regions());
      print(env.format(), regions, [
        ["ID", (r: RegionView) => r.region.id],
        ["START", (r: RegionView) => showKey(r.region.start, "-∞")],
        ["END", (r: RegionView) => showKey(r.region.end, "+∞")],
        ["EPOCH", (r: RegionView) => `${r.region.epoch.confVer}/${r.region.epoch.version}`],
        ["PEERS", (r: RegionView) => r.region.peers.join(",")],
        ["LEADER", (r: RegionView) => r.leader ?? "(none)"],
        ["SIZE", (r: RegionView) => r.sizeBytes],
        ["WRITES/S", (r: RegionView) => r.writesPerSec.toFixed(1)],
        ["READS/S", (r: RegionView) => r.readsPerSec.toFixed(1)],
      ]);
    });

  fdb
    .command("split <region>")
    .description("split a region at --key (text), or at its middle key if the driver knows one")
    .option("--key <key>", "split key (text)")
    .option(...pdOpt)
    .action(async (region: string, o: { key?: string }, cmd: Command) => {
      const out = await withClient(env, pdFlag(cmd), (c) =>
        c.pdCall("/pd/v1/split", {
          regionId: Number(region),
          ...(o.key ? { key: Buffer.from(o.key).toString("base64") } : {}),
        }),
      );
      print(env.format(), out);
    });

  fdb
    .command("move <region>")
    .description("move a region's replica from one store to another (add, then remove)")
    .requiredOption("--from <store>", "store id that holds the replica now")
    .requiredOption("--to <store>", "store id to move it to")
    .option(...pdOpt)
    .action(async (region: string, o: { from: string; to: string }, cmd: Command) => {
      const out = await withClient(env, pdFlag(cmd), (c) =>
        c.pdCall("/pd/v1/move", { regionId: Number(region), from: o.from, to: o.to }),
      );
      print(env.format(), out);
    });

  fdb
    .command("transfer-leader <region>")
    .description("make the replica on --to the region's leader")
    .requiredOption("--to <store>", "store id")
    .option(...pdOpt)
    .action(async (region: string, o: { to: string }, cmd: Command) => {
      const out = await withClient(env, pdFlag(cmd), (c) =>
        c.pdCall("/pd/v1/transfer-leader", { regionId: Number(region), to: o.to }),
      );
      print(env.format(), out);
    });
}
