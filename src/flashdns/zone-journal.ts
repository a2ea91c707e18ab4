// The differences between successive versions of a zone, by SOA serial, for IXFR (RFC 1995).
// Bounded per zone: a client further behind than the journal gets the whole zone.
import { rdataToText } from "./rdata-text.ts";
import { RRType } from "./wire/constants.ts";
import type { ResourceRecord } from "./wire/message.ts";
import { nameKey } from "./wire/name.ts";
import { type SoaData, soaOf, type Zone } from "./zone.ts";

export interface ZoneDiff {
  fromSoa: ResourceRecord;
  toSoa: ResourceRecord;
  deleted: ResourceRecord[];
  added: ResourceRecord[];
}

const recordKey = (r: ResourceRecord) =>
  `${nameKey(r.name)} ${r.type} ${r.ttl} ${rdataToText(r.data).toLowerCase()}`;

/** What changed between two versions (the SOA itself aside); undefined when nothing did. */
export function diffZones(before: Zone, after: Zone): ZoneDiff | undefined {
  const old = new Map(before.records.filter((r) => r.type !== RRType.SOA).map((r) => [recordKey(r), r]));
  const added: ResourceRecord[] = [];
  for (const r of after.records) {
    if (r.type === RRType.SOA) continue;
    const k = recordKey(r);
    if (old.has(k)) old.delete(k);
    else added.push(r);
  }
  const fromSoa = before.soa.records[0] as ResourceRecord;
  const toSoa = after.soa.records[0] as ResourceRecord;
  if (soaOf(before).serial === soaOf(after).serial) return undefined;
  return { fromSoa, toSoa, deleted: [...old.values()], added };
}

export class ZoneJournal {
  private readonly diffs: ZoneDiff[] = [];
  constructor(private readonly maxEntries: number) {}

  record(d: ZoneDiff): void {
    this.diffs.push(d);
    while (this.diffs.length > this.maxEntries) this.diffs.shift();
  }

  /** The chain of diffs from `serial` to the newest, or undefined when the journal does not reach back. */
  since(serial: number): ZoneDiff[] | undefined {
    const start = this.diffs.findIndex((d) => (d.fromSoa.data as SoaData).serial === serial);
    if (start < 0) return undefined;
    const chain = this.diffs.slice(start);
    for (let i = 1; i < chain.length; i++) {
      if (
        ((chain[i] as ZoneDiff).fromSoa.data as SoaData).serial !==
        ((chain[i - 1] as ZoneDiff).toSoa.data as SoaData).serial
      )
        return undefined;
    }
    return chain;
  }

  get size(): number {
    return this.diffs.length;
  }
}
