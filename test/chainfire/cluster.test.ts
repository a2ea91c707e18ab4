// Three chainfire members replicating through Raft on loopback, driven by the real etcdctl 3.4
// and the etcd3 client: writes on any member, linearizable reads on every member, watches and
// leases across members, leader failure, and a full restart.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ChainfireClient } from "../../src/chainfire/client.ts";
import { type Cluster, etcdctl, etcdctlStream, startCluster } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForLeader(c: Cluster, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const i = c.leaderIndex();
    if (i >= 0) return i;
    if (Date.now() > deadline) throw new Error("no leader");
    await sleep(20);
  }
}

describe("a three-member chainfire cluster", () => {
  let c: Cluster;
  const ctl = async (endpoint: string, args: string[], stdin?: string) => {
    const r = await etcdctl(endpoint, args, stdin);
    assert.equal(r.code, 0, `etcdctl ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  };
  before(async () => {
    c = await startCluster(3);
    await waitForLeader(c);
  });
  after(async () => {
    await c.close();
  });

  test("a write on any member is read back linearizably on every member", async () => {
    const [a, b, d] = c.members.map((m) => m!.endpoint);
    await ctl(a!, ["put", "/r/1", "from-a"]);
    await ctl(b!, ["put", "/r/2", "from-b"]);
    for (const e of [a!, b!, d!])
      assert.equal(await ctl(e, ["get", "/r/", "--prefix", "--print-value-only"]), "from-a\nfrom-b\n");
    assert.match(await ctl(d!, ["txn"], 'value("/r/1") = "from-a"\n\nput /r/3 txn\n\n\n'), /^SUCCESS/);
    assert.equal(await ctl(a!, ["get", "/r/3", "--print-value-only"]), "txn\n");
  });

  test("member list and endpoint status show three members and one leader", async () => {
    let list = "";
    for (let i = 0; i < 50; i++) {
      list = await ctl(c.endpoints(), ["member", "list"]);
      if (list.split("\n").filter((l) => l.includes("started, m")).length === 3) break;
      await sleep(100);
    }
    assert.equal(list.trim().split("\n").length, 3, list);
    assert.match(list, /started, m1, http:\/\/127\.0\.0\.1:\d+, http:\/\/127\.0\.0\.1:\d+, false/);
    const status = JSON.parse(await ctl(c.endpoints(), ["endpoint", "status", "-w", "json"])) as Array<{
      Status: { leader: number; header: { member_id: number } };
    }>;
    assert.equal(status.length, 3);
    assert.equal(new Set(status.map((s) => String(s.Status.leader))).size, 1);
    assert.equal(status.filter((s) => s.Status.leader === s.Status.header.member_id).length, 1);
    const health = await etcdctl(c.endpoints(), ["endpoint", "health"]);
    assert.equal(health.code, 0, health.stderr);
  });

  test("a watch on one member sees writes made on another, with prev-kv", async () => {
    const [a, b] = c.members.map((m) => m!.endpoint);
    await ctl(a!, ["put", "/xw/k", "old"]);
    const w = etcdctlStream(b!, ["watch", "/xw/", "--prefix", "--prev-kv"]);
    try {
      await sleep(400);
      await ctl(a!, ["put", "/xw/k", "new"]);
      await w.waitFor((l) => l.length >= 5);
      assert.deepEqual(w.lines.slice(0, 5), ["PUT", "/xw/k", "old", "/xw/k", "new"]);
    } finally {
      await w.kill();
    }
  });

  test("leases granted and kept alive through a follower expire through the leader", async () => {
    const follower = c.members.find((m) => !m!.server.isLeader)!.endpoint;
    const id = /lease ([0-9a-f]+) granted/.exec(await ctl(follower, ["lease", "grant", "2"]))![1]!;
    await ctl(follower, ["put", "/xl/k", "v", `--lease=${id}`]);
    const ka = etcdctlStream(follower, ["lease", "keep-alive", id]);
    await sleep(3000);
    assert.equal(
      await ctl(c.endpoints(), ["get", "/xl/k", "--print-value-only"]),
      "v\n",
      "kept alive through a follower",
    );
    await ka.kill();
    const deadline = Date.now() + 8000;
    while ((await ctl(follower, ["get", "/xl/k"])) !== "" && Date.now() < deadline) await sleep(250);
    assert.equal(await ctl(follower, ["get", "/xl/k"]), "");
  });

  test("when the leader stops, a new one is elected within 3 s and no acknowledged write is lost", async () => {
    // One client per member; a failed write moves on to the next member, as clients do.
    const clients = c.members.map((m) => new ChainfireClient(m!.endpoint));
    const acked: string[] = [];
    let stop = false;
    const writer = (async () => {
      let at = 0;
      for (let i = 0; !stop; i++) {
        const key = `/xf/${String(i).padStart(5, "0")}`;
        try {
          await clients[at % clients.length]!.put(key, String(i));
          acked.push(key);
        } catch {
          at++;
          await sleep(20);
        }
      }
    })();
    while (acked.length < 10) await sleep(20);
    const old = c.leaderIndex();
    const stoppedAt = Date.now();
    await c.stop(old);
    const next = await waitForLeader(c, 5000);
    const electedMs = Date.now() - stoppedAt;
    assert.notEqual(next, old);
    assert.ok(electedMs < 3000, `new leader after ${electedMs} ms`);
    const before = acked.length;
    const deadline = Date.now() + 10_000;
    while (acked.length < before + 10 && Date.now() < deadline) await sleep(20);
    stop = true;
    await writer;
    for (const cl of clients) cl.close();
    assert.ok(acked.length >= before + 10, "writes continue under the new leader");
    const survivor = c.members[next]!.endpoint;
    const keys = (await ctl(survivor, ["get", "/xf/", "--prefix", "--keys-only"]))
      .split("\n")
      .filter(Boolean);
    const have = new Set(keys);
    assert.deepEqual(
      acked.filter((k) => !have.has(k)),
      [],
      "every acknowledged write is present",
    );
    await c.start(old);
  });

  test("after all members restart the data is intact", async () => {
    await ctl(c.endpoints(), ["put", "/xr/k", "persisted"]);
    for (let i = 0; i < 3; i++) await c.stop(i);
    await Promise.all([0, 1, 2].map((i) => c.start(i)));
    await waitForLeader(c, 5000);
    assert.equal(await ctl(c.endpoints(), ["get", "/xr/k", "--print-value-only"]), "persisted\n");
    assert.equal(await ctl(c.endpoints(), ["get", "/r/1", "--print-value-only"]), "from-a\n");
  });
});
