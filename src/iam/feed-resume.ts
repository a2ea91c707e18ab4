// Where a verifier resumes the authz feed: per kind, the last store revision it holds, as
// `Role:12,Project:40,…` in the watch URL and in the feed's SYNCED line.
import { z } from "zod";

/** Per kind, the revision to resume after: `Role:12,Project:40,…`. */
export const resumeSchema = z
  .string()
  .max(1000)
  .regex(
    /^([A-Za-z]+:\d{1,15})(,[A-Za-z]+:\d{1,15})*$/,
    "resume is `Kind:revision,…` for every kind of the feed",
  );

export function parseResume(text: string): Record<string, number> {
  return Object.fromEntries(
    text.split(",").map((p) => {
      const [k, r] = p.split(":") as [string, string];
      return [k, Number(r)];
    }),
  );
}

export const formatResume = (revisions: Record<string, number>) =>
  Object.entries(revisions)
    .map(([k, r]) => `${k}:${r}`)
    .join(",");
