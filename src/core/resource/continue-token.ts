// List paging: the continue token carries the last key returned, so the next page starts
// after it even if objects were added or removed in between.
import { ApiError } from "../errors.ts";

export function encodeContinue(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey }), "utf8").toString("base64url");
}

export function decodeContinue(token: string, prefix: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { k?: unknown };
    if (typeof parsed.k === "string" && parsed.k.startsWith(prefix)) return parsed.k;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(
    "InvalidArgument",
    "continue token is malformed or belongs to another list; start the list again",
  );
}
