// The messages of an outgoing zone transfer: AXFR (RFC 5936) and IXFR (RFC 1995), packed
// greedily into messages of bounded size. Pure.
import { RRType } from "./wire/constants.ts";
import { WireWriter, writeHeader, writeRecord } from "./wire/encode.ts";
import { emptyHeader, type Message, type ResourceRecord } from "./wire/message.ts";
import type { Zone } from "./zone.ts";
import type { ZoneDiff } from "./zone-journal.ts";

/** Each message of a transfer stays under this, leaving room for a TSIG record. */
export const transferMessageBytes = 16_384;

/** Packs records into messages; the first carries the question (RFC 5936 §2.2). */
export function packTransfer(
  query: Message,
  records: readonly ResourceRecord[],
  roomBytes = transferMessageBytes,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  const header = { ...emptyHeader(), id: query.header.id, qr: true, aa: true, opcode: 0 };
  let i = 0;
  let first = true;
  while (i < records.length || first) {
    const w = new WireWriter(roomBytes);
    writeHeader(w, header, [0, 0, 0, 0]);
    let qd = 0;
    if (first && query.questions[0]) {
      const q = query.questions[0];
      w.name(q.name, true);
      w.u16(q.type);
      w.u16(q.class);
      qd = 1;
    }
    let an = 0;
    while (i < records.length) {
      const m = w.mark();
      try {
        writeRecord(w, records[i] as ResourceRecord);
      } catch {
        w.rollback(m);
        // A single record larger than a message cannot happen: zone records are bounded far below.
        if (an === 0) throw new Error("a record does not fit in a transfer message");
        break;
      }
      an++;
      i++;
    }
    w.setU16(4, qd);
    w.setU16(6, an);
    out.push(w.result());
    first = false;
  }
  return out;
}

/** AXFR: the SOA, every other record, the SOA again. */
export function axfrRecords(zone: Zone): ResourceRecord[] {
  const soa = zone.soa.records[0] as ResourceRecord;
  return [soa, ...zone.records.filter((r) => r.type !== RRType.SOA), soa];
}

/** IXFR with a journal chain: the new SOA, then per diff old SOA, deletions, new SOA, additions; the new SOA last. */
export function ixfrRecords(zone: Zone, chain: readonly ZoneDiff[]): ResourceRecord[] {
  const soa = zone.soa.records[0] as ResourceRecord;
  const out: ResourceRecord[] = [soa];
  for (const d of chain) out.push(d.fromSoa, ...d.deleted, d.toSoa, ...d.added);
  out.push(soa);
  return out;
}
