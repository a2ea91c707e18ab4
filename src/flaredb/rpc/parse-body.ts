// zod at the RPC boundary: a body that does not match its schema is a 400 naming the field.
import type { z } from "zod";
import { ApiError } from "../../core/errors.ts";

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new ApiError("InvalidArgument", `${i?.path.join(".") || "body"}: ${i?.message ?? "invalid"}`);
}
