// Typed client of plasmavmc: VMs for users and the CLI, the host routes for workers.
import { HttpClient, type HttpClientOptions } from "../core/http-client.ts";
import type { ListResult } from "../core/resource/store.ts";
import type { Host, HostSpec, MigrationReport, Vm, VmSpec, WorkerReport } from "./api.ts";

export type { Host, Vm, WorkerReport };
export type VmInput = Partial<VmSpec> & Pick<VmSpec, "flavor">;

export class PlasmavmcClient {
  readonly http: HttpClient;
  constructor(opts: HttpClientOptions | HttpClient) {
    this.http = opts instanceof HttpClient ? opts : new HttpClient(opts);
  }

  createVm(project: string, name: string, spec: VmInput, labels?: Record<string, string>): Promise<Vm> {
    return this.http.post(`/v1/projects/${project}/vms`, {
      metadata: { name, ...(labels ? { labels } : {}) },
      spec,
    });
  }
  getVm(project: string, name: string): Promise<Vm> {
    return this.http.get(`/v1/projects/${project}/vms/${name}`);
  }
  listVms(project: string): Promise<ListResult> {
    return this.http.get(`/v1/projects/${project}/vms`);
  }
  deleteVm(project: string, name: string): Promise<Vm> {
    return this.http.delete(`/v1/projects/${project}/vms/${name}`);
  }
  /** Start or stop: the VM's powerState; the worker follows. */
  setPowerState(project: string, name: string, powerState: "Running" | "Stopped"): Promise<Vm> {
    return this.http.patch(`/v1/projects/${project}/vms/${name}`, { spec: { powerState } });
  }
  reboot(project: string, name: string, hard = false): Promise<Vm> {
    return this.http.post(`/v1/projects/${project}/vms/${name}/reboot`, { hard });
  }
  /** Live migration to `host`, or to the scheduler's choice; watch status.migration and host. */
  migrate(project: string, name: string, host?: string): Promise<Vm> {
    return this.http.post(`/v1/projects/${project}/vms/${name}/migrate`, host ? { host } : {});
  }
  console(project: string, name: string): Promise<{ text: string; bytes: number }> {
    return this.http.get(`/v1/projects/${project}/vms/${name}/console`);
  }
  listHosts(): Promise<ListResult & { items: Host[] }> {
    return this.http.get("/v1/hosts");
  }
  /** Cordon (false) or uncordon (true): a cordoned host keeps its VMs and gets no new ones. */
  setSchedulable(host: string, schedulable: boolean): Promise<Host> {
    return this.http.patch(`/v1/hosts/${host}`, { spec: { schedulable } });
  }

  // --- the worker's side
  heartbeat(host: string, spec: HostSpec, runningVms: number): Promise<Host> {
    return this.http.put(`/v1/hosts/${host}/heartbeat`, { spec, runningVms });
  }
  hostVms(host: string): Promise<{ items: Vm[] }> {
    return this.http.get(`/v1/hosts/${host}/vms`);
  }
  report(host: string, project: string, name: string, report: WorkerReport): Promise<Vm> {
    return this.http.put(`/v1/hosts/${host}/vms/${project}/${name}/status`, report);
  }
  reportMigration(host: string, project: string, name: string, report: MigrationReport): Promise<Vm> {
    return this.http.put(`/v1/hosts/${host}/vms/${project}/${name}/migration`, report);
  }
  release(host: string, project: string, name: string): Promise<Vm> {
    return this.http.post(`/v1/hosts/${host}/vms/${project}/${name}/release`, {});
  }
}
