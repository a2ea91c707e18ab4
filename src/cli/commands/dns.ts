// `photon dns …`: flashdns zones and record sets from the command line, and master-file
// import and export.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import { type RecordType, recordTypes } from "../../flashdns/api.ts";
import { FlashdnsClient, type RecordSet, type Zone } from "../../flashdns/client.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

const zoneColumns: Array<[string, (z: never) => unknown]> = [
  ["NAME", (z: Zone) => z.metadata.name],
  ["DNS NAME", (z: Zone) => z.spec.dnsName],
  ["NAMESERVERS", (z: Zone) => z.spec.nameservers.join(" ")],
  ["REVISION", (z: Zone) => z.metadata.revision],
];
const setColumns: Array<[string, (s: never) => unknown]> = [
  ["NAME", (s: RecordSet) => s.metadata.name],
  ["ZONE", (s: RecordSet) => s.spec.zone],
  ["OWNER", (s: RecordSet) => s.spec.name],
  ["TYPE", (s: RecordSet) => s.spec.type],
  ["TTL", (s: RecordSet) => s.spec.ttlSeconds],
  ["RECORDS", (s: RecordSet) => s.spec.records.join(" | ")],
];

function recordType(t: string): RecordType {
  const up = t.toUpperCase();
  if (!(recordTypes as readonly string[]).includes(up))
    throw new ApiError("InvalidArgument", `type "${t}" is not one of ${recordTypes.join(", ")}`);
  return up as RecordType;
}

export function registerDns(program: Command, env: CliEnv): void {
  const dns = () => new FlashdnsClient(env.client("flashdns"));
  const cmd = program
    .command("dns")
    .description("authoritative DNS (flashdns): zones, record sets, import and export");
  const zone = cmd.command("zone").description("zones");

  zone
    .command("create <project> <name> <dnsName>")
    .description(
      "create a zone, e.g. `photon dns zone create demo example example.com --ns ns1.example.com.`",
    )
    .option("--ns <names...>", "apex nameservers")
    .option("--ttl <seconds>", "TTL of the SOA and NS records", (v) => Number(v))
    .action(async (project: string, name: string, dnsName: string, o: { ns?: string[]; ttl?: number }) => {
      const z = await dns().createZone(project, name, {
        dnsName,
        ...(o.ns ? { nameservers: o.ns } : {}),
        ...(o.ttl !== undefined ? { ttlSeconds: o.ttl } : {}),
      });
      print(env.format(), z, zoneColumns);
    });
  zone
    .command("list <project>")
    .description("list a project's zones")
    .action(async (project: string) => {
      const { items } = await dns().listZones(project);
      print(env.format(), items, zoneColumns);
    });
  zone
    .command("get <project> <name>")
    .description("show a zone")
    .action(async (project: string, name: string) =>
      print(env.format(), await dns().getZone(project, name), zoneColumns),
    );
  zone
    .command("delete <project> <name>")
    .description("delete a zone (its record sets first)")
    .action(async (project: string, name: string) => {
      await dns().deleteZone(project, name);
      process.stdout.write(`zone ${name} deleted\n`);
    });

  const rec = cmd.command("record").description("record sets");
  rec
    .command("set <project> <zone> <owner> <type> <records...>")
    .description(
      'create or replace the records of one name and type, e.g. `photon dns record set demo example www A 192.0.2.1` or `… @ MX "10 mail"`',
    )
    .option("--ttl <seconds>", "TTL", (v) => Number(v), 300)
    .action(
      async (
        project: string,
        zoneName: string,
        owner: string,
        type: string,
        records: string[],
        o: { ttl: number },
      ) => {
        const t = recordType(type);
        await dns().upsertRecords(project, zoneName, [{ name: owner, type: t, records, ttlSeconds: o.ttl }]);
        process.stdout.write(`${owner} ${t} set in zone ${zoneName}\n`);
      },
    );
  rec
    .command("delete <project> <zone> <owner> <type>")
    .description("delete the records of one name and type set with `record set`")
    .action(async (project: string, zoneName: string, owner: string, type: string) => {
      await dns().deleteRecords(project, zoneName, [{ name: owner, type: recordType(type) }]);
      process.stdout.write(`${owner} ${type.toUpperCase()} deleted from zone ${zoneName}\n`);
    });
  rec
    .command("list <project>")
    .description("list a project's record sets")
    .option("--zone <name>", "only this zone's")
    .action(async (project: string, o: { zone?: string }) => {
      const items: RecordSet[] = [];
      let cont: string | undefined;
      do {
        const page = await dns().listRecordSets(project, { limit: 500, ...(cont ? { continue: cont } : {}) });
        items.push(...page.items);
        cont = page.continue;
      } while (cont);
      print(
        env.format(),
        items.filter((s) => !o.zone || s.spec.zone === o.zone),
        setColumns,
      );
    });

  cmd
    .command("import <project> <zone> <file>")
    .description("import an RFC 1035 master file into a zone (- for stdin)")
    .option("--replace", "delete record sets the file does not mention")
    .action(async (project: string, zoneName: string, file: string, o: { replace?: boolean }) => {
      const text = readFileSync(file === "-" ? 0 : file, "utf8");
      const r = await dns().importZone(project, zoneName, text, o.replace ?? false);
      print(env.format(), r, [
        ["CREATED", (x: typeof r) => x.created],
        ["UPDATED", (x: typeof r) => x.updated],
        ["DELETED", (x: typeof r) => x.deleted],
        ["UNCHANGED", (x: typeof r) => x.unchanged],
      ]);
    });
  cmd
    .command("export <project> <zone>")
    .description("print a zone as an RFC 1035 master file")
    .action(async (project: string, zoneName: string) => {
      const r = await dns().exportZone(project, zoneName);
      if (env.format() === "table") process.stdout.write(r.text);
      else print(env.format(), r);
    });
}
