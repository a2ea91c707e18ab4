import assert from "node:assert/strict";
import { test } from "node:test";
import { runRemoteWriteAcceptance } from "./remote-write-acceptance.ts";

test("Prometheus remote_write delivers every sample of a bounded scrape to nightlight", {
  timeout: 180_000,
}, async () => {
  const r = await runRemoteWriteAcceptance({
    durationMs: 45_000,
    scrapeInterval: "1s",
    targets: 4,
    seriesPerFamily: 40,
  });
  assert.ok(r.samples > 10_000, `${r.samples} samples`);
});
