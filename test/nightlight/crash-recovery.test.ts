// SIGKILL during ingestion: every sample whose remote_write was acknowledged (204) must be
// there after a restart, because the WAL is fsynced before the answer.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { snappyCompress } from "../../src/nightlight/ingest/snappy.ts";
import { encodeWriteRequest } from "../../src/nightlight/ingest/write-request.ts";
import { freePort, promGet } from "./harness.ts";
import { startPhotonNightlight } from "./photon-process.ts";

test("every acknowledged sample survives a SIGKILL in the middle of ingestion", {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "nl-kill-"));
  const port = await freePort();
  let proc = await startPhotonNightlight(dir, port);
  try {
    const token = readFileSync(join(dir, "admin-token"), "utf8").trim();
    const url = `http://127.0.0.1:${port}`;
    const acked = new Map<string, number[]>();
    const t0 = 1_700_000_000_000;
    let stop = false;
    let batch = 0;
    const writer = async (w: number) => {
      while (!stop) {
        const b = batch++;
        const series = Array.from({ length: 50 }, (_, s) => ({
          labels: [
            ["__name__", "kill_test"],
            ["series", `w${w}-s${s}`],
          ] as [string, string][],
          ts: Array.from({ length: 10 }, (_, i) => t0 + (b * 10 + i) * 1000),
          vs: Array.from({ length: 10 }, (_, i) => b * 10 + i),
        }));
        try {
          const res = await fetch(`${url}/api/v1/write`, {
            method: "POST",
            headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${token}` },
            body: snappyCompress(encodeWriteRequest({ series })),
          });
          if (res.status === 204) {
            for (const s of series) {
              const k = s.labels[1]![1];
              acked.set(k, [...(acked.get(k) ?? []), ...s.ts]);
            }
          }
        } catch {
          return; // the server died under us: this batch was never acknowledged
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await new Promise((r) => setTimeout(r, 3000));
    proc.kill("SIGKILL");
    await new Promise((r) => proc.once("exit", r));
    stop = true;
    await Promise.all(writers);
    const ackedSamples = [...acked.values()].reduce((n, l) => n + l.length, 0);
    assert.ok(ackedSamples > 1000, `only ${ackedSamples} samples were acknowledged before the kill`);

    proc = await startPhotonNightlight(dir, port);
    const { json } = await promGet(
      url,
      "/api/v1/query",
      { query: "kill_test[10d]", time: String((t0 + batch * 10 * 1000) / 1000 + 1) },
      { token },
    );
    assert.equal(json.status, "success");
    const stored = new Map<string, Set<number>>();
    for (const r of json.data.result as { metric: { series: string }; values: [number, string][] }[])
      stored.set(r.metric.series, new Set(r.values.map(([t]) => Math.round(t * 1000))));
    let missing = 0;
    for (const [k, ts] of acked) for (const t of ts) if (!stored.get(k)?.has(t)) missing++;
    assert.equal(missing, 0, `${missing} of ${ackedSamples} acknowledged samples lost`);
  } finally {
    proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
