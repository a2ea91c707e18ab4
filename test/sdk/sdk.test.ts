// The typed SDK is generated from the cloud's own OpenAPI document and kept in the repository:
// it must match the API as it is now, and it must work against a real component.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fetchCloudOpenApi, renderSdk, sdkDir } from "../../scripts/generate-sdk.ts";
import { creditserviceRole } from "../../src/creditservice/server.ts";
import { createPhotonClient } from "../../src/sdk/index.ts";
import { startTestRole } from "../support/start-role.ts";

describe("the typed SDK", () => {
  test("matches the API the cloud serves now (run `npm run generate:sdk` after changing routes)", async () => {
    const fresh = await renderSdk(await fetchCloudOpenApi());
    assert.equal(
      readFileSync(join(sdkDir, "openapi.json"), "utf8"),
      fresh.openapi,
      "src/sdk/openapi.json is out of date",
    );
    assert.equal(
      readFileSync(join(sdkDir, "schema.ts"), "utf8"),
      fresh.schema,
      "src/sdk/schema.ts is out of date",
    );
  });

  test("calls a real creditservice with typed requests and gets typed answers and errors", async () => {
    const svc = await startTestRole(creditserviceRole);
    try {
      const cloud = createPhotonClient(svc.url, svc.token);
      const made = await cloud.POST("/v1/projects/{project}/quotas", {
        params: { path: { project: "sdk" } },
        body: { metadata: { name: "default" }, spec: { limits: { vcpu: 2 } } },
      });
      assert.equal(made.response.status, 201);
      assert.equal(made.data?.metadata.name, "default");
      const reserved = await cloud.POST("/v1/projects/{project}/reservations", {
        params: { path: { project: "sdk" } },
        body: { requestId: "r1", amounts: { vcpu: 3 } },
      });
      assert.equal(reserved.response.status, 429);
      assert.equal((reserved.error as { error: { code: string } }).error.code, "QuotaExceeded");
    } finally {
      await svc.cleanup();
    }
  });
});
