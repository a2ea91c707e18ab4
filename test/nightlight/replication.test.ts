// Replication with real processes: three `photon nightlight` replicas, remote_write load spread
// over all three, one SIGKILLed mid-load. Every acknowledged sample must be queryable from each
// survivor; the killed replica, restarted, must hold them itself (backfilled from its peers);
// with two of three down, writes and queries are refused (503) rather than half-done.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { snappyCompress, snappyDecompress } from "../../src/nightlight/ingest/snappy.ts";
import { decodeWriteRequest, encodeWriteRequest } from "../../src/nightlight/ingest/write-request.ts";
import { freePort, promGet } from "./harness.ts";
import { killHard, startPhotonNightlight } from "./photon-process.ts";

const token = "pht_replication-test-shared-admin-token";
const t0 = 1_700_000_000_000;
const writers = 4;
const seriesPerWriter = 40;
const samplesPerSeries = 5;

test("losing one of three replicas loses no acknowledged sample, and the restarted one catches up", {
  timeout: 240_000,
}, async () => {
  const root = mkdtempSync(join(tmpdir(), "nl-repl-"));
  const ports = [await freePort(), await freePort(), await freePort()];
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const dirs = ports.map((_, i) => join(root, `r${i}`));
  const procs: (ChildProcess | undefined)[] = [undefined, undefined, undefined];
  // A scrape target every replica is told about; exactly one of them scrapes it at a time.
  let scrapes = 0;
  const target = createServer((_req, res) => {
    scrapes++;
    res.end("# TYPE node_load1 gauge\nnode_load1 0.5\n");
  });
  await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
  const targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/metrics`;
  // One cluster credential (in a cluster it comes from iam; here the local admin token).
  for (const d of dirs) {
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, "admin-token"), `${token}\n`, { mode: 0o600 });
  }
  const start = (i: number) =>
    startPhotonNightlight(dirs[i]!, ports[i]!, [
      "--peers",
      urls.filter((_, j) => j !== i).join(","),
      "--replica-probe-seconds",
      "0.5",
      "--scrape-targets",
      `node=${targetUrl}`,
      "--scrape-interval-seconds",
      "1",
    ]);
  try {
    for (let i = 0; i < 3; i++) procs[i] = await start(i);
    const acked = new Map<string, number[]>();
    let stop = false;
    const down = new Set<number>();
    const writer = async (w: number) => {
      for (let b = 0; !stop && b < 100_000; b++) {
        const series = Array.from({ length: seriesPerWriter }, (_, s) => ({
          labels: [
            ["__name__", "repl_test"],
            ["series", `w${w}-s${s}`],
          ] as [string, string][],
          ts: Array.from({ length: samplesPerSeries }, (_, i) => t0 + (b * samplesPerSeries + i) * 1000),
          vs: Array.from({ length: samplesPerSeries }, (_, i) => b * samplesPerSeries + i),
        }));
        const body = snappyCompress(encodeWriteRequest({ series }));
        // Each writer keeps per-series order: the next batch goes out after this one's answer.
        for (let attempt = 0; attempt < 6; attempt++) {
          const node = (b + w + attempt) % 3;
          if (down.has(node)) continue;
          try {
            const res = await fetch(`${urls[node]}/api/v1/write`, {
              method: "POST",
              headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${token}` },
              body,
            });
            await res.arrayBuffer();
            if (res.status === 204) {
              for (const s of series) {
                const k = s.labels[1]![1];
                acked.set(k, [...(acked.get(k) ?? []), ...s.ts]);
              }
              break;
            }
          } catch {
            // The node died under us: this attempt was not acknowledged; try another.
          }
        }
      }
    };
    // Scraped samples take the same quorum path: every replica can query them, while the
    // target is scraped about once a second in all (not once per replica).
    for (const u of urls)
      await waitFor(async () => {
        const r = await promGet(u, "/api/v1/query", { query: 'node_load1{job="node"}' }, { token });
        return r.json.data?.result?.length === 1;
      }, `${u} sees the scraped series`);
    const before = scrapes;
    await new Promise((r) => setTimeout(r, 3000));
    const perSecond = (scrapes - before) / 3;
    assert.ok(perSecond < 2, `the target was scraped ${perSecond.toFixed(1)} times a second`);

    const load = Array.from({ length: writers }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 3000));
    await killHard(procs[2]!);
    down.add(2);
    const ackedAtKill = count(acked);
    await new Promise((r) => setTimeout(r, 2000));
    stop = true;
    await Promise.all(load);
    const total = count(acked);
    assert.ok(ackedAtKill > 1000, `only ${ackedAtKill} samples acknowledged before the kill`);
    assert.ok(total > ackedAtKill, "writes must go on with two of three replicas");

    const queryTime = String(t0 / 1000 + 100_000);
    for (const i of [0, 1]) {
      const missing = await missingFrom(urls[i]!, acked, queryTime);
      assert.equal(missing, 0, `replica ${i}: ${missing} of ${total} acknowledged samples missing`);
      const values = await promGet(urls[i]!, "/api/v1/label/series/values", {}, { token });
      assert.equal(values.json.data.length, acked.size, "label values come from a read quorum too");
    }

    // The killed replica restarts, replays its WAL and backfills from the two others before it
    // opens its port: its own store (read through the replica API, no merging) has everything.
    procs[2] = await start(2);
    down.delete(2);
    const local = await localSamples(urls[2]!);
    let missingLocal = 0;
    for (const [k, ts] of acked) for (const t of ts) if (!local.get(k)?.has(t)) missingLocal++;
    assert.equal(missingLocal, 0, `restarted replica lacks ${missingLocal} of ${total} samples`);

    // Two of three down: no write quorum, no read quorum — clear 503s, not silent half-writes.
    await killHard(procs[0]!);
    await killHard(procs[1]!);
    const res = await fetch(`${urls[2]}/api/v1/write`, {
      method: "POST",
      headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${token}` },
      body: snappyCompress(
        encodeWriteRequest({ series: [{ labels: [["__name__", "x"]], ts: [t0], vs: [1] }] }),
      ),
    });
    assert.equal(res.status, 503);
    assert.match(await res.text(), /replicas stored the write/);
    const q = await promGet(urls[2]!, "/api/v1/query", { query: "repl_test", time: queryTime }, { token });
    assert.equal(q.status, 503);
    assert.equal(q.json.errorType, "unavailable");
    const series = await promGet(urls[2]!, "/api/v1/series", { "match[]": "repl_test" }, { token });
    assert.equal(series.status, 503);
  } finally {
    target.close();
    for (const p of procs) if (p) await killHard(p);
    rmSync(root, { recursive: true, force: true });
  }
});

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function count(m: Map<string, number[]>): number {
  let n = 0;
  for (const l of m.values()) n += l.length;
  return n;
}

async function missingFrom(url: string, acked: Map<string, number[]>, time: string): Promise<number> {
  const { status, json } = await promGet(url, "/api/v1/query", { query: "repl_test[10d]", time }, { token });
  assert.equal(status, 200, JSON.stringify(json));
  const stored = new Map<string, Set<number>>();
  for (const r of json.data.result as { metric: { series: string }; values: [number, string][] }[])
    stored.set(r.metric.series, new Set(r.values.map(([t]) => Math.round(t * 1000))));
  let missing = 0;
  for (const [k, ts] of acked) for (const t of ts) if (!stored.get(k)?.has(t)) missing++;
  return missing;
}

async function localSamples(url: string): Promise<Map<string, Set<number>>> {
  const res = await fetch(`${url}/internal/replica/select`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      matchers: [{ type: "=", name: "__name__", value: "repl_test" }],
      mint: 0,
      maxt: 9e15,
    }),
  });
  assert.equal(res.status, 200);
  const wr = decodeWriteRequest(snappyDecompress(new Uint8Array(await res.arrayBuffer())));
  const out = new Map<string, Set<number>>();
  for (const s of wr.series) out.set(s.labels.find(([n]) => n === "series")![1], new Set(Array.from(s.ts)));
  return out;
}
