// Status conditions: a resource always says what state it is in and why.
import type { Condition } from "./model.ts";

/** Sets or replaces a condition; lastTransitionTime moves only when the status changes. */
export function setCondition(
  conditions: Condition[] | undefined,
  next: Omit<Condition, "lastTransitionTime">,
  now: string,
): Condition[] {
  const list = conditions ?? [];
  const old = list.find((c) => c.type === next.type);
  const merged: Condition = {
    ...next,
    lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now,
  };
  return [...list.filter((c) => c.type !== next.type), merged];
}

export function findCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
