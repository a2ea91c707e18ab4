// The zones a server answers for, found by the closest enclosing origin of a query name.
// Zones are replaced whole (copy-on-write), so a lookup never sees a half-applied change.

import { type Name, suffixKeys } from "./wire/name.ts";
import type { Zone } from "./zone.ts";

export type ZoneChange = { kind: "set"; zone: Zone } | { kind: "delete"; key: string };

export class ZoneIndex {
  private readonly zones = new Map<string, Zone>();
  private readonly listeners: ((c: ZoneChange) => void)[] = [];
  /** Bumped on every change: caches keyed by it can never serve stale answers. */
  generation = 0;

  set(zone: Zone): void {
    this.zones.set(zone.key, zone);
    this.generation++;
    for (const l of this.listeners) l({ kind: "set", zone });
  }

  delete(key: string): void {
    if (!this.zones.delete(key)) return;
    this.generation++;
    for (const l of this.listeners) l({ kind: "delete", key });
  }

  /** Called after every change (the UDP worker processes follow the index this way). */
  onChange(listener: (c: ZoneChange) => void): void {
    this.listeners.push(listener);
  }

  get(key: string): Zone | undefined {
    return this.zones.get(key);
  }

  get size(): number {
    return this.zones.size;
  }

  all(): IterableIterator<Zone> {
    return this.zones.values();
  }

  /** The zone with the longest origin that is `name` or an ancestor of it. */
  find(name: Name, keys: string[] = suffixKeys(name)): Zone | undefined {
    for (const k of keys) {
      const z = this.zones.get(k);
      if (z) return z;
    }
    return undefined;
  }
}
