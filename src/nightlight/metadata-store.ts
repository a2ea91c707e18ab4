// Metric metadata (type, help, unit) per tenant, as remote_write and scrapes report it, for
// /api/v1/metadata. Bounded: beyond the cap, new families are not recorded.
import type { WriteMetadata } from "./ingest/write-request.ts";

/** Metric families remembered per tenant. */
export const maxFamiliesPerTenant = 50_000;

export class MetadataStore {
  private readonly byTenant = new Map<string, Map<string, { type: string; help: string; unit: string }>>();

  record(tenant: string, items: WriteMetadata[]): void {
    let m = this.byTenant.get(tenant);
    if (!m) {
      m = new Map();
      this.byTenant.set(tenant, m);
    }
    for (const it of items) {
      if (!it.family || (m.size >= maxFamiliesPerTenant && !m.has(it.family))) continue;
      m.set(it.family, { type: it.type, help: it.help, unit: it.unit });
    }
  }

  query(
    tenant: string,
    metric: string | undefined,
    limit: number,
  ): Record<string, { type: string; help: string; unit: string }[]> {
    const out: Record<string, { type: string; help: string; unit: string }[]> = {};
    const m = this.byTenant.get(tenant);
    if (!m) return out;
    let n = 0;
    for (const [family, md] of m) {
      if (metric && family !== metric) continue;
      if (limit >= 0 && n >= limit) break;
      out[family] = [md];
      n++;
    }
    return out;
  }
}
