// The S3 wire protocol at its edges, with hand-built requests against a running
// lightningstor: signed aws-chunked streaming uploads (accepted when every chunk signature
// chains, refused as SignatureDoesNotMatch when one does not, nothing stored), and S3's
// exact error codes for payload-hash mismatches, tampered signed headers, clock skew either
// way, expired presigned URLs, malformed XML on every XML body, invalid bucket names and
// header sections that are too large in total.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import {
  chunkSignature,
  emptySha256,
  parseQuery,
  type SignableRequest,
  sha256Hex,
  signingKey,
  signRequest,
  streamingSigned,
} from "../../src/lightningstor/sigv4.ts";
import { adminToken, type Harness, startLightningstor } from "./s3-harness.ts";

interface Reply {
  status: number;
  body: string;
}

describe("S3 protocol edges and error codes", () => {
  let h: Harness;
  let host: string;

  /** Sends a request signed with the Authorization header (payload hash as given). */
  const signed = async (
    method: string,
    path: string,
    opts: {
      query?: string;
      headers?: Record<string, string>;
      body?: Buffer | string;
      payloadHash?: string;
      nowMs?: number;
      after?: (headers: Record<string, string>) => void;
    } = {},
  ): Promise<Reply> => {
    const body = opts.body ?? "";
    const req: SignableRequest = {
      method,
      rawPath: path,
      query: parseQuery(opts.query ?? ""),
      headers: { host, ...opts.headers },
    };
    signRequest(
      req,
      { accessKeyId: h.accessKeyId, secret: h.secret },
      {
        region: "us-east-1",
        nowMs: opts.nowMs ?? Date.now(),
        payloadHash: opts.payloadHash ?? sha256Hex(body),
      },
    );
    const headers = req.headers as Record<string, string>;
    opts.after?.(headers);
    const res = await fetch(`${h.s3}${path}${opts.query ? `?${opts.query}` : ""}`, {
      method,
      headers,
      ...(method === "GET" || method === "HEAD" ? {} : { body }),
    });
    return { status: res.status, body: await res.text() };
  };
  const codeOf = (r: Reply) => /<Code>([^<]+)<\/Code>/.exec(r.body)?.[1];

  /** A signed aws-chunked PUT of `data` in chunks of `chunkBytes`; `tamper` breaks chunk n. */
  const streamingPut = async (key: string, data: Buffer, chunkBytes: number, tamper?: number) => {
    const nowMs = Date.now();
    const req: SignableRequest = {
      method: "PUT",
      rawPath: `/edges/${key}`,
      query: [],
      headers: { host, "x-amz-decoded-content-length": String(data.length) },
    };
    const auth = signRequest(
      req,
      { accessKeyId: h.accessKeyId, secret: h.secret },
      { region: "us-east-1", nowMs, payloadHash: streamingSigned },
    );
    const amzDate = req.headers["x-amz-date"] as string;
    const scope = { date: amzDate.slice(0, 8), region: "us-east-1", service: "s3" };
    const key0 = signingKey(h.secret, scope);
    let prev = /Signature=([0-9a-f]{64})/.exec(auth)?.[1] as string;
    const pieces: Buffer[] = [];
    const chunks: Buffer[] = [];
    for (let i = 0; i < data.length; i += chunkBytes) chunks.push(data.subarray(i, i + chunkBytes));
    chunks.push(Buffer.alloc(0));
    chunks.forEach((c, n) => {
      const sig = chunkSignature(key0, amzDate, scope, prev, c.length ? sha256Hex(c) : emptySha256);
      prev = sig;
      const sent = n === tamper ? `${sig.slice(0, 63)}${sig.endsWith("0") ? "1" : "0"}` : sig;
      pieces.push(
        Buffer.from(`${c.length.toString(16)};chunk-signature=${sent}\r\n`),
        c,
        Buffer.from("\r\n"),
      );
    });
    const wire = Buffer.concat(pieces);
    const res = await fetch(`${h.s3}/edges/${key}`, {
      method: "PUT",
      headers: {
        ...(req.headers as Record<string, string>),
        "content-encoding": "aws-chunked",
        "content-length": String(wire.length),
      },
      body: wire,
    });
    return { status: res.status, body: await res.text() };
  };

  before(async () => {
    h = await startLightningstor();
    host = new URL(h.s3).host;
    assert.equal((await signed("PUT", "/edges")).status, 200);
  });
  after(async () => h?.close());

  it("a signed aws-chunked upload whose chunk signatures chain is stored byte-identical", async () => {
    for (const [key, size] of [
      ["stream-small", 5000],
      ["stream-big", 300_000],
    ] as const) {
      const data = randomBytes(size);
      const put = await streamingPut(key, data, 64 * 1024);
      assert.equal(put.status, 200, put.body);
      const got = await fetch(
        `${h.s3}/edges/${key}`,
        // A GET signed the ordinary way.
        { headers: await getHeaders(`/edges/${key}`) },
      );
      assert.equal(got.status, 200);
      const back = Buffer.from(await got.arrayBuffer());
      assert.equal(sha(back), sha(data), key);
    }
  });

  it("one broken chunk signature is SignatureDoesNotMatch and nothing is stored", async () => {
    for (const [key, size, tamper] of [
      ["bad-first", 300_000, 0],
      ["bad-middle", 300_000, 2],
      ["bad-final", 5000, 1],
    ] as const) {
      const put = await streamingPut(key, randomBytes(size), 64 * 1024, tamper);
      assert.equal(put.status, 403, `${key}: ${put.body}`);
      assert.equal(codeOf(put), "SignatureDoesNotMatch");
      const head = await signed("GET", `/edges/${key}`);
      assert.equal(codeOf(head), "NoSuchKey", `${key} must not exist`);
    }
  });

  it("a body that does not match its signed x-amz-content-sha256 is XAmzContentSHA256Mismatch", async () => {
    const r = await signed("PUT", "/edges/mismatch", {
      body: "actual body",
      payloadHash: sha256Hex("other"),
    });
    assert.equal(r.status, 400);
    assert.equal(codeOf(r), "XAmzContentSHA256Mismatch");
    assert.equal(codeOf(await signed("GET", "/edges/mismatch")), "NoSuchKey");
  });

  it("a signed header changed after signing is SignatureDoesNotMatch", async () => {
    const r = await signed("PUT", "/edges/tampered", {
      body: "x",
      headers: { "x-amz-meta-owner": "alice" },
      after: (hd) => {
        hd["x-amz-meta-owner"] = "mallory";
      },
    });
    assert.equal(r.status, 403);
    assert.equal(codeOf(r), "SignatureDoesNotMatch");
  });

  it("clock skew past 15 minutes either way is RequestTimeTooSkewed; 14 minutes passes", async () => {
    for (const offsetMs of [-16 * 60_000, 16 * 60_000, 24 * 3600_000]) {
      const r = await signed("GET", "/edges", { query: "list-type=2", nowMs: Date.now() + offsetMs });
      assert.equal(r.status, 403, `offset ${offsetMs}`);
      assert.equal(codeOf(r), "RequestTimeTooSkewed");
      assert.match(r.body, /<MaxAllowedSkewMilliseconds>900000<\/MaxAllowedSkewMilliseconds>/);
    }
    for (const offsetMs of [-14 * 60_000, 14 * 60_000])
      assert.equal(
        (await signed("GET", "/edges", { query: "list-type=2", nowMs: Date.now() + offsetMs })).status,
        200,
      );
  });

  it("an expired presigned URL is AccessDenied; a tampered one SignatureDoesNotMatch", async () => {
    const s3 = new S3Client({
      endpoint: h.s3,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: h.accessKeyId, secretAccessKey: h.secret },
    });
    try {
      assert.equal((await streamingPut("presigned", Buffer.from("hello"), 1024)).status, 200);
      const cmd = new GetObjectCommand({ Bucket: "edges", Key: "presigned" });
      const expired = await getSignedUrl(s3, cmd, {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 120_000),
      });
      const r1 = await fetch(expired);
      assert.equal(r1.status, 403);
      const b1 = await r1.text();
      assert.equal(codeOf({ status: 403, body: b1 }), "AccessDenied");
      assert.match(b1, /Request has expired/);
      const ok = await getSignedUrl(s3, cmd, { expiresIn: 60 });
      assert.equal(await (await fetch(ok)).text(), "hello");
      const r2 = await fetch(ok.replace("presigned?", "presigneD?"));
      assert.equal(r2.status, 403);
      assert.equal(codeOf({ status: 403, body: await r2.text() }), "SignatureDoesNotMatch");
    } finally {
      s3.destroy();
    }
  });

  it("every XML body that does not parse or has the wrong shape is MalformedXML", async () => {
    const upload = await signed("POST", "/edges/mp", { query: "uploads" });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(upload.body)?.[1] as string;
    const cases: [string, string, string][] = [
      ["PUT", "versioning", "<VersioningConfiguration><Status>Enabled</Status>"],
      ["PUT", "cors", "<CORSConfiguration><CORSRule></CORSConfiguration>"],
      ["PUT", "cors", "<CORSConfiguration></CORSConfiguration>"],
      ["PUT", "lifecycle", "<LifecycleConfiguration><Rule><ID>x</ID></Rule"],
      [
        "PUT",
        "lifecycle",
        "<LifecycleConfiguration><Rule><Status>Maybe</Status></Rule></LifecycleConfiguration>",
      ],
      ["POST", "delete", "not xml at all"],
      ["POST", "delete", "<Delete></Delete>"],
    ];
    for (const [method, sub, body] of cases) {
      const r = await signed(method, "/edges", { query: sub, body });
      assert.equal(r.status, 400, `${method} ?${sub} ${body}: ${r.body}`);
      assert.equal(codeOf(r), "MalformedXML", `${method} ?${sub} ${body}`);
    }
    for (const body of [
      "<CompleteMultipartUpload><Part>",
      "<CompleteMultipartUpload></CompleteMultipartUpload>",
    ]) {
      const r = await signed("POST", "/edges/mp", {
        query: `uploadId=${encodeURIComponent(uploadId)}`,
        body,
      });
      assert.equal(r.status, 400, r.body);
      assert.equal(codeOf(r), "MalformedXML", body);
    }
  });

  it("invalid bucket names are InvalidBucketName", async () => {
    for (const name of [
      "ab",
      "a".repeat(64),
      "UpperCase",
      "under_score",
      "-leading",
      "trailing-",
      "two..dots",
      "dot.-dash",
      "10.0.0.1",
      "xn--punycode",
      "sthree-prefix",
      "name-s3alias",
      "name--ol-s3",
    ]) {
      const r = await signed("PUT", `/${name}`);
      assert.equal(r.status, 400, `${name}: ${r.body}`);
      assert.equal(codeOf(r), "InvalidBucketName", name);
    }
  });

  it("a header section over 16 KiB in total (many small headers) is RequestHeaderSectionTooLarge", async () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 40; i++) headers[`x-amz-meta-h${i}`] = "v".repeat(500);
    const url = new URL(`${h.s3}/edges/anything`);
    const r = await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers }, (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(r.status, 400);
    assert.equal(codeOf(r), "RequestHeaderSectionTooLarge");
  });

  it("a deleted access key is InvalidAccessKeyId on its next request (no stale cached key)", async () => {
    const admin = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
    const made = await fetch(`${h.api}/v1/projects/${h.project}/accesskeys`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ description: "short-lived" }),
    });
    assert.equal(made.status, 201);
    const key = (await made.json()) as { accessKeyId: string; secretAccessKey: string };
    const list = async () => {
      const req: SignableRequest = {
        method: "GET",
        rawPath: "/edges",
        query: parseQuery("list-type=2"),
        headers: { host },
      };
      signRequest(
        req,
        { accessKeyId: key.accessKeyId, secret: key.secretAccessKey },
        { region: "us-east-1", nowMs: Date.now(), payloadHash: emptySha256 },
      );
      const res = await fetch(`${h.s3}/edges?list-type=2`, {
        headers: req.headers as Record<string, string>,
      });
      return { status: res.status, body: await res.text() };
    };
    const first = await list();
    assert.equal(first.status, 200, first.body);
    assert.equal((await list()).status, 200, "served from the key cache");
    const del = await fetch(`${h.api}/v1/projects/${h.project}/accesskeys/${key.accessKeyId}`, {
      method: "DELETE",
      headers: { authorization: admin.authorization },
    });
    assert.equal(del.status, 200, await del.clone().text());
    const after = await list();
    assert.equal(after.status, 403);
    assert.equal(codeOf(after), "InvalidAccessKeyId");
  });

  async function getHeaders(path: string): Promise<Record<string, string>> {
    const req: SignableRequest = { method: "GET", rawPath: path, query: [], headers: { host } };
    signRequest(
      req,
      { accessKeyId: h.accessKeyId, secret: h.secret },
      { region: "us-east-1", nowMs: Date.now(), payloadHash: emptySha256 },
    );
    return req.headers as Record<string, string>;
  }
});

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
