// Prometheus (Debian 2.42) scrapes node-like targets and remote_writes to nightlight; afterwards
// every sample Prometheus stored up to a cutoff must be in nightlight, series by series.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promGet, startNightlight, startPrometheus, testToken } from "./harness.ts";

/** A node-exporter-like target: CPU, network, filesystem and memory series that move each scrape. */
function nodeTarget(seriesPerFamily: number): Promise<Server> {
  let scrapes = 0;
  const server = createServer((_req, res) => {
    scrapes++;
    const lines: string[] = [];
    lines.push(
      "# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.",
      "# TYPE node_cpu_seconds_total counter",
    );
    for (let cpu = 0; cpu < seriesPerFamily / 4; cpu++)
      for (const mode of ["idle", "user", "system", "iowait"])
        lines.push(
          `node_cpu_seconds_total{cpu="${cpu}",mode="${mode}"} ${(scrapes * (cpu + 1) * 0.37).toFixed(2)}`,
        );
    lines.push("# TYPE node_network_receive_bytes_total counter");
    for (let d = 0; d < seriesPerFamily; d++)
      lines.push(`node_network_receive_bytes_total{device="eth${d}"} ${scrapes * 1500 * (d + 1)}`);
    lines.push("# TYPE node_filesystem_avail_bytes gauge");
    for (let m = 0; m < seriesPerFamily; m++)
      lines.push(`node_filesystem_avail_bytes{mountpoint="/mnt/${m}"} ${1e10 - scrapes * 4096 * (m % 7)}`);
    lines.push(
      "# TYPE node_memory_MemAvailable_bytes gauge",
      `node_memory_MemAvailable_bytes ${8e9 + Math.sin(scrapes) * 1e8}`,
    );
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(`${lines.join("\n")}\n`);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export async function runRemoteWriteAcceptance(o: {
  durationMs: number;
  scrapeInterval: string;
  targets: number;
  seriesPerFamily: number;
}) {
  const dir = mkdtempSync(join(tmpdir(), "nl-rw-"));
  const servers: Server[] = [];
  const nl = await startNightlight(join(dir, "nl"));
  let prom: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  try {
    for (let i = 0; i < o.targets; i++) servers.push(await nodeTarget(o.seriesPerFamily));
    const targets = servers.map((s) => `"127.0.0.1:${(s.address() as AddressInfo).port}"`).join(", ");
    prom = await startPrometheus(
      join(dir, "prom"),
      `global:
  scrape_interval: ${o.scrapeInterval}
  evaluation_interval: ${o.scrapeInterval}
scrape_configs:
  - job_name: node
    static_configs:
      - targets: [${targets}]
remote_write:
  - url: ${nl.url}/api/v1/write
    authorization:
      credentials: ${testToken}
    queue_config:
      batch_send_deadline: 1s
      max_samples_per_send: 2000
    metadata_config:
      send_interval: 5s
`,
    );
    await new Promise((r) => setTimeout(r, o.durationMs));
    const cutoffSec = Math.floor(Date.now() / 1000);
    // Wait until Prometheus has sent everything up to the cutoff.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const metrics = await (await fetch(`${prom.url}/metrics`)).text();
      const line = metrics
        .split("\n")
        .find((l) => l.startsWith("prometheus_remote_storage_queue_highest_sent_timestamp_seconds"));
      const v = Number(line?.split(" ").at(-1) ?? 0);
      if (v > cutoffSec + 1) break;
      assert.ok(Date.now() < deadline, "Prometheus did not catch up with remote_write");
      await new Promise((r) => setTimeout(r, 500));
    }
    const window = `${Math.ceil(o.durationMs / 60_000) + 2}m`;
    // The raw samples of every series up to the cutoff, compared value by value.
    const q = { query: `{job="node"}[${window}]`, time: String(cutoffSec) };
    // Sending shards progress independently: the highest sent timestamp is only a lower bound for
    // the slowest shard, so wait (bounded) until nightlight holds as many samples as Prometheus.
    const sampleCount = (json: { data: { result: { values: unknown[] }[] } }) =>
      json.data.result.reduce((n, r) => n + r.values.length, 0);
    let p = await promGet(prom.url, "/api/v1/query", q, {});
    let n = await promGet(nl.url, "/api/v1/query", q);
    for (let i = 0; i < 60 && n.json.status === "success" && sampleCount(n.json) < sampleCount(p.json); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      p = await promGet(prom.url, "/api/v1/query", q, {});
      n = await promGet(nl.url, "/api/v1/query", q);
    }
    assert.equal(p.json.status, "success", JSON.stringify(p.json).slice(0, 300));
    assert.equal(n.json.status, "success", JSON.stringify(n.json).slice(0, 300));
    type Series = { metric: Record<string, string>; values: [number, string][] };
    const bySeries = (r: Series[]) =>
      new Map(r.map((x) => [JSON.stringify(Object.entries(x.metric).sort()), x.values]));
    const pc = bySeries(p.json.data.result);
    const nc = bySeries(n.json.data.result);
    let total = 0;
    for (const [k, values] of pc) {
      assert.deepEqual(nc.get(k), values, `samples of ${k}`);
      total += values.length;
    }
    assert.equal(nc.size, pc.size, "same series");
    const expectedSeries = o.targets * (3 * o.seriesPerFamily + 1 + 5);
    assert.ok(pc.size >= expectedSeries, `${pc.size} series scraped, expected ≥ ${expectedSeries}`);
    const meta = await promGet(nl.url, "/api/v1/metadata", { metric: "node_cpu_seconds_total" });
    assert.equal(
      meta.json.data.node_cpu_seconds_total?.[0]?.type,
      "counter",
      "metadata arrived through remote_write",
    );
    return { samples: total, series: pc.size };
  } finally {
    await prom?.stop();
    for (const s of servers) s.close();
    await nl.role.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
