// A tiny synchronous cluster for unit tests: messages are delivered in FIFO order, instantly,
// unless a filter drops them. Each Ready is processed exactly as a real driver would.
import { MemoryStorage } from "../../../src/core/raft/memory-storage.ts";
import { type RaftConfig, RaftNode, type Ready } from "../../../src/core/raft/raft-node.ts";
import type { Entry, Message, NodeId } from "../../../src/core/raft/types.ts";

export interface FixtureNode {
  raft: RaftNode;
  storage: MemoryStorage;
  applied: Entry[];
}

/** A deterministic PRNG (mulberry32) so tests need no Math.random. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Drop = (m: Message) => boolean;

export class Fixture {
  readonly nodes = new Map<NodeId, FixtureNode>();
  readonly queue: Message[] = [];
  readonly delivered: Message[] = [];
  drop: Drop = () => false;

  constructor(
    ids: NodeId[],
    readonly opts: Partial<RaftConfig> = {},
    learners: NodeId[] = [],
  ) {
    for (const id of [...ids, ...learners]) {
      const storage = MemoryStorage.bootstrap({ voters: ids, learners });
      this.add(id, storage);
    }
  }

  add(id: NodeId, storage: MemoryStorage, extra: Partial<RaftConfig> = {}): FixtureNode {
    const raft = new RaftNode({
      groupId: "g1",
      id,
      storage,
      random: seededRandom(id.charCodeAt(id.length - 1)),
      ...this.opts,
      ...extra,
    });
    const n = { raft, storage, applied: [] };
    this.nodes.set(id, n);
    return n;
  }

  node(id: NodeId): FixtureNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  raft(id: NodeId): RaftNode {
    return this.node(id).raft;
  }

  processReady(id: NodeId): Ready | undefined {
    const n = this.node(id);
    if (!n.raft.hasReady()) return undefined;
    const rd = n.raft.ready();
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    this.queue.push(...rd.messages);
    n.applied.push(...rd.committedEntries);
    n.raft.advance(rd);
    return rd;
  }

  /** Processes readies and delivers messages until nothing moves (bounded). */
  settle(maxRounds = 10_000, maxMessages = 100_000): void {
    let budget = maxMessages;
    for (let round = 0; round < maxRounds; round++) {
      let moved = false;
      for (const id of this.nodes.keys()) if (this.processReady(id)) moved = true;
      while (this.queue.length > 0) {
        if (--budget < 0) {
          const tail = this.delivered
            .slice(-6)
            .map((x) =>
              JSON.stringify({ ...x, entries: x.entries.map((e) => [e.index, e.term]), snapshot: undefined }),
            );
          throw new Error(`message storm: ${tail.join("\n")}`);
        }
        const m = this.queue.shift()!;
        moved = true;
        if (this.drop(m) || !this.nodes.has(m.to)) continue;
        this.delivered.push(m);
        this.raft(m.to).step(m);
        this.processReady(m.to);
      }
      if (!moved) return;
    }
    throw new Error("cluster did not settle");
  }

  tick(ids: NodeId[] = [...this.nodes.keys()], times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const id of ids) this.raft(id).tick();
      this.settle();
    }
  }

  elect(id: NodeId): void {
    this.raft(id).campaign();
    this.settle();
  }

  leaders(): NodeId[] {
    return [...this.nodes.values()].filter((n) => n.raft.status().role === "leader").map((n) => n.raft.id);
  }

  isolate(id: NodeId): void {
    this.drop = (m) => m.from === id || m.to === id;
  }

  heal(): void {
    this.drop = () => false;
  }

  propose(id: NodeId, text: string): { index: number; term: number } {
    const r = this.raft(id).propose(new TextEncoder().encode(text));
    this.settle();
    return r;
  }

  appliedTexts(id: NodeId): string[] {
    return this.node(id)
      .applied.filter((e) => e.type === "normal" && e.data.byteLength > 0)
      .map((e) => new TextDecoder().decode(e.data));
  }
}
