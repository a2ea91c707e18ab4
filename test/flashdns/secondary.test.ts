// A real NSD (Debian), configured as a secondary of flashdns with a TSIG key, transfers the
// zone by AXFR, then picks up a change after NOTIFY by IXFR. dig checks TSIG on its own.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { rdataToText } from "../../src/flashdns/rdata-text.ts";
import { RRType } from "../../src/flashdns/wire/constants.ts";
import { dnsExchange } from "./dns-exchange.ts";
import { freePort } from "./free-port.ts";
import { type FlashdnsUnderTest, startFlashdns } from "./harness.ts";
import { type KnotSecondary, startKnotSecondary } from "./knot-process.ts";
import { type NsdProcess, startNsd } from "./nsd-process.ts";

const run = promisify(execFile);
const secret = randomBytes(32).toString("base64");
let fd: FlashdnsUnderTest;
let nsd: NsdProcess | undefined;
let knot: KnotSecondary | undefined;
let dir = "";
let nsdPort = 0;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "flashdns-secondary-"));
  nsdPort = await freePort();
  fd = await startFlashdns({ tsigKeys: `xfr-key:hmac-sha256:${secret}` });
});
after(async () => {
  await nsd?.stop();
  await knot?.stop();
  await fd.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function transfers(): Promise<Record<string, number>> {
  const text = await (await fetch(`${fd.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^flashdns_transfers_total\{[^}]*outcome="(\w+)"[^}]*\} (\d+)/gm))
    out[m[1] as string] = Number(m[2]);
  return out;
}

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${ms} ms\n${nsd?.log() ?? ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const answersAt = async (port: number, name: string, type: number) =>
  (await dnsExchange({ port, name, type })).answers
    .map((r) => rdataToText(r.data))
    .sort()
    .join();

test("dig transfers the zone with the TSIG key and is refused without it", async () => {
  await fd.client.createZone("ops", "xfr", {
    dnsName: "xfr.test",
    nameservers: ["ns1.xfr.test."],
    transfer: { secondaries: [{ address: "127.0.0.1", port: nsdPort }], tsigKey: "xfr-key" },
  });
  await fd.client.createRecordSet("ops", "ns1", {
    zone: "xfr",
    name: "ns1",
    type: "A",
    records: ["192.0.2.53"],
  });
  await fd.client.createRecordSet("ops", "www", {
    zone: "xfr",
    name: "www",
    type: "A",
    records: ["192.0.2.1"],
  });
  await until(
    "the zone is served",
    2000,
    async () => (await answersAt(fd.dnsPort, "www.xfr.test.", RRType.A)) === "192.0.2.1",
  );
  const signed = await run("dig", [
    "@127.0.0.1",
    "-p",
    String(fd.dnsPort),
    "-y",
    `hmac-sha256:xfr-key:${secret}`,
    "xfr.test",
    "AXFR",
    "+nocmd",
    "+nostats",
  ]);
  assert.match(signed.stdout, /^www\.xfr\.test\.\s+300\s+IN\s+A\s+192\.0\.2\.1$/m);
  assert.doesNotMatch(signed.stdout, /failed|tsig verify failure/i);
  const unsigned = await run("dig", [
    "@127.0.0.1",
    "-p",
    String(fd.dnsPort),
    "xfr.test",
    "AXFR",
    "+nocmd",
    "+nostats",
  ]);
  assert.match(unsigned.stdout, /Transfer failed|NOTAUTH/);
  // An ordinary query signed with the key gets a signed answer that dig verifies.
  const query = await run("dig", [
    "@127.0.0.1",
    "-p",
    String(fd.dnsPort),
    "-y",
    `hmac-sha256:xfr-key:${secret}`,
    "www.xfr.test",
    "A",
    "+nocmd",
    "+nostats",
  ]);
  assert.match(query.stdout, /status: NOERROR/);
  assert.match(query.stdout, /xfr-key\.\s+0\s+ANY\s+TSIG\s+hmac-sha256\./);
  assert.doesNotMatch(query.stdout + query.stderr, /verify failure|expected a TSIG/i);
  const wrong = await run("dig", [
    "@127.0.0.1",
    "-p",
    String(fd.dnsPort),
    "-y",
    `hmac-sha256:xfr-key:${randomBytes(32).toString("base64")}`,
    "xfr.test",
    "AXFR",
    "+nocmd",
    "+nostats",
  ]);
  assert.doesNotMatch(wrong.stdout, /192\.0\.2\.1/);
});

test("NSD as a secondary transfers by AXFR, then by IXFR after a NOTIFY", { timeout: 60_000 }, async () => {
  nsd = await startNsd({
    dir,
    port: nsdPort,
    keys: [{ name: "xfr-key", algorithm: "hmac-sha256", secret }],
    zones: [{ name: "xfr.test", primary: `127.0.0.1@${fd.dnsPort}`, tsigKey: "xfr-key" }],
  });
  await until(
    "NSD serves the transferred zone",
    20_000,
    async () => (await answersAt(nsdPort, "www.xfr.test.", RRType.A)) === "192.0.2.1",
  );
  const first = await transfers();
  assert.ok(
    (first.axfr ?? 0) + (first.ixfr_full ?? 0) >= 1,
    `a full transfer happened: ${JSON.stringify(first)}`,
  );
  await fd.client.replaceRecordSet("ops", "www", {
    zone: "xfr",
    name: "www",
    type: "A",
    records: ["192.0.2.2"],
  });
  await fd.client.createRecordSet("ops", "mail", {
    zone: "xfr",
    name: "mail",
    type: "A",
    records: ["192.0.2.25"],
  });
  // NOTIFY makes NSD ask at once; without it NSD would wait for the SOA refresh (an hour).
  await until(
    "NSD serves the change",
    15_000,
    async () =>
      (await answersAt(nsdPort, "www.xfr.test.", RRType.A)) === "192.0.2.2" &&
      (await answersAt(nsdPort, "mail.xfr.test.", RRType.A)) === "192.0.2.25",
  );
  const second = await transfers();
  assert.ok((second.ixfr ?? 0) >= 1, `the change went by IXFR: ${JSON.stringify(second)}`);
  const soaPrimary = await answersAt(fd.dnsPort, "xfr.test.", RRType.SOA);
  await until(
    "NSD's SOA serial matches",
    5000,
    async () => (await answersAt(nsdPort, "xfr.test.", RRType.SOA)) === soaPrimary,
  );
  // A deletion travels the same way.
  await fd.client.deleteRecordSet("ops", "mail");
  await until(
    "NSD drops the deleted name",
    15_000,
    async () =>
      (await dnsExchange({ port: nsdPort, name: "mail.xfr.test.", type: RRType.A })).header.rcode === 3,
  );
  // NSD logs "soa serial N update failed, restarting transfer" when it batched two quick
  // updates into one reload; it then asks again and is current. Anything else is a failure.
  const errors = nsd
    .log()
    .split("\n")
    .filter(
      (l) =>
        /error|bad|malformed|fail/i.test(l) && !/soa serial \d+ update failed, restarting transfer/.test(l),
    );
  assert.deepEqual(errors, [], "NSD applied every transfer cleanly");
});

test("Knot as a secondary transfers by AXFR, then by IXFR after a NOTIFY", { timeout: 60_000 }, async () => {
  const knotPort = await freePort();
  await fd.client.createZone("ops", "kxfr", {
    dnsName: "kxfr.test",
    nameservers: ["ns1.kxfr.test."],
    transfer: { secondaries: [{ address: "127.0.0.1", port: knotPort }], tsigKey: "xfr-key" },
  });
  await fd.client.createRecordSet("ops", "k-www", {
    zone: "kxfr",
    name: "www",
    type: "A",
    records: ["192.0.2.10"],
  });
  await fd.client.createRecordSet("ops", "k-txt", {
    zone: "kxfr",
    name: "@",
    type: "TXT",
    records: ['"knot secondary"'],
  });
  await until(
    "flashdns serves kxfr.test",
    2000,
    async () => (await answersAt(fd.dnsPort, "www.kxfr.test.", RRType.A)) === "192.0.2.10",
  );
  knot = startKnotSecondary({
    dir: join(dir, "knot"),
    port: knotPort,
    zone: "kxfr.test",
    primaryPort: fd.dnsPort,
    key: { name: "xfr-key", secret },
  });
  const log = () => (knot as KnotSecondary).log();
  await until(
    "Knot serves the transferred zone",
    20_000,
    async () => (await answersAt(knotPort, "www.kxfr.test.", RRType.A)) === "192.0.2.10",
  );
  const before = (await transfers()).ixfr ?? 0;
  await fd.client.replaceRecordSet("ops", "k-www", {
    zone: "kxfr",
    name: "www",
    type: "A",
    records: ["192.0.2.11"],
  });
  await until(
    "Knot serves the change",
    15_000,
    async () => (await answersAt(knotPort, "www.kxfr.test.", RRType.A)) === "192.0.2.11",
  );
  assert.ok(((await transfers()).ixfr ?? 0) > before, `Knot took the change by IXFR\n${log()}`);
  assert.match(log(), /IXFR, incoming|incremental/i);
  assert.doesNotMatch(log(), /TSIG.*(failed|error)|malformed|BADSIG/i);
});
