// The authz feed: everything verifiers replicate (roles, bindings, groups, projects,
// principals, revocations, public signing keys), as one stream of events — a snapshot of
// each kind, then a SYNCED marker, then live changes. iam applies it to its own state and
// serves it at GET /v1/authz/watch for IamAuth in every other component.
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
  event: (e: AuthzEvent) => void;
  synced: () => void;
  error: (err: Error) => void;
}

/** Opens the feed; returns once the snapshot has been delivered (then live events flow). */
export async function openAuthzFeed(store: ResourceStore, h: FeedHandlers): Promise<Watch> {
  const watches: Watch[] = [];
  let closed = false;
  const close = () => {
    closed = true;
    for (const w of watches) w.close();
  };
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
        for (const o of page.items) h.event({ type: "ADDED", object: sanitize(o) });
        cont = page.continue;
      } while (cont);
      if (closed) break;
      // Watching from the first page's revision may replay changes the later pages already
      // showed; applying an event twice is harmless, missing one is not.
      watches.push(
        store.watch(kind, undefined, (e) => h.event({ type: e.type, object: sanitize(e.object) }), {
          fromRevision: firstRevision,
          onError: (err) => {
            close();
            h.error(err);
          },
        }),
      );
    }
  } catch (err) {
    close();
    throw err;
  }
  h.synced();
  return { close };
}
