import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { runTxn, TxnClient } from "../../src/flaredb/txn/txn-client.ts";
import { type InProcessCluster, startCluster, waitFor } from "./in-process-cluster.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe("flaredb splits and transactions across regions", () => {
  let c: InProcessCluster;
  before(async () => {
    c = await startCluster(3, { regionSplitBytes: 16 * 1024, loadSplitWritesPerSec: 1e9 });
    await waitFor("a leader", async () => ((await c.client.regions()).regions[0]?.leader ? true : undefined));
  });
  after(async () => c?.close());

  it("a region that outgrows the split size splits, and every key stays readable", async () => {
    const value = "x".repeat(200);
    const keys: string[] = [];
    for (let i = 0; i < 300; i++) keys.push(`k/${String(i).padStart(4, "0")}`);
    for (let i = 0; i < keys.length; i += 20)
      await Promise.all(keys.slice(i, i + 20).map((k) => c.client.put(k, value)));
    const regions = await waitFor("at least 3 regions", async () => {
      const { regions } = await c.client.regions();
      return regions.length >= 3 && regions.every((r) => r.leader) ? regions : undefined;
    });
    assert.ok(regions.length >= 3);
    const got = await c.client.batchGet(keys);
    assert.equal(got.filter((v) => text(v) === value).length, keys.length);
    const all = await c.client.scan("k/", "k0", { limit: 1_000 });
    assert.equal(all.length, keys.length);
    const rev = await c.client.scan("k/", "k0", { limit: 1_000, reverse: true });
    assert.deepEqual(
      rev.map(([k]) => text(k)),
      [...keys].reverse(),
    );
  });

  it("the transaction layer runs over the network: a transfer across regions keeps the total", async () => {
    const txn = new TxnClient(c.client, { sleep: (ms) => sleep(ms) });
    const accounts = ["acct/a", "acct/m", "k/0150x", "zz/acct"];
    await runTxn(txn, async (tx) => {
      for (const a of accounts) tx.put(enc(a), enc("100"));
    });
    const transfers = [];
    for (let i = 0; i < 12; i++) {
      const from = accounts[i % accounts.length]!;
      const to = accounts[(i + 1) % accounts.length]!;
      transfers.push(
        runTxn(
          txn,
          async (tx) => {
            const f = Number(text(await tx.get(enc(from))));
            const t = Number(text(await tx.get(enc(to))));
            tx.put(enc(from), enc(String(f - 5)));
            tx.put(enc(to), enc(String(t + 5)));
          },
          30,
        ),
      );
    }
    await Promise.all(transfers);
    const snap = await txn.snapshot();
    const values = await snap.batchGet(accounts.map(enc));
    assert.equal(
      values.reduce((s, v) => s + Number(text(v)), 0),
      400,
    );
  });

  it("the TSO hands out increasing timestamps", async () => {
    const ts = await Promise.all(Array.from({ length: 50 }, () => c.client.tso()));
    assert.equal(new Set(ts).size, 50);
    const later = await c.client.tso();
    assert.ok(ts.every((t) => t < later));
  });
});
