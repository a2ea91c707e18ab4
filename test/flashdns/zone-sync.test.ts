// The servers' view of the store: zones follow writes, a zone that stops compiling keeps its
// last good version (and is reported), and a server started later sees everything.
import assert from "node:assert/strict";
import { test } from "node:test";
import pino from "pino";
import { LocalStore } from "../../src/core/resource/local-store.ts";
import type { AnyResource } from "../../src/core/resource/model.ts";
import { type RecordSetSpec, recordSetKind, type ZoneSpec, zoneKind } from "../../src/flashdns/api.ts";
import { RRType } from "../../src/flashdns/wire/constants.ts";
import { nameFromText } from "../../src/flashdns/wire/name.ts";
import { soaOf } from "../../src/flashdns/zone.ts";
import { ZoneIndex } from "../../src/flashdns/zone-index.ts";
import { ZoneSync } from "../../src/flashdns/zone-sync.ts";

const log = pino({ level: "silent" });
const meta = (name: string) => ({
  name,
  project: "p",
  uid: "",
  revision: 0,
  labels: {},
  annotations: {},
  createdAt: "",
  updatedAt: "",
});
const zoneSpec: ZoneSpec = {
  dnsName: "sync.test",
  nameservers: ["ns1.sync.test."],
  ttlSeconds: 300,
  soa: { refreshSeconds: 3600, retrySeconds: 600, expireSeconds: 86_400, minimumSeconds: 60 },
  transfer: { secondaries: [] },
};
const zone = (): AnyResource => ({
  apiVersion: "flashdns/v1",
  kind: zoneKind.kind,
  metadata: meta("z"),
  spec: zoneSpec,
  status: { changeCount: 0, conditions: [] },
});
const set = (name: string, spec: Omit<RecordSetSpec, "zone" | "ttlSeconds">): AnyResource => ({
  apiVersion: "flashdns/v1",
  kind: recordSetKind.kind,
  metadata: meta(name),
  spec: { zone: "z", ttlSeconds: 60, ...spec },
  status: {},
});

const settle = () => new Promise((r) => setTimeout(r, 30));
const lookup = (index: ZoneIndex, name: string, type: number) =>
  index
    .find(nameFromText(name))
    ?.nodes.get(name)
    ?.rrsets.get(type)
    ?.records.map((r) => (r.data as { address: string }).address);

test("a zone that stops compiling keeps serving its last good version, and recovers", async () => {
  const store = LocalStore.memory();
  const index = new ZoneIndex();
  const sync = new ZoneSync(store, index, log);
  await store.create(zone());
  await store.create(set("www", { name: "www", type: "A", records: ["192.0.2.1"] }));
  await sync.start();
  assert.deepEqual(lookup(index, "www.sync.test.", RRType.A), ["192.0.2.1"]);
  const serial1 = soaOf(index.get("sync.test.") as NonNullable<ReturnType<ZoneIndex["get"]>>).serial;
  // Written past the API (as two racing writes could): a CNAME beside the A.
  await store.create(set("www-cname", { name: "www", type: "CNAME", records: ["other"] }));
  await settle();
  assert.deepEqual(lookup(index, "www.sync.test.", RRType.A), ["192.0.2.1"]);
  assert.match(sync.problems.get("p/z") ?? "", /CNAME and other data/);
  await store.delete({ kind: recordSetKind.kind, project: "p", name: "www-cname" });
  const w = (await store.get({ kind: recordSetKind.kind, project: "p", name: "www" })) as AnyResource;
  await store.update({ ...w, spec: { ...(w.spec as RecordSetSpec), records: ["192.0.2.2"] } });
  await settle();
  assert.equal(sync.problems.size, 0);
  assert.deepEqual(lookup(index, "www.sync.test.", RRType.A), ["192.0.2.2"]);
  assert.ok(soaOf(index.get("sync.test.") as NonNullable<ReturnType<ZoneIndex["get"]>>).serial > serial1);
  // A second server started now compiles the same zone with the same serial.
  const other = new ZoneIndex();
  const sync2 = new ZoneSync(store, other, log);
  await sync2.start();
  assert.equal(
    soaOf(other.get("sync.test.") as NonNullable<ReturnType<ZoneIndex["get"]>>).serial,
    soaOf(index.get("sync.test.") as NonNullable<ReturnType<ZoneIndex["get"]>>).serial,
  );
  sync.close();
  sync2.close();
  // Deleting the zone removes it from the index.
  const sync3 = new ZoneSync(store, index, log);
  await sync3.start();
  await store.delete({ kind: recordSetKind.kind, project: "p", name: "www" });
  await store.delete({ kind: zoneKind.kind, project: "p", name: "z" });
  await settle();
  assert.equal(index.size, 0);
  sync3.close();
  await store.close();
});
