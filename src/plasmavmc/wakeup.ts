// The worker's pace: a pass every syncMs at the latest, and at once when the control plane
// changes a VM — a watch stream wakes the loop, so a new VM does not wait for the next tick.

import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { PlasmavmcClient } from "./client.ts";

/** A watch that breaks is opened again after this long. */
const rewatchMs = 1000;

export class Wakeup {
  private pending = false;
  private waiter: (() => void) | undefined;

  /** Resolves after ms, or sooner when kicked (a kick while nobody waits is kept). */
  async wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    const timer = new AbortController();
    await Promise.race([
      sleep(ms, undefined, { signal: timer.signal }).catch(() => undefined),
      new Promise<void>((r) => {
        this.waiter = r;
      }),
    ]);
    timer.abort();
    this.waiter = undefined;
    this.pending = false;
  }

  kick(): void {
    if (this.waiter) this.waiter();
    else this.pending = true;
  }
}

/** Kicks `wakeup` on every VM change the control plane streams, until `signal` aborts. */
export async function wakeOnVmChanges(
  client: PlasmavmcClient,
  host: string,
  wakeup: Wakeup,
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await client.http.stream(`/v1/hosts/${host}/vms`, { query: { watch: 1 }, signal });
      for await (const chunk of res.body ?? []) {
        if (String(Buffer.from(chunk)).includes('"type":"BOOKMARK"')) continue;
        wakeup.kick();
      }
    } catch (err) {
      if (!signal.aborted) log.debug({ err }, "VM watch broke; polling until it is back");
    }
    await sleep(rewatchMs, undefined, { signal }).catch(() => undefined);
  }
}
