// The Raft entry of a region command: a tag byte, then the engine's proposal layout (the
// leader's clock as a varint, then the command in the engine's binary codec). Every replica
// applies with the stamped clock. Binary, so applying needs no JSON or base64; the tag tells it
// apart from the JSON entries (splits, and commands written by older stores: both start '{').
import { BinaryReader, BinaryWriter } from "../engine/binary-codec.ts";

/** First byte of a binary command entry ('{' starts a JSON entry). */
export const COMMAND_ENTRY_TAG = 0x01;
/** First byte of a batch entry: several commands, applied in order, one Raft entry. */
export const BATCH_ENTRY_TAG = 0x02;

export function encodeCommandEntry(nowMs: number, command: Uint8Array): Uint8Array {
  return new BinaryWriter().u8(COMMAND_ENTRY_TAG).uint(nowMs).bytes(command).finish();
}

/** Several commands in one entry (a bulk write): one log entry, one message, one apply. */
export function encodeBatchEntry(nowMs: number, commands: readonly Uint8Array[]): Uint8Array {
  const w = new BinaryWriter().u8(BATCH_ENTRY_TAG).uint(nowMs).uint(commands.length);
  for (const c of commands) w.bytes(c);
  return w.finish();
}

/** The clock and commands of a batch entry; undefined for any other entry. */
export function decodeBatchEntry(data: Uint8Array): { nowMs: number; commands: Uint8Array[] } | undefined {
  if (data[0] !== BATCH_ENTRY_TAG) return undefined;
  const r = new BinaryReader(data);
  r.u8();
  const nowMs = r.uint();
  const n = r.uint();
  const commands: Uint8Array[] = [];
  for (let i = 0; i < n; i++) commands.push(r.bytes());
  r.end();
  return { nowMs, commands };
}

/** The clock and command bytes of a binary command entry; undefined for any other entry. */
export function decodeCommandEntry(data: Uint8Array): { nowMs: number; command: Uint8Array } | undefined {
  if (data[0] !== COMMAND_ENTRY_TAG) return undefined;
  const r = new BinaryReader(data);
  r.u8();
  const nowMs = r.uint();
  const command = r.bytes();
  r.end();
  return { nowMs, command };
}
