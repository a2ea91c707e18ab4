// Keeps a server's ZoneIndex in step with the store: lists every Zone and RecordSet, then
// follows their watches, recompiling each changed zone once per batch of events. A zone that
// fails to compile keeps serving its last good version (and the failure is logged).
import type { Logger } from "pino";
import type { AnyResource } from "../core/resource/model.ts";
import type { ResourceStore, Watch, WatchEvent } from "../core/resource/store.ts";
import { recordSetKind, zoneKind } from "./api.ts";
import type { Zone } from "./zone.ts";
import { type RecordSetResource, type ZoneResource, zoneFromResources } from "./zone-from-resources.ts";
import type { ZoneIndex } from "./zone-index.ts";

/** How long to wait before listing again after a watch broke. */
const relistDelayMs = 1000;

export interface ZoneChange {
  /** project/name of the Zone resource. */
  resource: string;
  before: Zone | undefined;
  after: Zone | undefined;
  spec: ZoneResource["spec"] | undefined;
}

const keyOf = (o: AnyResource) => `${o.metadata.project}/${o.metadata.name}`;

export class ZoneSync {
  private zones = new Map<string, ZoneResource>();
  private sets = new Map<string, RecordSetResource>();
  private setsByZone = new Map<string, Set<string>>();
  /** Zone resource → the index key it is served under. */
  private served = new Map<string, string>();
  /** Zone resource → revision of the latest set deletion seen in it (the serial's floor). */
  private deletions = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private watches: Watch[] = [];
  private flushScheduled = false;
  private closed = false;
  private relistTimer: NodeJS.Timeout | undefined;
  /** Zone resource → why its latest version is not served. */
  readonly problems = new Map<string, string>();

  constructor(
    private readonly store: ResourceStore,
    private readonly index: ZoneIndex,
    private readonly log: Logger,
    private readonly onChange: (c: ZoneChange) => void = () => {},
  ) {}

  private async listAll(kind: string): Promise<{ items: AnyResource[]; revision: number }> {
    const items: AnyResource[] = [];
    let cont: string | undefined;
    let revision = 0;
    do {
      const page = await this.store.list(kind, undefined, {
        limit: 1000,
        ...(cont ? { continue: cont } : {}),
      });
      items.push(...page.items);
      if (revision === 0) revision = page.revision;
      cont = page.continue;
    } while (cont);
    return { items, revision };
  }

  async start(): Promise<void> {
    const [zones, sets] = await Promise.all([this.listAll(zoneKind.kind), this.listAll(recordSetKind.kind)]);
    const previous = new Set([...this.zones.keys()]);
    this.zones = new Map(zones.items.map((z) => [keyOf(z), z as ZoneResource]));
    this.sets = new Map();
    this.setsByZone = new Map();
    for (const s of sets.items) this.addSet(s as RecordSetResource);
    for (const k of [...previous, ...this.zones.keys()]) this.dirty.add(k);
    this.flush();
    const onError = (err: Error) => this.relist(err);
    this.watches = [
      this.store.watch(zoneKind.kind, undefined, (e) => this.onZoneEvent(e), {
        fromRevision: zones.revision,
        onError,
      }),
      this.store.watch(recordSetKind.kind, undefined, (e) => this.onSetEvent(e), {
        fromRevision: sets.revision,
        onError,
      }),
    ];
  }

  private relist(err: Error): void {
    if (this.closed || this.relistTimer) return;
    this.log.warn({ err }, "zone watch ended; listing again");
    for (const w of this.watches) w.close();
    this.watches = [];
    this.relistTimer = setTimeout(() => {
      this.relistTimer = undefined;
      this.start().catch((e) => this.relist(e as Error));
    }, relistDelayMs);
  }

  private zoneKeyOfSet(s: RecordSetResource): string {
    return `${s.metadata.project}/${s.spec.zone}`;
  }

  private addSet(s: RecordSetResource): void {
    const k = keyOf(s);
    this.sets.set(k, s);
    const z = this.zoneKeyOfSet(s);
    let members = this.setsByZone.get(z);
    if (!members) {
      members = new Set();
      this.setsByZone.set(z, members);
    }
    members.add(k);
    this.dirty.add(z);
  }

  private removeSet(k: string): void {
    const old = this.sets.get(k);
    if (!old) return;
    this.sets.delete(k);
    const z = this.zoneKeyOfSet(old);
    this.setsByZone.get(z)?.delete(k);
    this.dirty.add(z);
  }

  private onZoneEvent(e: WatchEvent): void {
    const k = keyOf(e.object);
    if (e.type === "DELETED") this.zones.delete(k);
    else this.zones.set(k, e.object as ZoneResource);
    this.dirty.add(k);
    this.schedule();
  }

  private onSetEvent(e: WatchEvent): void {
    const k = keyOf(e.object);
    this.removeSet(k);
    if (e.type !== "DELETED") this.addSet(e.object as RecordSetResource);
    else this.deletions.set(this.zoneKeyOfSet(e.object as RecordSetResource), e.revision);
    this.schedule();
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Events that arrive together (an import, a burst of writes) cost one compile per zone.
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.closed) this.flush();
    });
  }

  private flush(): void {
    for (const k of this.dirty) {
      const res = this.zones.get(k);
      const servedKey = this.served.get(k);
      const before = servedKey ? this.index.get(servedKey) : undefined;
      if (!res || res.metadata.deletionTimestamp) {
        if (servedKey) {
          this.index.delete(servedKey);
          this.served.delete(k);
          this.onChange({ resource: k, before, after: undefined, spec: undefined });
        }
        this.problems.delete(k);
        continue;
      }
      const sets = [...(this.setsByZone.get(k) ?? [])].map((s) => this.sets.get(s) as RecordSetResource);
      let zone: Zone;
      try {
        zone = zoneFromResources(res, sets, this.deletions.get(k) ?? 0);
      } catch (err) {
        this.problems.set(k, (err as Error).message);
        this.log.error(
          { zone: k, err: (err as Error).message },
          "zone does not compile; serving its last good version",
        );
        continue;
      }
      this.problems.delete(k);
      if (servedKey && servedKey !== zone.key) this.index.delete(servedKey);
      this.index.set(zone);
      this.served.set(k, zone.key);
      this.onChange({
        resource: k,
        before: servedKey === zone.key ? before : undefined,
        after: zone,
        spec: res.spec,
      });
    }
    this.dirty.clear();
  }

  close(): void {
    this.closed = true;
    if (this.relistTimer) clearTimeout(this.relistTimer);
    for (const w of this.watches) w.close();
    this.watches = [];
  }
}
