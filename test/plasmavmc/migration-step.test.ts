// Which VMs may start a migration, and which worker report may follow which: the target
// listens once, only the target completes (and the VM becomes its), either side may fail it.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Vm, VmStatus } from "../../src/plasmavmc/api.ts";
import { migrationRefusal, migrationStep } from "../../src/plasmavmc/migration-routes.ts";

const report = { phase: "Running" as const, message: "running under TCG", ports: [], volumes: [] };
function vm(status: Partial<VmStatus>, spec: Partial<Vm["spec"]> = {}): Vm {
  return {
    apiVersion: "plasmavmc/v1",
    kind: "Vm",
    metadata: {
      name: "web",
      project: "demo",
      uid: "u1",
      revision: 3,
      labels: {},
      annotations: {},
      createdAt: "",
      updatedAt: "",
    },
    spec: {
      flavor: { vcpus: 1, memoryMib: 256 },
      volumes: [{ name: "root" }],
      ports: [],
      userData: "",
      sshKeys: [],
      powerState: "Running",
      ...spec,
    },
    status: {
      phase: "Running",
      message: "running",
      host: "a",
      ports: [],
      volumes: [],
      quotaHeld: false,
      conditions: [],
      ...status,
    },
  } as Vm;
}
const requested = { target: "b", phase: "Requested" as const, since: "2026-01-01T00:00:00Z" };
const listening = { ...requested, phase: "Listening" as const, address: "127.0.0.1:4444" };

test("only a running VM whose disks are all volumes, not already moving, may migrate", () => {
  assert.equal(migrationRefusal(vm({})), undefined);
  assert.match(migrationRefusal(vm({ phase: "Stopped", host: undefined })) ?? "", /only a running VM/);
  assert.match(
    migrationRefusal(vm({}, { image: { name: "debian" } })) ?? "",
    /image overlay on a's own disk/,
  );
  assert.match(migrationRefusal(vm({ migration: requested })) ?? "", /already migrating to b/);
});

test("the target listens once, then completes: the VM is the target's, with its report", () => {
  const l = migrationStep(vm({ migration: requested }), "b", {
    phase: "Listening",
    address: "127.0.0.1:4444",
  });
  assert.deepEqual(l.migration, listening);
  assert.throws(
    () => migrationStep(vm({ migration: listening }), "b", { phase: "Listening", address: "x:1" }),
    /once/,
  );
  assert.throws(() =>
    migrationStep(vm({ migration: requested }), "a", { phase: "Listening", address: "x:1" }),
  );
  const done = migrationStep(vm({ migration: listening }), "b", {
    phase: "Completed",
    report: { ...report, message: "migrated from a" },
  });
  assert.equal(done.host, "b");
  assert.equal(done.migration, undefined);
  assert.equal(done.message, "migrated from a");
  assert.throws(
    () => migrationStep(vm({ migration: listening }), "a", { phase: "Completed", report }),
    /only the target/,
    "the source cannot claim the VM moved",
  );
  assert.throws(
    () => migrationStep(vm({ migration: requested }), "b", { phase: "Completed", report }),
    /listened/,
    "nothing completes before the target listened",
  );
});

test("either side fails a migration; a third host or a VM not migrating is refused", () => {
  for (const host of ["a", "b"]) {
    const s = migrationStep(vm({ migration: listening }), host, { phase: "Failed", message: "boom" });
    assert.equal(s.migration, undefined);
    assert.equal(s.host, "a", "the VM stays on its source");
    assert.match(s.message, /migration to b failed: boom/);
  }
  assert.throws(
    () => migrationStep(vm({ migration: listening }), "c", { phase: "Failed", message: "x" }),
    /from or to/,
  );
  assert.throws(() => migrationStep(vm({}), "a", { phase: "Failed", message: "x" }), /not migrating/);
});

test("a deleted VM completing its migration stays Deleting", () => {
  const v = vm({ migration: listening });
  v.metadata.deletionTimestamp = "2026-01-01T00:00:01Z";
  assert.equal(migrationStep(v, "b", { phase: "Completed", report }).phase, "Deleting");
});
