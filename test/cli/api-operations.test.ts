// `photon api call`: operations read from an OpenAPI document, and name=value arguments
// turned into one concrete request.
import assert from "node:assert/strict";
import { test } from "node:test";
import { operationsOf, planCall } from "../../src/cli/api-operations.ts";

const ops = operationsOf(
  {
    paths: {
      "/v1/projects/{project}/quotas/{name}": {
        get: { operationId: "getQuota", "x-component": "creditservice", summary: "Get a quota" },
      },
      "/v1/ratecards": { get: { operationId: "listRatecards", tags: ["creditservice"] } },
    },
  },
  "apigateway",
);

test("operations carry their component and template", () => {
  assert.deepEqual(
    ops.map((o) => [o.operationId, o.method, o.component]),
    [
      ["getQuota", "GET", "creditservice"],
      ["listRatecards", "GET", "creditservice"],
    ],
  );
});

test("path parameters fill the template (escaped); the rest become the query", () => {
  const call = planCall(ops[0]!, ["project=demo", "name=a b", "watch=1"]);
  assert.deepEqual(call, { method: "GET", url: "/v1/projects/demo/quotas/a%20b?watch=1" });
});

test("a missing path parameter is named, with the template", () => {
  assert.throws(
    () => planCall(ops[0]!, ["project=demo"]),
    /getQuota needs name=… \(GET \/v1\/projects\/\{project\}\/quotas\/\{name\}\)/,
  );
  assert.throws(() => planCall(ops[0]!, ["oops"]), /"oops" is not name=value/);
});
