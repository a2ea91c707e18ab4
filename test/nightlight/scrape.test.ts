import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import pino from "pino";
import { MetadataStore } from "../../src/nightlight/metadata-store.ts";
import { ExpositionError, parseExposition } from "../../src/nightlight/scrape/exposition.ts";
import { Scraper } from "../../src/nightlight/scrape/scraper.ts";
import { makeMatcher } from "../../src/nightlight/tsdb/matcher.ts";
import { Tsdb } from "../../src/nightlight/tsdb/tsdb.ts";

test("the text exposition format parses names, escaped labels, special values, timestamps and metadata", () => {
  const { samples, families } = parseExposition(
    [
      "# HELP http_requests_total Requests.",
      "# TYPE http_requests_total counter",
      'http_requests_total{method="GET",path="/a\\"b\\\\c\\nd"} 1027 1395066363000',
      "up 1",
      'temp{room="x",} -Inf',
      "nan_metric NaN",
      "",
    ].join("\n"),
  );
  assert.equal(samples.length, 4);
  assert.deepEqual(samples[0]!.labels, [
    ["__name__", "http_requests_total"],
    ["method", "GET"],
    ["path", '/a"b\\c\nd'],
  ]);
  assert.equal(samples[0]!.timestampMs, 1395066363000);
  assert.equal(samples[2]!.value, Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(samples[3]!.value));
  assert.deepEqual(families[0], { name: "http_requests_total", type: "counter", help: "Requests." });
  assert.throws(() => parseExposition("metric{a=b} 1"), ExpositionError);
  assert.throws(() => parseExposition("metric one"), /bad value/);
});

test("a scrape stores samples with job and instance, up, and staleness markers for vanished series", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nl-scrape-"));
  let now = 1_700_000_000_000;
  let body = "a 1\nb 2\n";
  let status = 200;
  const db = await Tsdb.open({ dir, clock: () => now });
  const scraper = new Scraper({
    db,
    metadata: new MetadataStore(),
    fetch: async () => ({ status, body }),
    clock: () => now,
    log: pino({ level: "silent" }),
  });
  try {
    scraper.sync([{ url: "http://10.0.0.1:9100/metrics", job: "node", tenant: "p", intervalMs: 3_600_000 }]);
    await new Promise((r) => setTimeout(r, 50));
    const key = "p|node|http://10.0.0.1:9100/metrics";
    now += 15_000;
    body = "a 3\n";
    await scraper.scrape(key);
    now += 15_000;
    status = 500;
    await scraper.scrape(key);
    const all = (name: string) =>
      db.select("p", [makeMatcher("=", "__name__", name)], 0, Number.MAX_SAFE_INTEGER);
    const a = all("a")[0]!;
    assert.deepEqual(Object.fromEntries(a.labels), { __name__: "a", instance: "10.0.0.1:9100", job: "node" });
    assert.deepEqual([...a.vs.slice(0, 2)], [1, 3]);
    assert.deepEqual([...a.stale], [0, 0, 1], "a is marked stale when the target fails");
    assert.deepEqual([...all("b")[0]!.stale], [0, 1], "b is marked stale when it vanishes");
    assert.deepEqual([...all("up")[0]!.vs], [1, 1, 0]);
  } finally {
    scraper.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
