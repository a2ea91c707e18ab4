// Turns a zod failure into one line a person can act on: where, and what is wrong.
import type { z } from "zod";

export function describeZodError(where: string, err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => {
      const path = [where, ...i.path.map(String)].join(".");
      if (i.code === "unrecognized_keys")
        return `${path}: unknown field(s) ${i.keys.map((k) => `"${k}"`).join(", ")}`;
      return `${path}: ${i.message}`;
    })
    .join("; ");
}
