// The data that flows in and out of the Raft state machine. Everything here is plain data so a
// driver can encode it for disk (LMDB) or the wire without knowing about the state machine.

/** A node's identity inside one Raft group. Strings so operators can read them in logs. */
export type NodeId = string;
/** Which Raft group a message belongs to: a multi-raft driver routes on it. */
export type GroupId = string;

/** "No node": used for `vote` and `lead` when there is none. */
export const NONE: NodeId = "";

export type EntryType = "normal" | "confChange";

export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  /** Opaque to Raft for normal entries; an encoded ConfChange for confChange entries. */
  readonly data: Uint8Array;
}

/** What must be on disk before any message from the same Ready is sent. */
export interface HardState {
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
}

export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: 0, vote: NONE, commit: 0 });

/** Group membership. A node is in at most one of the two lists. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

export interface SnapshotMetadata {
  readonly index: number;
  readonly term: number;
  /** Membership as of `index`, so a node restored from the snapshot knows its peers. */
  readonly confState: ConfState;
}

export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  /** The application's state machine image at `metadata.index`; opaque to Raft. */
  readonly data: Uint8Array;
}

export const EMPTY_CONF_STATE: ConfState = Object.freeze({ voters: [], learners: [] });

export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  metadata: Object.freeze({ index: 0, term: 0, confState: EMPTY_CONF_STATE }),
  data: new Uint8Array(0),
});

export type RaftRole = "follower" | "preCandidate" | "candidate" | "leader";

/** Volatile state that is useful to the application (e.g. for routing clients) but never persisted. */
export interface SoftState {
  readonly lead: NodeId;
  readonly role: RaftRole;
}

/** The answer to a readIndex(ctx) request: reading state applied up to `index` is linearizable. */
export interface ReadState {
  readonly index: number;
  readonly requestCtx: string;
}

/**
 * Message kinds. `hup`, `beat`, `prop`, `snapStatus`, `unreachable`, `checkQuorum` and
 * `transferLeader`/`readIndex` (when local) never leave a node; the rest go on the wire.
 */
export type MessageType =
  | "hup"
  | "beat"
  | "prop"
  | "app"
  | "appResp"
  | "vote"
  | "voteResp"
  | "preVote"
  | "preVoteResp"
  | "snap"
  | "snapStatus"
  | "heartbeat"
  | "heartbeatResp"
  | "unreachable"
  | "transferLeader"
  | "timeoutNow"
  | "readIndex"
  | "readIndexResp";

export interface Message {
  readonly type: MessageType;
  readonly groupId: GroupId;
  readonly from: NodeId;
  readonly to: NodeId;
  /** The sender's term; 0 marks a local message. For preVote it is the term the sender would campaign at. */
  readonly term: number;
  /** app: term of the entry at `index`; appResp reject: term of the follower's entry at `rejectHint`. */
  readonly logTerm: number;
  /** app: index of the entry preceding `entries`; appResp: the follower's last matching index. */
  readonly index: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
  readonly snapshot?: Snapshot;
  readonly reject: boolean;
  /** appResp reject: the index the leader should probe next (fast backtracking). */
  readonly rejectHint: number;
  /** readIndex/heartbeat context, echoed back by the receiver. */
  readonly context?: string;
  /** vote/preVote sent because of a leadership transfer: the receiver ignores its leader lease. */
  readonly transfer?: boolean;
  /** transferLeader: the node that should become leader. */
  readonly transferee?: NodeId;
  /** heartbeat: the leader's tick count when sent, echoed in heartbeatResp; backs lease reads. */
  readonly leaseTick?: number;
}

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/** Builds a message with neutral defaults for the fields a given type does not use. */
export function makeMessage(
  m: Pick<Message, "type" | "groupId" | "from" | "to"> & Partial<Message>,
): Message {
  return {
    term: 0,
    logTerm: 0,
    index: 0,
    entries: NO_ENTRIES,
    commit: 0,
    reject: false,
    rejectHint: 0,
    ...m,
  };
}

/** Bytes an entry costs against size limits: payload plus a fixed estimate for the header. */
export function entrySizeBytes(e: Entry): number {
  return e.data.byteLength + ENTRY_OVERHEAD_BYTES;
}

/** Rough encoded size of term, index and type; keeps empty entries from being "free". */
export const ENTRY_OVERHEAD_BYTES = 24;

export function isHardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
