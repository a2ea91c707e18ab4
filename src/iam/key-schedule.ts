// When token-signing keys are created, sign, retire and leave the JWKS. Pure: the shell
// (signing-keys.ts) applies the plan. A successor is published before it signs, and a
// retired key stays published until every token it signed has expired.
export interface KeyTimes {
  kid: string;
  /** Epoch seconds. */
  activeFrom: number;
  retireAt: number;
  removeAt: number;
}

export interface KeySchedulePolicy {
  rotationSeconds: number;
  /** A successor is published this long before it starts signing, so verifiers already hold it. */
  prepublishSeconds: number;
  maxTokenTtlSeconds: number;
  clockSkewSeconds: number;
}

export interface KeyPlan {
  signer: string | undefined;
  create: Omit<KeyTimes, "kid"> | undefined;
  remove: string[];
}

export function keyTimesFrom(activeFrom: number, p: KeySchedulePolicy): Omit<KeyTimes, "kid"> {
  const retireAt = activeFrom + p.rotationSeconds;
  return { activeFrom, retireAt, removeAt: retireAt + p.maxTokenTtlSeconds + p.clockSkewSeconds };
}

export function planKeys(keys: readonly KeyTimes[], nowSec: number, p: KeySchedulePolicy): KeyPlan {
  const remove = keys.filter((k) => k.removeAt <= nowSec).map((k) => k.kid);
  const live = keys.filter((k) => k.removeAt > nowSec);
  const signing = live
    .filter((k) => k.activeFrom <= nowSec && nowSec < k.retireAt)
    .sort((a, b) => b.activeFrom - a.activeFrom);
  const signer = signing[0];
  if (!signer) return { signer: undefined, create: keyTimesFrom(nowSec, p), remove };
  const hasSuccessor = live.some((k) => k.activeFrom >= signer.retireAt);
  const create =
    !hasSuccessor && nowSec >= signer.retireAt - p.prepublishSeconds
      ? keyTimesFrom(signer.retireAt, p)
      : undefined;
  return { signer: signer.kid, create, remove };
}

/** Retires the current signer now (forced rotation); its tokens keep verifying until they expire. */
export function retireNow(k: KeyTimes, nowSec: number, p: KeySchedulePolicy): KeyTimes {
  if (k.activeFrom > nowSec) return { ...k, activeFrom: nowSec, retireAt: nowSec, removeAt: nowSec };
  const retireAt = Math.min(k.retireAt, nowSec);
  return { ...k, retireAt, removeAt: retireAt + p.maxTokenTtlSeconds + p.clockSkewSeconds };
}
