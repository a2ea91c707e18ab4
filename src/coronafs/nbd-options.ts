// Option haggling of the fixed newstyle handshake as a pure function: one option in, the
// replies and what happens next out. The server shell owns the socket and the exports.
import {
  exportNameReply,
  info,
  infoBlockSize,
  infoExport,
  infoName,
  nbdLimits,
  opt,
  optionError,
  optionReply,
  rep,
  serverEntry,
} from "./nbd-protocol.ts";

export interface ExportInfo {
  sizeBytes: number;
  /** Transmission flags, NBD_FLAG_HAS_FLAGS included. */
  flags: number;
}

export interface OptionContext {
  /** Resolves an export name; undefined when there is no such export (or it is not ours to give). */
  lookup(name: string): ExportInfo | undefined;
  /** Names NBD_OPT_LIST may show; empty hides them all (policy). */
  listable(): string[];
  noZeroes: boolean;
}

export type OptionOutcome =
  | { next: "continue"; replies: Buffer[] }
  | { next: "close"; replies: Buffer[] }
  | { next: "transmit"; replies: Buffer[]; exportName: string; export: ExportInfo };

/** Block sizes we advertise: any byte alignment works, 4 KiB is best, 32 MiB at most. */
export const blockSizes = { minBytes: 1, preferredBytes: 4096, maxBytes: nbdLimits.maxPayloadBytes };

export function handleOption(option: number, data: Buffer, ctx: OptionContext): OptionOutcome {
  switch (option) {
    case opt.abort:
      // The spec asks for an ACK (a client may already have gone), then the close.
      return { next: "close", replies: [optionReply(option, rep.ack)] };
    case opt.list: {
      if (data.length !== 0) return cont(optionError(option, rep.errInvalid, "NBD_OPT_LIST takes no data"));
      return cont(
        ...ctx.listable().map((n) => optionReply(option, rep.server, serverEntry(n))),
        optionReply(option, rep.ack),
      );
    }
    case opt.exportName: {
      // No error reply exists for this old option: an unknown export is a disconnect.
      const name = data.toString("utf8");
      const found = data.length <= nbdLimits.maxNameBytes ? ctx.lookup(name) : undefined;
      if (!found) return { next: "close", replies: [] };
      return {
        next: "transmit",
        replies: [exportNameReply(found.sizeBytes, found.flags, ctx.noZeroes)],
        exportName: name,
        export: found,
      };
    }
    case opt.info:
    case opt.go:
      return infoOrGo(option, data, ctx);
    default:
      // STARTTLS, structured replies, meta contexts, extended headers and anything newer.
      return cont(optionError(option, rep.errUnsup, `option ${option} is not supported by this server`));
  }
}

function infoOrGo(option: number, data: Buffer, ctx: OptionContext): OptionOutcome {
  const parsed = parseGoData(data);
  if (typeof parsed === "string") return cont(optionError(option, rep.errInvalid, parsed));
  const found = ctx.lookup(parsed.name);
  if (!found) return cont(optionError(option, rep.errUnknown, `no export named "${parsed.name}"`));
  const replies = [optionReply(option, rep.info, infoExport(found.sizeBytes, found.flags))];
  if (parsed.infos.includes(info.name)) replies.push(optionReply(option, rep.info, infoName(parsed.name)));
  // Block size information is always sent: QEMU asks for it, and it states our max payload.
  replies.push(
    optionReply(
      option,
      rep.info,
      infoBlockSize(blockSizes.minBytes, blockSizes.preferredBytes, blockSizes.maxBytes),
    ),
  );
  replies.push(optionReply(option, rep.ack));
  if (option === opt.info) return { next: "continue", replies };
  return { next: "transmit", replies, exportName: parsed.name, export: found };
}

/** Parses the NBD_OPT_GO/INFO payload, or says what is wrong with it. */
export function parseGoData(data: Buffer): { name: string; infos: number[] } | string {
  if (data.length < 6) return "NBD_OPT_GO/INFO data is shorter than 6 bytes";
  const nameLength = data.readUInt32BE(0);
  if (nameLength > nbdLimits.maxNameBytes) return `export name of ${nameLength} bytes (at most 4096)`;
  if (data.length < 4 + nameLength + 2) return "NBD_OPT_GO/INFO data ends inside the export name";
  const name = data.subarray(4, 4 + nameLength).toString("utf8");
  const count = data.readUInt16BE(4 + nameLength);
  if (count > nbdLimits.maxInfoRequests)
    return `${count} information requests (at most ${nbdLimits.maxInfoRequests})`;
  if (data.length !== 4 + nameLength + 2 + 2 * count)
    return "NBD_OPT_GO/INFO data length does not match its information request count";
  const infos: number[] = [];
  for (let i = 0; i < count; i++) infos.push(data.readUInt16BE(6 + nameLength + 2 * i));
  return { name, infos };
}

function cont(...replies: Buffer[]): OptionOutcome {
  return { next: "continue", replies };
}
