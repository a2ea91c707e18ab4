// `etcdctl snapshot save` writes an LMDB image of the store to a file (plus etcd's SHA-256
// trailer); without the trailer, as data.mdb in an empty data dir, it starts a single member with
// the saved state (chainfire's restore path: `etcdctl snapshot restore` expects etcd's bolt format).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { etcdctl, startMember } from "./harness.ts";

test("etcdctl snapshot save, then a member started from the saved file serves the saved keys", async () => {
  const work = mkdtempSync(join(tmpdir(), "chainfire-snapsave-"));
  const m = await startMember();
  let restored: Awaited<ReturnType<typeof startMember>> | undefined;
  try {
    for (let i = 0; i < 20; i++)
      assert.equal((await etcdctl(m.endpoint, ["put", `/s/${i}`, `v${i}`])).code, 0);
    const file = join(work, "snap.db");
    const saved = await etcdctl(m.endpoint, ["--command-timeout=30s", "snapshot", "save", file]);
    assert.equal(saved.code, 0, saved.stderr);
    assert.ok(statSync(file).size > 0);
    // Written after the snapshot: must not be in the restored member.
    assert.equal((await etcdctl(m.endpoint, ["put", "/s/late", "x"])).code, 0);

    const dir = join(work, "restored");
    mkdirSync(dir);
    // The saved file is the LMDB image followed by its SHA-256 (etcd's snapshot trailer).
    const image = readFileSync(file);
    const body = image.subarray(0, image.length - 32);
    assert.deepEqual(createHash("sha256").update(body).digest(), image.subarray(image.length - 32));
    writeFileSync(join(dir, "data.mdb"), body);
    restored = await startMember({ dir });
    const got = await etcdctl(restored.endpoint, ["get", "/s/", "--prefix", "--keys-only"]);
    assert.equal(got.code, 0, got.stderr);
    const keys = got.stdout.split("\n").filter(Boolean);
    assert.equal(keys.length, 20);
    assert.ok(!keys.includes("/s/late"));
    assert.equal((await etcdctl(restored.endpoint, ["get", "/s/7", "--print-value-only"])).stdout, "v7\n");
  } finally {
    await restored?.close();
    await m.close();
    rmSync(work, { recursive: true, force: true });
  }
});
