// flashdns's REST routes: zones and record sets (the standard resource routes, with hooks
// that reject anything a server could not serve), zone ownership, and master-file import
// and export.
import { createHash } from "node:crypto";
import { z } from "zod";
import { resourceRoutes } from "../core/api/resource-routes.ts";
import { type AnyRoute, defineRoute } from "../core/api/route.ts";
import { ApiError } from "../core/errors.ts";
import { type AnyResource, nameSchema, projectSchema } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import {
  exportResultSchema,
  importRequestSchema,
  importResultSchema,
  type RecordSetSpec,
  type RecordType,
  recordSetKind,
  recordTypes,
  type ZoneSpec,
  zoneClaimKind,
  zoneKind,
} from "./api.ts";
import { MasterFileError, parseMasterFile, writeMasterFile } from "./master-file.ts";
import { rdataToText } from "./rdata-text.ts";
import { RRType, typeName } from "./wire/constants.ts";
import { type Name, nameFromText, nameKey, nameToText, suffixKeys } from "./wire/name.ts";
import { soaOf, ZoneError } from "./zone.ts";
import {
  absolute,
  RecordSetError,
  type RecordSetResource,
  type ZoneResource,
  zoneFromResources,
  zoneOrigin,
} from "./zone-from-resources.ts";

const tags = ["flashdns"];

async function listAll(
  store: ResourceStore,
  kind: string,
  project: string | undefined,
): Promise<AnyResource[]> {
  const out: AnyResource[] = [];
  let cont: string | undefined;
  do {
    const page = await store.list(kind, project, { limit: 1000, ...(cont ? { continue: cont } : {}) });
    out.push(...page.items);
    cont = page.continue;
  } while (cont);
  return out;
}

/** The claim of a domain is named by a hash of it: a valid resource name whatever the domain. */
export const claimName = (dnsName: string) =>
  `z${createHash("sha256")
    .update(nameKey(nameFromText(absolute(dnsName))))
    .digest("hex")
    .slice(0, 40)}`;

async function zoneSets(store: ResourceStore, project: string, zone: string): Promise<RecordSetResource[]> {
  return ((await listAll(store, recordSetKind.kind, project)) as RecordSetResource[]).filter(
    (s) => s.spec.zone === zone,
  );
}

/** Turns compile errors into the API's InvalidArgument with the precise reason. */
function checkCompiles(zone: ZoneResource, sets: RecordSetResource[]): void {
  try {
    zoneFromResources(zone, sets);
  } catch (e) {
    if (e instanceof RecordSetError || e instanceof ZoneError)
      throw new ApiError("InvalidArgument", e.message);
    throw e;
  }
}

async function getZone(store: ResourceStore, project: string, name: string): Promise<ZoneResource> {
  const z = await store.get({ kind: zoneKind.kind, project, name });
  if (!z)
    throw new ApiError(
      "FailedPrecondition",
      `zone "${name}" does not exist in project "${project}"; create it first`,
    );
  return z as ZoneResource;
}

/** Claims a domain for a project; a claim left behind by a zone that no longer exists is taken over. */
async function claim(store: ResourceStore, project: string, zone: string, dnsName: string): Promise<void> {
  const name = claimName(dnsName);
  const want = { dnsName: absolute(dnsName).toLowerCase(), project, zone };
  const obj = {
    apiVersion: zoneClaimKind.apiVersion,
    kind: zoneClaimKind.kind,
    metadata: { name, uid: "", revision: 0, labels: {}, annotations: {}, createdAt: "", updatedAt: "" },
    spec: want,
    status: {},
  };
  try {
    await store.create(obj);
    return;
  } catch (e) {
    if ((e as ApiError).code !== "AlreadyExists") throw e;
  }
  const existing = await store.get({ kind: zoneClaimKind.kind, name });
  const held = existing?.spec as typeof want | undefined;
  if (!existing || !held) return claim(store, project, zone, dnsName);
  if (held.project === project && held.zone === zone) return;
  const holder = await store.get({ kind: zoneKind.kind, project: held.project, name: held.zone });
  if (
    holder &&
    (holder.spec as ZoneSpec).dnsName.toLowerCase().replace(/\.$/, "") === want.dnsName.replace(/\.$/, "")
  ) {
    throw new ApiError(
      "FailedPrecondition",
      `${want.dnsName} is already served by ${held.project === project ? `zone "${held.zone}" in this project` : "another project"}`,
    );
  }
  await store.update({ ...existing, spec: want }, { revision: existing.metadata.revision });
}

export function flashdnsRoutes(store: ResourceStore): AnyRoute[] {
  const zoneRoutes = resourceRoutes(zoneKind, store, {
    validate: async (spec, obj, previous) => {
      const project = obj.metadata.project as string;
      const origin = zoneOrigin(spec);
      if (previous && nameKey(zoneOrigin(previous.spec as ZoneSpec)) !== nameKey(origin)) {
        throw new ApiError(
          "InvalidArgument",
          `spec.dnsName cannot change (it is ${(previous.spec as ZoneSpec).dnsName}); create a new zone instead`,
        );
      }
      if (origin.length === 0) throw new ApiError("InvalidArgument", "spec.dnsName cannot be the root zone");
      if (!previous) {
        // A zone inside or above another project's zone would take its answers over.
        const others = (await listAll(store, zoneKind.kind, undefined)) as ZoneResource[];
        const mine = nameKey(origin);
        const ancestors = new Set(suffixKeys(origin));
        for (const o of others) {
          if (o.metadata.project === project) continue;
          const k = nameKey(zoneOrigin(o.spec));
          if (k === mine || ancestors.has(k) || suffixKeys(zoneOrigin(o.spec)).includes(mine)) {
            throw new ApiError(
              "FailedPrecondition",
              `${nameToText(origin)} overlaps ${k}, which another project serves`,
            );
          }
        }
      }
      const sets = previous ? await zoneSets(store, project, obj.metadata.name) : [];
      checkCompiles({ ...obj, spec } as ZoneResource, sets);
      if (!previous) await claim(store, project, obj.metadata.name, spec.dnsName);
    },
    beforeDelete: async (obj) => {
      const sets = await zoneSets(store, obj.metadata.project as string, obj.metadata.name);
      if (sets.length > 0)
        throw new ApiError(
          "FailedPrecondition",
          `zone "${obj.metadata.name}" still has ${sets.length} record set(s); delete them first`,
        );
      const name = claimName((obj.spec as ZoneSpec).dnsName);
      const c = await store.get({ kind: zoneClaimKind.kind, name });
      if (c && (c.spec as { project: string }).project === obj.metadata.project)
        await store.delete({ kind: zoneClaimKind.kind, name }).catch(() => undefined);
    },
  });

  const setRoutes = resourceRoutes(recordSetKind, store, {
    validate: async (spec, obj, previous) => {
      const project = obj.metadata.project as string;
      if (previous && (previous.spec as RecordSetSpec).zone !== spec.zone)
        throw new ApiError(
          "InvalidArgument",
          "spec.zone cannot change; delete the set and create it in the other zone",
        );
      const zone = await getZone(store, project, spec.zone);
      const sets = (await zoneSets(store, project, spec.zone)).filter(
        (s) => s.metadata.name !== obj.metadata.name,
      );
      checkCompiles(zone, [...sets, { ...obj, spec } as RecordSetResource]);
    },
  });

  const zoneParams = z.strictObject({ project: projectSchema, name: nameSchema });
  const setItemParams = z.strictObject({ project: projectSchema, name: nameSchema });
  return [
    ...zoneRoutes,
    // Deleting a set also touches its zone afterwards, so the zone's highest revision (its SOA
    // serial) is above the deletion's, also for a server that starts later.
    ...setRoutes.filter((r) => r.method !== "DELETE"),
    defineRoute({
      method: "DELETE",
      path: "/v1/projects/{project}/recordsets/{name}",
      summary: "Delete a RecordSet (?revision=N to delete only that revision)",
      tags,
      params: setItemParams,
      query: z.object({ revision: z.coerce.number().int().nonnegative().optional() }),
      permission: "flashdns.recordsets.delete",
      handler: async ({ params, query }) => {
        const key = { kind: recordSetKind.kind, project: params.project, name: params.name };
        const current = await store.get(key);
        if (!current)
          throw new ApiError(
            "NotFound",
            `RecordSet "${params.name}" in project "${params.project}" not found`,
          );
        const deleted = await store.delete(
          key,
          query.revision !== undefined ? { revision: query.revision } : {},
        );
        await touchZone(store, params.project, (current.spec as RecordSetSpec).zone);
        return deleted;
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/zones/{name}/import",
      summary: "Import an RFC 1035 master file into a zone (validated as a whole before anything is written)",
      tags,
      params: zoneParams,
      body: importRequestSchema,
      response: importResultSchema,
      permission: "flashdns.zones.update",
      timeoutMs: 120_000,
      bodyLimitBytes: 17 * 1024 * 1024,
      handler: ({ params, body }) => importZone(store, params.project, params.name, body.text, body.replace),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/projects/{project}/zones/{name}/export",
      summary: "Export a zone as an RFC 1035 master file",
      tags,
      params: zoneParams,
      response: exportResultSchema,
      permission: "flashdns.zones.get",
      handler: async ({ params }) => {
        const zone = await store.get({ kind: zoneKind.kind, project: params.project, name: params.name });
        if (!zone)
          throw new ApiError("NotFound", `zone "${params.name}" not found in project "${params.project}"`);
        const compiled = zoneFromResources(
          zone as ZoneResource,
          await zoneSets(store, params.project, params.name),
        );
        return {
          text: writeMasterFile(compiled.origin, compiled.records),
          serial: soaOf(compiled).serial,
        };
      },
    }),
  ];
}

/** Writes an import keeps in flight at once. */
const importConcurrency = 32;

async function inParallel<T>(items: readonly T[], f: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(importConcurrency, items.length) }, worker));
}

/** Raises a zone's revision (and so its SOA serial) after one of its sets was deleted. */
async function touchZone(store: ResourceStore, project: string, name: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const z = (await store.get({ kind: zoneKind.kind, project, name })) as ZoneResource | undefined;
    if (!z) return;
    try {
      await store.update(
        { ...z, status: { ...z.status, changeCount: (z.status.changeCount ?? 0) + 1 } },
        { revision: z.metadata.revision },
      );
      return;
    } catch (e) {
      if ((e as ApiError).code !== "Conflict") throw e;
    }
  }
}

/** A resource name for an imported set: the owner's labels and the type, hashed when that does not fit. */
function importedSetName(owner: Name, origin: Name, type: string): string {
  const rel = owner.slice(0, owner.length - origin.length).join("-") || "apex";
  const base = `${rel}-${type}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (base.length > 0 && base.length <= 63 && /^[a-z0-9]/.test(base)) return base;
  return `r-${createHash("sha256")
    .update(`${nameKey(owner)} ${type}`)
    .digest("hex")
    .slice(0, 32)}`;
}

async function importZone(
  store: ResourceStore,
  project: string,
  zoneName: string,
  text: string,
  replace: boolean,
) {
  const zone = await getZone(store, project, zoneName);
  const origin = zoneOrigin(zone.spec);
  let records: ReturnType<typeof parseMasterFile>;
  try {
    records = parseMasterFile(text, { origin, defaultTtl: zone.spec.ttlSeconds });
  } catch (e) {
    if (e instanceof MasterFileError)
      throw new ApiError("InvalidArgument", e.message, { problems: e.problems });
    throw e;
  }
  let spec: ZoneSpec = zone.spec;
  const groups = new Map<string, { owner: Name; type: RecordType; ttl: number; records: string[] }>();
  const problems: string[] = [];
  const apexKey = nameKey(origin);
  const apexNs: string[] = [];
  for (const r of records) {
    const tname = typeName(r.type);
    if (r.type === RRType.SOA) {
      if (nameKey(r.name) === apexKey && r.data.type === 6) {
        spec = {
          ...spec,
          soa: {
            refreshSeconds: r.data.refresh,
            retrySeconds: r.data.retry,
            expireSeconds: r.data.expire,
            minimumSeconds: r.data.minimum,
          },
        };
      }
      continue;
    }
    if (r.type === RRType.NS && nameKey(r.name) === apexKey) {
      apexNs.push(rdataToText(r.data));
      continue;
    }
    if (!(recordTypes as readonly string[]).includes(tname)) {
      problems.push(
        `${nameToText(r.name)} ${tname}: type not supported by flashdns (supported: ${recordTypes.join(", ")})`,
      );
      continue;
    }
    const k = `${nameKey(r.name)} ${tname}`;
    let g = groups.get(k);
    if (!g) {
      g = { owner: r.name, type: tname as RecordType, ttl: r.ttl, records: [] };
      groups.set(k, g);
    }
    g.ttl = Math.min(g.ttl, r.ttl);
    g.records.push(rdataToText(r.data));
  }
  if (problems.length > 0)
    throw new ApiError("InvalidArgument", problems.slice(0, 5).join("; "), { problems });
  if (apexNs.length > 0) spec = { ...spec, nameservers: apexNs };
  const existing = await zoneSets(store, project, zoneName);
  const byKey = new Map<string, RecordSetResource>();
  for (const s of existing) byKey.set(`${nameKey(nameFromText(s.spec.name, origin))} ${s.spec.type}`, s);
  const planned: RecordSetResource[] = [];
  const writes: { op: "create" | "update"; obj: RecordSetResource }[] = [];
  let unchanged = 0;
  const usedNames = new Set(existing.map((s) => s.metadata.name));
  for (const [k, g] of groups) {
    const relName = nameToText(g.owner);
    const setSpec: RecordSetSpec = {
      zone: zoneName,
      name: relName,
      type: g.type,
      ttlSeconds: g.ttl,
      records: g.records,
    };
    const prev = byKey.get(k);
    if (prev) {
      byKey.delete(k);
      const same =
        prev.spec.ttlSeconds === setSpec.ttlSeconds &&
        JSON.stringify([...prev.spec.records].sort()) === JSON.stringify([...setSpec.records].sort());
      const obj = { ...prev, spec: same ? prev.spec : setSpec };
      planned.push(obj);
      if (same) unchanged++;
      else writes.push({ op: "update", obj });
      continue;
    }
    let name = importedSetName(g.owner, origin, g.type);
    for (let i = 2; usedNames.has(name); i++) name = `${name.slice(0, 58)}-${i}`;
    usedNames.add(name);
    const obj: RecordSetResource = {
      apiVersion: recordSetKind.apiVersion,
      kind: recordSetKind.kind,
      metadata: {
        name,
        project,
        uid: "",
        revision: 0,
        labels: {},
        annotations: {},
        createdAt: "",
        updatedAt: "",
      },
      spec: setSpec,
      status: {},
    };
    planned.push(obj);
    writes.push({ op: "create", obj });
  }
  const kept = replace ? [] : [...byKey.values()];
  checkCompiles({ ...zone, spec }, [...planned, ...kept]);
  if (spec !== zone.spec) await store.update({ ...zone, spec });
  // Writes in flight together share commits (LMDB batches concurrent transactions).
  await inParallel(writes, (w) => (w.op === "create" ? store.create(w.obj) : store.update(w.obj)));
  let deleted = 0;
  if (replace) {
    await inParallel([...byKey.values()], async (s) => {
      await store.delete({ kind: recordSetKind.kind, project, name: s.metadata.name });
      deleted++;
    });
    if (deleted > 0) await touchZone(store, project, zoneName);
  }
  return {
    created: writes.filter((w) => w.op === "create").length,
    updated: writes.filter((w) => w.op === "update").length,
    deleted,
    unchanged,
  };
}
