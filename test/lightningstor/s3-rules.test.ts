// The small pure rules of the S3 API: bucket names, Range, conditional requests, bucket
// policies, CORS matching, lifecycle expiry dates and the quota gate's GiB arithmetic.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pino } from "pino";
import { checkBucketName } from "../../src/lightningstor/bucket-name.ts";
import { allowsAnonymous, parsePolicy } from "../../src/lightningstor/bucket-policy.ts";
import { crc32cUpdate, hasher } from "../../src/lightningstor/checksums.ts";
import { matchCors, parseCors } from "../../src/lightningstor/cors.ts";
import { parseRange } from "../../src/lightningstor/http-range.ts";
import { currentExpired, expiresAt, parseLifecycle } from "../../src/lightningstor/lifecycle-rules.ts";
import { evaluatePreconditions } from "../../src/lightningstor/preconditions.ts";
import { type CreditPort, CreditQuotaGate } from "../../src/lightningstor/quota-gate.ts";
import { S3Error } from "../../src/lightningstor/s3-error.ts";
import { parseXmlBody } from "../../src/lightningstor/s3-xml.ts";

const code = (fn: () => unknown) => {
  try {
    fn();
    return "ok";
  } catch (e) {
    return e instanceof S3Error ? e.code : String(e);
  }
};

describe("bucket names", () => {
  it("accepts S3's valid names and rejects the invalid ones with InvalidBucketName", () => {
    for (const ok of ["abc", "my-bucket.logs", "a".repeat(63), "1bucket"])
      assert.equal(
        code(() => checkBucketName(ok)),
        "ok",
        ok,
      );
    for (const bad of [
      "ab",
      "a".repeat(64),
      "Upper",
      "under_score",
      "-start",
      "end-",
      "a..b",
      "a.-b",
      "192.168.0.1",
      "xn--abc",
      "x-s3alias",
    ]) {
      assert.equal(
        code(() => checkBucketName(bad)),
        "InvalidBucketName",
        bad,
      );
    }
  });
});

describe("Range", () => {
  it("reads a-b, a- and -n, ignores what S3 ignores, and rejects starts past the end", () => {
    assert.deepEqual(parseRange("bytes=0-9", 100), { start: 0, end: 10 });
    assert.deepEqual(parseRange("bytes=90-", 100), { start: 90, end: 100 });
    assert.deepEqual(parseRange("bytes=-10", 100), { start: 90, end: 100 });
    assert.deepEqual(parseRange("bytes=50-500", 100), { start: 50, end: 100 });
    assert.equal(parseRange("bytes=5-1", 100), undefined);
    assert.equal(parseRange("bytes=0-1,5-6", 100), undefined);
    assert.equal(parseRange("items=0-1", 100), undefined);
    assert.equal(
      code(() => parseRange("bytes=100-", 100)),
      "InvalidRange",
    );
    assert.equal(
      code(() => parseRange("bytes=0-0", 0)),
      "InvalidRange",
    );
  });
});

describe("conditional requests", () => {
  const etag = '"abc"';
  const t = Date.UTC(2024, 0, 1, 12);
  it("If-Match / If-Unmodified-Since fail with PreconditionFailed", () => {
    assert.equal(
      code(() => evaluatePreconditions({ ifMatch: '"zzz"' }, etag, t)),
      "PreconditionFailed",
    );
    assert.equal(evaluatePreconditions({ ifMatch: '"abc"' }, etag, t), "ok");
    assert.equal(evaluatePreconditions({ ifMatch: "*" }, etag, t), "ok");
    assert.equal(
      code(() => evaluatePreconditions({ ifUnmodifiedSince: new Date(t - 60_000).toUTCString() }, etag, t)),
      "PreconditionFailed",
    );
    // If-Match that holds overrides If-Unmodified-Since (RFC 7232 §6).
    assert.equal(
      evaluatePreconditions(
        { ifMatch: '"abc"', ifUnmodifiedSince: new Date(t - 60_000).toUTCString() },
        etag,
        t,
      ),
      "ok",
    );
  });
  it("If-None-Match / If-Modified-Since answer not-modified", () => {
    assert.equal(evaluatePreconditions({ ifNoneMatch: '"abc"' }, etag, t), "not-modified");
    assert.equal(
      evaluatePreconditions(
        { ifNoneMatch: '"x"', ifModifiedSince: new Date(t + 60_000).toUTCString() },
        etag,
        t,
      ),
      "ok",
    );
    assert.equal(
      evaluatePreconditions({ ifModifiedSince: new Date(t + 60_000).toUTCString() }, etag, t),
      "not-modified",
    );
    assert.equal(
      evaluatePreconditions({ ifModifiedSince: new Date(t - 60_000).toUTCString() }, etag, t),
      "ok",
    );
  });
});

describe("bucket policy", () => {
  it("grants anonymous access only for matching Allow statements, and Deny wins", () => {
    const p = parsePolicy(
      JSON.stringify({
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::pub/*" },
          {
            Effect: "Deny",
            Principal: { AWS: ["*"] },
            Action: "s3:*",
            Resource: "arn:aws:s3:::pub/secret/*",
          },
        ],
      }),
    );
    assert.equal(allowsAnonymous(p, "s3:GetObject", "pub", "a.txt"), true);
    assert.equal(allowsAnonymous(p, "s3:GetObject", "pub", "secret/x"), false);
    assert.equal(allowsAnonymous(p, "s3:PutObject", "pub", "a.txt"), false);
    assert.equal(allowsAnonymous(p, "s3:ListBucket", "pub"), false);
    assert.equal(
      code(() => parsePolicy("{not json")),
      "MalformedPolicy",
    );
    assert.equal(
      code(() => parsePolicy(JSON.stringify({ Statement: [{ Effect: "Maybe" }] }))),
      "MalformedPolicy",
    );
  });
});

describe("CORS", () => {
  it("matches origin wildcards, methods and requested headers", () => {
    const rules = parseCors(
      parseXmlBody(
        "<CORSConfiguration><CORSRule><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-amz-*</AllowedHeader></CORSRule></CORSConfiguration>",
        "CORSConfiguration",
      ),
    );
    assert.ok(matchCors(rules, "https://app.example.com", "GET", ["x-amz-date"]));
    assert.equal(matchCors(rules, "https://app.example.com", "PUT"), undefined);
    assert.equal(matchCors(rules, "https://evil.com", "GET"), undefined);
    assert.equal(matchCors(rules, "https://app.example.com", "GET", ["authorization"]), undefined);
    assert.equal(
      code(() => parseXmlBody("<CORSConfiguration><CORSRule>", "CORSConfiguration")),
      "MalformedXML",
    );
  });
});

describe("lifecycle", () => {
  it("expires at the first midnight UTC after the given days, only under the prefix", () => {
    const rules = parseLifecycle(
      parseXmlBody(
        "<LifecycleConfiguration><Rule><ID>t</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
        "LifecycleConfiguration",
      ),
    );
    const created = Date.UTC(2024, 0, 1, 15);
    assert.equal(expiresAt(created, 1), Date.UTC(2024, 0, 3));
    assert.equal(currentExpired(rules, "tmp/a", created, Date.UTC(2024, 0, 2, 23)), false);
    assert.equal(currentExpired(rules, "tmp/a", created, Date.UTC(2024, 0, 3)), true);
    assert.equal(currentExpired(rules, "keep/a", created, Date.UTC(2030, 0, 1)), false);
    assert.equal(
      code(() =>
        parseLifecycle(
          parseXmlBody(
            "<LifecycleConfiguration><Rule><Status>Enabled</Status></Rule></LifecycleConfiguration>",
            "LifecycleConfiguration",
          ),
        ),
      ),
      "MalformedXML",
    );
  });
});

describe("checksums", () => {
  it("computes CRC32, CRC32C, SHA1 and SHA256 as S3 encodes them", () => {
    const digest = (alg: Parameters<typeof hasher>[0]) => {
      const h = hasher(alg);
      h.update(Buffer.from("hello "));
      h.update(Buffer.from("world"));
      return h.digest();
    };
    assert.equal(digest("crc32"), "DUoRhQ==");
    assert.equal(crc32cUpdate(0, Buffer.from("123456789")), 0xe3069283);
    assert.equal(digest("sha256"), "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
    assert.equal(digest("sha1"), "Kq5sNclPz7QV2+lfQIuc6R7oRu0=");
  });
});

describe("quota gate", () => {
  it("charges object_gib only when a project's total crosses a GiB boundary, and releases on delete", async () => {
    const calls: string[] = [];
    const credit: CreditPort = {
      withReservation: async (_p, _id, amounts, create) => {
        calls.push(`reserve ${JSON.stringify(amounts)}`);
        return create();
      },
      releaseUsage: async (_p, _id, amounts) => {
        calls.push(`release ${JSON.stringify(amounts)}`);
      },
    };
    const gate = new CreditQuotaGate(credit, pino({ level: "silent" }));
    const gib = 1024 ** 3;
    await gate.addBytes("p", "r1", 100);
    await gate.addBytes("p", "r2", gib);
    await gate.addBytes("p", "r3", 10);
    await gate.removeBytes("p", "r4", gib);
    assert.deepEqual(calls, [
      'reserve {"object_gib":1}',
      'reserve {"object_gib":1}',
      'release {"object_gib":1}',
    ]);
    const refused = new CreditQuotaGate(
      {
        withReservation: async () =>
          Promise.reject(Object.assign(new Error("over"), { code: "QuotaExceeded" })),
        releaseUsage: async () => undefined,
      },
      pino({ level: "silent" }),
    );
    await assert.rejects(
      refused.createBucket("p", "r", async () => undefined),
      (e: S3Error) => e.code === "TooManyBuckets",
    );
  });
});
