// Quotas through a real creditservice: buckets are reserved before they are created, and
// stored bytes are charged in whole GiB before an upload's data is accepted.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { pino } from "pino";
import { StaticTokenAuth } from "../../src/core/api/auth.ts";
import { loadConfig } from "../../src/core/config.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { LocalStore } from "../../src/core/resource/local-store.ts";
import type { RunningRole } from "../../src/core/role.ts";
import { CreditClient } from "../../src/creditservice/client.ts";
import { creditserviceOptions, creditserviceRole } from "../../src/creditservice/server.ts";
import {
  parseQuery,
  type SignableRequest,
  signRequest,
  unsignedPayload,
} from "../../src/lightningstor/sigv4.ts";
import { adminToken, type Harness, startLightningstor } from "./s3-harness.ts";

describe("lightningstor quotas through creditservice", () => {
  let credit: RunningRole;
  let h: Harness;
  let s3: S3Client;
  before(async () => {
    const log = pino({ level: "silent" });
    credit = await creditserviceRole.start(
      loadConfig(creditserviceOptions, "creditservice", { flags: { port: 0, logLevel: "silent" } }),
      {
        log,
        lifecycle: new Lifecycle(log, 1000),
        auth: new StaticTokenAuth(adminToken),
        serviceToken: async () => adminToken,
        openStore: async () => LocalStore.memory(),
        endpoints: {},
      },
    );
    const url = credit.endpoints.api as string;
    await new CreditClient({ baseUrl: url, token: adminToken }).setLimits("acme", {
      buckets: 1,
      object_gib: 1,
    });
    h = await startLightningstor({}, { creditservice: url });
    s3 = new S3Client({
      endpoint: h.s3,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: h.accessKeyId, secretAccessKey: h.secret },
    });
  });
  after(async () => {
    s3?.destroy();
    await h?.close();
    await credit?.close();
  });

  it("a second bucket over a limit of one is TooManyBuckets", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "first" }));
    const err = await s3.send(new CreateBucketCommand({ Bucket: "second" })).catch((e) => e);
    assert.ok(err instanceof S3ServiceException);
    assert.equal(err.name, "TooManyBuckets");
  });

  it("an upload that would pass the object_gib limit is refused before its data is sent", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "first", Key: "small", Body: "x".repeat(1000) }));
    const u = new URL(h.s3);
    const req0: SignableRequest = {
      method: "PUT",
      rawPath: "/first/huge",
      query: parseQuery(""),
      headers: { host: u.host },
    };
    signRequest(
      req0,
      { accessKeyId: h.accessKeyId, secret: h.secret },
      { region: "us-east-1", nowMs: Date.now(), payloadHash: unsignedPayload },
    );
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const r = request(
        `${h.s3}/first/huge`,
        {
          method: "PUT",
          headers: { ...(req0.headers as Record<string, string>), "content-length": String(1.5 * 1024 ** 3) },
        },
        (resp) => {
          let body = "";
          resp.on("data", (c) => {
            body += c;
          });
          resp.on("end", () => resolve({ status: resp.statusCode ?? 0, body }));
        },
      );
      r.on("error", reject);
      r.flushHeaders();
    });
    assert.equal(res.status, 403);
    assert.match(res.body, /<Code>QuotaExceeded<\/Code>/);
  });
});
