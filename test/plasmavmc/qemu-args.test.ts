import assert from "node:assert/strict";
import { test } from "node:test";
import { type LaunchSpec, qemuArgs } from "../../src/plasmavmc/qemu-args.ts";

const spec: LaunchSpec = {
  name: "web-1",
  vcpus: 2,
  memoryMib: 512,
  accel: "tcg",
  disks: [
    { kind: "file", path: "/var/lib/vm/root.raw", format: "raw" },
    { kind: "nbd", host: "127.0.0.1", port: 10809, exportName: "vol-1/secret", node: "disk1-e3" },
  ],
  portForwards: [{ hostAddress: "127.0.0.1", hostPort: 8080, guestPort: 80, protocol: "tcp" }],
  metadataUrl: "http://10.0.2.2:9000/v1/tok",
  qmpSocket: "/run/vm/qmp.sock",
  serialSocket: "/run/vm/serial.sock",
};

const after = (args: string[], flag: string) => args.filter((_, i) => args[i - 1] === flag);

test("the command line carries the flavor, disks, forwards, metadata URL and sockets", () => {
  const args = qemuArgs(spec);
  assert.deepEqual(after(args, "-machine"), ["q35,accel=tcg"]);
  assert.deepEqual(after(args, "-smp"), ["2"]);
  assert.deepEqual(after(args, "-m"), ["512"]);
  assert.ok(!args.includes("-cpu"), "TCG uses QEMU's default CPU model");
  const blockdevs = after(args, "-blockdev");
  assert.match(blockdevs[0]!, /driver=raw,file.driver=file,file.filename=\/var\/lib\/vm\/root.raw/);
  assert.match(blockdevs[1]!, /^driver=nbd,node-name=disk1-e3,.*server.port=10809,export=vol-1\/secret$/);
  assert.equal(
    blockdevs[2],
    "driver=quorum,node-name=disk1-switch,vote-threshold=1,read-pattern=fifo,children.0=disk1-e3",
  );
  assert.equal(blockdevs[3], "driver=raw,node-name=disk1,file=disk1-switch");
  const devices = after(args, "-device");
  assert.match(devices[0]!, /bootindex=0/);
  assert.match(devices[1]!, /drive=disk1,.*werror=stop,rerror=stop/, "a network disk pauses on errors");
  assert.match(after(args, "-netdev")[0]!, /hostfwd=tcp:127.0.0.1:8080-:80/);
  assert.deepEqual(after(args, "-smbios"), ["type=11,value=photon-metadata=http://10.0.2.2:9000/v1/tok"]);
  assert.ok(after(args, "-chardev").some((c) => c.includes("path=/run/vm/serial.sock,server=on,wait=on")));
});

test("KVM guests get the host CPU model", () => {
  assert.deepEqual(after(qemuArgs({ ...spec, accel: "kvm" }), "-cpu"), ["host"]);
});

test("a path with a comma is refused rather than misread by QEMU", () => {
  assert.throws(
    () => qemuArgs({ ...spec, disks: [{ kind: "file", path: "/tmp/a,b.raw", format: "raw" }] }),
    /must not contain a comma/,
  );
});

test("a VM migrating in waits paused for the stream, its volumes as placeholders of their sizes", () => {
  const args = qemuArgs({
    ...spec,
    incoming: true,
    disks: [{ kind: "placeholder", node: "disk0-incoming", sizeBytes: 1 << 30 }],
  });
  assert.ok(args.includes("-S"), "the guest does not run before its state and disks are there");
  assert.deepEqual(after(args, "-incoming"), ["defer"]);
  const blockdevs = after(args, "-blockdev");
  assert.equal(blockdevs[0], "driver=null-co,node-name=disk0-incoming,size=1073741824,read-zeroes=on");
  assert.match(blockdevs[1]!, /driver=quorum,node-name=disk0-switch,.*children.0=disk0-incoming/);
  assert.ok(!qemuArgs(spec).includes("-incoming"), "an ordinary start boots");
});
