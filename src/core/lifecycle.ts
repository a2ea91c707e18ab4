// Graceful shutdown: on SIGTERM or SIGINT, close what was opened, newest first, within a
// grace period; a second signal or the end of the grace period exits at once.
import type { Logger } from "pino";

export interface Closable {
  close(): Promise<void> | void;
}

export class Lifecycle {
  private readonly closers: Array<{ name: string; c: Closable }> = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly graceMs: number,
  ) {}

  /** Registers something to close on shutdown; returns it for chaining. */
  own<T extends Closable>(name: string, c: T): T {
    this.closers.push({ name, c });
    return c;
  }

  /** Installs the signal handlers; the process exits after a clean stop. */
  handleSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.stopping) {
        this.log.warn({ signal }, "second signal: exiting now");
        process.exit(130);
      }
      this.log.info({ signal }, "shutting down");
      const force = setTimeout(() => {
        this.log.error({ graceMs: this.graceMs }, "shutdown grace period over: exiting");
        process.exit(1);
      }, this.graceMs);
      force.unref();
      void this.stop().then(() => process.exit(0));
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, c } of [...this.closers].reverse()) {
        try {
          const t0 = Date.now();
          this.log.debug({ name }, "closing");
          await c.close();
          this.log.debug({ name, ms: Date.now() - t0 }, "closed");
        } catch (err) {
          this.log.error({ err, name }, "close failed");
        }
      }
    })();
    return this.stopping;
  }
}
