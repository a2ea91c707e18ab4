// Placement, pure: filter the hosts, then score the survivors. When nothing fits, the answer
// says for every host which filter turned it away — never a bare "no valid host".
import type { HostSpec, HostStatus, Vm, VmSpec } from "./api.ts";

export interface HostView {
  name: string;
  spec: HostSpec;
  status: HostStatus;
}

/** A VM already placed (or being placed) on a host: what it takes from it. */
export interface Placed {
  project: string;
  name: string;
  host: string;
  spec: Pick<VmSpec, "flavor" | "antiAffinityGroup">;
}

/** What every VM takes: its host's share, and its migration target's while it moves there. */
export function placements(vms: Vm[]): Placed[] {
  return vms.flatMap((v) =>
    [v.status.host, v.status.migration?.target]
      .filter((h): h is string => h !== undefined)
      .map((host) => ({ project: v.metadata.project as string, name: v.metadata.name, host, spec: v.spec })),
  );
}

export interface ScheduleInput {
  vm: { project: string; name: string; spec: VmSpec };
  imageFormat: "raw" | "qcow2";
  hosts: HostView[];
  placed: Placed[];
  nowMs: number;
  /** A host whose heartbeat is older than this is treated as down. */
  heartbeatGraceMs: number;
  strategy: "spread" | "pack";
}

export type ScheduleResult =
  | { ok: true; host: string }
  | { ok: false; message: string; rejections: Record<string, string> };

interface Used {
  vcpus: number;
  memoryMib: number;
}

export function schedule(input: ScheduleInput): ScheduleResult {
  const { vm, hosts } = input;
  const used = new Map<string, Used>();
  for (const p of input.placed) {
    if (p.project === vm.project && p.name === vm.name) continue;
    const u = used.get(p.host) ?? { vcpus: 0, memoryMib: 0 };
    used.set(p.host, {
      vcpus: u.vcpus + p.spec.flavor.vcpus,
      memoryMib: u.memoryMib + p.spec.flavor.memoryMib,
    });
  }
  const rejections: Record<string, string> = {};
  const fits: { name: string; free: number }[] = [];
  for (const h of hosts) {
    const why = rejection(input, h, used.get(h.name) ?? { vcpus: 0, memoryMib: 0 });
    if (why) rejections[h.name] = why;
    else {
      const u = used.get(h.name) ?? { vcpus: 0, memoryMib: 0 };
      // Free share of the scarcer resource after placing this VM.
      const free = Math.min(
        (h.spec.capacity.vcpus - u.vcpus - vm.spec.flavor.vcpus) / h.spec.capacity.vcpus,
        (h.spec.capacity.memoryMib - u.memoryMib - vm.spec.flavor.memoryMib) / h.spec.capacity.memoryMib,
      );
      fits.push({ name: h.name, free });
    }
  }
  if (fits.length === 0) {
    const detail = Object.entries(rejections)
      .map(([h, why]) => `${h}: ${why}`)
      .join("; ");
    return {
      ok: false,
      message: hosts.length === 0 ? "no worker host has registered" : `no host fits: ${detail}`,
      rejections,
    };
  }
  // Ties go to the name, so the same world always gives the same answer.
  fits.sort(
    (a, b) =>
      (input.strategy === "spread" ? b.free - a.free : a.free - b.free) || a.name.localeCompare(b.name),
  );
  return { ok: true, host: (fits[0] as { name: string }).name };
}

function rejection(input: ScheduleInput, h: HostView, u: Used): string | undefined {
  const { vm } = input;
  if (!h.spec.schedulable) return "cordoned";
  const beat = h.status.heartbeatAt ? Date.parse(h.status.heartbeatAt) : Number.NaN;
  if (!(input.nowMs - beat <= input.heartbeatGraceMs)) return "down (no recent heartbeat)";
  if (!h.spec.imageFormats.includes(input.imageFormat)) return `cannot boot ${input.imageFormat} images`;
  const freeCpu = h.spec.capacity.vcpus - u.vcpus;
  if (freeCpu < vm.spec.flavor.vcpus)
    return `not enough vCPUs (${freeCpu} free, ${vm.spec.flavor.vcpus} wanted)`;
  const freeMem = h.spec.capacity.memoryMib - u.memoryMib;
  if (freeMem < vm.spec.flavor.memoryMib)
    return `not enough memory (${freeMem} MiB free, ${vm.spec.flavor.memoryMib} MiB wanted)`;
  const group = vm.spec.antiAffinityGroup;
  if (group) {
    const clash = input.placed.find(
      (p) =>
        p.host === h.name &&
        p.project === vm.project &&
        p.spec.antiAffinityGroup === group &&
        p.name !== vm.name,
    );
    if (clash) return `anti-affinity group ${group} already has ${clash.name} here`;
  }
  return undefined;
}
