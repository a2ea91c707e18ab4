// coronafs's public contract: volumes and their snapshots as resources, and the attach call
// that hands a VM worker the NBD address of a volume (see README.md).
import { z } from "zod";
import { defineKind } from "../core/resource/kind.ts";
import { conditionSchema, nameSchema, projectSchema } from "../core/resource/model.ts";

export const gib = 1024 ** 3;
/** Largest volume: 64 TiB. */
export const maxVolumeGib = 65_536;
export const maxReplicas = 3;

export const volumeSourceSchema = z
  .strictObject({
    /** Clone a lightningstor image (raw or qcow2); `project` defaults to the volume's. */
    image: z.strictObject({ name: nameSchema, project: projectSchema.optional() }).optional(),
    /** Clone a snapshot (VolumeSnapshot) of the same project. */
    snapshot: nameSchema.optional(),
  })
  .refine((s) => !(s.image && s.snapshot), "a source is an image or a snapshot, not both");
export type VolumeSource = z.infer<typeof volumeSourceSchema>;

export const volumeSpecSchema = z.strictObject({
  sizeGib: z.number().int("sizeGib is a whole number").min(1).max(maxVolumeGib),
  source: volumeSourceSchema.optional(),
  /** Copies kept in sync; a write is acknowledged once every in-sync copy has it. */
  replicas: z.number().int().min(1).max(maxReplicas).default(1),
});
export type VolumeSpec = z.infer<typeof volumeSpecSchema>;

export const volumePhases = ["Pending", "Creating", "Available", "Attached", "Failed", "Deleting"] as const;

export const volumeCopySchema = z.strictObject({
  server: z.string(),
  /** NBD address (host:port) of the server holding the copy. */
  nbd: z.string(),
  role: z.enum(["primary", "replica"]),
  /** Out-of-sync copies are never promoted; they are dropped or rebuilt. */
  inSync: z.boolean(),
});
export type VolumeCopy = z.infer<typeof volumeCopySchema>;

export const volumeStatusSchema = z.strictObject({
  phase: z.enum(volumePhases),
  /** The id of the volume on its servers (its uid). */
  volumeId: z.string().optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
  copies: z.array(volumeCopySchema),
  /** Attachment generation: bumped on every attach and failover; older attachments are fenced. */
  epoch: z.number().int().nonnegative(),
  attachment: z.strictObject({ holder: z.string(), since: z.string() }).optional(),
  /** Quota (volume_gib) this volume holds in creditservice. */
  chargedGib: z.number().int().nonnegative().default(0),
  message: z.string().optional(),
  conditions: z.array(conditionSchema),
});
export type VolumeStatus = z.infer<typeof volumeStatusSchema>;

export const volumeKind = defineKind({
  component: "coronafs",
  apiVersion: "coronafs/v1",
  kind: "Volume",
  plural: "volumes",
  scope: "project",
  spec: volumeSpecSchema,
  status: volumeStatusSchema,
  initialStatus: (): VolumeStatus => ({
    phase: "Pending",
    copies: [],
    epoch: 0,
    chargedGib: 0,
    conditions: [],
  }),
  description: "A block volume served over NBD, chunked on volume servers, optionally replicated",
});

export const snapshotSpecSchema = z.strictObject({
  /** The volume of the same project to snapshot. */
  volume: nameSchema,
});
export type SnapshotSpec = z.infer<typeof snapshotSpecSchema>;

export const snapshotStatusSchema = z.strictObject({
  phase: z.enum(["Pending", "Ready", "Failed", "Deleting"]),
  snapshotId: z.string().optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
  /** Servers holding the snapshot's chunks (clones of it are placed there). */
  servers: z.array(z.string()),
  message: z.string().optional(),
  conditions: z.array(conditionSchema),
});
export type SnapshotStatus = z.infer<typeof snapshotStatusSchema>;

export const snapshotKind = defineKind({
  component: "coronafs",
  apiVersion: "coronafs/v1",
  kind: "VolumeSnapshot",
  plural: "snapshots",
  scope: "project",
  spec: snapshotSpecSchema,
  status: snapshotStatusSchema,
  initialStatus: (): SnapshotStatus => ({ phase: "Pending", servers: [], conditions: [] }),
  description: "A copy-on-write, point-in-time snapshot of a volume",
});

export const attachRequestSchema = z.strictObject({
  /** Who attaches (a VM id, a worker, a person): shown in status. */
  holder: z.string().min(1).max(253),
  /** Take the volume from its current holder (whose writes are then refused). */
  force: z.boolean().default(false),
});
export type AttachRequest = z.infer<typeof attachRequestSchema>;

export const attachmentSchema = z.strictObject({
  /** What QEMU takes: `-drive file=<url>,format=raw` or driver=nbd with server and export. */
  url: z.string(),
  server: z.string(),
  exportName: z.string(),
  epoch: z.number().int(),
  sizeBytes: z.number().int(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const detachRequestSchema = z.strictObject({ holder: z.string().min(1).max(253) });
