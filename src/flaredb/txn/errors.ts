// The errors a transaction reports. They are ApiErrors, so an API shell maps them to the
// standard codes without translation; `retryable` says whether running the txn again can help.

import { ApiError } from "../../core/errors.ts";

const hex = (k: Uint8Array) => Buffer.from(k).toString("hex");

export abstract class TxnError extends ApiError {
  abstract readonly retryable: boolean;
}

/** Someone else committed a key this txn writes, after this txn's snapshot (first committer wins). */
export class WriteConflictError extends TxnError {
  readonly retryable = true;
  constructor(
    readonly key: Uint8Array,
    readonly startTs: number,
    readonly conflictStartTs: number,
    readonly conflictCommitTs: number,
  ) {
    super(
      "Conflict",
      `write conflict on key ${hex(key)}: txn ${conflictStartTs} committed it at ${conflictCommitTs}, after this txn's start ${startTs}; retry the transaction`,
      { key: hex(key), startTs, conflictStartTs, conflictCommitTs },
    );
    this.name = "WriteConflictError";
  }
}

/** A live lock of another txn (its id is its start ts) held a key past our waiting budget. */
export class LockConflictError extends TxnError {
  readonly retryable = true;
  constructor(
    readonly key: Uint8Array,
    readonly lockTxn: number,
    readonly primary: Uint8Array,
  ) {
    super(
      "Conflict",
      `key ${hex(key)} is locked by txn ${lockTxn} (primary ${hex(primary)}), which is still running; retry later`,
      { key: hex(key), lockTxn, primary: hex(primary) },
    );
    this.name = "LockConflictError";
  }
}

/** This txn was rolled back by someone else (its locks were resolved, e.g. after its TTL). */
export class TxnAbortedError extends TxnError {
  readonly retryable = true;
  constructor(
    readonly startTs: number,
    why: string,
  ) {
    super("Conflict", `txn ${startTs} was rolled back: ${why}; retry the transaction`, { startTs });
    this.name = "TxnAbortedError";
  }
}

/** The primary commit was sent but never answered: the txn may or may not have committed. */
export class CommitUnknownError extends TxnError {
  readonly retryable = false;
  constructor(
    readonly startTs: number,
    readonly commitTs: number,
    cause: unknown,
  ) {
    super(
      "Unavailable",
      `txn ${startTs}: the commit at ${commitTs} may or may not have taken effect (${String(cause)}); read back before retrying`,
      { startTs, commitTs },
    );
    this.name = "CommitUnknownError";
  }
}

/** The read ts is below the GC safe point. */
export class SnapshotTooOldError extends TxnError {
  readonly retryable = true;
  constructor(
    readonly ts: number,
    readonly safePoint: number,
  ) {
    super(
      "FailedPrecondition",
      `snapshot ${ts} is below the GC safe point ${safePoint}; start a new transaction`,
      {
        ts,
        safePoint,
      },
    );
    this.name = "SnapshotTooOldError";
  }
}

/** The region layer kept failing (no leader, partition) beyond the retry budget. */
export class RegionUnavailableError extends TxnError {
  readonly retryable = true;
  constructor(what: string, cause: unknown) {
    super("Unavailable", `${what} failed after retries: ${String(cause)}`);
    this.name = "RegionUnavailableError";
  }
}

/** The txn was used after commit or rollback. */
export class TxnClosedError extends TxnError {
  readonly retryable = false;
  constructor(readonly startTs: number) {
    super("FailedPrecondition", `txn ${startTs} is already committed or rolled back; begin a new one`);
    this.name = "TxnClosedError";
  }
}
