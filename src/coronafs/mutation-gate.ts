// Lets many writes run at once, and a snapshot (or resize) run alone: exclusive work waits
// for the writes in flight to finish, and writes that arrive meanwhile wait for it.
export class MutationGate {
  private active = 0;
  private drained: (() => void) | undefined;
  private exclusive: Promise<void> | undefined;

  /** Runs fn among the shared holders (no extra await when nothing exclusive is pending). */
  shared<T>(fn: () => Promise<T>): Promise<T> {
    if (this.exclusive) return this.exclusive.then(() => this.shared(fn));
    this.active++;
    let p: Promise<T>;
    try {
      p = fn();
    } catch (e) {
      this.leave();
      return Promise.reject(e);
    }
    return p.then(
      (v) => {
        this.leave();
        return v;
      },
      (e) => {
        this.leave();
        throw e;
      },
    );
  }

  private leave(): void {
    this.active--;
    if (this.active === 0) this.drained?.();
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
