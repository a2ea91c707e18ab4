// The routes of a live migration: a user asks for one (the control plane picks or checks the
// target with the scheduler's filters), and the two workers report its steps. Which step may
// follow which is decided in migrationStep, pure.
import { defineRoute } from "../core/api/route.ts";
import { ApiError } from "../core/errors.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import { updateRetrying } from "../core/resource/update-retrying.ts";
import {
  type Host,
  hostKind,
  hostVmParamsSchema,
  type MigrationReport,
  migrateRequestSchema,
  migrationReportSchema,
  type Vm,
  type VmStatus,
  vmKind,
  vmParamsSchema,
} from "./api.ts";
import { placements, schedule } from "./scheduler.ts";

export interface MigrationRouteDeps {
  store: ResourceStore;
  clock: () => number;
  heartbeatGraceMs: number;
  strategy: "spread" | "pack";
  getVm: (project: string, name: string) => Promise<Vm>;
}

/** Why a VM cannot start migrating now, or undefined. */
export function migrationRefusal(vm: Vm): string | undefined {
  const name = vm.metadata.name;
  if (vm.status.migration) return `Vm "${name}" is already migrating to ${vm.status.migration.target}`;
  if (vm.status.phase !== "Running" || !vm.status.host || vm.spec.powerState !== "Running")
    return `only a running VM migrates; Vm "${name}" is ${vm.status.phase}`;
  if (vm.spec.image)
    return `Vm "${name}" boots from an image overlay on ${vm.status.host}'s own disk; only VMs whose disks are all coronafs volumes migrate (create it with --volume)`;
  return undefined;
}

/** The VM's status after a worker's migration report, or the reason the report is refused. */
export function migrationStep(vm: Vm, host: string, r: MigrationReport): VmStatus {
  const m = vm.status.migration;
  const name = vm.metadata.name;
  if (!m) throw new ApiError("FailedPrecondition", `Vm "${name}" is not migrating`);
  const isTarget = m.target === host;
  if (!isTarget && vm.status.host !== host)
    throw new ApiError("FailedPrecondition", `Vm "${name}" is not migrating from or to host "${host}"`);
  switch (r.phase) {
    case "Listening":
      if (!isTarget || m.phase !== "Requested")
        throw new ApiError(
          "FailedPrecondition",
          `only the target reports Listening, once (it is ${m.phase})`,
        );
      return { ...vm.status, migration: { ...m, phase: "Listening", address: r.address } };
    case "Completed": {
      if (!isTarget || m.phase !== "Listening")
        throw new ApiError("FailedPrecondition", "only the target completes a migration it listened for");
      const phase = vm.metadata.deletionTimestamp ? "Deleting" : r.report.phase;
      const { migration: _, ...rest } = vm.status;
      return { ...rest, ...r.report, phase, host: m.target };
    }
    case "Failed": {
      const { migration: _, ...rest } = vm.status;
      return { ...rest, message: `migration to ${m.target} failed: ${r.message}` };
    }
  }
}

export function migrationRoutes(d: MigrationRouteDeps) {
  /** Retries a read-decide-write on a VM that changed underneath (workers report meanwhile). */
  const retrying = (project: string, name: string, decide: (vm: Vm) => Promise<VmStatus> | VmStatus) =>
    updateRetrying(
      d.store,
      () => d.getVm(project, name),
      async (vm) => ({ ...vm, status: await decide(vm) }),
      `Vm "${name}" is changing too fast to record this; retry`,
    );

  return [
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/vms/{name}/migrate",
      summary:
        "Move a running VM to another host while it runs (live migration); the target is the given host or the scheduler's choice",
      tags: ["plasmavmc"],
      params: vmParamsSchema,
      body: migrateRequestSchema,
      permission: "plasmavmc.vms.update",
      handler: async ({ params, body }) => {
        const { project, name } = params;
        return retrying(project, name, async (vm) => {
          const refusal = migrationRefusal(vm);
          if (refusal) throw new ApiError("FailedPrecondition", refusal);
          if (body.host === vm.status.host)
            throw new ApiError(
              "InvalidArgument",
              `Vm "${name}" already runs on ${body.host}; name another host`,
            );
          const hosts = (await d.store.list(hostKind.kind, undefined)).items as Host[];
          if (body.host && !hosts.some((h) => h.metadata.name === body.host))
            throw new ApiError(
              "NotFound",
              `host "${body.host}" not found; \`photon host list\` shows the hosts`,
            );
          const candidates = hosts.filter(
            (h) => h.metadata.name !== vm.status.host && (!body.host || h.metadata.name === body.host),
          );
          const result = schedule({
            vm: { project, name, spec: vm.spec },
            imageFormat: "raw",
            hosts: candidates.map((h) => ({ name: h.metadata.name, spec: h.spec, status: h.status })),
            placed: placements((await d.store.list(vmKind.kind, undefined)).items as Vm[]),
            nowMs: d.clock(),
            heartbeatGraceMs: d.heartbeatGraceMs,
            strategy: d.strategy,
          });
          if (!result.ok)
            throw new ApiError(
              "FailedPrecondition",
              candidates.length
                ? `no host can take Vm "${name}": ${result.message}`
                : "there is no other host",
            );
          return {
            ...vm.status,
            message: `migrating to ${result.host}`,
            migration: { target: result.host, phase: "Requested", since: new Date(d.clock()).toISOString() },
          };
        });
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/hosts/{host}/vms/{project}/{name}/migration",
      summary:
        "A worker reports a step of a VM's migration (target listening, migration completed or failed)",
      tags: ["plasmavmc"],
      params: hostVmParamsSchema,
      body: migrationReportSchema,
      permission: "plasmavmc.hosts.update",
      handler: async ({ params, body }) => {
        const { host, project, name } = params;
        return retrying(project, name, (vm) => migrationStep(vm, host, body));
      },
    }),
  ];
}
