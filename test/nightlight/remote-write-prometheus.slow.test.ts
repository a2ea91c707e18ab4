import assert from "node:assert/strict";
import { test } from "node:test";
import { runRemoteWriteAcceptance } from "./remote-write-acceptance.ts";

test("Prometheus remote_write delivers every sample of a five-minute scrape of node-like targets", {
  timeout: 600_000,
}, async () => {
  const r = await runRemoteWriteAcceptance({
    durationMs: 300_000,
    scrapeInterval: "5s",
    targets: 8,
    seriesPerFamily: 100,
  });
  assert.ok(r.samples > 100_000, `${r.samples} samples`);
});
