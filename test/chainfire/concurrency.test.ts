import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ChainfireClient, Election, Mutex } from "../../src/chainfire/client.ts";
import { type Member, startMember } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("locks and leader election on chainfire", () => {
  let m: Member;
  let client: ChainfireClient;
  before(async () => {
    m = await startMember();
    client = new ChainfireClient(m.endpoint);
  });
  after(async () => {
    client.close();
    await m.close();
  });

  test("a mutex admits one holder at a time, in arrival order", async () => {
    const order: string[] = [];
    let inside = 0;
    const worker = async (name: string) => {
      const { unlock } = await new Mutex(client, "counter").lock({ ttlSeconds: 5 });
      inside++;
      assert.equal(inside, 1, "two holders at once");
      order.push(name);
      await sleep(30);
      inside--;
      await unlock();
    };
    await Promise.all(["a", "b", "c", "d"].map((n, i) => sleep(i * 5).then(() => worker(n))));
    assert.equal(order.length, 4);
  });

  test("a lock waiter gives up at its timeout", async () => {
    const held = await new Mutex(client, "busy").lock();
    await assert.rejects(new Mutex(client, "busy").lock({ timeoutMs: 300 }), /timed out/);
    await held.unlock();
    const again = await new Mutex(client, "busy").lock({ timeoutMs: 2000 });
    await again.unlock();
  });

  test("election: the first campaigner leads; when it resigns the next one takes over", async () => {
    const e1 = new Election(client, "controller");
    const e2 = new Election(client, "controller");
    await e1.campaign("node-1");
    assert.equal((await e1.leader())?.value, "node-1");
    let e2Leads = false;
    const second = e2.campaign("node-2").then(() => {
      e2Leads = true;
    });
    await sleep(200);
    assert.equal(e2Leads, false);
    await e1.proclaim("node-1b");
    assert.equal((await e2.leader())?.value, "node-1b");
    await e1.resign();
    await second;
    assert.equal((await e1.leader())?.value, "node-2");
    await e2.resign();
    assert.equal(await e1.leader(), undefined);
  });

  test("a leader whose lease expires loses leadership to the next candidate", async () => {
    const other = new ChainfireClient(m.endpoint);
    const e1 = new Election(other, "expiry");
    await e1.campaign("dies", { ttlSeconds: 2 });
    other.close(); // the keep-alives stop: the lease runs out on the server
    const e2 = new Election(client, "expiry");
    const started = Date.now();
    await e2.campaign("survivor", { timeoutMs: 10_000 });
    assert.ok(Date.now() - started >= 1000, "took over only after the TTL");
    assert.equal((await e2.leader())?.value, "survivor");
    await e2.resign();
  });
});
