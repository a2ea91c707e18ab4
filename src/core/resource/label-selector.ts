// Equality-based label selectors (`a=b,c!=d,e`), as in Kubernetes.
import { ApiError } from "../errors.ts";

export type Requirement = { key: string; op: "=" | "!=" | "exists" | "!exists"; value?: string };

export function parseLabelSelector(text: string | undefined): Requirement[] {
  if (!text) return [];
  return text.split(",").map((part) => {
    const p = part.trim();
    const m = /^(!?)([A-Za-z0-9._/-]+)\s*(?:(!=|==|=)\s*([A-Za-z0-9._-]*))?$/.exec(p);
    if (!m)
      throw new ApiError(
        "InvalidArgument",
        `label selector "${p}" is not key=value, key!=value, key or !key`,
      );
    const [, not, key, op, value] = m;
    if (!op) return { key: key!, op: not ? "!exists" : "exists" };
    if (not) throw new ApiError("InvalidArgument", `label selector "${p}": '!' goes only before a bare key`);
    return { key: key!, op: op === "!=" ? "!=" : "=", value: value ?? "" };
  });
}

export function matchesLabels(labels: Record<string, string>, reqs: Requirement[]): boolean {
  return reqs.every((r) => {
    const v = labels[r.key];
    switch (r.op) {
      case "=":
        return v === r.value;
      case "!=":
        return v !== r.value;
      case "exists":
        return v !== undefined;
      default:
        return v === undefined;
    }
  });
}
