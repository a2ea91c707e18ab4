// Typed client of flashdns: zones, record sets, import/export, and the record hooks other
// components (plasmavmc, fiberlb, k8shost) call to publish names for what they create.
import { HttpClient, type HttpClientOptions } from "../core/http-client.ts";
import type { Resource } from "../core/resource/model.ts";
import type { ListResult } from "../core/resource/store.ts";
import type { ImportResult, RecordSetSpec, RecordType, ZoneSpec, ZoneStatus } from "./api.ts";
import { reverseName } from "./reverse-names.ts";

export { reverseName, reverseZonesFor } from "./reverse-names.ts";

export type Zone = Resource<ZoneSpec, ZoneStatus>;
export type RecordSet = Resource<RecordSetSpec, Record<string, never>>;
export type ZoneInput = Partial<ZoneSpec> & Pick<ZoneSpec, "dnsName">;
export type RecordSetInput = Pick<RecordSetSpec, "zone" | "name" | "type" | "records"> & {
  ttlSeconds?: number;
};

/** A record set as the hooks publish it: one owner and type, replaced as a whole. */
export interface RecordsUpsert {
  name: string;
  type: RecordType;
  records: string[];
  ttlSeconds?: number;
}

/** The resource name the hooks give a set, so the same (owner, type) always maps to the same set. */
export function hookSetName(name: string, type: RecordType): string {
  const base = `${name
    .replace(/\.$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")}-${type.toLowerCase()}`.replace(/^-+/, "");
  if (base.length <= 63 && /^[a-z0-9]/.test(base)) return base;
  let h = 0;
  for (const c of base) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `${base.slice(0, 50).replace(/-+$/, "")}-${h.toString(16)}`;
}

export class FlashdnsClient {
  readonly http: HttpClient;
  constructor(opts: HttpClientOptions | HttpClient) {
    this.http = opts instanceof HttpClient ? opts : new HttpClient(opts);
  }

  createZone(project: string, name: string, spec: ZoneInput): Promise<Zone> {
    return this.http.post(`/v1/projects/${project}/zones`, { metadata: { name }, spec });
  }
  getZone(project: string, name: string): Promise<Zone> {
    return this.http.get(`/v1/projects/${project}/zones/${name}`);
  }
  listZones(project: string): Promise<ListResult & { items: Zone[] }> {
    return this.http.get(`/v1/projects/${project}/zones`);
  }
  patchZone(project: string, name: string, spec: Partial<ZoneSpec>): Promise<Zone> {
    return this.http.patch(`/v1/projects/${project}/zones/${name}`, { spec });
  }
  deleteZone(project: string, name: string): Promise<Zone> {
    return this.http.delete(`/v1/projects/${project}/zones/${name}`);
  }

  createRecordSet(project: string, name: string, spec: RecordSetInput): Promise<RecordSet> {
    return this.http.post(`/v1/projects/${project}/recordsets`, { metadata: { name }, spec });
  }
  getRecordSet(project: string, name: string): Promise<RecordSet> {
    return this.http.get(`/v1/projects/${project}/recordsets/${name}`);
  }
  listRecordSets(
    project: string,
    opts: { limit?: number; continue?: string } = {},
  ): Promise<ListResult & { items: RecordSet[] }> {
    return this.http.get(`/v1/projects/${project}/recordsets`, { query: opts });
  }
  replaceRecordSet(
    project: string,
    name: string,
    spec: RecordSetInput,
    revision?: number,
  ): Promise<RecordSet> {
    return this.http.put(`/v1/projects/${project}/recordsets/${name}`, {
      metadata: { name, ...(revision !== undefined ? { revision } : {}) },
      spec,
    });
  }
  deleteRecordSet(project: string, name: string): Promise<RecordSet> {
    return this.http.delete(`/v1/projects/${project}/recordsets/${name}`);
  }

  importZone(project: string, zone: string, text: string, replace = false): Promise<ImportResult> {
    return this.http.post(`/v1/projects/${project}/zones/${zone}/import`, { text, replace });
  }
  exportZone(project: string, zone: string): Promise<{ text: string; serial: number }> {
    return this.http.get(`/v1/projects/${project}/zones/${zone}/export`);
  }

  /**
   * The platform hook: publishes records (e.g. "vm1" A 10.0.0.5) in a zone, creating or
   * replacing each (owner, type) set. Safe to retry.
   */
  async upsertRecords(project: string, zone: string, sets: RecordsUpsert[]): Promise<void> {
    for (const s of sets) {
      const name = hookSetName(`${zone}-${s.name}`, s.type);
      const spec: RecordSetInput = {
        zone,
        name: s.name,
        type: s.type,
        records: s.records,
        ttlSeconds: s.ttlSeconds ?? 60,
      };
      try {
        await this.replaceRecordSet(project, name, spec);
      } catch (e) {
        if ((e as { code?: string }).code !== "NotFound") throw e;
        await this.createRecordSet(project, name, spec).catch(async (err) => {
          // Created by a concurrent call: replace it with ours.
          if ((err as { code?: string }).code !== "AlreadyExists") throw err;
          await this.replaceRecordSet(project, name, spec);
        });
      }
    }
  }

  /** Publishes the PTR of an address (e.g. a VM's) in the reverse zone resource `zone` that covers it. */
  upsertPtr(project: string, zone: string, ip: string, target: string, ttlSeconds = 60): Promise<void> {
    return this.upsertRecords(project, zone, [
      {
        name: reverseName(ip),
        type: "PTR",
        records: [target.endsWith(".") ? target : `${target}.`],
        ttlSeconds,
      },
    ]);
  }

  deletePtr(project: string, zone: string, ip: string): Promise<void> {
    return this.deleteRecords(project, zone, [{ name: reverseName(ip), type: "PTR" }]);
  }

  /** The hook's counterpart: removes what upsertRecords published (missing sets are fine). */
  async deleteRecords(
    project: string,
    zone: string,
    sets: { name: string; type: RecordType }[],
  ): Promise<void> {
    for (const s of sets) {
      await this.deleteRecordSet(project, hookSetName(`${zone}-${s.name}`, s.type)).catch((e) => {
        if ((e as { code?: string }).code !== "NotFound") throw e;
      });
    }
  }
}
