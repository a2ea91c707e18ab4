// Locks and leader election on leases + txn (etcd's concurrency recipes): each contender
// writes a key under a shared prefix bound to its own lease; the one whose key has the lowest
// create revision holds the lock (or leads). The others wait for the key just ahead of them to
// go, so a release wakes exactly one waiter. A holder that dies loses its lease, and its key.
import type { ChainfireClient, KeyValue, LeaseKeeper } from "./kv-client.ts";

export interface ContenderOptions {
  /** TTL of the contender's lease: how long a crashed holder blocks the others. */
  ttlSeconds?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TTL_SECONDS = 10;

/** Joins the queue under `prefix` and resolves once this contender is first. */
async function acquire(
  client: ChainfireClient,
  prefix: string,
  value: string,
  o: ContenderOptions,
): Promise<{ lease: LeaseKeeper; key: string; revision: number }> {
  const lease = await client.lease(o.ttlSeconds ?? DEFAULT_TTL_SECONDS);
  const key = `${prefix}${lease.id.toString(16)}`;
  try {
    const t = await client.txn(
      [{ key, target: "CREATE", result: "EQUAL", value: 0 }],
      [{ put: { key, value, lease: lease.id } }],
      [{ range: { key } }],
    );
    const revision = t.succeeded ? t.revision : t.responses[0]!.kvs![0]!.createRevision;
    await waitUntilFirst(client, prefix, revision, o);
    return { lease, key, revision };
  } catch (err) {
    await lease.close();
    throw err;
  }
}

async function waitUntilFirst(
  client: ChainfireClient,
  prefix: string,
  myRevision: number,
  o: ContenderOptions,
): Promise<void> {
  const deadline = o.timeoutMs ? Date.now() + o.timeoutMs : Number.POSITIVE_INFINITY;
  // max_create_revision 0 means "no bound" on the wire, so revision 1 is first by definition.
  if (myRevision <= 1) return;
  for (;;) {
    const ahead = await client.range(prefix, {
      prefix: true,
      maxCreateRevision: myRevision - 1,
      sort: { target: "CREATE", order: "DESCEND" },
      limit: 1,
    });
    const blocker = ahead.kvs[0];
    if (!blocker) return;
    await waitForDelete(client, blocker, ahead.revision, deadline, o.signal);
  }
}

function waitForDelete(
  client: ChainfireClient,
  kv: KeyValue,
  revision: number,
  deadline: number,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (err?: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      w.close();
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish(new Error("gave up waiting: aborted"));
    const w = client.watch(
      kv.key,
      { startRevision: revision + 1, noPut: true },
      () => finish(),
      (err) => finish(err),
    );
    if (Number.isFinite(deadline))
      timer = setTimeout(
        () => finish(new Error("gave up waiting: timed out")),
        Math.max(0, deadline - Date.now()),
      );
    signal?.addEventListener("abort", onAbort);
  });
}

/** A distributed mutex: `const unlock = await new Mutex(client, "name").lock()`. */
export class Mutex {
  constructor(
    private readonly client: ChainfireClient,
    private readonly name: string,
    private readonly prefixRoot = "/photon/locks/",
  ) {}

  async lock(o: ContenderOptions = {}): Promise<{ key: string; unlock: () => Promise<void> }> {
    const { lease, key } = await acquire(this.client, `${this.prefixRoot}${this.name}/`, "", o);
    return { key, unlock: () => lease.close() };
  }
}

/** Leader election: campaign() resolves when this candidate leads; resign() steps down. */
export class Election {
  private held: { lease: LeaseKeeper; key: string; revision: number } | undefined;
  private lostCheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: ChainfireClient,
    private readonly name: string,
    private readonly prefixRoot = "/photon/elections/",
  ) {}

  private get prefix(): string {
    return `${this.prefixRoot}${this.name}/`;
  }

  /** Waits to lead; `onLost` fires if leadership is lost through lease expiry. */
  async campaign(value: string, o: ContenderOptions & { onLost?: () => void } = {}): Promise<void> {
    if (this.held) throw new Error("already campaigning");
    this.held = await acquire(this.client, this.prefix, value, o);
    if (o.onLost) {
      const lease = this.held.lease;
      this.lostCheck = setInterval(() => {
        if (lease.isLost) {
          clearInterval(this.lostCheck);
          o.onLost?.();
        }
      }, 250);
      this.lostCheck.unref();
    }
  }

  /** The current leader's value, or undefined when nobody leads. */
  async leader(): Promise<{ value: string; key: string } | undefined> {
    const r = await this.client.range(this.prefix, {
      prefix: true,
      sort: { target: "CREATE", order: "ASCEND" },
      limit: 1,
    });
    const kv = r.kvs[0];
    return kv ? { value: kv.value.toString(), key: kv.key.toString() } : undefined;
  }

  /** Updates the value announced by the leader (only while leading). */
  async proclaim(value: string): Promise<void> {
    const h = this.held;
    if (!h) throw new Error("not leading");
    const t = await this.client.txn(
      [{ key: h.key, target: "CREATE", result: "EQUAL", value: h.revision }],
      [{ put: { key: h.key, value, lease: h.lease.id } }],
    );
    if (!t.succeeded) throw new Error("leadership lost");
  }

  async resign(): Promise<void> {
    const h = this.held;
    this.held = undefined;
    clearInterval(this.lostCheck);
    await h?.lease.close();
  }
}
