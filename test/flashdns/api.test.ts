// The control plane over real HTTP and the DNS server over real UDP: what the API accepts is
// served within 2 s, and what a server could not serve is rejected with a precise message.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ApiError } from "../../src/core/errors.ts";
import { reverseZonesFor } from "../../src/flashdns/client.ts";
import { rdataToText } from "../../src/flashdns/rdata-text.ts";
import { Rcode, RRType } from "../../src/flashdns/wire/constants.ts";
import type { Message } from "../../src/flashdns/wire/message.ts";
import { dnsExchange } from "./dns-exchange.ts";
import { type FlashdnsUnderTest, startFlashdns } from "./harness.ts";

let fd: FlashdnsUnderTest;
before(async () => {
  fd = await startFlashdns();
});
after(() => fd.cleanup());

const q = (name: string, type: number) => dnsExchange({ port: fd.dnsPort, name, type });
const datas = (m: Message) => m.answers.map((r) => rdataToText(r.data)).sort();

/** Polls until `check` holds; fails after 2 s, the bound on staleness the issue sets. */
async function servedWithin2s(what: string, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > 2000) assert.fail(`${what} was not served within 2 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const rejects = async (p: Promise<unknown>, code: string, pattern: RegExp) => {
  await assert.rejects(p, (e: ApiError) => {
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
};

describe("flashdns control plane", () => {
  test("a created zone is served with its SOA and NS within 2 s", async () => {
    await fd.client.createZone("alpha", "example", {
      dnsName: "example.com",
      nameservers: ["ns1.example.com.", "ns2.example.net."],
    });
    await servedWithin2s(
      "the new zone",
      async () => (await q("example.com.", RRType.SOA)).answers.length === 1,
    );
    const ns = await q("example.com.", RRType.NS);
    assert.deepEqual(datas(ns), ["ns1.example.com.", "ns2.example.net."]);
    assert.equal(ns.header.aa, true);
  });

  test("every accepted change to a record set is answered within 2 s", async () => {
    let serial = (await q("example.com.", RRType.SOA)).answers[0]?.data as { serial: number };
    const steps: [string, () => Promise<unknown>, () => Promise<boolean>][] = [
      [
        "create www A",
        () =>
          fd.client.createRecordSet("alpha", "www", {
            zone: "example",
            name: "www",
            type: "A",
            records: ["192.0.2.1"],
          }),
        async () => datas(await q("www.example.com.", RRType.A)).join() === "192.0.2.1",
      ],
      [
        "replace www A",
        () =>
          fd.client.replaceRecordSet("alpha", "www", {
            zone: "example",
            name: "www",
            type: "A",
            records: ["192.0.2.2", "192.0.2.3"],
          }),
        async () => datas(await q("WWW.example.com.", RRType.A)).join() === "192.0.2.2,192.0.2.3",
      ],
      [
        "create MX",
        () =>
          fd.client.createRecordSet("alpha", "mx", {
            zone: "example",
            name: "@",
            type: "MX",
            records: ["10 mail", "20 mail.example.net."],
          }),
        async () =>
          datas(await q("example.com.", RRType.MX)).join() === "10 mail.example.com.,20 mail.example.net.",
      ],
      [
        "create wildcard",
        () =>
          fd.client.createRecordSet("alpha", "wild", {
            zone: "example",
            name: "*.dev",
            type: "TXT",
            records: ['"hello world"'],
          }),
        async () => datas(await q("x.dev.example.com.", RRType.TXT)).join() === '"hello world"',
      ],
      [
        "delete www",
        () => fd.client.deleteRecordSet("alpha", "www"),
        async () => (await q("www.example.com.", RRType.A)).header.rcode === Rcode.NXDOMAIN,
      ],
    ];
    for (const [what, change, check] of steps) {
      await change();
      await servedWithin2s(what, check);
      const now = (await q("example.com.", RRType.SOA)).answers[0]?.data as { serial: number };
      assert.ok(now.serial > serial.serial, `${what}: the SOA serial rose`);
      serial = now;
    }
  });

  test("the API rejects what the server could not serve", async () => {
    await fd.client.createRecordSet("alpha", "alias", {
      zone: "example",
      name: "alias",
      type: "CNAME",
      records: ["www"],
    });
    await rejects(
      fd.client.createRecordSet("alpha", "alias-a", {
        zone: "example",
        name: "alias",
        type: "A",
        records: ["192.0.2.9"],
      }),
      "InvalidArgument",
      /CNAME and other data/,
    );
    await rejects(
      fd.client.createRecordSet("alpha", "bad-a", {
        zone: "example",
        name: "x",
        type: "A",
        records: ["300.1.1.1"],
      }),
      "InvalidArgument",
      /records\[0\].*not an IPv4 address/,
    );
    await rejects(
      fd.client.createRecordSet("alpha", "outside", {
        zone: "example",
        name: "www.example.org.",
        type: "A",
        records: ["192.0.2.1"],
      }),
      "InvalidArgument",
      /outside the zone/,
    );
    await rejects(
      fd.client.createRecordSet("alpha", "badmx", {
        zone: "example",
        name: "m",
        type: "MX",
        records: ["mail"],
      }),
      "InvalidArgument",
      /MX data is "<preference> <exchange>"/,
    );
    await rejects(
      fd.client.createRecordSet("alpha", "longlabel", {
        zone: "example",
        name: "a".repeat(64),
        type: "A",
        records: ["192.0.2.1"],
      }),
      "InvalidArgument",
      /63/,
    );
    await rejects(
      fd.client.createRecordSet("alpha", "apexns", {
        zone: "example",
        name: "@",
        type: "NS",
        records: ["ns3.example.net."],
      }),
      "InvalidArgument",
      /spec.nameservers/,
    );
    await rejects(
      fd.client.createRecordSet("alpha", "twocname", {
        zone: "example",
        name: "c2",
        type: "CNAME",
        records: ["a", "b"],
      }),
      "InvalidArgument",
      /exactly one/,
    );
    await rejects(
      fd.client.createRecordSet("alpha", "nozone", {
        zone: "missing",
        name: "x",
        type: "A",
        records: ["192.0.2.1"],
      }),
      "FailedPrecondition",
      /does not exist/,
    );
    await rejects(
      fd.client.createRecordSet("alpha", "dup", {
        zone: "example",
        name: "@",
        type: "MX",
        records: ["5 other"],
      }),
      "InvalidArgument",
      /already defined by record set "mx"/,
    );
    await rejects(
      fd.client.createRecordSet("alpha", "longtxt", {
        zone: "example",
        name: "t",
        type: "TXT",
        records: [`"${"x".repeat(300)}"`],
      }),
      "InvalidArgument",
      /255 octets/,
    );
    // None of the rejected names reached the server.
    assert.equal((await q("x.example.com.", RRType.A)).header.rcode, Rcode.NXDOMAIN);
  });

  test("two projects cannot serve the same zone, nor one inside the other's", async () => {
    await rejects(
      fd.client.createZone("beta", "example", { dnsName: "EXAMPLE.com." }),
      "FailedPrecondition",
      /another project/,
    );
    await rejects(
      fd.client.createZone("beta", "sub", { dnsName: "dev.example.com" }),
      "FailedPrecondition",
      /overlaps/,
    );
    await rejects(
      fd.client.createZone("alpha", "again", { dnsName: "example.com" }),
      "FailedPrecondition",
      /already served by zone "example"/,
    );
    await rejects(
      fd.client.patchZone("alpha", "example", { dnsName: "example.org" }),
      "InvalidArgument",
      /cannot change/,
    );
    // Once alpha lets go, beta may take it.
    await fd.client.createZone("alpha", "temp", { dnsName: "temp.example.org" });
    await rejects(
      fd.client.createZone("beta", "temp", { dnsName: "temp.example.org" }),
      "FailedPrecondition",
      /another project/,
    );
    await fd.client.deleteZone("alpha", "temp");
    await fd.client.createZone("beta", "temp", { dnsName: "temp.example.org" });
    await servedWithin2s(
      "beta's zone",
      async () => (await q("temp.example.org.", RRType.SOA)).answers.length === 1,
    );
  });

  test("a zone with record sets cannot be deleted; once empty it stops being served", async () => {
    await fd.client.createZone("gamma", "gone", { dnsName: "gone.test" });
    await fd.client.createRecordSet("gamma", "a", {
      zone: "gone",
      name: "a",
      type: "A",
      records: ["192.0.2.1"],
    });
    await rejects(fd.client.deleteZone("gamma", "gone"), "FailedPrecondition", /record set/);
    await fd.client.deleteRecordSet("gamma", "a");
    await fd.client.deleteZone("gamma", "gone");
    await servedWithin2s(
      "the deleted zone's REFUSED",
      async () => (await q("a.gone.test.", RRType.A)).header.rcode === Rcode.REFUSED,
    );
  });

  test("a master file imports as record sets and exports back", async () => {
    await fd.client.createZone("delta", "corp", { dnsName: "corp.test" });
    const text = `$ORIGIN corp.test.
$TTL 600
@ IN SOA ns1 hostmaster ( 1 7200 900 1209600 120 ) ; timers become the zone's
@ NS ns1
ns1 A 192.0.2.53
www 300 IN A 192.0.2.80
www AAAA 2001:db8::80
mail A 192.0.2.25
@ MX 10 mail
@ TXT "v=spf1 mx -all" "second"
_sip._tcp SRV 10 5 5060 sip
sip CNAME www
@ CAA 0 issue "letsencrypt.org"
80.2.0.192.in-addr.arpa.corp.test. PTR www
`;
    const r = await fd.client.importZone("delta", "corp", text);
    assert.deepEqual(r, { created: 10, updated: 0, deleted: 0, unchanged: 0 });
    await servedWithin2s(
      "the import",
      async () => datas(await q("_sip._tcp.corp.test.", RRType.SRV)).join() === "10 5 5060 sip.corp.test.",
    );
    const soa = (await q("corp.test.", RRType.SOA)).answers[0]?.data as { minimum: number; refresh: number };
    assert.equal(soa.minimum, 120);
    assert.equal(soa.refresh, 7200);
    assert.deepEqual(datas(await q("corp.test.", RRType.NS)), ["ns1.corp.test."]);
    const again = await fd.client.importZone("delta", "corp", text);
    assert.equal(again.unchanged, 10);
    const exported = await fd.client.exportZone("delta", "corp");
    assert.match(exported.text, /^sip\.corp\.test\.\t600\tIN\tCNAME\twww\.corp\.test\.$/m);
    assert.match(exported.text, /^corp\.test\.\t600\tIN\tTXT\t"v=spf1 mx -all" "second"$/m);
    const trimmed = `$ORIGIN corp.test.\n@ 600 SOA ns1 hostmaster 1 7200 900 1209600 120\n@ NS ns1\nns1 A 192.0.2.53\n`;
    const replaced = await fd.client.importZone("delta", "corp", trimmed, true);
    assert.equal(replaced.deleted, 9);
    await servedWithin2s(
      "the replace",
      async () => (await q("www.corp.test.", RRType.A)).header.rcode === Rcode.NXDOMAIN,
    );
    await rejects(
      fd.client.importZone("delta", "corp", "www A 1.2.3\nbad BOGUS x\n"),
      "InvalidArgument",
      /line 1: .*IPv4.*line 2: unknown record type/s,
    );
  });

  test("the platform hook publishes and removes records idempotently", async () => {
    await fd.client.createZone("vmproj", "internal", { dnsName: "vmproj.internal" });
    await fd.client.upsertRecords("vmproj", "internal", [{ name: "vm1", type: "A", records: ["10.0.0.5"] }]);
    await fd.client.upsertRecords("vmproj", "internal", [{ name: "vm1", type: "A", records: ["10.0.0.6"] }]);
    await servedWithin2s(
      "the hook's record",
      async () => datas(await q("vm1.vmproj.internal.", RRType.A)).join() === "10.0.0.6",
    );
    await fd.client.deleteRecords("vmproj", "internal", [{ name: "vm1", type: "A" }]);
    await fd.client.deleteRecords("vmproj", "internal", [{ name: "vm1", type: "A" }]);
    await servedWithin2s(
      "the hook's removal",
      async () => (await q("vm1.vmproj.internal.", RRType.A)).header.rcode === Rcode.NXDOMAIN,
    );
    // Reverse zones for a VPC subnet, and the PTR of a VM's address in them.
    const [rev] = reverseZonesFor("10.0.0.0/24");
    await fd.client.createZone("vmproj", "rev-10-0-0", { dnsName: rev as string });
    await fd.client.upsertPtr("vmproj", "rev-10-0-0", "10.0.0.6", "vm1.vmproj.internal");
    await servedWithin2s(
      "the PTR",
      async () => datas(await q("6.0.0.10.in-addr.arpa.", RRType.PTR)).join() === "vm1.vmproj.internal.",
    );
  });
});
