// Whether a transmission-phase request may run against an export, and if not, which NBD
// error the spec prescribes. Pure, so every rule is tested without a socket.
import { cmd, cmdFlag, nbdErr, nbdLimits, txFlag } from "./nbd-protocol.ts";

export interface RequestShape {
  command: number;
  flags: number;
  offset: number;
  length: number;
}

/** Command flags each command accepts (with the transmission flags we advertise). */
const allowedFlags: Record<number, number> = {
  [cmd.read]: 0,
  [cmd.write]: cmdFlag.fua,
  [cmd.flush]: 0,
  [cmd.trim]: cmdFlag.fua,
  [cmd.writeZeroes]: cmdFlag.fua | cmdFlag.noHole,
  [cmd.disc]: 0,
};

const mutating = new Set<number>([cmd.write, cmd.trim, cmd.writeZeroes]);

/** Returns nbdErr.ok, or the error to answer with. */
export function checkRequest(r: RequestShape, sizeBytes: number, exportFlags: number): number {
  const allowed = allowedFlags[r.command];
  if (allowed === undefined) return nbdErr.inval; // unknown or not advertised (CACHE, BLOCK_STATUS, …)
  if ((r.flags & ~allowed) !== 0) return nbdErr.inval;
  if (r.command === cmd.flush || r.command === cmd.disc) return nbdErr.ok;
  if (mutating.has(r.command) && exportFlags & txFlag.readOnly) return nbdErr.perm;
  if (r.length === 0) return nbdErr.inval;
  if ((r.command === cmd.read || r.command === cmd.write) && r.length > nbdLimits.maxPayloadBytes)
    return nbdErr.inval;
  if (r.offset + r.length > sizeBytes)
    return r.command === cmd.write || r.command === cmd.writeZeroes ? nbdErr.nospc : nbdErr.inval;
  return nbdErr.ok;
}

/** Transmission flags of a writable (or read-only) export of this server. */
export function exportFlags(readOnly: boolean): number {
  const base = txFlag.hasFlags | txFlag.sendFlush | txFlag.sendFua;
  return readOnly ? base | txFlag.readOnly : base | txFlag.sendTrim | txFlag.sendWriteZeroes;
}
