// Real processes: three members, a writer on every member, SIGKILL of the leader. A new leader
// must be elected within 3 s, no acknowledged write may be missing, and the killed member
// must come back and catch up from its own disk plus the others.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ChainfireClient } from "../../src/chainfire/client.ts";
import { freePort } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Proc {
  child: ChildProcess;
  endpoint: string;
  client: ChainfireClient;
}

function spawnMember(dir: string, name: string, peerPort: number, initialCluster: string): Promise<Proc> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(import.meta.dirname, "member-process.ts"),
      dir,
      name,
      String(peerPort),
      initialCluster,
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`member ${name} did not start: ${out}`)), 20_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = /ENDPOINT (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, endpoint: m[1]!, client: new ChainfireClient(m[1]!) });
      }
    };
    child.stdout!.on("data", on);
    child.stderr!.on("data", on);
  });
}

async function leaderOf(procs: Array<Proc | undefined>): Promise<number> {
  for (const [i, p] of procs.entries()) {
    if (!p) continue;
    try {
      const s = await p.client.status();
      if (s.leader !== "0" && s.leader === s.memberId) return i;
    } catch {
      // not answering: not the leader we can use
    }
  }
  return -1;
}

test("SIGKILL of the leader under write load: new leader within 3 s, no acknowledged write lost", async () => {
  const ports = await Promise.all([0, 1, 2].map(() => freePort()));
  const initialCluster = ports.map((p, i) => `m${i + 1}=http://127.0.0.1:${p}`).join(",");
  const dirs = ports.map(() => mkdtempSync(join(tmpdir(), "chainfire-kill-")));
  const procs: Array<Proc | undefined> = await Promise.all(
    ports.map((p, i) => spawnMember(dirs[i]!, `m${i + 1}`, p, initialCluster)),
  );
  try {
    let leader = -1;
    for (let i = 0; i < 100 && leader < 0; i++) {
      await sleep(50);
      leader = await leaderOf(procs);
    }
    assert.ok(leader >= 0, "a leader is elected");

    const acked: string[] = [];
    let stop = false;
    const writers = [0, 1, 2].map(async (w) => {
      let at = w;
      for (let i = 0; !stop; i++) {
        const key = `/kill/${w}/${String(i).padStart(6, "0")}`;
        const p = procs[at % 3];
        if (!p) {
          at++;
          continue;
        }
        try {
          await p.client.put(key, "v");
          acked.push(key);
        } catch {
          at++;
          await sleep(10);
        }
      }
    });
    while (acked.length < 30) await sleep(20);

    const killedAt = Date.now();
    procs[leader]!.child.kill("SIGKILL");
    procs[leader]!.client.close();
    const killed = leader;
    procs[killed] = undefined;
    let next = -1;
    while (next < 0 && Date.now() - killedAt < 10_000) {
      await sleep(25);
      next = await leaderOf(procs);
    }
    const electionMs = Date.now() - killedAt;
    assert.ok(next >= 0 && next !== killed, "a new leader is elected");
    assert.ok(electionMs < 3000, `new leader after ${electionMs} ms`);
    const before = acked.length;
    while (acked.length < before + 30) await sleep(20);
    stop = true;
    await Promise.all(writers);

    const keys = new Set(
      (await procs[next]!.client.range("/kill/", { prefix: true, keysOnly: true })).kvs.map((kv) =>
        kv.key.toString(),
      ),
    );
    assert.deepEqual(
      acked.filter((k) => !keys.has(k)),
      [],
    );

    // The killed member restarts from its disk and catches up.
    procs[killed] = await spawnMember(dirs[killed]!, `m${killed + 1}`, ports[killed]!, initialCluster);
    const want = (await procs[next]!.client.range("/kill/", { prefix: true, countOnly: true })).count;
    let got = 0;
    for (let i = 0; i < 100 && got !== want; i++) {
      await sleep(100);
      got = await procs[killed]!.client.range("/kill/", {
        prefix: true,
        countOnly: true,
        serializable: true,
      }).then(
        (r) => r.count,
        () => -1,
      );
    }
    assert.equal(got, want, "the restarted member caught up");
    console.log(`# election after SIGKILL: ${electionMs} ms; ${acked.length} acknowledged writes checked`);
  } finally {
    for (const p of procs) {
      p?.client.close();
      p?.child.kill("SIGKILL");
    }
    await sleep(100);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
