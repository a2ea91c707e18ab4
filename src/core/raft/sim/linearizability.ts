/**
 * A linearizability checker in the style of Porcupine (Wing & Gong's search with Lowe's
 * memoization): walk the history's call/return events in time order, try to linearize each
 * pending call against a sequential model, backtrack when a return is reached whose call was
 * not linearized, and never revisit a (set of linearized ops, model state) pair.
 *
 * Histories are partitioned first (e.g. per key): a history is linearizable iff every
 * partition is, and the search is exponential only in each partition's concurrency.
 *
 * An indeterminate operation (the client timed out) has `returnMs = Infinity`: it may take
 * effect at any point after its call, or never.
 */

export interface Model<S, I> {
  readonly init: S;
  /** The state after applying op to state, or undefined if op's recorded output is impossible there. */
  step(state: S, op: I): S | undefined;
  /** A string that identifies the state, for memoization. */
  stateKey(state: S): string;
}

export interface TimedOp<I> {
  readonly callMs: number;
  /** Infinity for an indeterminate operation. */
  readonly returnMs: number;
  readonly op: I;
}

export type LinearizabilityResult =
  | { readonly outcome: "ok"; readonly steps: number }
  | {
      readonly outcome: "violation";
      readonly steps: number;
      readonly partition: string;
      readonly longestPrefix: number;
    }
  | { readonly outcome: "unknown"; readonly steps: number; readonly partition: string };

/** Search-step budget per partition; beyond it the answer is "unknown" rather than a hang. */
export const DEFAULT_MAX_SEARCH_STEPS = 2_000_000;

interface Node {
  readonly opIndex: number;
  readonly isCall: boolean;
  readonly timeMs: number;
  match: Node | undefined;
  prev: Node | undefined;
  next: Node | undefined;
}

function buildList<I>(ops: readonly TimedOp<I>[]): Node {
  const events: Node[] = [];
  ops.forEach((o, i) => {
    if (!(o.returnMs >= o.callMs))
      throw new Error(`op ${i} returns (${o.returnMs}) before its call (${o.callMs})`);
    const call: Node = {
      opIndex: i,
      isCall: true,
      timeMs: o.callMs,
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    const ret: Node = {
      opIndex: i,
      isCall: false,
      timeMs: o.returnMs,
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    call.match = ret;
    events.push(call, ret);
  });
  // At equal times calls sort before returns: touching operations count as concurrent,
  // the lenient reading when the clock cannot order them.
  events.sort(
    (a, b) => a.timeMs - b.timeMs || (a.isCall === b.isCall ? a.opIndex - b.opIndex : a.isCall ? -1 : 1),
  );
  const head: Node = {
    opIndex: -1,
    isCall: false,
    timeMs: -Infinity,
    match: undefined,
    prev: undefined,
    next: undefined,
  };
  let prev = head;
  for (const e of events) {
    prev.next = e;
    e.prev = prev;
    prev = e;
  }
  return head;
}

function lift(call: Node): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

function unlift(call: Node): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A fixed pseudo-random 32-bit word per operation (splitmix32), for the set hash. */
function zobristTable(n: number): Uint32Array {
  const t = new Uint32Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < t.length; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    t[i] = (z ^ (z >>> 16)) >>> 0;
  }
  return t;
}

/** Checks one partition. */
export function checkPartition<S, I>(
  model: Model<S, I>,
  ops: readonly TimedOp<I>[],
  maxSteps = DEFAULT_MAX_SEARCH_STEPS,
): { outcome: "ok" | "violation" | "unknown"; steps: number; longest: number } {
  const head = buildList(ops);
  const words = Math.ceil(ops.length / 32) || 1;
  const linearized = new Uint32Array(words);
  // Memo of visited (linearized set, state): per state, keyed by an incrementally maintained
  // hash of the set, with the exact sets kept to rule out hash collisions.
  const seen = new Map<string, Map<number, Uint32Array[]>>();
  const zobrist = zobristTable(ops.length);
  let hash = 0;
  const stack: { call: Node; state: S }[] = [];
  let state = model.init;
  let entry = head.next;
  let steps = 0;
  let longest = 0;
  const toggle = (i: number) => {
    const w = i >>> 5;
    linearized[w] = linearized[w]! ^ (1 << (i & 31));
    hash = (hash ^ zobrist[i]!) >>> 0;
  };
  const visit = (stateKey: string): boolean => {
    let byHash = seen.get(stateKey);
    if (!byHash) {
      byHash = new Map();
      seen.set(stateKey, byHash);
    }
    const sets = byHash.get(hash);
    if (sets) {
      for (const set of sets) if (sameBits(set, linearized)) return false;
      sets.push(linearized.slice());
    } else {
      byHash.set(hash, [linearized.slice()]);
    }
    return true;
  };
  while (entry) {
    if (++steps > maxSteps) return { outcome: "unknown", steps, longest };
    if (entry.isCall) {
      const next = model.step(state, ops[entry.opIndex]!.op);
      if (next !== undefined) {
        toggle(entry.opIndex);
        if (visit(model.stateKey(next))) {
          stack.push({ call: entry, state });
          if (stack.length > longest) longest = stack.length;
          state = next;
          lift(entry);
          entry = head.next;
          continue;
        }
        toggle(entry.opIndex);
      }
      entry = entry.next;
      continue;
    }
    // A return whose call is not linearized yet. If it is an indeterminate op's return, every
    // determinate op is already linearized (their returns sort first): the rest may never
    // have happened, so we are done.
    if (entry.timeMs === Number.POSITIVE_INFINITY) return { steps, outcome: "ok", longest };
    const top = stack.pop();
    if (!top) return { steps, outcome: "violation", longest };
    toggle(top.call.opIndex);
    state = top.state;
    unlift(top.call);
    entry = top.call.next;
  }
  return { steps, outcome: "ok", longest };
}

/** Checks a whole history, partitioned by `partitionOf`. */
export function checkLinearizable<S, I>(
  model: Model<S, I>,
  ops: readonly TimedOp<I>[],
  partitionOf: (op: I) => string,
  maxSteps = DEFAULT_MAX_SEARCH_STEPS,
): LinearizabilityResult {
  const parts = new Map<string, TimedOp<I>[]>();
  for (const o of ops) {
    const k = partitionOf(o.op);
    let list = parts.get(k);
    if (!list) {
      list = [];
      parts.set(k, list);
    }
    list.push(o);
  }
  let total = 0;
  for (const [k, list] of [...parts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const r = checkPartition(model, list, maxSteps);
    total += r.steps;
    if (r.outcome === "unknown") return { outcome: "unknown", steps: total, partition: k };
    if (r.outcome === "violation") {
      return { outcome: "violation", steps: total, partition: k, longestPrefix: r.longest };
    }
  }
  return { outcome: "ok", steps: total };
}
