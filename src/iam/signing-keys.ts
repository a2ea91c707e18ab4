// The token-signing key ring: Ed25519 keys persisted in iam's store, rotated on the schedule
// key-schedule.ts decides. The private halves never leave this module and the store.
import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { AnyResource } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import type { SigningKeyPublic } from "./api.ts";
import { internalKinds, resourceOf, type SigningKeySpec } from "./internal-kinds.ts";
import { type KeySchedulePolicy, type KeyTimes, planKeys, retireNow } from "./key-schedule.ts";

export interface Signer {
  kid: string;
  privateKey: KeyObject;
}

export class SigningKeys {
  private keys = new Map<string, AnyResource>();
  private signerKey: Signer | undefined;

  constructor(
    private readonly store: ResourceStore,
    private readonly policy: KeySchedulePolicy,
    private readonly clock: () => number,
    private readonly log: Logger,
  ) {}

  private nowSec(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** Loads the ring and applies the schedule; run at start and on a timer. */
  async tick(): Promise<void> {
    const { items } = await this.store.list(internalKinds.signingKey, undefined, { limit: 1000 });
    this.keys = new Map(items.map((k) => [k.metadata.name, k]));
    const plan = planKeys(this.times(), this.nowSec(), this.policy);
    for (const kid of plan.remove) {
      await this.store.delete({ kind: internalKinds.signingKey, name: kid }).catch(() => undefined);
      this.keys.delete(kid);
      this.log.info({ kid }, "signing key removed from the JWKS");
    }
    if (plan.create) {
      const created = await this.create(plan.create);
      this.log.info(
        { kid: created.metadata.name, activeFrom: plan.create.activeFrom },
        "signing key created",
      );
      return this.tick();
    }
    const kid = plan.signer!;
    if (this.signerKey?.kid !== kid) {
      const spec = this.keys.get(kid)!.spec as SigningKeySpec;
      this.signerKey = {
        kid,
        privateKey: createPrivateKey({ key: spec.privateJwk as never, format: "jwk" }),
      };
    }
  }

  /** Forced rotation: a new key signs from now; the old one verifies until its tokens expire. */
  async rotateNow(): Promise<string> {
    const now = this.nowSec();
    for (const k of this.keys.values()) {
      const spec = k.spec as SigningKeySpec;
      if (spec.retireAt <= now) continue;
      const t = retireNow(spec, now, this.policy);
      await this.store.update({
        ...k,
        spec: { ...spec, activeFrom: t.activeFrom, retireAt: t.retireAt, removeAt: t.removeAt },
      });
    }
    this.signerKey = undefined;
    await this.tick();
    return this.signerKey!.kid;
  }

  signer(): Signer {
    if (!this.signerKey) throw new Error("signing keys not loaded; call tick() first");
    return this.signerKey;
  }

  /** Every key verifiers must hold: the signer, its successor and retired keys with live tokens. */
  publicKeys(): SigningKeyPublic[] {
    return [...this.keys.values()].map((k) => publicPart(k.spec as SigningKeySpec));
  }

  private times(): KeyTimes[] {
    return [...this.keys.values()].map((k) => k.spec as SigningKeySpec);
  }

  private async create(t: Omit<KeyTimes, "kid">): Promise<AnyResource> {
    const kid = `k-${randomBytes(8).toString("hex")}`;
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const publicJwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "EdDSA", use: "sig" };
    const spec: SigningKeySpec = {
      kid,
      alg: "EdDSA",
      publicJwk,
      privateJwk: privateKey.export({ format: "jwk" }) as Record<string, unknown>,
      ...t,
    };
    const obj = await this.store.create(resourceOf(internalKinds.signingKey, kid, spec));
    this.keys.set(kid, obj);
    return obj;
  }
}

export function publicPart(spec: SigningKeySpec): SigningKeyPublic {
  return {
    kid: spec.kid,
    alg: spec.alg,
    publicJwk: spec.publicJwk,
    activeFrom: spec.activeFrom,
    retireAt: spec.retireAt,
    removeAt: spec.removeAt,
  };
}
