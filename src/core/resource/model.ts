// The one object shape of every control plane (ARCHITECTURE.md, "Resources").
import { z } from "zod";

/** DNS-label-like names: what a person can type, and safe in keys, paths and hostnames. */
export const nameSchema = z
  .string()
  .min(1, "name must not be empty")
  .max(63, "name must be at most 63 characters")
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    "name must be lowercase letters, digits and '-', starting and ending with a letter or digit",
  );

export const projectSchema = nameSchema;

const labelKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$/, "invalid label key");
const labelValue = z.string().max(256);

export const labelsSchema = z
  .record(labelKey, labelValue)
  .refine((r) => Object.keys(r).length <= 64, "at most 64 labels");
export const annotationsSchema = z
  .record(labelKey, z.string().max(16_384))
  .refine((r) => Object.keys(r).length <= 64, "at most 64 annotations");

export const metadataSchema = z.strictObject({
  name: nameSchema,
  project: projectSchema.optional(),
  uid: z.string(),
  revision: z.number().int().nonnegative(),
  labels: labelsSchema,
  annotations: annotationsSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  deletionTimestamp: z.string().optional(),
  finalizers: z.array(z.string().min(1).max(253)).max(32).optional(),
});
export type Metadata = z.infer<typeof metadataSchema>;

/** What a client may send in metadata: the server owns uid, timestamps and deletion. */
export const metadataInputSchema = z.strictObject({
  name: nameSchema,
  project: projectSchema.optional(),
  revision: z.number().int().nonnegative().optional(),
  labels: labelsSchema.optional(),
  annotations: annotationsSchema.optional(),
  finalizers: z.array(z.string().min(1).max(253)).max(32).optional(),
  uid: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  deletionTimestamp: z.string().optional(),
});
export type MetadataInput = z.infer<typeof metadataInputSchema>;

export interface Resource<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  spec: Spec;
  status: Status;
}

export type AnyResource = Resource<unknown, unknown>;

/** Conditions say what state a resource is in and, always, why (Kubernetes conventions). */
export const conditionSchema = z.strictObject({
  type: z.string(),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "reason is CamelCase"),
  message: z.string(),
  lastTransitionTime: z.string(),
  observedRevision: z.number().int().optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export interface ResourceKey {
  kind: string;
  project?: string | undefined;
  name: string;
}

/** Cluster-scoped kinds have no project; their key segment is "_" (not a valid project name). */
export const clusterScope = "_";

export function storageKey(k: ResourceKey): string {
  return `${k.kind}/${k.project ?? clusterScope}/${k.name}`;
}

export function storagePrefix(kind: string, project?: string): string {
  return project === undefined ? `${kind}/` : `${kind}/${project}/`;
}

export function keyOf(r: AnyResource): ResourceKey {
  return { kind: r.kind, project: r.metadata.project, name: r.metadata.name };
}

export function describeKey(k: ResourceKey): string {
  return k.project ? `${k.kind} "${k.name}" in project "${k.project}"` : `${k.kind} "${k.name}"`;
}
