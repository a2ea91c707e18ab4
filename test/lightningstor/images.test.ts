// The image registry: `photon image import|list|get|delete` through the real CLI, streamed
// bytes with size and sha256, qcow2/raw format checks, and the bytes gone after delete.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LightningstorClient } from "../../src/lightningstor/client.ts";
import { adminToken, type Harness, startLightningstor } from "./s3-harness.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("VM images in lightningstor", () => {
  let h: Harness;
  let cfg: string;
  let client: LightningstorClient;
  const photon = (...args: string[]) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(
        process.execPath,
        ["bin/photon.js", "--config-file", cfg, ...args],
        { timeout: 60_000 },
        (e, out, err) => resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }),
      );
    });

  before(async () => {
    h = await startLightningstor();
    cfg = join(h.dir, "cli.json");
    await writeFile(
      cfg,
      JSON.stringify({
        current: "t",
        contexts: {
          t: {
            endpoints: { lightningstor: h.api, "lightningstor.s3": h.s3 },
            token: adminToken,
            project: "acme",
          },
        },
      }),
    );
    client = new LightningstorClient({ baseUrl: h.api, token: adminToken });
  });
  after(async () => h?.close());

  it("imports a qcow2 image with the CLI (format detected) and a raw one with the client and records size and sha256", async () => {
    const qcow = Buffer.concat([
      Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]),
      randomBytes(2 * 1024 * 1024),
    ]);
    const raw = randomBytes(3 * 1024 * 1024 + 5);
    await writeFile(join(h.dir, "disk.qcow2"), qcow);
    await writeFile(join(h.dir, "disk.raw"), raw);
    const a = await photon("image", "import", "cirros", join(h.dir, "disk.qcow2"), "--visibility", "public");
    assert.equal(a.code, 0, a.err);
    await client.createImage("acme", "blank", { format: "raw" });
    const img = await client.uploadImage("acme", "blank", join(h.dir, "disk.raw"));
    assert.equal(img.spec.format, "raw");
    assert.equal(img.status.phase, "Ready");
    assert.equal(img.status.sizeBytes, raw.length);
    assert.equal(img.status.sha256, sha(raw));
    const list = await photon("image", "list");
    assert.match(list.out, /cirros\s.*qcow2\s.*public\s.*Ready/);
    assert.match(list.out, /blank\s.*raw\s.*private\s.*Ready/);
    const stream = await client.downloadImage("acme", "cirros");
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    assert.equal(sha(Buffer.concat(parts)), sha(qcow));
  });

  it("refuses bytes that do not match the declared format", async () => {
    await client.createImage("acme", "liar", { format: "qcow2" });
    await writeFile(join(h.dir, "not-qcow"), randomBytes(1000));
    await assert.rejects(
      client.uploadImage("acme", "liar", join(h.dir, "not-qcow")),
      (e: Error & { code?: string }) => e.code === "InvalidArgument",
    );
    assert.equal((await client.getImage("acme", "liar")).status.phase, "Pending");
  });

  it("deletes an image and its bytes", async () => {
    const d = await photon("image", "delete", "blank");
    assert.equal(d.code, 0, d.err);
    await assert.rejects(
      client.getImage("acme", "blank"),
      (e: Error & { code?: string }) => e.code === "NotFound",
    );
    await assert.rejects(client.downloadImage("acme", "blank"));
  });

  it("creates and lists S3 keys with `photon bucket key`", async () => {
    const c = await photon("bucket", "key", "create", "acme", "--description", "ci");
    assert.equal(c.code, 0, c.err);
    const id = /AWS_ACCESS_KEY_ID=(\w+)/.exec(c.out)?.[1];
    assert.ok(id);
    assert.ok((await client.listAccessKeys("acme")).items.some((k) => k.accessKeyId === id));
    await client.deleteAccessKey("acme", id);
    assert.ok(!(await client.listAccessKeys("acme")).items.some((k) => k.accessKeyId === id));
  });
});
