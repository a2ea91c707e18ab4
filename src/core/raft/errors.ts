// Errors a caller of the Raft state machine can act on. Each has a stable `code`.

/** A proposal was not accepted; the caller may retry (elsewhere, or later). */
export class ProposalDroppedError extends Error {
  readonly code = "ProposalDropped";
  constructor(
    readonly reason: "notLeader" | "uncommittedLimit" | "transferring" | "removed" | "confChangePending",
    /** The leader this node knows of, so a client can retry there; "" if unknown. */
    readonly leaderHint: string,
    message?: string,
  ) {
    super(message ?? `proposal dropped: ${reason}${leaderHint ? ` (leader is ${leaderHint})` : ""}`);
    this.name = "ProposalDroppedError";
  }
}

/** A read request could not be queued (no leader known, or too many pending reads). */
export class ReadIndexDroppedError extends Error {
  readonly code = "ReadIndexDropped";
  constructor(
    readonly reason: "noLeader" | "pendingLimit" | "transferring",
    message?: string,
  ) {
    super(message ?? `read index dropped: ${reason}`);
    this.name = "ReadIndexDroppedError";
  }
}

/** The requested index is below the first index still kept: it was compacted into a snapshot. */
export class CompactedError extends Error {
  readonly code = "Compacted";
  constructor(readonly requestedIndex: number) {
    super(`requested index ${requestedIndex} is unavailable due to compaction`);
    this.name = "CompactedError";
  }
}

/** The requested index is beyond the last index in storage. */
export class UnavailableError extends Error {
  readonly code = "Unavailable";
  constructor(readonly requestedIndex: number) {
    super(`requested entry at index ${requestedIndex} is unavailable`);
    this.name = "UnavailableError";
  }
}

/** A snapshot older than the one already held was offered to storage. */
export class SnapshotOutOfDateError extends Error {
  readonly code = "SnapshotOutOfDate";
  constructor(
    readonly offeredIndex: number,
    readonly heldIndex: number,
  ) {
    super(`snapshot at ${offeredIndex} is older than the held snapshot at ${heldIndex}`);
    this.name = "SnapshotOutOfDateError";
  }
}
