// `--dns-processes 2`: two worker processes answer UDP on the shared socket, each from a copy
// of the index that follows every change within 2 s; TCP stays with the primary; the workers'
// queries are counted in /metrics; closing the role leaves no worker behind.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { rdataToText } from "../../src/flashdns/rdata-text.ts";
import { RRType } from "../../src/flashdns/wire/constants.ts";
import { dnsExchange } from "./dns-exchange.ts";
import { type FlashdnsUnderTest, startFlashdns } from "./harness.ts";

let fd: FlashdnsUnderTest;
before(async () => {
  fd = await startFlashdns({ dnsProcesses: 2 });
});
after(() => fd.cleanup());

const workerPids = () =>
  readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8")
    .trim()
    .split(/\s+/)
    .filter((p) => p && readFileSync(`/proc/${p}/cmdline`, "utf8").includes("dns-worker"))
    .map(Number);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("worker processes answer UDP, follow changes within 2 s, and the primary answers TCP", async () => {
  const pids = workerPids();
  assert.equal(pids.length, 2, `worker processes: ${pids.join(", ")}`);
  await fd.client.createZone("p", "example", { dnsName: "example.org", nameservers: ["ns1.example.net."] });
  for (const records of [["192.0.2.1"], ["192.0.2.7", "192.0.2.8"]]) {
    const change = performance.now();
    if (records.length === 1)
      await fd.client.createRecordSet("p", "www", { zone: "example", name: "www", type: "A", records });
    else await fd.client.replaceRecordSet("p", "www", { zone: "example", name: "www", type: "A", records });
    // Many queries in a row reach both workers; each must serve the change within 2 s.
    let consecutive = 0;
    while (consecutive < 40) {
      const m = await dnsExchange({ port: fd.dnsPort, name: "wWw.example.org.", type: RRType.A });
      const got = m.answers.map((r) => rdataToText(r.data)).sort();
      consecutive = got.join() === records.join() ? consecutive + 1 : 0;
      assert.ok(
        performance.now() - change < 2000 || consecutive > 0,
        `${records.join()} not served within 2 s`,
      );
      assert.equal(m.questions[0]?.name.join("."), "wWw.example.org");
    }
  }
  const tcp = await dnsExchange({ port: fd.dnsPort, name: "www.example.org.", type: RRType.A, tcp: true });
  assert.equal(tcp.answers.length, 2);
  // Workers report their counters every second.
  await new Promise((r) => setTimeout(r, 1500));
  const metrics = await (await fetch(`${fd.url}/metrics`)).text();
  const udp = Number(/^flashdns_queries_total\{[^}]*transport="udp"[^}]*\} (\d+)/m.exec(metrics)?.[1]);
  assert.ok(udp >= 80, `udp queries counted: ${udp}`);
});

test("closing the role stops the workers", async () => {
  const pids = workerPids();
  assert.equal(pids.length, 2);
  await fd.cleanup();
  fd = { ...fd, cleanup: async () => undefined };
  assert.deepEqual(
    pids.filter((p) => alive(p)),
    [],
  );
});
