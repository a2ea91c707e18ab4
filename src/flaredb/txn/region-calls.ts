// Router calls with bounded retries: transient region failures (no leader, timeouts, splits)
// are retried with exponential backoff, and multi-key calls are regrouped by region on retry.

import type { Command, CommandResult } from "../engine/commands.ts";
import { RegionUnavailableError, TxnError } from "./errors.ts";
import type { TxnClientOptions } from "./options.ts";
import type { ReadRequest, ReadResponse, RegionRouter } from "./router.ts";

export class RegionCalls {
  constructor(
    readonly router: RegionRouter,
    readonly o: TxnClientOptions,
  ) {}

  backoff(attempt: number): number {
    return Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** attempt);
  }

  private async retry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let last: unknown;
    for (let attempt = 0; attempt < this.o.maxAttempts; attempt++) {
      if (attempt > 0) await this.o.sleep(this.backoff(attempt - 1));
      try {
        return await fn();
      } catch (e) {
        if (e instanceof TxnError) throw e;
        last = e;
      }
    }
    throw new RegionUnavailableError(what, last);
  }

  execute(key: Uint8Array, cmd: Command): Promise<CommandResult> {
    return this.retry(cmd.type, () => this.router.execute(key, cmd));
  }

  read<R extends ReadRequest>(req: R): Promise<ReadResponse<R>> {
    return this.retry(req.op, () => this.router.read(req));
  }

  tso(): Promise<number> {
    return this.retry("tso", () => this.router.tso());
  }

  /**
   * Runs `fn` once per region group of `keys`, in parallel. A group whose call throws anything
   * but a TxnError is grouped again (the region may have split) and retried.
   */
  async grouped(keys: readonly Uint8Array[], fn: (group: Uint8Array[]) => Promise<void>): Promise<void> {
    let pending: readonly Uint8Array[] = keys;
    let last: unknown;
    for (let attempt = 0; attempt < this.o.maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 0) await this.o.sleep(this.backoff(attempt - 1));
      let groups: Uint8Array[][];
      try {
        groups = await this.router.groupByRegion(pending);
      } catch (e) {
        last = e;
        continue;
      }
      const settled = await Promise.allSettled(groups.map((g) => fn(g)));
      const failed: Uint8Array[] = [];
      for (let i = 0; i < settled.length; i++) {
        const s = settled[i]!;
        if (s.status === "fulfilled") continue;
        if (s.reason instanceof TxnError) throw s.reason;
        last = s.reason;
        failed.push(...groups[i]!);
      }
      pending = failed;
    }
    if (pending.length > 0) throw new RegionUnavailableError("a region call", last);
  }
}
