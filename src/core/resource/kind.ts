// A kind of resource, declared once: its names, scope and the schemas of spec and status.
import type { z } from "zod";

export interface KindDef<Spec = unknown, Status = unknown> {
  /** Component that owns the kind, e.g. "creditservice"; the permission prefix. */
  component: string;
  apiVersion: string;
  kind: string;
  /** Path segment and permission resource, e.g. "quotas". */
  plural: string;
  scope: "project" | "cluster";
  spec: z.ZodType<Spec>;
  status: z.ZodType<Status>;
  initialStatus: () => Status;
  description: string;
}

export function defineKind<Spec, Status>(def: KindDef<Spec, Status>): KindDef<Spec, Status> {
  return def;
}

export const permissionFor = (k: KindDef, verb: "get" | "list" | "create" | "update" | "delete") =>
  `${k.component}.${k.plural}.${verb}`;
