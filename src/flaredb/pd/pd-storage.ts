// Where the placement driver keeps what must survive it: the id allocator, the TSO high-water
// mark and the region descriptors. In a cluster that is chainfire (keys under /flaredb/pd/);
// a single node without chainfire uses a local LMDB file, the same code path otherwise.
import { mkdirSync } from "node:fs";
import { open, type RootDatabase } from "lmdb";
import type { RegionDescriptor } from "../api.ts";

export interface PdStorage {
  getNumber(name: "nextId" | "tsoHighWater"): Promise<number | undefined>;
  putNumber(name: "nextId" | "tsoHighWater", v: number): Promise<void>;
  loadRegions(): Promise<RegionDescriptor[]>;
  putRegion(r: RegionDescriptor): Promise<void>;
  close(): Promise<void>;
}

export const PD_PREFIX = "/flaredb/pd/";

export class LmdbPdStorage implements PdStorage {
  private readonly root: RootDatabase;
  constructor(path: string) {
    mkdirSync(path, { recursive: true });
    this.root = open({ path, noSubdir: false, compression: false });
  }
  async getNumber(name: string) {
    return this.root.get(`meta/${name}`) as number | undefined;
  }
  async putNumber(name: string, v: number) {
    await this.root.put(`meta/${name}`, v);
  }
  async loadRegions() {
    return [...this.root.getRange({ start: "region/", end: "region0" })].map(
      (e) => e.value as RegionDescriptor,
    );
  }
  async putRegion(r: RegionDescriptor) {
    await this.root.put(`region/${String(r.id).padStart(12, "0")}`, r);
  }
  close() {
    return this.root.close();
  }
}
