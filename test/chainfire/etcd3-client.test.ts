// The etcd3 npm client (what Node services use to talk to etcd) against a chainfire member:
// the same scenarios as the etcdctl suite, plus the error mapping it relies on.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Etcd3, EtcdLeaseInvalidError } from "etcd3";
import { startCluster, startMember } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  hosts: string[];
  members: number;
  close(): Promise<void>;
}

const targets: Array<[string, () => Promise<Target>]> = [
  [
    "one member",
    async () => {
      const m = await startMember();
      return { hosts: [m.endpoint], members: 1, close: () => m.close() };
    },
  ],
  [
    "three members",
    async () => {
      const c = await startCluster(3);
      while (c.leaderIndex() < 0) await sleep(20);
      return { hosts: c.members.map((x) => x!.endpoint), members: 3, close: () => c.close() };
    },
  ],
];

for (const [name, open] of targets)
  describe(`etcd3 npm client against chainfire (${name})`, () => {
    let m: Target;
    let client: Etcd3;
    before(async () => {
      m = await open();
      client = new Etcd3({ hosts: m.hosts, dialTimeout: 3000 });
    });
    after(async () => {
      client.close();
      await m.close();
    });

    test("put and get: prefix, revision, limit, keys-only, sort", async () => {
      await client.put("/n/a").value("1");
      await client.put("/n/b").value("2");
      const r = await client.put("/n/a").value("1b").exec();
      assert.equal(await client.get("/n/a").string(), "1b");
      assert.deepEqual(await client.getAll().prefix("/n/").strings(), { "/n/a": "1b", "/n/b": "2" });
      const rev = Number(r.header.revision);
      assert.equal(
        await client
          .get("/n/a")
          .revision(rev - 2)
          .string(),
        "1",
      );
      assert.deepEqual(await client.getAll().prefix("/n/").limit(1).keys(), ["/n/a"]);
      assert.deepEqual(await client.getAll().prefix("/n/").sort("Key", "Descend").keys(), ["/n/b", "/n/a"]);
      assert.equal(await client.getAll().prefix("/n/").count(), 2);
    });

    test("delete with a prefix and with previous values", async () => {
      await client.put("/nd/x").value("1");
      await client.put("/nd/y").value("2");
      const res = await client.delete().prefix("/nd/").getPrevious();
      assert.deepEqual(res.map((kv) => kv.key.toString()).sort(), ["/nd/x", "/nd/y"]);
      assert.equal(await client.getAll().prefix("/nd/").count(), 0);
    });

    test("txn: compare on value, version and mod revision", async () => {
      await client.put("/nt/flag").value("on");
      const yes = await client
        .if("/nt/flag", "Value", "==", "on")
        .then(client.put("/nt/out").value("yes"))
        .else(client.put("/nt/out").value("no"))
        .commit();
      assert.equal(yes.succeeded, true);
      const no = await client
        .if("/nt/flag", "Version", ">", 5)
        .then(client.put("/nt/out").value("yes"))
        .else(client.put("/nt/out").value("no"))
        .commit();
      assert.equal(no.succeeded, false);
      assert.equal(await client.get("/nt/out").string(), "no");
      const created = await client
        .if("/nt/missing", "Create", "==", 0)
        .then(client.put("/nt/missing").value("now"))
        .commit();
      assert.equal(created.succeeded, true);
    });

    test("watch: prefix events with previous values, and replay from a revision", async () => {
      const first = await client.put("/nw/a").value("old").exec();
      // From the revision after our put: a watch "from now" on a member still applying that put
      // would rightly report it (as etcd does), so the test names its start point.
      const watcher = await client
        .watch()
        .prefix("/nw/")
        .withPreviousKV()
        .startRevision(String(Number(first.header.revision) + 1))
        .create();
      const replay = await client.watch().key("/nw/a").startRevision(String(first.header.revision)).create();
      const seen: string[] = [];
      const replayed: string[] = [];
      watcher.on("put", (kv, prev) => seen.push(`put ${kv.value.toString()} prev ${prev?.value.toString()}`));
      watcher.on("delete", (kv) => seen.push(`delete ${kv.key.toString()}`));
      replay.on("put", (kv) => replayed.push(kv.value.toString()));
      await client.put("/nw/a").value("new");
      await client.delete().key("/nw/a");
      const deadline = Date.now() + 5000;
      while ((seen.length < 2 || replayed.length < 2) && Date.now() < deadline) await sleep(20);
      assert.deepEqual(seen, ["put new prev old", "delete /nw/a"]);
      assert.deepEqual(replayed, ["old", "new"]);
      await watcher.cancel();
      await replay.cancel();
    });

    test("leases: grant, attach, keep-alive, time-to-live with keys, revoke, expiry", async () => {
      const lease = client.lease(10, { autoKeepAlive: false });
      const id = await lease.grant();
      await lease.put("/nl/k").value("v");
      const ttl = await client.leaseClient.leaseTimeToLive({ ID: id, keys: true });
      assert.equal(ttl.grantedTTL, "10");
      assert.deepEqual(
        ttl.keys.map((k) => k.toString()),
        ["/nl/k"],
      );
      await lease.keepaliveOnce();
      const leases = await client.leaseClient.leaseLeases({});
      assert.ok(leases.leases.some((l) => l.ID === id));
      await lease.revoke();
      assert.equal(await client.get("/nl/k").string(), null);
      await assert.rejects(client.put("/nl/k").value("v").lease(id).exec(), EtcdLeaseInvalidError);

      const short = client.lease(2, { autoKeepAlive: false });
      await short.put("/nl/short").value("v");
      const deadline = Date.now() + 8000;
      while ((await client.get("/nl/short").string()) !== null && Date.now() < deadline) await sleep(200);
      assert.equal(await client.get("/nl/short").string(), null);
      short.release();
    });

    test("member list and status", async () => {
      const members = await client.cluster.memberList({});
      assert.equal(members.members.length, m.members);
      const status = await client.maintenance.status({});
      assert.equal(status.version, "3.4.23");
      assert.ok(
        members.members.some((x) => x.ID === status.leader),
        "the leader is a member",
      );
    });

    test("compaction: reads below it and watches from below it fail with the compacted error", async () => {
      const first = await client.put("/nc/k").value("1").exec();
      const second = await client.put("/nc/k").value("2").exec();
      await client.kv.compact({ revision: second.header.revision });
      await assert.rejects(
        client.get("/nc/k").revision(first.header.revision).string(),
        /required revision has been compacted/,
      );
      const w = await client.watch().key("/nc/k").startRevision(String(first.header.revision)).create();
      const err = await new Promise<Error>((resolve) => w.on("error", resolve));
      assert.match(err.message, /required revision has been compacted/);
    });

    test("bad input gets the etcd error, never a crash", async () => {
      await assert.rejects(client.put("").value("x").exec(), /key is not provided/);
      await assert.rejects(client.put("/big").value(Buffer.alloc(1_600_000)).exec(), /request is too large/);
      // Past the gRPC framing limit grpc itself refuses the message, as with etcd; etcd3 then opens
      // its circuit breaker for that host, so this one uses a client of its own.
      const scratch = new Etcd3({ hosts: m.hosts });
      await assert.rejects(scratch.put("/huge").value(Buffer.alloc(3_000_000)).exec(), /RESOURCE_EXHAUSTED/);
      scratch.close();
      await assert.rejects(client.get("/x").revision(1_000_000).string(), /future revision/);
      await assert.rejects(client.leaseClient.leaseRevoke({ ID: "12345" }), EtcdLeaseInvalidError);
      const dup = client.kv.txn({
        compare: [],
        success: [{ request_put: { key: Buffer.from("d") } }, { request_put: { key: Buffer.from("d") } }],
        failure: [],
      });
      await assert.rejects(dup, /duplicate key given in txn request/);
      assert.equal(
        await client
          .put("/still/alive")
          .value("yes")
          .then(() => client.get("/still/alive").string()),
        "yes",
      );
    });
  });
