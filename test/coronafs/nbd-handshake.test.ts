// The NBD protocol rules the volume server keeps, spoken byte by byte: option haggling,
// transmission errors, bounds, and clean disconnects on malformed input.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { silentLogger } from "../../src/core/log.ts";
import { NbdClient } from "../../src/coronafs/nbd-client.ts";
import {
  cmd,
  cmdFlag,
  encodeGoData,
  encodeOption,
  encodeRequest,
  info,
  nbdErr,
  opt,
  optReplyMagic,
  rep,
  simpleReplyMagic,
  txFlag,
} from "../../src/coronafs/nbd-protocol.ts";
import { VolumeServer } from "../../src/coronafs/volume-server.ts";
import { tempDir } from "../support/temp-dir.ts";
import { RawPeer } from "./raw-socket.ts";

const dir = tempDir("coronafs-nbd-");
let server: VolumeServer;
let port: number;
const size = 8 * 1024 * 1024;
const address = () => `127.0.0.1:${port}`;

before(async () => {
  server = await VolumeServer.start({
    dataDir: dir.path,
    log: silentLogger,
    nbdHost: "127.0.0.1",
    nbdPort: 0,
  });
  port = server.nbd.address().port;
  await server.catalog.createVolume({ id: "disk", sizeBytes: size, chunkSizeBytes: 1024 * 1024 });
  await server.catalog.createVolume({ id: "secret", sizeBytes: size, chunkSizeBytes: 1024 * 1024 });
  await server.setAttachment("secret", 1, "tok1", []);
});
after(async () => {
  await server.close();
  dir.remove();
});

/** Greeting read and client flags sent: ready for options. */
async function negotiating(flags = 3): Promise<RawPeer> {
  const p = await RawPeer.connect(port);
  const hello = await p.read(18);
  assert.equal(hello.toString("latin1", 0, 16), "NBDMAGICIHAVEOPT");
  assert.equal(hello.readUInt16BE(16), 3, "fixed newstyle and no zeroes");
  const f = Buffer.alloc(4);
  f.writeUInt32BE(flags);
  p.send(f);
  return p;
}

async function optionReply(p: RawPeer): Promise<{ option: number; type: number; data: Buffer }> {
  const h = await p.read(20);
  assert.equal(h.readBigUInt64BE(0), optReplyMagic);
  const len = h.readUInt32BE(16);
  return { option: h.readUInt32BE(8), type: h.readUInt32BE(12), data: await p.read(len) };
}

async function simple(p: RawPeer, readLength = 0): Promise<{ error: number; handle: bigint; data: Buffer }> {
  const h = await p.read(16);
  assert.equal(h.readUInt32BE(0), simpleReplyMagic);
  const error = h.readUInt32BE(4);
  return {
    error,
    handle: h.readBigUInt64BE(8),
    data: error === 0 ? await p.read(readLength) : Buffer.alloc(0),
  };
}

async function transmitting(name = "disk"): Promise<RawPeer> {
  const p = await negotiating();
  p.send(encodeOption(opt.go, encodeGoData(name)));
  for (;;) {
    const r = await optionReply(p);
    if (r.type === rep.ack) return p;
    assert.equal(r.type, rep.info);
  }
}

test("unknown options get NBD_REP_ERR_UNSUP and the haggling goes on", async () => {
  const p = await negotiating();
  for (const o of [opt.structuredReply, opt.startTls, opt.setMetaContext, 4242]) {
    p.send(encodeOption(o, Buffer.from("x")));
    const r = await optionReply(p);
    assert.equal(r.option, o);
    assert.equal(r.type, rep.errUnsup);
  }
  p.send(encodeOption(opt.list));
  assert.equal((await optionReply(p)).type, rep.ack, "LIST shows no secret export names, then ACK");
  p.send(encodeOption(opt.list, Buffer.from("junk")));
  assert.equal((await optionReply(p)).type, rep.errInvalid);
  p.send(encodeOption(opt.abort));
  assert.equal((await optionReply(p)).type, rep.ack);
  assert.ok(await p.waitClosed());
});

test("NBD_OPT_INFO and NBD_OPT_GO describe the export; unknown names get ERR_UNKNOWN", async () => {
  const p = await negotiating();
  p.send(encodeOption(opt.info, encodeGoData("disk", [info.name, info.blockSize])));
  const infos: Buffer[] = [];
  for (;;) {
    const r = await optionReply(p);
    if (r.type === rep.ack) break;
    assert.equal(r.type, rep.info);
    infos.push(r.data);
  }
  const exp = infos.find((d) => d.readUInt16BE(0) === info.export)!;
  assert.equal(Number(exp.readBigUInt64BE(2)), size);
  const flags = exp.readUInt16BE(10);
  for (const f of [
    txFlag.hasFlags,
    txFlag.sendFlush,
    txFlag.sendFua,
    txFlag.sendTrim,
    txFlag.sendWriteZeroes,
  ])
    assert.ok(flags & f, `flag ${f} advertised`);
  assert.equal(flags & txFlag.readOnly, 0);
  assert.equal(
    infos
      .find((d) => d.readUInt16BE(0) === info.name)
      ?.subarray(2)
      .toString(),
    "disk",
  );
  const bs = infos.find((d) => d.readUInt16BE(0) === info.blockSize)!;
  assert.deepEqual(
    [bs.readUInt32BE(2), bs.readUInt32BE(6), bs.readUInt32BE(10)],
    [1, 4096, 32 * 1024 * 1024],
  );

  p.send(encodeOption(opt.go, encodeGoData("nope")));
  assert.equal((await optionReply(p)).type, rep.errUnknown);
  p.send(encodeOption(opt.go, encodeGoData("secret")));
  assert.equal((await optionReply(p)).type, rep.errUnknown, "a volume with a token needs it in the name");
  p.send(encodeOption(opt.go, encodeGoData("secret/wrong")));
  assert.equal((await optionReply(p)).type, rep.errUnknown);
  p.send(encodeOption(opt.go, Buffer.from([0, 0, 0, 9, 1])));
  assert.equal((await optionReply(p)).type, rep.errInvalid, "truncated GO data");
  p.destroy();
});

test("NBD_OPT_EXPORT_NAME works, and an unknown name is a disconnect", async () => {
  const p = await negotiating();
  p.send(encodeOption(opt.exportName, Buffer.from("disk")));
  const r = await p.read(10);
  assert.equal(Number(r.readBigUInt64BE(0)), size);
  p.send(encodeRequest(cmd.read, 0, 7n, 0, 512));
  assert.equal((await simple(p, 512)).error, 0);
  p.destroy();
  const q = await negotiating();
  q.send(encodeOption(opt.exportName, Buffer.from("nope")));
  assert.ok(await q.waitClosed());
});

test("unknown client flags end the connection", async () => {
  const p = await negotiating(0x80);
  assert.ok(await p.waitClosed());
});

test("transmission errors follow the spec", async () => {
  const p = await transmitting();
  const cases: Array<[string, Buffer, number, Buffer?]> = [
    ["read past the end", encodeRequest(cmd.read, 0, 1n, size - 100, 200), nbdErr.inval],
    ["write past the end", encodeRequest(cmd.write, 0, 2n, size - 100, 200), nbdErr.nospc, Buffer.alloc(200)],
    ["trim past the end", encodeRequest(cmd.trim, 0, 3n, size, 1), nbdErr.inval],
    ["write zeroes past the end", encodeRequest(cmd.writeZeroes, 0, 4n, size, 1), nbdErr.nospc],
    ["unknown command", encodeRequest(99, 0, 5n, 0, 1), nbdErr.inval],
    ["block status (not negotiated)", encodeRequest(cmd.blockStatus, 0, 6n, 0, 1), nbdErr.inval],
    ["flag not valid for read", encodeRequest(cmd.read, cmdFlag.fua, 7n, 0, 1), nbdErr.inval],
    ["unknown flag", encodeRequest(cmd.write, 1 << 9, 8n, 0, 1), nbdErr.inval, Buffer.alloc(1)],
    ["zero-length read", encodeRequest(cmd.read, 0, 9n, 0, 0), nbdErr.inval],
    ["read over the payload limit", encodeRequest(cmd.read, 0, 10n, 0, 64 * 1024 * 1024), nbdErr.inval],
    ["offset near 2^64", Buffer.concat([encodeRequest(cmd.read, 0, 11n, 0, 1)]), nbdErr.inval],
  ];
  // The last case: patch the offset field to 2^64 - 1.
  cases[cases.length - 1]![1].writeBigUInt64BE(0xffffffffffffffffn, 16);
  for (const [what, req, errno, payload] of cases) {
    p.send(req, ...(payload ? [payload] : []));
    const r = await simple(p);
    assert.equal(r.error, errno, what);
    assert.equal(r.handle, req.readBigUInt64BE(8), `${what}: handle echoed`);
  }
  // The connection still works after all of those.
  const data = Buffer.alloc(4096, 0x77);
  p.send(encodeRequest(cmd.write, cmdFlag.fua, 20n, 4096, 4096), data);
  assert.equal((await simple(p)).error, 0);
  p.send(encodeRequest(cmd.flush, 0, 21n, 0, 0));
  assert.equal((await simple(p)).error, 0);
  p.send(encodeRequest(cmd.read, 0, 22n, 4096, 4096));
  assert.deepEqual((await simple(p, 4096)).data, data);
  p.send(encodeRequest(cmd.disc, 0, 23n, 0, 0));
  assert.ok(await p.waitClosed(), "DISC closes the connection");
});

test("a request with a bad magic, or an oversized write, is a clean disconnect", async () => {
  const p = await transmitting();
  const bad = encodeRequest(cmd.read, 0, 1n, 0, 1);
  bad.writeUInt32BE(0xdeadbeef, 0);
  p.send(bad);
  assert.ok(await p.waitClosed());
  const q = await transmitting();
  q.send(encodeRequest(cmd.write, 0, 1n, 0, 0x7fffffff));
  assert.ok(await q.waitClosed());
  // The server is still there.
  const c = await NbdClient.connect(address(), "disk");
  assert.equal(c.sizeBytes, size);
  c.close();
});

test("one read-write connection per volume; a new attachment fences the old one", async () => {
  const first = await NbdClient.connect(address(), "secret/tok1");
  await assert.rejects(NbdClient.connect(address(), "secret/tok1"), /exclusive attachment/);
  await first.write(0, Buffer.alloc(512, 1));
  await server.setAttachment("secret", 2, "tok2", []);
  await assert.rejects(first.write(0, Buffer.alloc(512, 2)), "the old attachment is cut off");
  await assert.rejects(NbdClient.connect(address(), "secret/tok1"), /refused/);
  const second = await NbdClient.connect(address(), "secret/tok2");
  assert.deepEqual(await second.read(0, 512), Buffer.alloc(512, 1));
  second.close();
  await assert.rejects(server.setAttachment("secret", 1, "tok3", []), /stale/);
});
