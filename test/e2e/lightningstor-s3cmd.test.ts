// s3cmd (Debian) against lightningstor: buckets, put/get (multipart included), info, copy,
// move, sync, CORS, lifecycle expiration, policy, signed URLs and removal.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Harness, startLightningstor } from "../lightningstor/s3-harness.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("s3cmd against lightningstor", () => {
  let h: Harness;
  let files: string;
  let cfg: string;
  const s3cmd = (...args: string[]) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(
        "/usr/bin/s3cmd",
        ["-c", cfg, ...args],
        { env: { PATH: "/usr/bin:/bin", HOME: h.dir }, timeout: 120_000, maxBuffer: 16 << 20 },
        (e, out, err) => resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }),
      );
    });
  const ok = async (...args: string[]) => {
    const r = await s3cmd(...args);
    assert.equal(r.code, 0, `s3cmd ${args.join(" ")}: ${r.err}`);
    return r.out;
  };

  before(async () => {
    h = await startLightningstor();
    files = join(h.dir, "files");
    await mkdir(files, { recursive: true });
    const host = new URL(h.s3).host;
    cfg = join(h.dir, "s3cfg");
    await writeFile(
      cfg,
      [
        "[default]",
        `access_key = ${h.accessKeyId}`,
        `secret_key = ${h.secret}`,
        `host_base = ${host}`,
        `host_bucket = ${host}`,
        "use_https = False",
        "signature_v2 = False",
        "bucket_location = us-east-1",
        "multipart_chunk_size_mb = 5",
        "",
      ].join("\n"),
    );
  });
  after(async () => h?.close());

  it("makes and lists buckets", async () => {
    await ok("mb", "s3://cmd-bucket");
    assert.match(await ok("ls"), /s3:\/\/cmd-bucket/);
    const dup = await s3cmd("mb", "s3://cmd-bucket");
    assert.notEqual(dup.code, 0);
    assert.match(dup.err, /BucketAlreadyOwnedByYou|already/i);
  });

  it("puts and gets a small and a multipart object byte-identical", async () => {
    const small = randomBytes(10_000);
    const big = randomBytes(12 * 1024 * 1024 + 5);
    await writeFile(join(files, "small"), small);
    await writeFile(join(files, "big"), big);
    await ok("put", join(files, "small"), "s3://cmd-bucket/small");
    await ok("put", join(files, "big"), "s3://cmd-bucket/big");
    await ok("get", "--force", "s3://cmd-bucket/small", join(files, "small.out"));
    await ok("get", "--force", "s3://cmd-bucket/big", join(files, "big.out"));
    assert.equal(sha(await readFile(join(files, "small.out"))), sha(small));
    assert.equal(sha(await readFile(join(files, "big.out"))), sha(big));
    const info = await ok("info", "s3://cmd-bucket/big");
    assert.match(info, new RegExp(`File size:\\s+${big.length}`), info);
  });

  it("copies, moves, syncs and lists recursively", async () => {
    await ok("cp", "s3://cmd-bucket/small", "s3://cmd-bucket/copied");
    await ok("mv", "s3://cmd-bucket/copied", "s3://cmd-bucket/moved");
    const tree = join(files, "tree");
    await mkdir(join(tree, "sub"), { recursive: true });
    await writeFile(join(tree, "a"), "a");
    await writeFile(join(tree, "sub", "b"), "b");
    await ok("sync", `${tree}/`, "s3://cmd-bucket/tree/");
    const ls = await ok("ls", "--recursive", "s3://cmd-bucket");
    for (const k of ["moved", "tree/a", "tree/sub/b", "small", "big"])
      assert.match(ls, new RegExp(`s3://cmd-bucket/${k}\\b`));
    assert.doesNotMatch(ls, /s3:\/\/cmd-bucket\/copied/);
  });

  it("sets CORS, lifecycle expiration and a policy", async () => {
    const cors = join(files, "cors.xml");
    await writeFile(
      cors,
      "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
    );
    await ok("setcors", cors, "s3://cmd-bucket");
    await ok("expire", "s3://cmd-bucket", "--expiry-days=30", "--expiry-prefix=logs/");
    const policy = join(files, "policy.json");
    await writeFile(
      policy,
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::cmd-bucket/*" },
        ],
      }),
    );
    await ok("setpolicy", policy, "s3://cmd-bucket");
    const info = await ok("info", "s3://cmd-bucket");
    assert.match(info, /Expiration Rule/i);
    assert.match(info, /s3:GetObject/);
    assert.equal((await fetch(`${h.s3}/cmd-bucket/small`)).status, 200);
    await ok("delpolicy", "s3://cmd-bucket");
    assert.equal((await fetch(`${h.s3}/cmd-bucket/small`)).status, 403);
  });

  it("signs URLs that fetch without credentials", async () => {
    const url = (await ok("signurl", "s3://cmd-bucket/small", "+300")).trim();
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal((await res.arrayBuffer()).byteLength, 10_000);
  });

  it("deletes recursively and removes the bucket", async () => {
    await ok("del", "--recursive", "--force", "s3://cmd-bucket");
    await ok("rb", "s3://cmd-bucket");
    assert.doesNotMatch(await ok("ls"), /cmd-bucket/);
  });
});
