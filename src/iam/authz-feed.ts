// The authz feed: everything verifiers replicate (roles, bindings, groups, projects,
// principals, revocations, public signing keys), as one stream of events — a snapshot of
// each kind, then a SYNCED marker, then live changes. iam applies it to its own state and
// serves it at GET /v1/authz/watch for IamAuth in every other component.
//
// Resuming: every live event carries its store revision, and SYNCED the revision each kind's
// snapshot was read at. A verifier that reconnects names, per kind, the last revision it has
// seen; the feed then replays only the changes after those (RESUMED, the changes, SYNCED)
// instead of the whole snapshot. Per kind, because each kind is its own ordered watch: having
// seen a kind's event at revision r means having seen all of that kind's changes up to r.
// If the store no longer holds the history that far back, the feed sends the full snapshot.
import { ApiError } from "../core/errors.ts";
import type { AnyResource } from "../core/resource/model.ts";
import type { ResourceStore, Watch } from "../core/resource/store.ts";
import { storeLimits } from "../core/resource/store.ts";
import type { AuthzEvent } from "./authz-state.ts";
import { internalKinds, type SigningKeySpec } from "./internal-kinds.ts";
import { publicPart } from "./signing-keys.ts";

export const feedKinds = [
  "Role",
  "Project",
  "User",
  "ServiceAccount",
  "Group",
  "RoleBinding",
  "ClusterRoleBinding",
  "Revocation",
  internalKinds.signingKey,
] as const;

/** Strips what must never leave iam (the private half of signing keys). */
function sanitize(o: AnyResource): AnyResource {
  if (o.kind !== internalKinds.signingKey) return o;
  return { ...o, spec: publicPart(o.spec as SigningKeySpec) };
}

export interface FeedHandlers {
  /** `revision` is set on live (watched) events, which a verifier may resume after. */
  event: (e: AuthzEvent, revision?: number) => void;
  /** Per kind, the revision the verifier has everything up to once it has what was sent. */
  synced: (revisions: Record<string, number>) => void;
  /** Sent first when the feed resumes instead of sending a snapshot. */
  resumed: () => void;
  error: (err: Error) => void;
}

/** Resumes the feed from per-kind revisions; undefined when the store no longer has that history. */
function tryResume(
  store: ResourceStore,
  from: Record<string, number>,
  h: FeedHandlers,
  watches: Watch[],
  close: () => void,
): boolean {
  if (!feedKinds.every((k) => Number.isSafeInteger(from[k]) && from[k]! > 0)) return false;
  try {
    for (const kind of feedKinds)
      watches.push(
        store.watch(
          kind,
          undefined,
          (e) => h.event({ type: e.type, object: sanitize(e.object) }, e.revision),
          {
            fromRevision: from[kind]!,
            onError: (err) => {
              close();
              h.error(err);
            },
          },
        ),
      );
    return true;
  } catch (err) {
    if (!(err instanceof ApiError && err.code === "FailedPrecondition")) throw err;
    for (const w of watches.splice(0)) w.close();
    return false;
  }
}

/**
 * Opens the feed; returns once the snapshot (or, resuming, the replay of missed changes) has
 * been delivered, then live events flow.
 */
export async function openAuthzFeed(
  store: ResourceStore,
  h: FeedHandlers,
  resumeFrom?: Record<string, number>,
): Promise<Watch> {
  const watches: Watch[] = [];
  let closed = false;
  const close = () => {
    closed = true;
    for (const w of watches) w.close();
  };
  if (resumeFrom && tryResume(store, resumeFrom, h, watches, close)) {
    h.resumed();
    // Replayed changes are delivered on later ticks; SYNCED goes after them.
    await new Promise((r) => setImmediate(r));
    h.synced(resumeFrom);
    return { close };
  }
  const revisions: Record<string, number> = {};
  try {
    for (const kind of feedKinds) {
      let cont: string | undefined;
      let firstRevision: number | undefined;
      do {
        const page = await store.list(kind, undefined, {
          limit: storeLimits.maxListLimit,
          ...(cont ? { continue: cont } : {}),
        });
        firstRevision ??= page.revision;
        revisions[kind] = firstRevision;
        for (const o of page.items) h.event({ type: "ADDED", object: sanitize(o) });
        cont = page.continue;
      } while (cont);
      if (closed) break;
      // Watching from the first page's revision may replay changes the later pages already
      // showed; applying an event twice is harmless, missing one is not.
      watches.push(
        store.watch(
          kind,
          undefined,
          (e) => h.event({ type: e.type, object: sanitize(e.object) }, e.revision),
          {
            fromRevision: firstRevision,
            onError: (err) => {
              close();
              h.error(err);
            },
          },
        ),
      );
    }
  } catch (err) {
    close();
    throw err;
  }
  h.synced(revisions);
  return { close };
}
