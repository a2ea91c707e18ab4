// Zone and RecordSet resources → the records a server answers with. The API validates with
// these same functions, so whatever it accepts is what the servers compile and serve.
import type { Resource } from "../core/resource/model.ts";
import type { RecordSetSpec, ZoneSpec, ZoneStatus } from "./api.ts";
import { parseRdata, RdataSyntaxError, tokenize } from "./rdata-text.ts";
import { RRType, typeByName } from "./wire/constants.ts";
import type { ResourceRecord } from "./wire/message.ts";
import { isSubdomain, type Name, NameSyntaxError, nameFromText, nameToText } from "./wire/name.ts";
import { compileZone, type Zone } from "./zone.ts";

export type ZoneResource = Resource<ZoneSpec, ZoneStatus>;
export type RecordSetResource = Resource<RecordSetSpec, unknown>;

export class RecordSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordSetError";
  }
}

export const absolute = (dnsName: string) => (dnsName.endsWith(".") ? dnsName : `${dnsName}.`);

export function zoneOrigin(spec: ZoneSpec): Name {
  return nameFromText(absolute(spec.dnsName));
}

/** The owner name of a record set: relative to the zone unless it ends with a dot. */
export function ownerOf(spec: RecordSetSpec, origin: Name): Name {
  let owner: Name;
  try {
    owner = nameFromText(spec.name, origin);
  } catch (e) {
    if (e instanceof NameSyntaxError)
      throw new RecordSetError(`spec.name ${JSON.stringify(spec.name)}: ${e.message}`);
    throw e;
  }
  if (!isSubdomain(owner, origin))
    throw new RecordSetError(
      `spec.name ${nameToText(owner)} is outside the zone ${nameToText(origin)}; use a relative name or one ending in .${nameToText(origin)}`,
    );
  return owner;
}

/** Parses a record set's records; errors name the record at fault. */
export function recordSetRecords(spec: RecordSetSpec, origin: Name): ResourceRecord[] {
  const owner = ownerOf(spec, origin);
  const type = typeByName[spec.type] as number;
  if (type === RRType.NS && owner.length === origin.length)
    throw new RecordSetError("NS records at the zone apex are set by the zone's spec.nameservers");
  if (type === RRType.CNAME && spec.records.length > 1)
    throw new RecordSetError("a CNAME record set holds exactly one record");
  return spec.records.map((text, i) => {
    try {
      return {
        name: owner,
        type,
        class: 1,
        ttl: spec.ttlSeconds,
        data: parseRdata(type, tokenize(text), origin),
      };
    } catch (e) {
      if (e instanceof RdataSyntaxError)
        throw new RecordSetError(`spec.records[${i}] ${JSON.stringify(text)}: ${e.message}`);
      throw e;
    }
  });
}

/** The SOA serial: the highest store revision among the zone and its sets, so every change raises it. */
export function serialOf(zone: ZoneResource, sets: readonly RecordSetResource[], floorRevision = 0): number {
  let max = Math.max(zone.metadata.revision, floorRevision);
  for (const s of sets) if (s.metadata.revision > max) max = s.metadata.revision;
  return max % 2 ** 32;
}

/** The apex records the zone's spec implies: SOA and NS. */
export function apexRecords(zone: ZoneResource, serial: number): ResourceRecord[] {
  const spec = zone.spec;
  const origin = zoneOrigin(spec);
  const ns = spec.nameservers.map((n) => nameFromText(absolute(n)));
  return [
    {
      name: origin,
      type: RRType.SOA,
      class: 1,
      ttl: spec.ttlSeconds,
      data: {
        type: 6,
        mname: ns[0] as Name,
        rname: spec.hostmaster ? nameFromText(absolute(spec.hostmaster)) : ["hostmaster", ...origin],
        serial,
        refresh: spec.soa.refreshSeconds,
        retry: spec.soa.retrySeconds,
        expire: spec.soa.expireSeconds,
        minimum: spec.soa.minimumSeconds,
      },
    },
    ...ns.map(
      (target): ResourceRecord => ({
        name: origin,
        type: RRType.NS,
        class: 1,
        ttl: spec.ttlSeconds,
        data: { type: 2, target },
      }),
    ),
  ];
}

/**
 * Compiles a zone from its resources; throws RecordSetError or ZoneError. `floorRevision` is
 * the latest deletion a server has seen in the zone: the serial must rise past it too.
 */
export function zoneFromResources(
  zone: ZoneResource,
  sets: readonly RecordSetResource[],
  floorRevision = 0,
): Zone {
  const origin = zoneOrigin(zone.spec);
  const records = apexRecords(zone, serialOf(zone, sets, floorRevision));
  const seen = new Map<string, string>();
  for (const s of sets) {
    const rrs = recordSetRecords(s.spec, origin);
    const key = `${nameToText(rrs[0]?.name ?? origin).toLowerCase()} ${s.spec.type}`;
    const other = seen.get(key);
    if (other !== undefined && other !== s.metadata.name)
      throw new RecordSetError(`${key} is already defined by record set "${other}"; edit that one instead`);
    seen.set(key, s.metadata.name);
    records.push(...rrs);
  }
  return compileZone(origin, records);
}
