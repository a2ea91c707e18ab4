// The NBD wire protocol (fixed newstyle negotiation, simple replies) as constants and pure
// encoders, from the protocol specification (NetworkBlockDevice/nbd doc/proto.md).
// No sockets here: the decoder is nbd-decoder.ts, the option logic nbd-options.ts.

export const nbdMagic = 0x4e42444d41474943n; // "NBDMAGIC"
export const optMagic = 0x49484156454f5054n; // "IHAVEOPT"
export const optReplyMagic = 0x3e889045565a9n;
export const requestMagic = 0x25609513;
export const simpleReplyMagic = 0x67446698;

/** Handshake flags (server → client). */
export const handshakeFlag = { fixedNewstyle: 1 << 0, noZeroes: 1 << 1 } as const;
/** Client flags (client → server); any other bit makes the server disconnect. */
export const clientFlag = { fixedNewstyle: 1 << 0, noZeroes: 1 << 1 } as const;
export const knownClientFlags = clientFlag.fixedNewstyle | clientFlag.noZeroes;

export const opt = {
  exportName: 1,
  abort: 2,
  list: 3,
  peekExport: 4,
  startTls: 5,
  info: 6,
  go: 7,
  structuredReply: 8,
  listMetaContext: 9,
  setMetaContext: 10,
  extendedHeaders: 11,
} as const;

const errBit = 0x80000000;
export const rep = {
  ack: 1,
  server: 2,
  info: 3,
  metaContext: 4,
  errUnsup: errBit + 1,
  errPolicy: errBit + 2,
  errInvalid: errBit + 3,
  errPlatform: errBit + 4,
  errTlsReqd: errBit + 5,
  errUnknown: errBit + 6,
  errShutdown: errBit + 7,
  errBlockSizeReqd: errBit + 8,
  errTooBig: errBit + 9,
} as const;

export const info = { export: 0, name: 1, description: 2, blockSize: 3 } as const;

/** Transmission flags (per export). */
export const txFlag = {
  hasFlags: 1 << 0,
  readOnly: 1 << 1,
  sendFlush: 1 << 2,
  sendFua: 1 << 3,
  rotational: 1 << 4,
  sendTrim: 1 << 5,
  sendWriteZeroes: 1 << 6,
  sendDf: 1 << 7,
  canMultiConn: 1 << 8,
  sendResize: 1 << 9,
  sendCache: 1 << 10,
  sendFastZero: 1 << 11,
} as const;

export const cmd = {
  read: 0,
  write: 1,
  disc: 2,
  flush: 3,
  trim: 4,
  cache: 5,
  writeZeroes: 6,
  blockStatus: 7,
  resize: 8,
} as const;

export const cmdFlag = { fua: 1 << 0, noHole: 1 << 1, df: 1 << 2, reqOne: 1 << 3, fastZero: 1 << 4 } as const;

/** Error values of the transmission phase (errno numbers the spec fixes). */
export const nbdErr = {
  ok: 0,
  perm: 1,
  io: 5,
  nomem: 12,
  inval: 22,
  nospc: 28,
  overflow: 75,
  notsup: 95,
  shutdown: 108,
} as const;

/** Bounds: what one request or option may carry. */
export const nbdLimits = {
  /** Largest READ/WRITE payload, advertised as the maximum block size (QEMU's own limit). */
  maxPayloadBytes: 32 * 1024 * 1024,
  /** Largest option payload we read; the spec caps strings at 4096 bytes. */
  maxOptionBytes: 64 * 1024,
  /** Export names longer than this are invalid (the spec's string limit). */
  maxNameBytes: 4096,
  /** Info requests in one NBD_OPT_GO/INFO. */
  maxInfoRequests: 64,
  /** Options before the client must pick an export; a client looping forever is cut off. */
  maxOptionsPerConnection: 256,
  /** Requests in flight per connection before the server stops reading (backpressure). */
  maxInFlightRequests: 64,
  /**
   * Payload and reply bytes in flight per connection before the server stops reading: 64
   * requests of 32 MiB would otherwise hold 2 GiB.
   */
  maxInFlightBytes: 64 * 1024 * 1024,
} as const;

export const requestHeaderBytes = 28;

export function handshakeGreeting(): Buffer {
  const b = Buffer.alloc(18);
  b.writeBigUInt64BE(nbdMagic, 0);
  b.writeBigUInt64BE(optMagic, 8);
  b.writeUInt16BE(handshakeFlag.fixedNewstyle | handshakeFlag.noZeroes, 16);
  return b;
}

export function optionReply(option: number, type: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(20 + data.length);
  b.writeBigUInt64BE(optReplyMagic, 0);
  b.writeUInt32BE(option >>> 0, 8);
  b.writeUInt32BE(type >>> 0, 12);
  b.writeUInt32BE(data.length, 16);
  data.copy(b, 20);
  return b;
}

/** An error reply carries a human-readable message as its data. */
export function optionError(option: number, type: number, message: string): Buffer {
  return optionReply(option, type, Buffer.from(message.slice(0, 1024), "utf8"));
}

export function infoExport(sizeBytes: number, flags: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(info.export, 0);
  b.writeBigUInt64BE(BigInt(sizeBytes), 2);
  b.writeUInt16BE(flags, 10);
  return b;
}

export function infoBlockSize(min: number, preferred: number, max: number): Buffer {
  const b = Buffer.alloc(14);
  b.writeUInt16BE(info.blockSize, 0);
  b.writeUInt32BE(min, 2);
  b.writeUInt32BE(preferred, 6);
  b.writeUInt32BE(max, 10);
  return b;
}

export function infoName(name: string): Buffer {
  const n = Buffer.from(name, "utf8");
  const b = Buffer.alloc(2 + n.length);
  b.writeUInt16BE(info.name, 0);
  n.copy(b, 2);
  return b;
}

/** NBD_REP_SERVER data for NBD_OPT_LIST: a length-prefixed export name. */
export function serverEntry(name: string): Buffer {
  const n = Buffer.from(name, "utf8");
  const b = Buffer.alloc(4 + n.length);
  b.writeUInt32BE(n.length, 0);
  n.copy(b, 4);
  return b;
}

/** The old-style answer to NBD_OPT_EXPORT_NAME: size, flags, no 124 zero bytes (NO_ZEROES). */
export function exportNameReply(sizeBytes: number, flags: number, noZeroes: boolean): Buffer {
  const b = Buffer.alloc(noZeroes ? 10 : 134);
  b.writeBigUInt64BE(BigInt(sizeBytes), 0);
  b.writeUInt16BE(flags, 8);
  return b;
}

/** Simple reply header; a successful READ is followed by its data. */
export function simpleReply(handle: Buffer, error: number): Buffer {
  return writeReplyHeader(Buffer.allocUnsafe(16), handle, error);
}

/** Writes a simple reply header into the first 16 bytes of b (a READ's data follows). */
export function writeReplyHeader(b: Buffer, handle: Buffer, error: number): Buffer {
  b.writeUInt32BE(simpleReplyMagic, 0);
  b.writeUInt32BE(error, 4);
  handle.copy(b, 8, 0, 8);
  return b;
}

/** A client request, as the client encodes it (tests and the replication client use this). */
export function encodeRequest(
  command: number,
  flags: number,
  handle: bigint,
  offset: number,
  length: number,
): Buffer {
  const b = Buffer.alloc(requestHeaderBytes);
  b.writeUInt32BE(requestMagic, 0);
  b.writeUInt16BE(flags, 4);
  b.writeUInt16BE(command, 6);
  b.writeBigUInt64BE(handle, 8);
  b.writeBigUInt64BE(BigInt(offset), 16);
  b.writeUInt32BE(length, 24);
  return b;
}

export function encodeOption(option: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(16 + data.length);
  b.writeBigUInt64BE(optMagic, 0);
  b.writeUInt32BE(option, 8);
  b.writeUInt32BE(data.length, 12);
  data.copy(b, 16);
  return b;
}

/** NBD_OPT_GO/INFO payload: name length, name, info request count, requests. */
export function encodeGoData(name: string, infos: number[] = []): Buffer {
  const n = Buffer.from(name, "utf8");
  const b = Buffer.alloc(4 + n.length + 2 + 2 * infos.length);
  b.writeUInt32BE(n.length, 0);
  n.copy(b, 4);
  b.writeUInt16BE(infos.length, 4 + n.length);
  for (const [i, t] of infos.entries()) b.writeUInt16BE(t, 6 + n.length + 2 * i);
  return b;
}
