// `photon volume list|get|create|delete|resize|snapshot|attach|detach`: coronafs volumes.
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import { maxReplicas, maxVolumeGib } from "../../coronafs/api.ts";
import { CoronafsClient, type Volume, type VolumeSnapshot } from "../../coronafs/client.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";
import { projectOf } from "../project-option.ts";

const columns: Array<[string, (v: never) => unknown]> = [
  ["NAME", (v: Volume) => v.metadata.name],
  ["SIZE_GIB", (v: Volume) => v.spec.sizeGib],
  ["REPLICAS", (v: Volume) => v.spec.replicas],
  ["PHASE", (v: Volume) => v.status.phase],
  [
    "SOURCE",
    (v: Volume) =>
      v.spec.source?.image?.name ?? (v.spec.source?.snapshot ? `snapshot/${v.spec.source.snapshot}` : ""),
  ],
  ["ATTACHED_TO", (v: Volume) => v.status.attachment?.holder ?? ""],
  ["MESSAGE", (v: Volume) => v.status.message ?? ""],
];

const snapshotColumns: Array<[string, (s: never) => unknown]> = [
  ["NAME", (s: VolumeSnapshot) => s.metadata.name],
  ["VOLUME", (s: VolumeSnapshot) => s.spec.volume],
  ["PHASE", (s: VolumeSnapshot) => s.status.phase],
  ["SIZE", (s: VolumeSnapshot) => s.status.sizeBytes ?? ""],
];

function wholeNumber(what: string, min: number, max: number) {
  return (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
      throw new ApiError(
        "InvalidArgument",
        `${what} must be a whole number from ${min} to ${max}; got "${v}"`,
      );
    return Number(v);
  };
}

export function registerVolume(program: Command, env: CliEnv): void {
  const client = () => new CoronafsClient(env.client("coronafs"));
  const volume = program.command("volume").description("block volumes served over NBD by coronafs");

  volume
    .command("list")
    .description("list a project's volumes")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (o: { project?: string }) => {
      const r = await client().listVolumes(projectOf(env, o.project));
      print(env.format(), env.format() === "table" ? r.items : r, columns);
    });

  volume
    .command("get <name>")
    .description("show one volume (its copies, epoch and attachment)")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, o: { project?: string }) => {
      const v = await client().getVolume(projectOf(env, o.project), name);
      if (env.format() !== "table") return print(env.format(), v);
      print("table", v, columns);
      for (const c of v.status.copies)
        process.stdout.write(
          `  copy on ${c.server} (${c.nbd}): ${c.role}${c.inSync ? "" : ", out of sync"}\n`,
        );
      process.stdout.write(`  epoch ${v.status.epoch}\n`);
    });

  volume
    .command("create <name>")
    .description("create a volume, empty or cloned (copy-on-write) from an image or a snapshot")
    .requiredOption("-s, --size-gib <n>", "size in GiB", wholeNumber("--size-gib", 1, maxVolumeGib))
    .option("-p, --project <project>", "project (default: the context's)")
    .option("--image <name>", "clone this lightningstor image")
    .option("--image-project <project>", "project of the image (default: the volume's; public images)")
    .option("--snapshot <name>", "clone this snapshot")
    .option("--replicas <n>", "copies kept in sync", wholeNumber("--replicas", 1, maxReplicas), 1)
    .option("--wait", "wait until the volume is Available")
    .action(
      async (
        name: string,
        o: {
          sizeGib: number;
          project?: string;
          image?: string;
          imageProject?: string;
          snapshot?: string;
          replicas: number;
          wait?: boolean;
        },
      ) => {
        if (o.image && o.snapshot)
          throw new ApiError("InvalidArgument", "pass --image or --snapshot, not both");
        const project = projectOf(env, o.project);
        const source = o.image
          ? { image: { name: o.image, ...(o.imageProject ? { project: o.imageProject } : {}) } }
          : o.snapshot
            ? { snapshot: o.snapshot }
            : undefined;
        const c = client();
        let v = await c.createVolume(project, name, {
          sizeGib: o.sizeGib,
          replicas: o.replicas,
          ...(source ? { source } : {}),
        });
        if (o.wait) v = await c.waitVolume(project, name, 600_000);
        print(env.format(), v, columns);
      },
    );

  volume
    .command("delete <name>")
    .description("delete a volume (its copies are removed and its quota given back)")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, o: { project?: string }) => {
      await client().deleteVolume(projectOf(env, o.project), name);
      process.stdout.write(`volume ${name} is being deleted\n`);
    });

  volume
    .command("resize <name> <sizeGib>")
    .description("grow a volume to sizeGib (shrinking is refused); attachers see it on their next attach")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, size: string, o: { project?: string }) => {
      const v = await client().resizeVolume(
        projectOf(env, o.project),
        name,
        wholeNumber("sizeGib", 1, maxVolumeGib)(size),
      );
      print(env.format(), v, columns);
    });

  volume
    .command("snapshot <volume> <snapshot>")
    .description("take a copy-on-write snapshot of a volume (waits until it is Ready)")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (vol: string, snap: string, o: { project?: string }) => {
      const project = projectOf(env, o.project);
      const c = client();
      await c.createSnapshot(project, snap, vol);
      print(env.format(), await c.waitSnapshot(project, snap), snapshotColumns);
    });

  volume
    .command("snapshots")
    .description("list a project's snapshots")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (o: { project?: string }) => {
      const r = await client().listSnapshots(projectOf(env, o.project));
      print(env.format(), env.format() === "table" ? r.items : r, snapshotColumns);
    });

  volume
    .command("delete-snapshot <snapshot>")
    .description("delete a snapshot (clones keep the chunks they use)")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (snap: string, o: { project?: string }) => {
      await client().deleteSnapshot(projectOf(env, o.project), snap);
      process.stdout.write(`snapshot ${snap} is being deleted\n`);
    });

  volume
    .command("attach <name>")
    .description("attach read-write and print the NBD URL (for qemu-io, qemu-img or QEMU's -drive)")
    .requiredOption("--holder <id>", "who attaches (shown in status)")
    .option("--force", "take the volume from its current holder (fences it)")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, o: { holder: string; force?: boolean; project?: string }) => {
      const a = await client().attach(projectOf(env, o.project), name, o.holder, o.force ?? false);
      if (env.format() === "table") process.stdout.write(`${a.url}\n`);
      else print(env.format(), a);
    });

  volume
    .command("detach <name>")
    .description("detach: the holder's connection is cut and its writes refused")
    .requiredOption("--holder <id>", "the current holder")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, o: { holder: string; project?: string }) => {
      await client().detach(projectOf(env, o.project), name, o.holder);
      process.stdout.write(`volume ${name} detached\n`);
    });
}
