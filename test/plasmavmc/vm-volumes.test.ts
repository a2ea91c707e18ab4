import assert from "node:assert/strict";
import { test } from "node:test";
import type { Attachment, VolumeStatus } from "../../src/coronafs/api.ts";
import { cpuSecondsFromStat, rssBytesFromStatm } from "../../src/plasmavmc/vm-metrics.ts";
import { nbdSource, type VolumeDisk, volumeChange } from "../../src/plasmavmc/vm-volumes.ts";

const attachment = (server: string, epoch: number): Attachment => ({
  url: `nbd://${server}/vol/secret`,
  server,
  exportName: "vol/secret",
  epoch,
  sizeBytes: 1 << 30,
});

test("an attachment becomes an NBD disk whose node is named by disk and epoch", () => {
  assert.deepEqual(nbdSource(attachment("127.0.0.1:10809", 7), 1), {
    kind: "nbd",
    host: "127.0.0.1",
    port: 10809,
    exportName: "vol/secret",
    node: "disk1-e7",
  });
  assert.equal(nbdSource(attachment("[::1]:10809", 2), 0).host, "::1");
  assert.throws(() => nbdSource(attachment("no-port", 1), 0), /NBD address QEMU cannot use/);
});

test("a moved epoch is a failover while the VM still holds the volume, a takeover otherwise", () => {
  const disk: VolumeDisk = {
    name: "root",
    index: 0,
    attachment: attachment("127.0.0.1:1", 3),
    source: nbdSource(attachment("127.0.0.1:1", 3), 0),
    swaps: 0,
  };
  const status = (epoch: number, holder?: string): VolumeStatus => ({
    phase: "Attached",
    copies: [],
    epoch,
    chargedGib: 0,
    conditions: [],
    ...(holder ? { attachment: { holder, since: "" } } : {}),
  });
  assert.equal(volumeChange(disk, status(3, "vm/a"), "vm/a"), "same");
  assert.equal(volumeChange(disk, status(4, "vm/a"), "vm/a"), "failed-over");
  assert.equal(volumeChange(disk, status(4, "vm/b"), "vm/a"), "taken");
  assert.equal(volumeChange(disk, status(4), "vm/a"), "taken", "a detach by someone else");
});

test("CPU time and resident memory are read from /proc's formats", () => {
  // The command name may hold spaces and parentheses; fields 14 and 15 are utime and stime.
  const stat = "4242 (qemu (photon) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0";
  assert.equal(cpuSecondsFromStat(stat), 3);
  assert.equal(rssBytesFromStatm("100000 2500 300 1 0 5000 0"), 2500 * 4096);
});
