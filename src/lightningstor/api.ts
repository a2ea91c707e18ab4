// lightningstor's public schemas: access keys and the image registry (used by the CLI,
// plasmavmc and coronafs).
import { z } from "zod";

export const accessKeyCreateSchema = z.strictObject({
  description: z.string().max(256).optional(),
  /** Import a known key pair (tests, migrations); both or neither. */
  accessKeyId: z
    .string()
    .regex(/^[A-Z0-9]{16,128}$/, "access key ids are 16–128 upper-case letters and digits")
    .optional(),
  secret: z.string().min(16).max(128).optional(),
});

export interface AccessKeyView {
  accessKeyId: string;
  project: string;
  createdAt: string;
  description?: string;
}

export interface AccessKeyCreated extends AccessKeyView {
  secretAccessKey: string;
}

export const imageFormats = ["raw", "qcow2"] as const;
export const imageVisibilities = ["private", "public"] as const;

export const imageSpecSchema = z.strictObject({
  format: z.enum(imageFormats),
  visibility: z.enum(imageVisibilities).default("private"),
  description: z.string().max(1024).optional(),
});
export type ImageSpec = z.infer<typeof imageSpecSchema>;

export const imageStatusSchema = z.object({
  phase: z.enum(["Pending", "Ready", "Failed"]),
  sizeBytes: z.number().int().nonnegative().optional(),
  sha256: z.string().optional(),
  bucket: z.string().optional(),
  key: z.string().optional(),
  message: z.string().optional(),
});
export type ImageStatus = z.infer<typeof imageStatusSchema>;

/** The bucket image data lives in (owned by the system project). */
export const imageBucket = "photon-images";
export const imageKey = (project: string, name: string) => `${project}/${name}`;
