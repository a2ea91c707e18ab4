// A snapshot-isolation checker for list-append histories (the approach of Elle): every write
// appends a unique element (the txn id) to a key's list by reading it and writing it back, so
// the order of versions of a key can be recovered from the values themselves, and reads reveal
// exactly which write they saw. From that it builds the dependency graph — ww (version order),
// wr (read a version), rw (read the version before another txn's write) and rt (one txn finished
// before the other began) — and reports what SI with a timestamp oracle forbids:
//
//   lostUpdate   two writes extended the same version (divergent lists: first-committer-wins broken)
//   G1a          a read saw the write of an aborted txn (aborted / dirty read)
//   G0, G1c      a cycle of ww (write cycle), or of ww+wr edges (circular information flow)
//   G-rt         a cycle through real-time order: a txn missed one that committed before it began
//   G-single     a cycle with exactly one rw edge (read skew); cycles with ≥2 rw (write skew) are
//                allowed under SI
//   lostCommit   an acknowledged commit missing from the final read of its key
//
// G1b (intermediate reads) cannot occur: each txn appends at most once per key.

export type Op =
  | { readonly kind: "read"; readonly key: string; readonly value: readonly string[] }
  /** `prev` is the list the txn read and extended; the element is the txn id. */
  | { readonly kind: "append"; readonly key: string; readonly prev: readonly string[] };

export interface TxnRecord {
  readonly id: string;
  readonly status: "committed" | "aborted" | "unknown";
  /** Real (virtual) time the txn began, and for acknowledged commits when the ack arrived. */
  readonly beginMs: number;
  readonly endMs?: number;
  readonly ops: readonly Op[];
  /** A read-only txn run after everything settled: every acknowledged commit must show in it. */
  readonly final?: boolean;
}

export type AnomalyKind =
  | "lostUpdate"
  | "G1a"
  | "G0"
  | "G1c"
  | "G-rt"
  | "G-single"
  | "lostCommit"
  | "garbage"
  | "duplicate";

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly message: string;
}

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Directed graph over integer nodes with labelled edges. */
class Graph {
  readonly out: number[][] = [];
  constructor(readonly n: number) {
    for (let i = 0; i < n; i++) this.out.push([]);
  }
  add(a: number, b: number): void {
    if (a !== b) this.out[a]!.push(b);
  }
}

/** Tarjan's strongly connected components (iterative); comp[i] is i's component. */
function scc(g: Graph): { comp: Int32Array; count: number; sizes: number[] } {
  const n = g.n;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const sizes: number[] = [];
  let idx = 0;
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    const work: [number, number][] = [[s, 0]];
    index[s] = low[s] = idx++;
    stack.push(s);
    onStack[s] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const edges = g.out[v]!;
      if (i < edges.length) {
        top[1]++;
        const w = edges[i]!;
        if (index[w] === -1) {
          index[w] = low[w] = idx++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const p = work[work.length - 1]![0];
        low[p] = Math.min(low[p]!, low[v]!);
      }
      if (low[v] === index[v]) {
        let size = 0;
        for (;;) {
          const w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = count;
          size++;
          if (w === v) break;
        }
        sizes.push(size);
        count++;
      }
    }
  }
  return { comp, count, sizes };
}

export function checkSnapshotIsolation(history: readonly TxnRecord[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const byId = new Map(history.map((t) => [t.id, t]));
  const written = (op: Op & { kind: "append" }, t: TxnRecord) => [...op.prev, t.id];

  // 1. Version order per key: the longest observed list; everything else must be its prefix.
  const observedElems = new Set<string>();
  const lists = new Map<string, (readonly string[])[]>();
  const observe = (key: string, l: readonly string[]) => {
    const arr = lists.get(key) ?? [];
    arr.push(l);
    lists.set(key, arr);
    for (const e of l) observedElems.add(`${key}\u0000${e}`);
  };
  for (const t of history) {
    for (const op of t.ops) {
      if (op.kind === "read") observe(op.key, op.value);
      // The writes of committed txns are versions even if nobody read them.
      else if (t.status === "committed") observe(op.key, written(op, t));
    }
  }
  // Unknown txns whose element someone saw did commit; their writes are versions too.
  const effective = (t: TxnRecord, key?: string) =>
    t.status === "committed" ||
    (t.status === "unknown" &&
      t.ops.some(
        (o) =>
          o.kind === "append" &&
          (key === undefined || o.key === key) &&
          observedElems.has(`${o.key}\u0000${t.id}`),
      ));
  for (const t of history) {
    if (t.status !== "unknown") continue;
    for (const op of t.ops) if (op.kind === "append" && effective(t, op.key)) observe(op.key, written(op, t));
  }
  const order = new Map<string, readonly string[]>();
  for (const [key, ls] of lists) {
    let longest: readonly string[] = [];
    for (const l of ls) if (l.length > longest.length) longest = l;
    order.set(key, longest);
    const dup = longest.find((e, i) => longest.indexOf(e) !== i);
    if (dup !== undefined)
      anomalies.push({ kind: "duplicate", message: `key ${key}: element ${dup} twice in [${longest}]` });
    for (const l of ls) {
      if (!isPrefix(l, longest)) {
        anomalies.push({
          kind: "lostUpdate",
          message: `key ${key}: versions [${l}] and [${longest}] diverge — two txns extended the same version`,
        });
        break;
      }
    }
  }

  // 2. Aborted reads and elements nobody wrote.
  for (const t of history) {
    for (const op of t.ops) {
      if (op.kind !== "read") continue;
      for (const e of op.value) {
        const w = byId.get(e);
        if (!w?.ops.some((o) => o.kind === "append" && o.key === op.key)) {
          anomalies.push({
            kind: "garbage",
            message: `txn ${t.id} read element ${e} of key ${op.key}, which no txn appended`,
          });
        } else if (w.status === "aborted") {
          anomalies.push({
            kind: "G1a",
            message: `txn ${t.id} read ${e} on key ${op.key}, written by aborted txn ${e}`,
          });
        }
      }
    }
  }

  // 3. Acknowledged commits survive: the final reads contain them.
  for (const f of history.filter((t) => t.final)) {
    for (const op of f.ops) {
      if (op.kind !== "read") continue;
      for (const t of history) {
        if (t.status !== "committed") continue;
        if (t.ops.some((o) => o.kind === "append" && o.key === op.key) && !op.value.includes(t.id)) {
          anomalies.push({
            kind: "lostCommit",
            message: `committed txn ${t.id} is missing from the final read of ${op.key}`,
          });
        }
      }
    }
  }

  // 4. The dependency graph over txns that took effect, plus a chain of time nodes for rt.
  const txns = history.filter((t) => t.status !== "aborted" && (t.status === "committed" || effective(t)));
  const ix = new Map(txns.map((t, i) => [t.id, i]));
  type Ev = { ms: number; begin: boolean; txn: number };
  const evs: Ev[] = [];
  txns.forEach((t, i) => {
    evs.push({ ms: t.beginMs, begin: true, txn: i });
    if (t.status === "committed" && t.endMs !== undefined) evs.push({ ms: t.endMs, begin: false, txn: i });
  });
  // At equal times a begin comes before an end: rt needs end < begin strictly.
  evs.sort((a, b) => a.ms - b.ms || (a.begin === b.begin ? 0 : a.begin ? -1 : 1));
  const n = txns.length + evs.length;
  const ww = new Graph(n);
  const wwr = new Graph(n);
  const all = new Graph(n);
  const rw: [number, number, string][] = [];
  const addNonRw = (g: "ww" | "wr" | "rt", a: number, b: number) => {
    if (g === "ww") ww.add(a, b);
    if (g !== "rt") wwr.add(a, b);
    all.add(a, b);
  };
  evs.forEach((ev, k) => {
    const node = txns.length + k;
    if (k + 1 < evs.length) addNonRw("rt", node, node + 1);
    if (ev.begin) addNonRw("rt", node, ev.txn);
    else addNonRw("rt", ev.txn, node);
  });
  for (const vs of order.values()) {
    for (let i = 0; i + 1 < vs.length; i++) {
      const a = ix.get(vs[i]!);
      const b = ix.get(vs[i + 1]!);
      if (a !== undefined && b !== undefined) addNonRw("ww", a, b);
    }
  }
  for (const t of txns) {
    const me = ix.get(t.id)!;
    for (const op of t.ops) {
      if (op.kind !== "read") continue;
      const vs = order.get(op.key) ?? [];
      if (op.value.length > 0) {
        const w = ix.get(op.value[op.value.length - 1]!);
        if (w !== undefined) addNonRw("wr", w, me);
      }
      if (isPrefix(op.value, vs) && op.value.length < vs.length) {
        const next = ix.get(vs[op.value.length]!);
        if (next !== undefined && next !== me) rw.push([me, next, op.key]);
      }
    }
  }
  const names = (comp: Int32Array, c: number) =>
    txns
      .filter((_, i) => comp[i] === c)
      .map((t) => t.id)
      .slice(0, 8)
      .join(", ");
  const cycles = (g: Graph, kind: AnomalyKind, seen: Set<string>) => {
    const { comp, sizes } = scc(g);
    sizes.forEach((size, c) => {
      if (size < 2) return;
      const members = names(comp, c);
      if (members === "" || seen.has(members)) return;
      seen.add(members);
      anomalies.push({ kind, message: `cycle among txns ${members}` });
    });
    return comp;
  };
  const seen = new Set<string>();
  cycles(ww, "G0", seen);
  cycles(wwr, "G1c", seen);
  const comp = cycles(all, "G-rt", seen);

  // 5. G-single: an rw edge a → b closes a cycle if b reaches a without rw edges. Reachability
  // over the condensation of the non-rw graph, as bitsets, in reverse topological order (Tarjan
  // numbers components in reverse topological order already).
  if (rw.length > 0) {
    const { count } = { count: Math.max(...comp) + 1 };
    const words = (count + 31) >>> 5;
    const reach = new Uint32Array(count * words);
    const cedges: number[][] = Array.from({ length: count }, () => []);
    for (let v = 0; v < n; v++)
      for (const w of all.out[v]!) if (comp[v] !== comp[w]) cedges[comp[v]!]!.push(comp[w]!);
    for (let c = 0; c < count; c++) {
      reach[c * words + (c >>> 5)]! |= 1 << (c & 31);
      for (const d of cedges[c]!)
        for (let i = 0; i < words; i++) reach[c * words + i]! |= reach[d * words + i]!;
    }
    for (const [a, b, key] of rw) {
      const ca = comp[a]!;
      const cb = comp[b]!;
      if (reach[cb * words + (ca >>> 5)]! & (1 << (ca & 31))) {
        anomalies.push({
          kind: "G-single",
          message: `txn ${txns[a]!.id} missed txn ${txns[b]!.id}'s write of ${key}, yet depends on it otherwise (read skew)`,
        });
      }
    }
  }
  return anomalies;
}
