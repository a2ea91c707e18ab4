// Quorum arithmetic of a replica set of n nodes: a write is acknowledged once W = ⌊n/2⌋+1
// replicas hold it in their fsynced WAL, and a query reads R = n−W+1 replicas, so R+W > n and
// every acknowledged sample is in at least one replica a query reads.

export interface QuorumSizes {
  replicas: number;
  write: number;
  read: number;
}

export function quorumSizes(replicas: number): QuorumSizes {
  if (!Number.isInteger(replicas) || replicas < 1)
    throw new RangeError(`replicas must be ≥ 1, got ${replicas}`);
  const write = Math.floor(replicas / 2) + 1;
  return { replicas, write, read: replicas - write + 1 };
}

/**
 * Resolves with the number of successes once `needed` of `attempts` resolved true, or once all
 * settled (a rejection counts as a failure). The attempts still running are left to finish.
 */
export function awaitQuorum(attempts: readonly Promise<boolean>[], needed: number): Promise<number> {
  return new Promise((resolve) => {
    let ok = 0;
    let settled = 0;
    let done = false;
    const finish = () => {
      if (!done && (ok >= needed || settled === attempts.length)) {
        done = true;
        resolve(ok);
      }
    };
    if (attempts.length === 0 || needed <= 0) return resolve(0);
    for (const p of attempts) {
      p.then(
        (good) => {
          settled++;
          if (good) ok++;
          finish();
        },
        () => {
          settled++;
          finish();
        },
      );
    }
  });
}
