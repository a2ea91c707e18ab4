// Lets many writes run at once, and a snapshot (or resize) run alone: exclusive work waits
// for the writes in flight to finish, and writes that arrive meanwhile wait for it.
export class MutationGate {
  private active = 0;
  private drained: (() => void) | undefined;
  private exclusive: Promise<void> | undefined;

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      if (this.active === 0) this.drained?.();
    }
  }

  async exclusively<T>(fn: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let done!: () => void;
    this.exclusive = new Promise<void>((r) => {
      done = r;
    });
    try {
      if (this.active > 0)
        await new Promise<void>((r) => {
          this.drained = r;
        });
      this.drained = undefined;
      return await fn();
    } finally {
      this.exclusive = undefined;
      done();
    }
  }
}
