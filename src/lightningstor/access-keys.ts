// S3 access keys bound to a project. Until iam issues them, an admin creates them through
// this component's REST API or `photon bucket key create`; the S3 server only sees the
// AccessKeyResolver interface, so iam-issued keys plug in as another resolver.
import { randomBytes } from "node:crypto";
import type { AccessKeyRecord, MetaStore } from "./meta-store.ts";
import type { AccessKeyResolver } from "./s3-server.ts";

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** 20 characters like AWS's ids, prefixed "PC" so a PhotonCloud key is recognisable. */
export function newAccessKeyId(random: (n: number) => Buffer = randomBytes): string {
  return `PC${[...random(18)].map((b) => alphabet[b % 32]).join("")}`;
}

export function newSecret(random: (n: number) => Buffer = randomBytes): string {
  return random(30).toString("base64").replace(/\+/g, "A").replace(/\//g, "B");
}

/**
 * Known access keys kept decoded in memory: every signed request resolves its key, and an
 * LMDB read plus a record decode per request was a visible share of a small GET. Keys are
 * written and deleted only through this class in this process, so the cache stays exact;
 * unknown ids are not cached (a client cannot fill it with guesses).
 */
export const maxCachedAccessKeys = 4096;

export class LocalAccessKeys implements AccessKeyResolver {
  private readonly cache = new Map<string, { secret: string; project: string }>();

  constructor(private readonly meta: MetaStore) {}

  async resolve(accessKeyId: string): Promise<{ secret: string; project: string } | undefined> {
    const hit = this.cache.get(accessKeyId);
    if (hit) return hit;
    const k = this.meta.getKey(accessKeyId);
    if (!k) return undefined;
    const found = { secret: k.secret, project: k.project };
    // Oldest first out: a Map iterates in insertion order.
    if (this.cache.size >= maxCachedAccessKeys) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(accessKeyId, found);
    return found;
  }

  /** Deletes a key; requests signed with it fail from now on. */
  async delete(accessKeyId: string): Promise<void> {
    this.cache.delete(accessKeyId);
    await this.meta.deleteKey(accessKeyId);
    this.cache.delete(accessKeyId);
  }

  async create(
    project: string,
    nowMs: number,
    description?: string,
    given?: { accessKeyId: string; secret: string },
  ): Promise<AccessKeyRecord> {
    const rec: AccessKeyRecord = {
      accessKeyId: given?.accessKeyId ?? newAccessKeyId(),
      secret: given?.secret ?? newSecret(),
      project,
      createdMs: nowMs,
      ...(description ? { description } : {}),
    };
    await this.meta.putKey(rec);
    this.cache.delete(rec.accessKeyId);
    return rec;
  }
}

/** Tries resolvers in order (e.g. iam first, then local keys). */
export class ChainedKeys implements AccessKeyResolver {
  constructor(private readonly chain: AccessKeyResolver[]) {}
  async resolve(id: string) {
    for (const r of this.chain) {
      const hit = await r.resolve(id);
      if (hit) return hit;
    }
    return undefined;
  }
}
