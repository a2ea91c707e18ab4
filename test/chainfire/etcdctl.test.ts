// The real etcdctl 3.4 (Debian etcd-client) against a chainfire member on a free loopback port.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { etcdctl, etcdctlStream, startCluster, startMember } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  /** What etcdctl gets as --endpoints. */
  endpoint: string;
  /** One member's endpoint, for long-running etcdctl processes. */
  one: string;
  httpUrl: string;
  members: number;
  close(): Promise<void>;
}

const targets: Array<[string, () => Promise<Target>]> = [
  [
    "one member",
    async () => {
      const m = await startMember();
      return {
        endpoint: m.endpoint,
        one: m.endpoint,
        httpUrl: m.server.httpUrl!,
        members: 1,
        close: () => m.close(),
      };
    },
  ],
  [
    "three members",
    async () => {
      const c = await startCluster(3);
      while (c.leaderIndex() < 0) await sleep(20);
      const follower = c.members.find((x) => !x!.server.isLeader)!;
      return {
        endpoint: c.endpoints(),
        one: follower.endpoint,
        httpUrl: follower.server.httpUrl!,
        members: 3,
        close: () => c.close(),
      };
    },
  ],
];

for (const [name, open] of targets)
  describe(`etcdctl 3.4 against chainfire (${name})`, () => {
    let m: Target;
    const ctl = async (args: string[], stdin?: string) => {
      const r = await etcdctl(m.endpoint, args, stdin);
      assert.equal(r.code, 0, `etcdctl ${args.join(" ")} failed: ${r.stderr}`);
      return r.stdout;
    };
    const ctlFails = async (args: string[]) => {
      const r = await etcdctl(m.endpoint, args);
      assert.notEqual(r.code, 0, `etcdctl ${args.join(" ")} should fail`);
      return r.stderr;
    };

    before(async () => {
      m = await open();
    });
    after(async () => {
      await m.close();
    });

    test("put and get: prefix, rev, limit, keys-only, print-value-only, json", async () => {
      assert.equal(await ctl(["put", "/app/a", "1"]), "OK\n");
      await ctl(["put", "/app/b", "2"]);
      await ctl(["put", "/app/c", "3"]);
      await ctl(["put", "/app/a", "1b"]);
      assert.equal(await ctl(["get", "/app/", "--prefix"]), "/app/a\n1b\n/app/b\n2\n/app/c\n3\n");
      const json = JSON.parse(await ctl(["get", "/app/a", "-w", "json"]));
      const kv = json.kvs[0];
      assert.equal(Buffer.from(kv.key, "base64").toString(), "/app/a");
      assert.equal(Buffer.from(kv.value, "base64").toString(), "1b");
      assert.equal(kv.version, 2);
      const firstRev = kv.create_revision as number;
      assert.equal(await ctl(["get", "/app/a", `--rev=${firstRev}`, "--print-value-only"]), "1\n");
      assert.equal(
        await ctl(["get", "/app/", "--prefix", "--limit=2", "--keys-only"]),
        "/app/a\n\n/app/b\n\n",
      );
      assert.equal(
        await ctl(["get", "/app/", "--prefix", "--print-value-only", "--order=DESCEND", "--sort-by=KEY"]),
        "3\n2\n1b\n",
      );
      const counted = JSON.parse(await ctl(["get", "/app/", "--prefix", "--limit=1", "-w", "json"]));
      assert.deepEqual([counted.count, counted.more, counted.kvs.length], [3, true, 1]);
      assert.match(
        await ctlFails(["get", "/app/a", "--rev=100000"]),
        /required revision is a future revision/,
      );
    });

    test("del --prefix removes every key under the prefix and reports the count", async () => {
      await ctl(["put", "/del/x", "1"]);
      await ctl(["put", "/del/y", "2"]);
      await ctl(["put", "/delete-not", "3"]);
      assert.equal(await ctl(["del", "/del/", "--prefix"]), "2\n");
      assert.equal(await ctl(["get", "/del/", "--prefix"]), "");
      assert.equal(await ctl(["del", "/delete-not", "--prev-kv"]), "1\n/delete-not\n3\n");
    });

    test("txn from stdin takes the success or the failure branch", async () => {
      await ctl(["put", "/txn/flag", "on"]);
      const script = (want: string) =>
        `value("/txn/flag") = "${want}"\n\nput /txn/out yes\n\nput /txn/out no\n\n`;
      assert.match(await ctl(["txn"], script("on")), /^SUCCESS\n\nOK\n/);
      assert.equal(await ctl(["get", "/txn/out", "--print-value-only"]), "yes\n");
      assert.match(await ctl(["txn"], script("off")), /^FAILURE\n\nOK\n/);
      assert.equal(await ctl(["get", "/txn/out", "--print-value-only"]), "no\n");
      const guarded = `version("/txn/new") = "0"\nmod("/txn/flag") > "0"\n\nput /txn/new created\nget /txn/flag\n\n\n`;
      assert.match(await ctl(["txn"], guarded), /^SUCCESS\n\nOK\n\n\/txn\/flag\non\n/);
    });

    test("watch streams prefix changes, replays from --rev and shows --prev-kv", async () => {
      await ctl(["put", "/w/a", "old"]);
      const rev = JSON.parse(await ctl(["get", "/w/a", "-w", "json"])).header.revision as number;
      const live = etcdctlStream(m.one, ["watch", "/w/", "--prefix", "--prev-kv"]);
      const replay = etcdctlStream(m.one, ["watch", "/w/a", `--rev=${rev}`]);
      try {
        await replay.waitFor((l) => l.length >= 3);
        assert.deepEqual(replay.lines.slice(0, 3), ["PUT", "/w/a", "old"]);
        await sleep(300); // let the live watch register before writing
        await ctl(["put", "/w/a", "new"]);
        await ctl(["del", "/w/a"]);
        await live.waitFor((l) => l.length >= 8);
        assert.deepEqual(live.lines.slice(0, 8), [
          "PUT",
          "/w/a",
          "old",
          "/w/a",
          "new",
          "DELETE",
          "/w/a",
          "new",
        ]);
      } finally {
        await live.kill();
        await replay.kill();
      }
    });

    test("leases: grant, attach, keep-alive, timetolive --keys, revoke, and expiry deletes keys", async () => {
      const granted = await ctl(["lease", "grant", "30"]);
      const id = /lease ([0-9a-f]+) granted with TTL\(30s\)/.exec(granted)![1]!;
      await ctl(["put", "/lease/k", "v", `--lease=${id}`]);
      const ttl = await ctl(["lease", "timetolive", id, "--keys"]);
      assert.match(
        ttl,
        new RegExp(
          `lease ${id} granted with TTL\\(30s\\), remaining\\(\\d+s\\), attached keys\\(\\[/lease/k\\]\\)`,
        ),
      );
      assert.match(await ctl(["lease", "list"]), new RegExp(id));
      const once = await ctl(["lease", "keep-alive", "--once", id]);
      assert.match(once, new RegExp(`lease ${id} keepalived with TTL\\(30\\)`));
      assert.match(await ctl(["lease", "revoke", id]), /revoked/);
      assert.equal(await ctl(["get", "/lease/k"]), "");
      assert.match(await ctlFails(["put", "/lease/k", "v", `--lease=${id}`]), /requested lease not found/);

      const short = /lease ([0-9a-f]+) granted/.exec(await ctl(["lease", "grant", "2"]))![1]!;
      await ctl(["put", "/lease/short", "v", `--lease=${short}`]);
      const deadline = Date.now() + 8000;
      while ((await ctl(["get", "/lease/short"])) !== "" && Date.now() < deadline) await sleep(250);
      assert.equal(await ctl(["get", "/lease/short"]), "", "the key goes when its lease expires");
      assert.match(await ctl(["lease", "timetolive", short]), /already expired/);
    });

    test("a keep-alive stream holds a lease past its TTL", async () => {
      const id = /lease ([0-9a-f]+) granted/.exec(await ctl(["lease", "grant", "2"]))![1]!;
      await ctl(["put", "/lease/held", "v", `--lease=${id}`]);
      const ka = etcdctlStream(m.one, ["lease", "keep-alive", id]);
      try {
        await sleep(3500);
        assert.equal(await ctl(["get", "/lease/held", "--print-value-only"]), "v\n");
        assert.ok(ka.lines.some((l) => l.includes("keepalived")));
      } finally {
        await ka.kill();
      }
    });

    test("member list, endpoint status and endpoint health", async () => {
      let lines: string[] = [];
      // Members publish their names and client URLs once a leader exists.
      for (let i = 0; i < 50; i++) {
        lines = (await ctl(["member", "list"])).trim().split("\n");
        if (lines.length === m.members && lines.every((l) => !l.includes("unstarted"))) break;
        await sleep(100);
      }
      assert.equal(lines.length, m.members);
      for (const l of lines) {
        assert.match(
          l,
          /^[0-9a-f]+, started, (test|m\d), http:\/\/127\.0\.0\.1:\d+, http:\/\/127\.0\.0\.1:\d+, false$/,
        );
      }
      const statuses = JSON.parse(await ctl(["endpoint", "status", "-w", "json"])) as Array<{
        Status: {
          leader: number;
          version: string;
          dbSize: number;
          raftIndex: number;
          header: { member_id: number };
        };
      }>;
      assert.equal(statuses.length, m.members);
      assert.equal(
        new Set(statuses.map((s) => String(s.Status.leader))).size,
        1,
        "every member names the same leader",
      );
      assert.equal(statuses.filter((s) => s.Status.leader === s.Status.header.member_id).length, 1);
      for (const { Status: status } of statuses) {
        assert.equal(status.version, "3.4.23");
        assert.ok(status.dbSize > 0);
        assert.ok(status.raftIndex > 0);
      }
      const health = await etcdctl(m.endpoint, ["endpoint", "health"]);
      assert.equal(health.code, 0);
      assert.match(health.stderr + health.stdout, /is healthy/);
      const http = await fetch(`${m.httpUrl}/health`);
      assert.deepEqual(await http.json(), { health: "true", reason: "" });
      assert.match(await (await fetch(`${m.httpUrl}/metrics`)).text(), /chainfire_revision/);
    });

    test("compaction: old revisions are gone and a watch from one is canceled with the error", async () => {
      await ctl(["put", "/c/k", "1"]);
      const first = JSON.parse(await ctl(["get", "/c/k", "-w", "json"])).header.revision as number;
      await ctl(["put", "/c/k", "2"]);
      const now = JSON.parse(await ctl(["get", "/c/k", "-w", "json"])).header.revision as number;
      assert.match(await ctl(["compact", String(now)]), new RegExp(`compacted revision ${now}`));
      assert.match(await ctlFails(["get", "/c/k", `--rev=${first}`]), /required revision has been compacted/);
      assert.match(await ctlFails(["compact", String(first)]), /required revision has been compacted/);
      const w = etcdctlStream(m.one, ["watch", "/c/k", `--rev=${first}`]);
      const code = await Promise.race([w.exited, sleep(5000).then(() => "timeout")]);
      if (code === "timeout") await w.kill();
      assert.match(w.stderr(), /required revision has been compacted/);
    });
  });
