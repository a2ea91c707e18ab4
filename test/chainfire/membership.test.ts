// Join and leave: `etcdctl member add` records a fourth member and makes it a Raft voter (or,
// with --learner, a learner that `member promote` turns into a voter once caught up); the
// member starts with --initial-cluster-state existing, catches up, and serves; `member remove`
// takes it out again while the cluster keeps working.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ChainfireServer } from "../../src/chainfire/chainfire-server.ts";
import { silentLogger } from "../../src/core/log.ts";
import { etcdctl, freePort, startCluster } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a member joins with member add and leaves with member remove", async () => {
  const c = await startCluster(3);
  const dir = mkdtempSync(join(tmpdir(), "chainfire-join-"));
  let joined: ChainfireServer | undefined;
  try {
    while (c.leaderIndex() < 0) await sleep(20);
    const ctl = async (args: string[]) => {
      const r = await etcdctl(c.endpoints(), args);
      assert.equal(r.code, 0, `etcdctl ${args.join(" ")}: ${r.stderr}`);
      return r.stdout;
    };
    await ctl(["put", "/j/before", "1"]);
    const port = await freePort();
    const peerURL = `http://127.0.0.1:${port}`;
    const added = await ctl(["member", "add", "m4", `--peer-urls=${peerURL}`]);
    const id = /Member\s+([0-9a-f]+) added/.exec(added)![1]!;
    joined = await ChainfireServer.start({
      dataDir: dir,
      listen: "127.0.0.1",
      clientPort: 0,
      peerPort: port,
      httpPort: -1,
      name: "m4",
      initialCluster: `${c.initialCluster},m4=${peerURL}`,
      initialClusterState: "existing",
      log: silentLogger,
      shutdownGraceMs: 500,
    });
    const m4 = joined.clientUrl.replace("http://", "");
    let got = "";
    for (let i = 0; i < 100 && got !== "1\n"; i++) {
      await sleep(100);
      got = (await etcdctl(m4, ["get", "/j/before", "--print-value-only", "--consistency=s"])).stdout;
    }
    assert.equal(got, "1\n", "the new member caught up");
    const viaNew = await etcdctl(m4, ["put", "/j/from-m4", "2"]);
    assert.equal(viaNew.code, 0, viaNew.stderr);
    assert.match(await ctl(["member", "list"]), /started, m4, http:\/\/127\.0\.0\.1:\d+/);
    const status = JSON.parse((await etcdctl(m4, ["endpoint", "status", "-w", "json"])).stdout)[0].Status;
    assert.ok(status.raftIndex > 0);

    await ctl(["member", "remove", id]);
    assert.doesNotMatch(await ctl(["member", "list"]), /m4/);
    await joined.close();
    joined = undefined;
    await ctl(["put", "/j/after", "3"]);
    assert.equal(await ctl(["get", "/j/after", "--print-value-only"]), "3\n");
  } finally {
    await joined?.close();
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a learner joins with member add --learner, receives the log, and becomes a voter with member promote", async () => {
  const c = await startCluster(3);
  const dir = mkdtempSync(join(tmpdir(), "chainfire-learner-"));
  let learner: ChainfireServer | undefined;
  try {
    while (c.leaderIndex() < 0) await sleep(20);
    const ctl = async (args: string[]) => {
      const r = await etcdctl(c.endpoints(), args);
      assert.equal(r.code, 0, `etcdctl ${args.join(" ")}: ${r.stderr}`);
      return r.stdout;
    };
    await ctl(["put", "/l/before", "1"]);
    const port = await freePort();
    const peerURL = `http://127.0.0.1:${port}`;
    const added = await ctl(["member", "add", "m4", "--learner", `--peer-urls=${peerURL}`]);
    const id = /Member\s+([0-9a-f]+) added/.exec(added)![1]!;
    // A voter cannot be promoted; the error is etcd's.
    // (ids from the table: they are hex there, and uint64 in JSON does not survive JSON.parse)
    const voterId = (await ctl(["member", "list"]))
      .split("\n")
      .find((l) => l.endsWith(", false"))!
      .split(",")[0]!;
    const notLearner = await etcdctl(c.endpoints(), ["member", "promote", voterId]);
    assert.notEqual(notLearner.code, 0);
    assert.match(notLearner.stderr, /can only promote a learner member/);

    learner = await ChainfireServer.start({
      dataDir: dir,
      listen: "127.0.0.1",
      clientPort: 0,
      peerPort: port,
      httpPort: -1,
      name: "m4",
      initialCluster: `${c.initialCluster},m4=${peerURL}`,
      initialClusterState: "existing",
      log: silentLogger,
      shutdownGraceMs: 500,
    });
    const m4 = learner.clientUrl.replace("http://", "");
    let got = "";
    for (let i = 0; i < 100 && got !== "1\n"; i++) {
      await sleep(100);
      got = (await etcdctl(m4, ["get", "/l/before", "--print-value-only", "--consistency=s"])).stdout;
    }
    assert.equal(got, "1\n", "the learner receives the log");
    const listed = JSON.parse(await ctl(["member", "list", "-w", "json"])).members as Array<{
      name: string;
      isLearner?: boolean;
    }>;
    assert.equal(listed.find((m) => m.name === "m4")?.isLearner, true, "listed as a learner");
    assert.match(
      await ctl(["member", "list"]),
      /m4, http:\/\/127\.0\.0\.1:\d+, http:\/\/127\.0\.0\.1:\d+, true/,
    );

    // Promote (retrying while the learner is still catching up, as etcdctl users do).
    let promoted = await etcdctl(c.endpoints(), ["member", "promote", id]);
    for (let i = 0; i < 50 && promoted.code !== 0 && /in sync with leader/.test(promoted.stderr); i++) {
      await sleep(100);
      promoted = await etcdctl(c.endpoints(), ["member", "promote", id]);
    }
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.match(promoted.stdout, /promoted/);
    const after = JSON.parse(await ctl(["member", "list", "-w", "json"])).members as Array<{
      name: string;
      isLearner?: boolean;
    }>;
    assert.ok(!after.find((m) => m.name === "m4")?.isLearner, "a voter now");
    const again = await etcdctl(c.endpoints(), ["member", "promote", id]);
    assert.match(again.stderr, /can only promote a learner member/);

    // Four voters: with one founding member down the quorum (3 of 4) needs the promoted one.
    const follower = c.members.findIndex((m, i) => m && i !== c.leaderIndex());
    await c.members[follower]!.close();
    c.members[follower] = undefined;
    await ctl(["put", "/l/after", "2"]);
    assert.equal(await ctl(["get", "/l/after", "--print-value-only"]), "2\n");
  } finally {
    await learner?.close();
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
