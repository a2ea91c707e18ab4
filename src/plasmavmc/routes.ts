// plasmavmc's REST routes: VMs (the standard resource routes; flavor and image change only
// while the VM is stopped), hosts for operators, the console log, and the routes workers use
// to heartbeat, learn their VMs and report what is true of them.
import { z } from "zod";
import { resourceRoutes, streamWatch } from "../core/api/resource-routes.ts";
import { type AnyRoute, defineRoute } from "../core/api/route.ts";
import { ApiError } from "../core/errors.ts";
import type { AnyResource } from "../core/resource/model.ts";
import { nameSchema } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import { updateRetrying } from "../core/resource/update-retrying.ts";
import {
  type Host,
  hostKind,
  hostSpecSchema,
  hostVmParamsSchema,
  type Vm,
  type VmSpec,
  vmKind,
  vmParamsSchema,
  workerReportSchema,
} from "./api.ts";
import { migrationRoutes } from "./migration-routes.ts";

const tags = ["plasmavmc"];
const hostParams = z.strictObject({ host: nameSchema });

export const heartbeatSchema = z.strictObject({
  spec: hostSpecSchema,
  runningVms: z.number().int().min(0),
});

export const consoleSchema = z.strictObject({ text: z.string(), bytes: z.number().int() });

/** Reads a VM's console from the worker that runs it. */
export type ConsoleFetcher = (
  host: Host,
  project: string,
  name: string,
) => Promise<{ text: string; bytes: number }>;

/** Asks the worker that runs a VM to reboot it. */
export type RebootSender = (host: Host, project: string, name: string, hard: boolean) => Promise<void>;

export const rebootSchema = z.strictObject({
  /** A reset, as the reset button does; otherwise an ACPI power-off and a fresh start. */
  hard: z.boolean().default(false),
});

export interface RouteDeps {
  store: ResourceStore;
  clock: () => number;
  /** The scheduler's settings, for a migration's target. */
  heartbeatGraceMs: number;
  strategy: "spread" | "pack";
  fetchConsole: ConsoleFetcher;
  sendReboot: RebootSender;
}

export function plasmavmcRoutes(d: RouteDeps): AnyRoute[] {
  const getVm = async (project: string, name: string) => {
    const vm = (await d.store.get({ kind: vmKind.kind, project, name })) as Vm | undefined;
    if (!vm) throw new ApiError("NotFound", `Vm "${name}" in project "${project}" not found`);
    return vm;
  };
  const hostsVm = async (host: string, project: string, name: string) => {
    const vm = await getVm(project, name);
    if (vm.status.host !== host)
      throw new ApiError("FailedPrecondition", `Vm "${name}" is not placed on host "${host}"`);
    return vm;
  };

  return [
    ...resourceRoutes(vmKind, d.store, {
      validate: (spec: VmSpec, _obj, previous) => {
        const prev = previous as Vm | undefined;
        if (!prev) return;
        const stopped = ["Pending", "Stopped"].includes(prev.status.phase);
        if (!stopped && JSON.stringify(spec.flavor) !== JSON.stringify(prev.spec.flavor))
          throw new ApiError(
            "FailedPrecondition",
            `the flavor changes only while the VM is stopped (it is ${prev.status.phase}); stop it first with \`photon vm stop\``,
          );
        if (JSON.stringify(spec.image) !== JSON.stringify(prev.spec.image))
          throw new ApiError("InvalidArgument", "the image is fixed when a VM is created");
        if (!stopped && JSON.stringify(spec.volumes) !== JSON.stringify(prev.spec.volumes))
          throw new ApiError(
            "FailedPrecondition",
            `volumes change only while the VM is stopped (it is ${prev.status.phase}); stop it first with \`photon vm stop\``,
          );
        if (spec.antiAffinityGroup !== prev.spec.antiAffinityGroup && prev.status.host)
          throw new ApiError("FailedPrecondition", "the anti-affinity group is fixed once the VM is placed");
      },
    }),
    ...resourceRoutes(hostKind, d.store),
    ...migrationRoutes({ ...d, getVm }),
    defineRoute({
      method: "GET",
      path: "/v1/projects/{project}/vms/{name}/console",
      summary: "The VM's serial console log (the last MiB or so)",
      tags,
      params: vmParamsSchema,
      response: consoleSchema,
      permission: "plasmavmc.vms.get",
      handler: async ({ params }) => {
        const vm = await getVm(params.project, params.name);
        if (!vm.status.host)
          throw new ApiError("FailedPrecondition", `Vm "${params.name}" has not been placed yet`);
        const host = (await d.store.get({ kind: hostKind.kind, name: vm.status.host })) as Host | undefined;
        if (!host) throw new ApiError("Unavailable", `host ${vm.status.host} is not registered`);
        return d.fetchConsole(host, params.project, params.name);
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/vms/{name}/reboot",
      summary: "Reboot a running VM: ACPI power-off and start, or a hard reset",
      tags,
      params: vmParamsSchema,
      body: rebootSchema,
      permission: "plasmavmc.vms.update",
      handler: async ({ params, body }) => {
        const vm = await getVm(params.project, params.name);
        if (vm.status.phase !== "Running" || !vm.status.host)
          throw new ApiError(
            "FailedPrecondition",
            `Vm "${params.name}" is ${vm.status.phase}; only a running VM reboots (\`photon vm start\` starts it)`,
          );
        const host = (await d.store.get({ kind: hostKind.kind, name: vm.status.host })) as Host | undefined;
        if (!host) throw new ApiError("Unavailable", `host ${vm.status.host} is not registered`);
        await d.sendReboot(host, params.project, params.name, body.hard);
        return getVm(params.project, params.name);
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/hosts/{host}/heartbeat",
      summary: "A worker registers its host and says it is alive",
      tags,
      params: hostParams,
      body: heartbeatSchema,
      permission: "plasmavmc.hosts.update",
      machineChatter: true,
      handler: async ({ params, body }) => {
        const key = { kind: hostKind.kind, name: params.host };
        const now = new Date(d.clock()).toISOString();
        const cur = (await d.store.get(key)) as Host | undefined;
        // An operator's cordon survives the worker's heartbeats.
        const spec = {
          ...body.spec,
          schedulable: cur ? cur.spec.schedulable && body.spec.schedulable : body.spec.schedulable,
        };
        const status = { heartbeatAt: now, runningVms: body.runningVms };
        if (cur)
          return d.store.update({ ...cur, spec, status } as AnyResource, { revision: cur.metadata.revision });
        return d.store.create({
          apiVersion: hostKind.apiVersion,
          kind: hostKind.kind,
          metadata: {
            name: params.host,
            uid: "",
            revision: 0,
            labels: {},
            annotations: {},
            createdAt: "",
            updatedAt: "",
          },
          spec,
          status,
        });
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/hosts/{host}/vms",
      summary:
        "The VMs placed on a host or migrating to it, in every project (for its worker); ?watch=1 streams every VM change instead",
      tags,
      params: hostParams,
      query: z.strictObject({ watch: z.enum(["1", "true"]).optional() }),
      permission: "plasmavmc.hosts.get",
      machineChatter: true,
      timeoutMs: 0,
      handler: async (ctx) => {
        const { params } = ctx;
        // The worker wakes on any VM change and then reads its own list (level-triggered).
        if (ctx.query.watch) {
          streamWatch(ctx, d.store, vmKind.kind, undefined, 0);
          return undefined;
        }
        const items: AnyResource[] = [];
        let cont: string | undefined;
        do {
          const page = await d.store.list(vmKind.kind, undefined, {
            limit: 1000,
            ...(cont ? { continue: cont } : {}),
          });
          // Its own, and those migrating to it.
          items.push(
            ...page.items.filter((v) =>
              [(v as Vm).status.host, (v as Vm).status.migration?.target].includes(params.host),
            ),
          );
          cont = page.continue;
        } while (cont);
        return { items };
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/hosts/{host}/vms/{project}/{name}/status",
      summary: "A worker reports what is true of a VM it runs",
      tags,
      params: hostVmParamsSchema,
      body: workerReportSchema,
      permission: "plasmavmc.hosts.update",
      handler: async ({ params, body }) => {
        return updateRetrying(
          d.store,
          () => hostsVm(params.host, params.project, params.name),
          (vm) => {
            // Deletion is the control plane's phase until the worker lets go.
            const phase = vm.metadata.deletionTimestamp ? "Deleting" : body.phase;
            return { ...vm, status: { ...vm.status, ...body, phase } };
          },
          "the VM is changing too fast to record its status; retry",
        );
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/hosts/{host}/vms/{project}/{name}/release",
      summary: "A worker has stopped a deleted VM and removed its files",
      tags,
      params: hostVmParamsSchema,
      permission: "plasmavmc.hosts.update",
      handler: async ({ params }) => {
        const vm = await hostsVm(params.host, params.project, params.name);
        if (!vm.metadata.deletionTimestamp)
          throw new ApiError("FailedPrecondition", `Vm "${params.name}" is not being deleted`);
        const status = { ...vm.status, host: undefined, ports: [], message: `released by ${params.host}` };
        return d.store.update({ ...vm, status } as AnyResource, { revision: vm.metadata.revision });
      },
    }),
  ];
}
