// Public surface of the pure Raft state machine. Drivers (LMDB storage, transport, multi-raft)
// build on these names only.
export {
  applyConfChangeTo,
  type ConfChange,
  type ConfChangeType,
  decodeConfChange,
  encodeConfChange,
} from "./conf-change.ts";
export {
  CompactedError,
  ProposalDroppedError,
  ReadIndexDroppedError,
  SnapshotOutOfDateError,
  UnavailableError,
} from "./errors.ts";
export * from "./limits.ts";
export { MemoryStorage } from "./memory-storage.ts";
export {
  type InjectedBugs,
  type ProgressStatus,
  type RaftConfig,
  RaftNode,
  type RaftStatus,
  type Ready,
} from "./raft-node.ts";
export type { RaftStorage } from "./storage.ts";
export * from "./types.ts";
