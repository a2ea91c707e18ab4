// plasmavmc's public contract: VMs (desired state in spec, what is true in status) and the
// worker hosts that run them.
import { z } from "zod";
import { defineKind } from "../core/resource/kind.ts";
import type { Resource } from "../core/resource/model.ts";
import { conditionSchema, nameSchema, projectSchema } from "../core/resource/model.ts";

export const vmLimits = {
  maxVcpus: 64,
  maxMemoryMib: 256 * 1024,
  maxPorts: 16,
  maxVolumes: 8,
  maxSshKeys: 32,
  /** As EC2's. */
  maxUserDataBytes: 16 * 1024,
};

export const flavorSchema = z.strictObject({
  vcpus: z.number().int().min(1).max(vmLimits.maxVcpus),
  memoryMib: z.number().int().min(64).max(vmLimits.maxMemoryMib),
});

/** A guest port published on the worker (user-mode networking until prismnet gives VMs taps). */
export const vmPortSchema = z.strictObject({
  guestPort: z.number().int().min(1).max(65535),
  protocol: z.enum(["tcp", "udp"]).default("tcp"),
});

export const vmPhases = [
  "Pending",
  "Scheduled",
  "Starting",
  "Running",
  "Stopping",
  "Stopped",
  "Deleting",
  "Failed",
] as const;
export type VmPhase = (typeof vmPhases)[number];

/** A coronafs volume of the VM's project, attached read-write over NBD. */
export const vmVolumeSchema = z.strictObject({ name: nameSchema });

export const vmSpecSchema = z
  .strictObject({
    flavor: flavorSchema,
    /**
     * A lightningstor image: the worker boots a copy-on-write overlay of it on its own disk, so
     * the VM stays on that worker. Without an image the first volume is the boot disk, and the
     * VM can start on any worker.
     */
    image: z.strictObject({ name: nameSchema, project: projectSchema.optional() }).optional(),
    /** Disks after the image's (or from the first, without an image), in this order. */
    volumes: z.array(vmVolumeSchema).max(vmLimits.maxVolumes).default([]),
    ports: z.array(vmPortSchema).max(vmLimits.maxPorts).default([]),
    userData: z
      .string()
      .refine(
        (s) => Buffer.byteLength(s) <= vmLimits.maxUserDataBytes,
        `user-data is at most ${vmLimits.maxUserDataBytes} bytes`,
      )
      .default(""),
    sshKeys: z.array(z.string().min(1).max(16_384)).max(vmLimits.maxSshKeys).default([]),
    /** What the owner wants; the VM's phase follows it. */
    powerState: z.enum(["Running", "Stopped"]).default("Running"),
    /** VMs of one project sharing a group are placed on distinct hosts. */
    antiAffinityGroup: nameSchema.optional(),
  })
  .refine((s) => s.image || s.volumes.length > 0, "a VM boots from an image or a volume: give one")
  .refine(
    (s) => new Set(s.volumes.map((v) => v.name)).size === s.volumes.length,
    "a volume is attached to a VM once",
  );
export type VmSpec = z.infer<typeof vmSpecSchema>;

export const publishedPortSchema = z.strictObject({
  guestPort: z.number().int(),
  protocol: z.enum(["tcp", "udp"]),
  hostAddress: z.string(),
  hostPort: z.number().int(),
});
export type PublishedPort = z.infer<typeof publishedPortSchema>;

/** A volume as the worker attached it: the attachment epoch fences older ones. */
export const attachedVolumeSchema = z.strictObject({
  name: nameSchema,
  server: z.string().max(253),
  epoch: z.number().int().nonnegative(),
});
export type AttachedVolume = z.infer<typeof attachedVolumeSchema>;

/**
 * A live migration under way: the control plane names the target (Requested), the target's
 * worker starts a QEMU waiting for the guest's state and says where (Listening), the source's
 * worker sends it; the target takes the volumes over and reports the VM as its own.
 */
export const migrationLimits = {
  /** A migration not done by then is abandoned (the source keeps the guest running). */
  timeoutMs: 10 * 60_000,
};

export const vmMigrationSchema = z.strictObject({
  target: nameSchema,
  phase: z.enum(["Requested", "Listening"]),
  /** Where the target's QEMU listens for the migration stream (host:port), once Listening. */
  address: z.string().max(300).optional(),
  since: z.string().max(64),
});
export type VmMigration = z.infer<typeof vmMigrationSchema>;

export const vmStatusSchema = z.strictObject({
  phase: z.enum(vmPhases),
  /** Why the VM is in its phase, in words an operator can act on. */
  message: z.string(),
  host: z.string().optional(),
  accel: z.enum(["kvm", "tcg"]).optional(),
  ports: z.array(publishedPortSchema),
  volumes: z.array(attachedVolumeSchema).default([]),
  /** Whether this VM's vcpu, memory and vm quota is committed in creditservice. */
  quotaHeld: z.boolean(),
  startedAt: z.string().optional(),
  migration: vmMigrationSchema.optional(),
  conditions: z.array(conditionSchema),
});
export type VmStatus = z.infer<typeof vmStatusSchema>;

export const vmKind = defineKind({
  component: "plasmavmc",
  apiVersion: "plasmavmc/v1",
  kind: "Vm",
  plural: "vms",
  scope: "project",
  spec: vmSpecSchema,
  status: vmStatusSchema,
  initialStatus: (): VmStatus => ({
    phase: "Pending",
    message: "waiting to be scheduled",
    ports: [],
    volumes: [],
    quotaHeld: false,
    conditions: [],
  }),
  description:
    "A virtual machine: flavor, image or boot volume, volumes, published ports, user-data and power state",
});

export const hostSpecSchema = z.strictObject({
  /** What the worker offers to guests. */
  capacity: z.strictObject({
    vcpus: z.number().int().min(1).max(4096),
    memoryMib: z
      .number()
      .int()
      .min(64)
      .max(64 * 1024 * 1024),
  }),
  /** Where the worker's API answers (console logs). */
  endpoint: z.string().url(),
  accel: z.enum(["kvm", "tcg"]),
  imageFormats: z.array(z.enum(["raw", "qcow2"])).min(1),
  /** Cordoned hosts keep their VMs but get no new ones. */
  schedulable: z.boolean().default(true),
});
export type HostSpec = z.infer<typeof hostSpecSchema>;

export const hostStatusSchema = z.strictObject({
  /** Refreshed by the worker; a host silent for longer than the grace is not scheduled to. */
  heartbeatAt: z.string().optional(),
  runningVms: z.number().int().min(0),
});
export type HostStatus = z.infer<typeof hostStatusSchema>;

export const hostKind = defineKind({
  component: "plasmavmc",
  apiVersion: "plasmavmc/v1",
  kind: "Host",
  plural: "hosts",
  scope: "cluster",
  spec: hostSpecSchema,
  status: hostStatusSchema,
  initialStatus: (): HostStatus => ({ runningVms: 0 }),
  description: "A worker that runs VMs: its capacity, acceleration and heartbeat",
});

export type Vm = Resource<VmSpec, VmStatus>;

/** Who holds a VM's volumes in coronafs: the same for the VM on any worker, different for every VM. */
export const volumeHolder = (vm: Vm) => `vm/${vm.metadata.project}/${vm.metadata.name}/${vm.metadata.uid}`;
export type Host = Resource<HostSpec, HostStatus>;

/** What a worker reports of a VM it runs. */
export const workerReportSchema = z.strictObject({
  phase: z.enum(vmPhases),
  message: z.string().max(4096),
  accel: z.enum(["kvm", "tcg"]).optional(),
  ports: z.array(publishedPortSchema).max(64),
  volumes: z.array(attachedVolumeSchema).max(vmLimits.maxVolumes).default([]),
  startedAt: z.string().max(64).optional(),
});
export type WorkerReport = z.infer<typeof workerReportSchema>;

/** `photon vm migrate`: to the named host, or wherever the scheduler puts it. */
export const migrateRequestSchema = z.strictObject({ host: nameSchema.optional() });

/** What a worker reports of a migration: the target listening or done, or either side failing. */
export const migrationReportSchema = z.discriminatedUnion("phase", [
  z.strictObject({ phase: z.literal("Listening"), address: z.string().min(1).max(300) }),
  /** The target runs the guest now; its report becomes the VM's status. */
  z.strictObject({ phase: z.literal("Completed"), report: workerReportSchema }),
  z.strictObject({ phase: z.literal("Failed"), message: z.string().max(4096) }),
]);
export type MigrationReport = z.infer<typeof migrationReportSchema>;

/** Path parameters of a VM's routes, and of the routes a host's worker uses for one VM. */
export const vmParamsSchema = z.strictObject({ project: projectSchema, name: nameSchema });
export const hostVmParamsSchema = z.strictObject({
  host: nameSchema,
  project: projectSchema,
  name: nameSchema,
});
