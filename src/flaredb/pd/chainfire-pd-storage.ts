// The placement driver's state in chainfire (etcd v3 API), under /flaredb/pd/.
import { ChainfireClient } from "../../chainfire/client.ts";
import type { RegionDescriptor } from "../api.ts";
import { PD_PREFIX, type PdStorage } from "./pd-storage.ts";

export class ChainfirePdStorage implements PdStorage {
  private readonly kv: ChainfireClient;
  constructor(endpoints: string[]) {
    this.kv = new ChainfireClient(endpoints);
  }
  async getNumber(name: string) {
    const kv = await this.kv.get(`${PD_PREFIX}meta/${name}`);
    return kv ? Number(kv.value.toString("utf8")) : undefined;
  }
  async putNumber(name: string, v: number) {
    await this.kv.put(`${PD_PREFIX}meta/${name}`, String(v));
  }
  async loadRegions() {
    const r = await this.kv.range(`${PD_PREFIX}region/`, { prefix: true });
    return r.kvs.map((kv) => JSON.parse(kv.value.toString("utf8")) as RegionDescriptor);
  }
  async putRegion(r: RegionDescriptor) {
    await this.kv.put(`${PD_PREFIX}region/${String(r.id).padStart(12, "0")}`, JSON.stringify(r));
  }
  async close() {
    this.kv.close();
  }
}
