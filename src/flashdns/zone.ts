// One zone compiled for answering: its names (and the empty non-terminals between them) in
// a map by case-folded key, each with its RRsets by type. Compilation is where the rules a
// server depends on are checked, so anything that compiles can be served.
import { RRType, typeName } from "./wire/constants.ts";
import type { RData, ResourceRecord } from "./wire/message.ts";
import { isSubdomain, type Name, nameKey, namesEqual, nameToText, suffixKeys } from "./wire/name.ts";

export interface RRset {
  name: Name;
  type: number;
  ttl: number;
  records: ResourceRecord[];
}

export interface ZoneNode {
  name: Name;
  /** Empty for an empty non-terminal: it exists (NODATA, blocks wildcards) but holds nothing. */
  rrsets: Map<number, RRset>;
}

export type SoaData = Extract<RData, { type: 6 }>;

export interface Zone {
  origin: Name;
  key: string;
  soa: RRset;
  nodes: Map<string, ZoneNode>;
  /** Every record in a stable order (apex SOA first), for transfers and export. */
  records: ResourceRecord[];
}

/** Bounds: a zone is held in memory by every server, so its size is capped. */
export const zoneLimits = { maxRecords: 200_000, maxRRsetRecords: 1000 };

export class ZoneError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.slice(0, 5).join("; ") + (problems.length > 5 ? `; and ${problems.length - 5} more` : ""));
    this.name = "ZoneError";
    this.problems = problems;
  }
}

export function soaOf(zone: Zone): SoaData {
  return zone.soa.records[0]?.data as SoaData;
}

/**
 * Builds a zone from its records; throws ZoneError listing every problem that would make
 * the zone unservable (missing or extra SOA, CNAME beside other data, out-of-zone names…).
 */
export function compileZone(origin: Name, input: readonly ResourceRecord[]): Zone {
  const problems: string[] = [];
  if (input.length > zoneLimits.maxRecords)
    throw new ZoneError([`zone holds ${input.length} records; the limit is ${zoneLimits.maxRecords}`]);
  const nodes = new Map<string, ZoneNode>();
  const originText = nameToText(origin);
  const node = (name: Name): ZoneNode => {
    const keys = suffixKeys(name);
    const key = keys[0] as string;
    let n = nodes.get(key);
    if (n) return n;
    n = { name, rrsets: new Map() };
    nodes.set(key, n);
    // Ancestors up to the apex exist too, as empty non-terminals unless they hold data.
    for (let i = 1; i <= name.length - origin.length; i++) {
      const k = keys[i] as string;
      if (nodes.has(k)) break;
      nodes.set(k, { name: name.slice(i), rrsets: new Map() });
    }
    return n;
  };
  node(origin);
  for (const rr of input) {
    const owner = nameToText(rr.name);
    if (!isSubdomain(rr.name, origin)) {
      problems.push(`${owner} ${typeName(rr.type)} is outside the zone ${originText}`);
      continue;
    }
    if (
      rr.type === RRType.OPT ||
      rr.type === RRType.TSIG ||
      rr.type === RRType.ANY ||
      rr.type === RRType.AXFR ||
      rr.type === RRType.IXFR
    ) {
      problems.push(`${owner}: ${typeName(rr.type)} is a meta type and cannot be stored in a zone`);
      continue;
    }
    if (rr.class !== 1) {
      problems.push(`${owner} ${typeName(rr.type)}: only class IN is served`);
      continue;
    }
    const n = node(rr.name);
    let set = n.rrsets.get(rr.type);
    if (!set) {
      set = { name: n.name, type: rr.type, ttl: rr.ttl, records: [] };
      n.rrsets.set(rr.type, set);
    }
    // RFC 2181 §5.2 wants one TTL per RRset; records keep theirs (as NSD serves them) and
    // the set's TTL is the lowest. The API only ever writes one TTL per set.
    if (rr.ttl < set.ttl) set.ttl = rr.ttl;
    if (set.records.some((r) => sameRdata(r.data, rr.data))) continue;
    if (set.records.length >= zoneLimits.maxRRsetRecords) {
      problems.push(`${owner} ${typeName(rr.type)} has more than ${zoneLimits.maxRRsetRecords} records`);
      continue;
    }
    set.records.push(rr);
  }
  const apex = nodes.get(nameKey(origin)) as ZoneNode;
  const soa = apex.rrsets.get(RRType.SOA);
  if (!soa) problems.push(`the zone ${originText} has no SOA record at its apex`);
  else if (soa.records.length > 1)
    problems.push(`the zone ${originText} has ${soa.records.length} SOA records; it must have exactly one`);
  for (const [, n] of nodes) {
    const owner = nameToText(n.name);
    if (n.rrsets.has(RRType.SOA) && !namesEqual(n.name, origin))
      problems.push(`${owner}: an SOA record may only be at the zone apex ${originText}`);
    if (n.rrsets.has(RRType.CNAME)) {
      if (n.rrsets.size > 1)
        problems.push(
          `${owner} has a CNAME and other data (${[...n.rrsets.keys()]
            .filter((t) => t !== RRType.CNAME)
            .map(typeName)
            .join(", ")}); a CNAME must be alone at its name (RFC 1034 §3.6.2)`,
        );
      if ((n.rrsets.get(RRType.CNAME)?.records.length ?? 0) > 1)
        problems.push(`${owner} has more than one CNAME record`);
      if (namesEqual(n.name, origin)) problems.push(`${owner}: the zone apex cannot be a CNAME`);
    }
  }
  if (problems.length > 0) throw new ZoneError(problems);
  const records: ResourceRecord[] = [...(soa as RRset).records];
  for (const [, n] of nodes)
    for (const [t, set] of n.rrsets)
      if (!(t === RRType.SOA && n === apex)) for (const r of set.records) records.push(r);
  return { origin, key: nameKey(origin), soa: soa as RRset, nodes, records };
}

const bytesEqual = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** RDATA equality as DNS defines it: names compare case-insensitively, the rest by value. */
export function sameRdata(a: RData, b: RData): boolean {
  if (a.type !== b.type) return false;
  for (const k of Object.keys(a) as (keyof RData)[]) {
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) {
        const p = x[i];
        const q = y[i];
        if (p instanceof Uint8Array && q instanceof Uint8Array) {
          if (!bytesEqual(p, q)) return false;
        } else if (typeof p === "string" && typeof q === "string") {
          if (p.toLowerCase() !== q.toLowerCase()) return false;
        } else return false;
      }
    } else if (x instanceof Uint8Array && y instanceof Uint8Array) {
      if (!bytesEqual(x, y)) return false;
    } else if (x !== y) return false;
  }
  return true;
}
