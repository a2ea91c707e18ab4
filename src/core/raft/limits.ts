// Named bounds of the Raft state machine. Each is a default for RaftConfig; what happens at the
// bound is designed: proposals get ProposalDroppedError, reads ReadIndexDroppedError, and
// replication simply waits (flow control).

/** Ticks without hearing from a leader before a follower campaigns (randomized in [n, 2n)). */
export const DEFAULT_ELECTION_TICKS = 10;
/** Ticks between leader heartbeats. Must be well below the election timeout. */
export const DEFAULT_HEARTBEAT_TICKS = 1;
/** Upper bound on the entry bytes in one append message (a single larger entry still goes alone). */
export const DEFAULT_MAX_SIZE_PER_MSG_BYTES = 1024 * 1024;
/** Upper bound on the number of entries in one append message. */
export const DEFAULT_MAX_ENTRIES_PER_MSG = 4096;
/** Append messages in flight to one follower before the leader waits for acknowledgements. */
export const DEFAULT_MAX_INFLIGHT_MSGS = 256;
/** Bytes in flight to one follower before the leader waits for acknowledgements. */
export const DEFAULT_MAX_INFLIGHT_BYTES = 32 * 1024 * 1024;
/** Payload bytes appended by the leader but not yet committed; beyond it proposals are dropped. */
export const DEFAULT_MAX_UNCOMMITTED_ENTRIES_BYTES = 64 * 1024 * 1024;
/** Bytes of committed entries handed to the application in one Ready. */
export const DEFAULT_MAX_COMMITTED_SIZE_PER_READY_BYTES = 16 * 1024 * 1024;
/** ReadIndex requests waiting for confirmation at the leader; beyond it reads are dropped. */
export const DEFAULT_MAX_PENDING_READ_INDEX = 4096;
/** Ticks a follower may stay in snapshot state before the leader assumes the snapshot was lost. */
export const DEFAULT_SNAPSHOT_TIMEOUT_TICKS = 50;
/**
 * Ticks shaved off the leader lease to cover tick-phase differences between nodes (and, on
 * real hardware, clock drift): the lease is electionTicks - this, from the quorum's last ack.
 */
export const LEASE_SAFETY_MARGIN_TICKS = 2;
/** Read requests a leader holds while it has not yet committed an entry of its own term. */
export const MAX_PENDING_READS_BEFORE_COMMIT = 1024;
