// The default guest image is reproducible: two builds give the same bytes, and the manifest
// names them. It is a real BIOS-bootable disk: an MBR with a bootable FAT and an ext4 data
// partition.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { buildGuestImage } from "../support/guest-image.ts";
import { tempDir } from "../support/temp-dir.ts";

test("two builds of the guest image are byte-identical, and the manifest's hash is right", async () => {
  const dir = tempDir("photon-guest-image-");
  try {
    const a = await buildGuestImage(join(dir.path, "a"));
    const b = await buildGuestImage(join(dir.path, "b"));
    assert.equal(a.sha256, b.sha256);
    assert.equal(createHash("sha256").update(readFileSync(a.path)).digest("hex"), a.sha256);
    const table = JSON.parse(execFileSync("sfdisk", ["-J", a.path], { encoding: "utf8" })) as {
      partitiontable: { label: string; partitions: { type: string; bootable?: boolean }[] };
    };
    assert.equal(table.partitiontable.label, "dos");
    assert.deepEqual(
      table.partitiontable.partitions.map((p) => [p.type, p.bootable ?? false]),
      [
        ["6", true],
        ["83", false],
      ],
    );
  } finally {
    dir.remove();
  }
});
