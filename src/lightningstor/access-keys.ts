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

export class LocalAccessKeys implements AccessKeyResolver {
  constructor(private readonly meta: MetaStore) {}

  async resolve(accessKeyId: string): Promise<{ secret: string; project: string } | undefined> {
    const k = this.meta.getKey(accessKeyId);
    return k ? { secret: k.secret, project: k.project } : undefined;
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
