/**
 * Deliberate engine bugs, off unless a test turns them on: they exist only to prove that the
 * snapshot-isolation checker and the simulation catch a broken engine.
 */
export interface EngineBugs {
  /** Prewrite ignores newer commits on the key: first-committer-wins is gone (lost updates). */
  readonly skipWriteConflictCheck?: boolean;
  /** Snapshot reads ignore locks: a read may miss a txn that commits below its timestamp. */
  readonly ignoreLocksOnRead?: boolean;
}

export const NO_BUGS: EngineBugs = {};
