// Read, decide, write at the revision read. A Conflict means somebody wrote in between, so the
// decision is made again on what they wrote — a bounded number of times, then the caller is
// told to retry.
import { ApiError } from "../errors.ts";
import type { AnyResource } from "./model.ts";
import type { ResourceStore } from "./store.ts";

/** Decisions made before a resource that keeps changing is reported busy. */
export const conflictAttempts = 5;

/**
 * `decide` returns the object to write (its revision must be the one read), or undefined when
 * nothing is to change: then the object read is returned. `busy` is the message once every
 * attempt lost a race.
 */
export async function updateRetrying<T extends AnyResource>(
  store: ResourceStore,
  read: () => Promise<T>,
  decide: (current: T) => Promise<T | undefined> | T | undefined,
  busy: string,
): Promise<T> {
  for (let attempt = 0; attempt < conflictAttempts; attempt++) {
    const current = await read();
    const next = await decide(current);
    if (!next) return current;
    try {
      return (await store.update(next, { revision: current.metadata.revision })) as T;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === "Conflict")) throw e;
    }
  }
  throw new ApiError("Unavailable", busy);
}
