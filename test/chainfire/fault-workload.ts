// Client load for fault tests, recorded for checking afterwards:
// - writers put unique keys and remember which puts were acknowledged (checked key by key);
// - register clients run put / linearizable get / compare-and-set (a Txn) on a few keys with
//   unique values, and record every call and return on one clock, so the history can be
//   checked with the simulation's linearizability checker (src/core/raft/sim). A write that
//   failed may still have taken effect: it is recorded as indeterminate (returns at Infinity).
//   A failed read changed nothing and is left out.
import type { ChainfireClient } from "../../src/chainfire/client.ts";
import type { KvOp } from "../../src/core/raft/sim/kv-model.ts";
import type { TimedOp } from "../../src/core/raft/sim/linearizability.ts";
import { type ProcessCluster, sleep } from "./process-cluster.ts";

export const REGISTER_PREFIX = "/lin/";
export const ACKED_PREFIX = "/acked/";
/** Pause after a failed call before trying the next member. */
const RETRY_PAUSE_MS = 20;

export interface WorkloadOptions {
  writers: number;
  registerClients: number;
  registers: number;
  /** Deterministic choice of operations (the timing is not). */
  seed: number;
}

/** mulberry32: a small seeded generator, so a run's operation mix is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultWorkload {
  readonly acked: string[] = [];
  readonly history: TimedOp<KvOp>[] = [];
  errors = 0;
  private stopped = false;
  private readonly runs: Promise<void>[] = [];
  private readonly t0 = performance.now();

  constructor(
    private readonly cluster: ProcessCluster,
    private readonly o: WorkloadOptions,
  ) {}

  start(): void {
    for (let w = 0; w < this.o.writers; w++) this.runs.push(this.writer(w));
    for (let w = 0; w < this.o.registerClients; w++) this.runs.push(this.registerClient(w));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.runs);
  }

  /** Resolves once `n` more writes have been acknowledged (or rejects after timeoutMs). */
  async progress(n: number, timeoutMs: number): Promise<void> {
    const target = this.acked.length + n;
    const deadline = Date.now() + timeoutMs;
    while (this.acked.length < target) {
      if (Date.now() > deadline) throw new Error(`only ${this.acked.length}/${target} writes acknowledged`);
      await sleep(20);
    }
  }

  registerKey(r: number): string {
    return `${REGISTER_PREFIX}r${r}`;
  }

  private now(): number {
    return performance.now() - this.t0;
  }

  /** The client of a live member, starting at `at`; undefined while every member is down. */
  private member(at: number): { client: ChainfireClient; index: number } | undefined {
    for (let k = 0; k < this.cluster.size; k++) {
      const i = (at + k) % this.cluster.size;
      const p = this.cluster.procs[i];
      if (p) return { client: p.client, index: i };
    }
    return undefined;
  }

  private async writer(w: number): Promise<void> {
    let at = w;
    for (let i = 0; !this.stopped; i++) {
      const m = this.member(at);
      if (!m) {
        await sleep(RETRY_PAUSE_MS);
        continue;
      }
      const key = `${ACKED_PREFIX}${w}/${String(i).padStart(6, "0")}`;
      try {
        await m.client.put(key, "v");
        this.acked.push(key);
      } catch {
        this.errors++;
        at = m.index + 1;
        await sleep(RETRY_PAUSE_MS);
      }
    }
  }

  private async registerClient(w: number): Promise<void> {
    const random = prng(this.o.seed * 1000 + w);
    let at = w;
    const lastSeen = new Map<string, string | null>();
    for (let i = 0; !this.stopped; i++) {
      const m = this.member(at);
      if (!m) {
        await sleep(RETRY_PAUSE_MS);
        continue;
      }
      const key = this.registerKey(Math.floor(random() * this.o.registers));
      const value = `c${w}-${i}`;
      const dice = random();
      const callMs = this.now();
      try {
        if (dice < 0.4) {
          const kv = await m.client.get(key);
          const output = kv ? kv.value.toString() : null;
          lastSeen.set(key, output);
          this.history.push({ callMs, returnMs: this.now(), op: { key, kind: "get", output } });
        } else if (dice < 0.7) {
          await m.client.put(key, value);
          this.history.push({ callMs, returnMs: this.now(), op: { key, kind: "put", value, output: "ok" } });
        } else {
          const expected = lastSeen.get(key) ?? null;
          const r = await m.client.txn(
            [
              expected === null
                ? { key, target: "VERSION", result: "EQUAL", value: 0 }
                : { key, target: "VALUE", result: "EQUAL", value: expected },
            ],
            [{ put: { key, value } }],
          );
          this.history.push({
            callMs,
            returnMs: this.now(),
            op: { key, kind: "cas", expected, value, output: r.succeeded },
          });
        }
      } catch {
        this.errors++;
        if (dice >= 0.4) {
          const op: KvOp =
            dice < 0.7
              ? { key, kind: "put", value }
              : { key, kind: "cas", expected: lastSeen.get(key) ?? null, value };
          this.history.push({ callMs, returnMs: Number.POSITIVE_INFINITY, op });
        }
        at = m.index + 1;
        await sleep(RETRY_PAUSE_MS);
      }
    }
  }

  /** Linearizable reads of every register, recorded into the history (e.g. after a restart). */
  async readRegisters(): Promise<void> {
    for (let r = 0; r < this.o.registers; r++) {
      const key = this.registerKey(r);
      for (let attempt = 0; ; attempt++) {
        const m = this.member(attempt);
        if (!m) throw new Error("no member is running");
        const callMs = this.now();
        try {
          const kv = await m.client.get(key);
          const output = kv ? kv.value.toString() : null;
          this.history.push({ callMs, returnMs: this.now(), op: { key, kind: "get", output } });
          break;
        } catch (err) {
          if (attempt > 50) throw err;
          await sleep(100);
        }
      }
    }
  }
}
