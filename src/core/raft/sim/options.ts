import type { InjectedBugs } from "../raft-node.ts";

/** The kinds of trouble the simulation can make. */
export const FAULT_KINDS = [
  "drop",
  "dup",
  "reorder",
  "partition",
  "crash",
  "membership",
  "transfer",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type BugName = keyof InjectedBugs;
export const BUG_NAMES: readonly BugName[] = [
  "voteWithoutLogCheck",
  "voteTwiceInTerm",
  "commitOldTermByCounting",
  "readIndexWithoutConfirm",
  "leaseWithoutExpiry",
];

export interface SimOptions {
  readonly seed: number;
  /** Founding voters (3 or 5); membership faults may add or remove members later. */
  readonly nodes: number;
  /** Ticks of virtual time with faults and client load; a quiet phase follows to drain. */
  readonly steps: number;
  readonly faults: ReadonlySet<FaultKind>;
  /** "mixed" picks safe or lease-based reads per seed. */
  readonly readMode: "safe" | "lease" | "mixed";
  readonly clients: number;
  readonly keys: number;
  readonly bug?: BugName;
  /** Record a human-readable trace of notable events. */
  readonly trace?: boolean;
}

export const SIM_TICK_MS = 10;
/**
 * Each node's tick period is SIM_TICK_MS × (1 ± up to this). Lease reads tolerate it: the lease
 * is electionTicks - LEASE_SAFETY_MARGIN_TICKS (8 of 10) leader ticks, while a follower waits
 * at least 9 of its own periods, so followers may run up to ~11% fast.
 */
export const SIM_CLOCK_DRIFT = 0.04;
export const SIM_ELECTION_TICKS = 10;
export const SIM_HEARTBEAT_TICKS = 2;
/** How long a client waits for an answer before it records the operation as indeterminate. */
export const CLIENT_OP_TIMEOUT_MS = 800;
/** A read attempt that got no ReadState in this long is retried (reads are safe to retry). */
export const CLIENT_READ_RETRY_MS = 150;
/** Ticks of quiet time after the faulty phase, so pending operations can finish. */
export const QUIESCE_TICKS = 150;
/** At most this many members are added over a run (each needs fresh storage). */
export const MAX_ADDED_MEMBERS = 2;
/** The log-matching checker runs every this many ticks (it compares every pair of logs). */
export const LOG_MATCHING_EVERY_TICKS = 25;

export const DEFAULT_SIM_OPTIONS: SimOptions = {
  seed: 1,
  nodes: 3,
  steps: 200,
  faults: new Set(FAULT_KINDS),
  readMode: "mixed",
  clients: 3,
  keys: 3,
};

/** Parses "all", "none" or a comma list such as "drop,partition,crash". */
export function parseFaults(spec: string): Set<FaultKind> {
  if (spec === "all") return new Set(FAULT_KINDS);
  if (spec === "none" || spec === "") return new Set();
  const out = new Set<FaultKind>();
  for (const part of spec.split(",")) {
    const f = part.trim();
    if (!(FAULT_KINDS as readonly string[]).includes(f)) {
      throw new Error(
        `unknown fault "${f}"; expected all, none or a comma list of ${FAULT_KINDS.join(", ")}`,
      );
    }
    out.add(f as FaultKind);
  }
  return out;
}

export function formatFaults(faults: ReadonlySet<FaultKind>): string {
  if (faults.size === FAULT_KINDS.length) return "all";
  if (faults.size === 0) return "none";
  return FAULT_KINDS.filter((f) => faults.has(f)).join(",");
}

/** The command line that replays a run exactly. */
export function replayCommand(o: SimOptions): string {
  const parts = [
    "npm run sim --",
    `--seed ${o.seed}`,
    `--nodes ${o.nodes}`,
    `--steps ${o.steps}`,
    `--faults ${formatFaults(o.faults)}`,
    `--read-mode ${o.readMode}`,
    `--clients ${o.clients}`,
    `--keys ${o.keys}`,
  ];
  if (o.bug) parts.push(`--bug ${o.bug}`);
  return parts.join(" ");
}
