// The typed client against a real etcd 3.4 (Debian etcd-server): PhotonCloud may be pointed at
// etcd instead of chainfire, so single-key gets and deletes must stay single-key there too
// (an empty range_end on the wire means "every key from here on" to etcd).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ChainfireClient } from "../../src/chainfire/client.ts";
import { freePort } from "./harness.ts";

const haveEtcd = spawnSync("etcd", ["--version"]).status === 0;

test("single-key get, range and delete stay single-key against etcd 3.4", {
  skip: !haveEtcd && "etcd not installed",
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "chainfire-vs-etcd-"));
  const [client, peer] = [await freePort(), await freePort()];
  const etcd = spawn(
    "etcd",
    [
      `--data-dir=${dir}`,
      `--listen-client-urls=http://127.0.0.1:${client}`,
      `--advertise-client-urls=http://127.0.0.1:${client}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=default=http://127.0.0.1:${peer}`,
      "--log-level=error",
      "--logger=zap",
    ],
    { stdio: "ignore" },
  );
  const c = new ChainfireClient(`127.0.0.1:${client}`);
  try {
    for (let i = 0; ; i++) {
      try {
        await c.put("/a", "1");
        break;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await c.put("/b", "2");
    await c.put("/c", "3");
    assert.equal((await c.range("/a")).kvs.length, 1);
    assert.equal((await c.get("/a"))?.value.toString(), "1");
    assert.equal((await c.range("/a", { keysOnly: true })).kvs.length, 1);
    assert.equal((await c.delete("/a")).deleted, 1);
    assert.deepEqual(
      (await c.range("/", { prefix: true })).kvs.map((kv) => kv.key.toString()),
      ["/b", "/c"],
    );
    const t = await c.txn([], [{ range: { key: "/b" } }, { delete: { key: "/b" } }]);
    assert.equal(t.responses[0]?.kvs?.length, 1);
    assert.equal(t.responses[1]?.deleted, 1);
    assert.equal((await c.range("/", { prefix: true, countOnly: true })).count, 1);
  } finally {
    c.close();
    etcd.kill("SIGKILL");
    await new Promise((r) => etcd.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
});
