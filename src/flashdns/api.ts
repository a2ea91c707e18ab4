// flashdns's public contract: zones and record sets, per project, as resources; the record
// data is written in presentation form ("10 mail.example.com."), as in a master file.
import { z } from "zod";
import { defineKind } from "../core/resource/kind.ts";
import { conditionSchema, nameSchema } from "../core/resource/model.ts";

/** A fully qualified domain name; the trailing dot is optional on input. */
export const dnsNameSchema = z
  .string()
  .min(1)
  .max(254)
  .regex(
    /^([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/,
    "must be a domain name like example.com (letters, digits, '-', '_', labels of at most 63 characters)",
  );

const seconds = z.number().int("must be a whole number of seconds").min(0).max(2_147_483_647);

export const recordTypes = ["A", "AAAA", "CNAME", "MX", "TXT", "SRV", "NS", "PTR", "CAA"] as const;
export const recordTypeSchema = z.enum(recordTypes);
export type RecordType = z.infer<typeof recordTypeSchema>;

export const soaTimersSchema = z.strictObject({
  refreshSeconds: seconds.default(3600),
  retrySeconds: seconds.default(600),
  expireSeconds: seconds.default(1_209_600),
  /** TTL of negative answers (RFC 2308). */
  minimumSeconds: seconds.default(300),
});

export const secondarySchema = z.strictObject({
  /** IPv4 or IPv6 address of a secondary server that gets NOTIFY and may transfer the zone. */
  address: z.union([z.ipv4(), z.ipv6()]),
  port: z.number().int().min(1).max(65_535).default(53),
});

export const zoneSpecSchema = z.strictObject({
  /** The zone's origin, e.g. "example.com."; fixed once created. */
  dnsName: dnsNameSchema,
  /** Apex NS records; the first is the SOA's primary server. */
  nameservers: z.array(dnsNameSchema).min(1).max(13).default(["ns1.flashdns.invalid."]),
  /** SOA RNAME as a mailbox name ("hostmaster.example.com."); default hostmaster.<zone>. */
  hostmaster: dnsNameSchema.optional(),
  ttlSeconds: seconds.default(3600),
  soa: soaTimersSchema.default({
    refreshSeconds: 3600,
    retrySeconds: 600,
    expireSeconds: 1_209_600,
    minimumSeconds: 300,
  }),
  /** Secondaries (NOTIFY targets, allowed to transfer) and the TSIG key transfers must use. */
  transfer: z
    .strictObject({
      secondaries: z.array(secondarySchema).max(16).default([]),
      /** Name of a TSIG key the server is configured with (--tsig-keys); transfers must be signed with it. */
      tsigKey: dnsNameSchema.optional(),
    })
    .default({ secondaries: [] }),
});
export type ZoneSpec = z.infer<typeof zoneSpecSchema>;

export const zoneStatusSchema = z.strictObject({
  /** Bumped when a record set is deleted, so the SOA serial still rises. */
  changeCount: z.number().int().nonnegative().default(0),
  conditions: z.array(conditionSchema).default([]),
});
export type ZoneStatus = z.infer<typeof zoneStatusSchema>;

export const zoneKind = defineKind({
  component: "flashdns",
  apiVersion: "flashdns/v1",
  kind: "Zone",
  plural: "zones",
  scope: "project",
  spec: zoneSpecSchema,
  status: zoneStatusSchema,
  initialStatus: (): ZoneStatus => ({ changeCount: 0, conditions: [] }),
  description: "An authoritative DNS zone served by flashdns; a domain belongs to one project",
});

export const recordSetSpecSchema = z.strictObject({
  /** Name of the Zone resource (in the same project) the set belongs to. */
  zone: nameSchema,
  /** Owner: relative to the zone ("www", "@" for the apex, "*.dev") or absolute ("www.example.com."). */
  name: z.string().min(1).max(254),
  type: recordTypeSchema,
  ttlSeconds: seconds.default(300),
  /** RDATA in presentation form, one string per record, e.g. "192.0.2.1" or "10 mail". */
  records: z.array(z.string().min(1).max(4096)).min(1).max(1000),
});
export type RecordSetSpec = z.infer<typeof recordSetSpecSchema>;

export const recordSetKind = defineKind({
  component: "flashdns",
  apiVersion: "flashdns/v1",
  kind: "RecordSet",
  plural: "recordsets",
  scope: "project",
  spec: recordSetSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "The records of one name and type in a zone",
});

/**
 * Which project holds a domain: one claim per zone origin, created atomically with the zone,
 * so two projects can never serve the same zone. Internal; not exposed through the API.
 */
export const zoneClaimKind = defineKind({
  component: "flashdns",
  apiVersion: "flashdns/v1",
  kind: "ZoneClaim",
  plural: "zoneclaims",
  scope: "cluster",
  spec: z.strictObject({ dnsName: z.string(), project: nameSchema, zone: nameSchema }),
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "Which project serves a domain",
});

export const importRequestSchema = z.strictObject({
  /** RFC 1035 master file; relative names are relative to the zone. SOA timers and apex NS update the zone. */
  text: z
    .string()
    .min(1)
    .max(16 * 1024 * 1024),
  /** Delete record sets the file does not mention. */
  replace: z.boolean().default(false),
});
export type ImportRequest = z.infer<typeof importRequestSchema>;

export const importResultSchema = z.strictObject({
  created: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const exportResultSchema = z.strictObject({ text: z.string(), serial: z.number().int() });
