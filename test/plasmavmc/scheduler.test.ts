import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Vm, VmSpec } from "../../src/plasmavmc/api.ts";
import {
  type HostView,
  type Placed,
  placements,
  type ScheduleInput,
  schedule,
} from "../../src/plasmavmc/scheduler.ts";

const now = Date.parse("2026-01-01T00:00:00Z");
const host = (
  name: string,
  vcpus = 8,
  memoryMib = 8192,
  extra: Partial<HostView["spec"]> = {},
): HostView => ({
  name,
  spec: {
    capacity: { vcpus, memoryMib },
    endpoint: `http://${name}.invalid`,
    accel: "tcg",
    imageFormats: ["raw", "qcow2"],
    schedulable: true,
    ...extra,
  },
  status: { heartbeatAt: new Date(now - 1000).toISOString(), runningVms: 0 },
});
const spec = (vcpus = 2, memoryMib = 1024, antiAffinityGroup?: string): VmSpec => ({
  flavor: { vcpus, memoryMib },
  image: { name: "debian" },
  volumes: [],
  ports: [],
  userData: "",
  sshKeys: [],
  powerState: "Running",
  ...(antiAffinityGroup ? { antiAffinityGroup } : {}),
});
const input = (hosts: HostView[], placed: Placed[] = [], vm = spec()): ScheduleInput => ({
  vm: { project: "p", name: "new", spec: vm },
  imageFormat: "raw",
  hosts,
  placed,
  nowMs: now,
  heartbeatGraceMs: 15_000,
  strategy: "spread",
});

test("spread picks the emptiest host; pack the fullest that still fits", () => {
  const placed: Placed[] = [{ project: "p", name: "a", host: "h1", spec: spec(4, 4096) }];
  assert.deepEqual(schedule(input([host("h1"), host("h2")], placed)), { ok: true, host: "h2" });
  assert.deepEqual(schedule({ ...input([host("h1"), host("h2")], placed), strategy: "pack" }), {
    ok: true,
    host: "h1",
  });
});

test("when nothing fits, every host's reason is given", () => {
  const r = schedule(
    input(
      [
        host("small", 1),
        host("tight", 8, 512),
        host("cordoned", 8, 8192, { schedulable: false }),
        { ...host("silent"), status: { heartbeatAt: new Date(now - 60_000).toISOString(), runningVms: 0 } },
        host("qcow-only", 8, 8192, { imageFormats: ["qcow2"] }),
        host("grouped"),
      ],
      [{ project: "p", name: "peer", host: "grouped", spec: spec(1, 64, "web") }],
      spec(2, 1024, "web"),
    ),
  );
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.rejections, {
    small: "not enough vCPUs (1 free, 2 wanted)",
    tight: "not enough memory (512 MiB free, 1024 MiB wanted)",
    cordoned: "cordoned",
    silent: "down (no recent heartbeat)",
    "qcow-only": "cannot boot raw images",
    grouped: "anti-affinity group web already has peer here",
  });
  assert.match(r.message, /^no host fits: small: not enough vCPUs/);
});

test("no registered host says so", () => {
  const r = schedule(input([]));
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.message, "no worker host has registered");
});

test("property: a chosen host always has room, and placing never overcommits", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({ vcpus: fc.integer({ min: 1, max: 16 }), mem: fc.integer({ min: 64, max: 16384 }) }),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
      fc.array(
        fc.record({ vcpus: fc.integer({ min: 1, max: 8 }), mem: fc.integer({ min: 64, max: 8192 }) }),
        {
          maxLength: 30,
        },
      ),
      fc.constantFrom("spread" as const, "pack" as const),
      (hostCaps, vms, strategy) => {
        const hosts = hostCaps.map((c, i) => host(`h${i}`, c.vcpus, c.mem));
        const placed: Placed[] = [];
        vms.forEach((v, i) => {
          const r = schedule({
            ...input(hosts, placed, spec(v.vcpus, v.mem)),
            vm: { project: "p", name: `v${i}`, spec: spec(v.vcpus, v.mem) },
            strategy,
          });
          if (r.ok) placed.push({ project: "p", name: `v${i}`, host: r.host, spec: spec(v.vcpus, v.mem) });
        });
        for (const h of hosts) {
          const on = placed.filter((p) => p.host === h.name);
          assert.ok(on.reduce((s, p) => s + p.spec.flavor.vcpus, 0) <= h.spec.capacity.vcpus);
          assert.ok(on.reduce((s, p) => s + p.spec.flavor.memoryMib, 0) <= h.spec.capacity.memoryMib);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test("a migrating VM takes room on its source and on its target until it has moved", () => {
  const moving = {
    metadata: { project: "p", name: "m" },
    spec: spec(6, 4096),
    status: { host: "a", migration: { target: "b", phase: "Requested", since: "" } },
  } as unknown as Vm;
  const placed = placements([moving]);
  assert.deepEqual(
    placed.map((p) => p.host),
    ["a", "b"],
  );
  const r = schedule({
    vm: { project: "p", name: "new", spec: spec(4, 1024) },
    imageFormat: "raw",
    hosts: [host("b")],
    placed,
    nowMs: now,
    heartbeatGraceMs: 10_000,
    strategy: "spread",
  });
  assert.equal(r.ok, false, "b's room is held for the VM moving there");
});
