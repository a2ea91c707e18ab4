// The raft entry of a region command: the command plus the proposer's clock. applyCommand needs
// a `nowMs` that is the same on every replica (lock TTLs, raw-key expiry), so the leader stamps
// it once when proposing and every replica applies with the stamped value.

import { BinaryReader, BinaryWriter } from "./binary-codec.ts";
import { type Command, decodeCommand, encodeCommand } from "./commands.ts";

export interface Proposal {
  readonly nowMs: number;
  readonly command: Command;
}

export function encodeProposal(p: Proposal): Uint8Array {
  return new BinaryWriter().uint(p.nowMs).bytes(encodeCommand(p.command)).finish();
}

/** Throws CodecError on malformed bytes. */
export function decodeProposal(b: Uint8Array): Proposal {
  const r = new BinaryReader(b);
  const nowMs = r.uint();
  const command = decodeCommand(r.bytes());
  r.end();
  return { nowMs, command };
}
