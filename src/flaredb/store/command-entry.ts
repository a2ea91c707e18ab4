// The Raft entry of a region command: a tag byte, then the engine's proposal layout (the
// leader's clock as a varint, then the command in the engine's binary codec). Every replica
// applies with the stamped clock. Binary, so applying needs no JSON or base64; the tag tells it
// apart from the JSON entries (splits, and commands written by older stores: both start '{').
import { BinaryReader, BinaryWriter } from "../engine/binary-codec.ts";

/** First byte of a binary command entry ('{' starts a JSON entry). */
export const COMMAND_ENTRY_TAG = 0x01;

export function encodeCommandEntry(nowMs: number, command: Uint8Array): Uint8Array {
  return new BinaryWriter().u8(COMMAND_ENTRY_TAG).uint(nowMs).bytes(command).finish();
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
