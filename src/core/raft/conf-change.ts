import type { ConfState, NodeId } from "./types.ts";

/**
 * Single-server membership changes, one at a time. A change takes effect on each node when
 * the node *applies* the entry (in advance()), as in etcd's raft: simpler to reason about than
 * joint consensus, and safe because (1) the leader allows at most one unapplied change and
 * (2) a new leader only accepts a change once everything up to its own first entry is
 * applied, which closes the known single-server-change bug around leader changes.
 *
 * - addVoter: adds a voter; on a learner it promotes it (same as promoteLearner).
 * - addLearner: adds a non-voting member that receives the log (ignored for an existing voter).
 * - promoteLearner: turns a learner into a voter (ignored if not a learner).
 * - removeNode: removes a voter or learner. A removed node stops campaigning.
 */
export type ConfChangeType = "addVoter" | "addLearner" | "promoteLearner" | "removeNode";

export interface ConfChange {
  readonly type: ConfChangeType;
  readonly nodeId: NodeId;
}

const CONF_CHANGE_TYPES: ReadonlySet<string> = new Set([
  "addVoter",
  "addLearner",
  "promoteLearner",
  "removeNode",
]);

export function encodeConfChange(cc: ConfChange): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ type: cc.type, nodeId: cc.nodeId }));
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  const v = JSON.parse(new TextDecoder().decode(data)) as { type?: unknown; nodeId?: unknown };
  if (
    typeof v.type !== "string" ||
    !CONF_CHANGE_TYPES.has(v.type) ||
    typeof v.nodeId !== "string" ||
    v.nodeId === ""
  ) {
    throw new Error(`invalid conf change entry: ${new TextDecoder().decode(data)}`);
  }
  return { type: v.type as ConfChangeType, nodeId: v.nodeId };
}

/** The membership after applying cc to cs; invalid changes leave it unchanged. */
export function applyConfChangeTo(cs: ConfState, cc: ConfChange): ConfState {
  const voters = new Set(cs.voters);
  const learners = new Set(cs.learners);
  const id = cc.nodeId;
  switch (cc.type) {
    case "addVoter":
      learners.delete(id);
      voters.add(id);
      break;
    case "promoteLearner":
      if (!learners.has(id)) return cs;
      learners.delete(id);
      voters.add(id);
      break;
    case "addLearner":
      if (voters.has(id)) return cs;
      learners.add(id);
      break;
    case "removeNode":
      voters.delete(id);
      learners.delete(id);
      break;
  }
  return { voters: [...voters].sort(), learners: [...learners].sort() };
}
