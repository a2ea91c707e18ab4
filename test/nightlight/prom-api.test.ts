import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promGet, remoteWrite, startNightlight } from "./harness.ts";

const t0 = 1_700_000_000_000;
let dir: string;
let nl: Awaited<ReturnType<typeof startNightlight>>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "nl-api-"));
  nl = await startNightlight(dir);
  const series = ["a", "b"].map((inst, k) => ({
    labels: [
      ["__name__", "http_requests_total"],
      ["instance", inst],
      ["job", "api"],
    ] as [string, string][],
    ts: Array.from({ length: 41 }, (_, i) => t0 + i * 15_000),
    vs: Array.from({ length: 41 }, (_, i) => i * 10 * (k + 1)),
  }));
  const r = await remoteWrite(nl.url, series);
  assert.equal(r.status, 204, r.body);
  const other = await remoteWrite(nl.url, [{ labels: [["__name__", "secret_metric"]], ts: [t0], vs: [42] }], {
    project: "other",
  });
  assert.equal(other.status, 204);
});

after(async () => {
  await nl.role.close();
  rmSync(dir, { recursive: true, force: true });
});

test("an instant query answers in Prometheus's JSON", async () => {
  const { status, json } = await promGet(nl.url, "/api/v1/query", {
    query: "sum by (job) (rate(http_requests_total[5m]))",
    time: String((t0 + 600_000) / 1000),
  });
  assert.equal(status, 200);
  assert.equal(json.status, "success");
  assert.equal(json.data.resultType, "vector");
  assert.deepEqual(json.data.result[0].metric, { job: "api" });
  assert.equal(json.data.result[0].value[0], (t0 + 600_000) / 1000);
  assert.ok(Math.abs(Number(json.data.result[0].value[1]) - 2) < 1e-9, json.data.result[0].value[1]);
});

test("a range query returns a matrix sorted by labels", async () => {
  const { json } = await promGet(nl.url, "/api/v1/query_range", {
    query: "http_requests_total",
    start: String(t0 / 1000),
    end: String((t0 + 120_000) / 1000),
    step: "60s",
  });
  assert.equal(json.data.resultType, "matrix");
  assert.deepEqual(
    json.data.result.map((r: { metric: { instance: string } }) => r.metric.instance),
    ["a", "b"],
  );
  assert.deepEqual(json.data.result[0].values, [
    [t0 / 1000, "0"],
    [t0 / 1000 + 60, "40"],
    [t0 / 1000 + 120, "80"],
  ]);
});

test("series, labels, label values and metadata endpoints answer", async () => {
  const s = await promGet(nl.url, "/api/v1/series", { "match[]": 'http_requests_total{instance="a"}' });
  assert.deepEqual(s.json.data, [{ __name__: "http_requests_total", instance: "a", job: "api" }]);
  const l = await promGet(nl.url, "/api/v1/labels", {});
  assert.deepEqual(l.json.data, ["__name__", "instance", "job"]);
  const v = await promGet(nl.url, "/api/v1/label/instance/values", {});
  assert.deepEqual(v.json.data, ["a", "b"]);
  const m = await promGet(nl.url, "/api/v1/metadata", {});
  assert.equal(m.json.status, "success");
});

test("bad queries get Prometheus's error JSON with bad_data and 400", async () => {
  const { status, json } = await promGet(nl.url, "/api/v1/query", { query: "sum(" });
  assert.equal(status, 400);
  assert.equal(json.status, "error");
  assert.equal(json.errorType, "bad_data");
  assert.match(json.error, /parse error/);
  const step = await promGet(nl.url, "/api/v1/query_range", { query: "up", start: "1", end: "2", step: "0" });
  assert.equal(step.status, 400);
  assert.match(step.json.error, /zero or negative query resolution step/);
});

test("a project's metrics are visible to that project only", async () => {
  const mine = await promGet(nl.url, "/api/v1/query", { query: "secret_metric", time: String(t0 / 1000) });
  assert.equal(mine.json.data.result.length, 0, "the system tenant does not see project metrics");
  const theirs = await promGet(
    nl.url,
    "/api/v1/query",
    { query: "secret_metric", time: String(t0 / 1000) },
    { token: "test-token-nightlight", project: "other" },
  );
  assert.equal(theirs.json.data.result.length, 1);
  const anon = await promGet(nl.url, "/api/v1/query", { query: "up" }, {});
  assert.equal(anon.status, 401);
  assert.equal(anon.json.errorType, "unauthorized");
});

test("remote_write answers 400 for undecodable bodies and for bad series (not retried)", async () => {
  const res = await fetch(`${nl.url}/api/v1/write`, {
    method: "POST",
    headers: { "content-type": "application/x-protobuf", authorization: "Bearer test-token-nightlight" },
    body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]),
  });
  assert.equal(res.status, 400);
  const bad = await remoteWrite(nl.url, [{ labels: [["no_name", "x"]], ts: [t0], vs: [1] }]);
  assert.equal(bad.status, 400);
  assert.match(bad.body, /metric name/);
});
