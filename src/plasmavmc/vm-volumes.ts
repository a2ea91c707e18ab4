// A VM's coronafs volumes on the worker that runs it: attached for the VM's holder when it
// starts, swapped under the running guest when coronafs fails a volume over to a replica (the
// guest's disk requests wait meanwhile: NBD disks stop on error, see qemu-args.ts), detached
// when it stops.
import { parseHostPort } from "../core/host-port.ts";
import type { Attachment, VolumeStatus } from "../coronafs/api.ts";
import type { AttachedVolume } from "./api.ts";
import { type DiskSource, diskNode, nbdNodeOptions, switchNode } from "./qemu-args.ts";
import type { QmpClient } from "./qmp-client.ts";

/** What the worker needs of coronafs (CoronafsClient has it). */
export interface VolumeApi {
  attach(project: string, name: string, holder: string): Promise<Attachment>;
  detach(project: string, name: string, holder: string): Promise<unknown>;
  getVolume(project: string, name: string): Promise<{ spec: { sizeGib: number }; status: VolumeStatus }>;
}

/** One attached volume of a running VM. */
export interface VolumeDisk {
  name: string;
  /** Its place among the VM's disks (the image overlay, if any, is disk 0). */
  index: number;
  attachment: Attachment;
  source: Extract<DiskSource, { kind: "nbd" }>;
  /**
   * The NBD node's child name under the disk's switch: QEMU's quorum names the k-th child it
   * is given `children.k`, so after k swaps the current one is children.k.
   */
  swaps: number;
}

/** `host:port` or `[v6]:port` as coronafs gives a server's NBD address. */
export function nbdSource(a: Attachment, index: number): Extract<DiskSource, { kind: "nbd" }> {
  const at = parseHostPort(a.server);
  if (!at) throw new Error(`coronafs gave an NBD address QEMU cannot use: ${a.server}`);
  // The epoch names the node, so the one that replaces it after a failover is distinct.
  return {
    kind: "nbd",
    host: at.host,
    port: at.port,
    exportName: a.exportName,
    node: `${diskNode(index)}-e${a.epoch}`,
  };
}

export async function attachVolumes(
  api: VolumeApi,
  project: string,
  names: string[],
  holder: string,
  firstIndex: number,
): Promise<VolumeDisk[]> {
  const out: VolumeDisk[] = [];
  try {
    for (const [i, name] of names.entries()) {
      const attachment = await api.attach(project, name, holder);
      out.push({
        name,
        index: firstIndex + i,
        attachment,
        source: nbdSource(attachment, firstIndex + i),
        swaps: 0,
      });
    }
  } catch (err) {
    await detachVolumes(api, project, out, holder);
    throw err;
  }
  return out;
}

/** Best effort: a volume someone else took, or one already gone, is not this VM's anymore. */
export async function detachVolumes(
  api: VolumeApi,
  project: string,
  disks: VolumeDisk[],
  holder: string,
): Promise<void> {
  await Promise.all(disks.map((d) => api.detach(project, d.name, holder).catch(() => undefined)));
}

export const attachedVolumes = (disks: VolumeDisk[]): AttachedVolume[] =>
  disks.map((d) => ({ name: d.name, server: d.attachment.server, epoch: d.attachment.epoch }));

/** What became of a running VM's volume since it was attached. */
export type VolumeChange = "same" | "failed-over" | "taken";

export function volumeChange(disk: VolumeDisk, now: VolumeStatus, holder: string): VolumeChange {
  if (now.epoch === disk.attachment.epoch) return "same";
  // The epoch moved while this holder still has the volume: coronafs promoted a replica.
  return now.attachment?.holder === holder ? "failed-over" : "taken";
}

/**
 * Puts an NBD node under a disk's switch in place of its current child, which is dropped: the
 * new node joins the quorum, the old one (the k-th it was given: `children.k`) leaves it.
 */
async function replaceChild(
  qmp: QmpClient,
  index: number,
  old: { node: string; child: number },
  source: Extract<DiskSource, { kind: "nbd" }>,
): Promise<void> {
  const parent = switchNode(index);
  await qmp.execute("blockdev-add", nbdNodeOptions(source));
  try {
    await qmp.execute("x-blockdev-change", { parent, node: source.node });
  } catch (err) {
    await qmp.execute("blockdev-del", { "node-name": source.node }).catch(() => undefined);
    throw err;
  }
  await qmp.execute("x-blockdev-change", { parent, child: `children.${old.child}` });
  await qmp.execute("blockdev-del", { "node-name": old.node });
}

/**
 * Points a running guest's disk at a new attachment (the old, dead server's node is dropped),
 * and resumes a guest paused on the dead server's errors — QEMU retries the requests that failed.
 */
export async function swapVolume(qmp: QmpClient, disk: VolumeDisk, next: Attachment): Promise<VolumeDisk> {
  const source = nbdSource(next, disk.index);
  await replaceChild(qmp, disk.index, { node: disk.source.node, child: disk.swaps }, source);
  const { status } = await qmp.execute<{ status: string }>("query-status");
  if (status === "io-error") await qmp.execute("cont");
  return { ...disk, attachment: next, source, swaps: disk.swaps + 1 };
}

/** A volume of a VM migrating in, before the source lets go of it. */
export interface IncomingDisk {
  name: string;
  index: number;
  source: Extract<DiskSource, { kind: "placeholder" }>;
}

/** Placeholders of the volumes' exact sizes (the guest's disks must look the same). */
export async function incomingDisks(
  api: VolumeApi,
  project: string,
  names: string[],
  firstIndex: number,
): Promise<IncomingDisk[]> {
  const out: IncomingDisk[] = [];
  for (const [i, name] of names.entries()) {
    const { spec, status } = await api.getVolume(project, name);
    const index = firstIndex + i;
    const sizeBytes = status.sizeBytes ?? spec.sizeGib * 2 ** 30;
    out.push({
      name,
      index,
      source: { kind: "placeholder", node: `${diskNode(index)}-incoming`, sizeBytes },
    });
  }
  return out;
}

/**
 * Once the guest's state has arrived (the source paused it and flushed its disks): each volume
 * attached for the VM — which fences the source's connections — and put under its disk.
 */
export async function takeOverVolumes(
  api: VolumeApi,
  qmp: QmpClient,
  project: string,
  disks: IncomingDisk[],
  holder: string,
): Promise<VolumeDisk[]> {
  const out: VolumeDisk[] = [];
  for (const d of disks) {
    const attachment = await api.attach(project, d.name, holder);
    const source = nbdSource(attachment, d.index);
    await replaceChild(qmp, d.index, { node: d.source.node, child: 0 }, source);
    out.push({ name: d.name, index: d.index, attachment, source, swaps: 1 });
  }
  return out;
}
