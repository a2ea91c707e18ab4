// `photon plasmavmc` (the control plane: VM API, placement, quota) and
// `photon plasmavmc-worker` (one per compute host: runs the VMs placed on it under QEMU).
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { cpus, hostname, totalmem } from "node:os";
import { z } from "zod";
import { defineRoute } from "../core/api/route.ts";
import { ApiServer } from "../core/api/server.ts";
import { commonOptions, option } from "../core/config.ts";
import { ApiError } from "../core/errors.ts";
import { freePort } from "../core/free-port.ts";
import { HttpClient } from "../core/http-client.ts";
import { createRegistry } from "../core/metrics.ts";
import { nameSchema, projectSchema } from "../core/resource/model.ts";
import { defineRole, type RunningRole } from "../core/role.ts";
import { CoronafsClient } from "../coronafs/client.ts";
import { CreditClient } from "../creditservice/client.ts";
import { LightningstorClient } from "../lightningstor/client.ts";
import { AccelChooser } from "./accel.ts";
import { PlasmavmcClient } from "./client.ts";
import { MetadataService } from "./metadata-service.ts";
import { reapOrphans } from "./orphans.ts";
import { consoleSchema, plasmavmcRoutes, rebootSchema } from "./routes.ts";
import { serialLogBytes } from "./serial-log.ts";
import { type VolumePort, vmController } from "./vm-controller.ts";
import { VmDisks } from "./vm-disk.ts";
import { registerVmMetrics } from "./vm-metrics.ts";
import { Wakeup, wakeOnVmChanges } from "./wakeup.ts";
import { Worker } from "./worker.ts";

export const plasmavmcOptions = {
  ...commonOptions,
  port: option(z.number().int().min(0).max(65535), 7410, "HTTP port of the VM API"),
  heartbeatGraceMs: option(
    z.number().int().min(1000).max(600_000),
    15_000,
    "a host silent this long gets no new VMs, and its deleted VMs are forgotten",
  ),
  strategy: option(z.enum(["spread", "pack"]), "spread", "placement: spread VMs over hosts, or pack them"),
  resyncMs: option(z.number().int().min(100).max(3_600_000), 30_000, "how often every VM is re-checked"),
};

export const plasmavmcRole = defineRole({
  name: "plasmavmc",
  description: "VM control plane: the VM API, placement over worker hosts, quota",
  options: plasmavmcOptions,
  async start(config, deps): Promise<RunningRole> {
    const log = deps.log.child({ component: "plasmavmc" });
    const registry = createRegistry("plasmavmc");
    const store = await deps.openStore("plasmavmc");
    const token = deps.serviceToken;
    const credit = deps.endpoints.creditservice
      ? new CreditClient({ baseUrl: deps.endpoints.creditservice, token })
      : undefined;
    const images = deps.endpoints.lightningstor
      ? new LightningstorClient({ baseUrl: deps.endpoints.lightningstor, token })
      : undefined;
    const coronafs = deps.endpoints.coronafs
      ? new CoronafsClient({ baseUrl: deps.endpoints.coronafs, token, timeoutMs: 10_000 })
      : undefined;
    const clock = Date.now;
    const controller = vmController({
      store,
      log,
      credit,
      volumes: coronafs ? volumePort(coronafs) : undefined,
      clock,
      registry,
      heartbeatGraceMs: config.heartbeatGraceMs,
      strategy: config.strategy,
      resyncMs: config.resyncMs,
      imageFormat: async (project, name) => {
        if (!images) throw new Error("no lightningstor endpoint is configured");
        const img = await images.getImage(project, name);
        return img.spec.format as "raw" | "qcow2";
      },
    });
    const api = new ApiServer({ name: "plasmavmc", logger: log, registry, auth: deps.auth });
    api.add(
      ...plasmavmcRoutes({
        store,
        clock,
        heartbeatGraceMs: config.heartbeatGraceMs,
        strategy: config.strategy,
        fetchConsole: (host, project, name) =>
          new HttpClient({ baseUrl: host.spec.endpoint, token, timeoutMs: 10_000 }).get(
            `/v1/vms/${project}/${name}/console`,
          ),
        sendReboot: async (host, project, name, hard) => {
          await new HttpClient({ baseUrl: host.spec.endpoint, token, timeoutMs: 30_000 }).post(
            `/v1/vms/${project}/${name}/reboot`,
            { hard },
          );
        },
      }),
    );
    await controller.start();
    await api.listen(config.listen, config.port);
    return {
      endpoints: { api: api.url() },
      async close() {
        await api.close();
        await controller.close();
        await store.close();
      },
    };
  },
});

export const plasmavmcWorkerOptions = {
  ...commonOptions,
  port: option(z.number().int().min(0).max(65535), 7411, "HTTP port of the worker's API (console logs)"),
  host: option(
    nameSchema,
    hostname()
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-")
      .slice(0, 63),
    "this host's name",
  ),
  controlPlane: option(z.string().url().optional(), undefined, "plasmavmc's URL (default: from photon up)"),
  images: option(z.string().url().optional(), undefined, "lightningstor's URL (default: from photon up)"),
  volumes: option(
    z.string().url().optional(),
    undefined,
    "coronafs's URL, for VMs with volumes (default: from photon up)",
  ),
  vcpus: option(
    z.number().int().min(1).max(4096),
    cpus().length * 4,
    "vCPUs offered to guests (overcommitted)",
  ),
  memoryMib: option(
    z.number().int().min(64),
    Math.floor((totalmem() / 1024 / 1024) * 0.75),
    "memory offered to guests, MiB",
  ),
  publishAddress: option(z.union([z.ipv4(), z.ipv6()]), "127.0.0.1", "address guest ports are published on"),
  syncMs: option(
    z.number().int().min(100).max(60_000),
    1000,
    "how often the worker reconciles its VMs at the latest (VM changes wake it at once)",
  ),
  stopGraceMs: option(z.number().int().min(0).max(600_000), 30_000, "how long a guest gets to power off"),
};

export const plasmavmcWorkerRole = defineRole({
  name: "plasmavmc-worker",
  description: "runs the VMs placed on this host under QEMU (KVM where it works, TCG otherwise)",
  options: plasmavmcWorkerOptions,
  async start(config, deps): Promise<RunningRole> {
    const log = deps.log.child({ component: "plasmavmc-worker", host: config.host });
    const controlPlane = config.controlPlane ?? deps.endpoints.plasmavmc;
    const imagesUrl = config.images ?? deps.endpoints.lightningstor;
    if (!controlPlane || !imagesUrl)
      throw new Error("plasmavmc-worker needs --control-plane and --images (or photon up to provide them)");
    const token = deps.serviceToken;
    const client = new PlasmavmcClient({ baseUrl: controlPlane, token, timeoutMs: 30_000 });
    const images = new LightningstorClient({ baseUrl: imagesUrl, token, timeoutMs: 30_000 });
    const volumesUrl = config.volumes ?? deps.endpoints.coronafs;
    const volumes = volumesUrl
      ? new CoronafsClient({ baseUrl: volumesUrl, token, timeoutMs: 30_000 })
      : undefined;
    const metadata = new MetadataService();
    await metadata.listen();
    const accel = new AccelChooser();
    const registry = createRegistry("plasmavmc_worker");
    const api = new ApiServer({ name: "plasmavmc-worker", logger: log, registry, auth: deps.auth });
    let worker: Worker | undefined;
    registerVmMetrics(registry, () => worker?.processes() ?? []);
    api.add(
      defineRoute({
        method: "GET",
        path: "/v1/vms/{project}/{name}/console",
        summary: "A VM's serial console log on this worker",
        tags: ["plasmavmc"],
        params: z.strictObject({ project: projectSchema, name: nameSchema }),
        response: consoleSchema,
        permission: "plasmavmc.hosts.get",
        handler: ({ params }) => {
          if (!worker) throw new ApiError("Unavailable", "the worker is starting");
          return readConsole(worker.consoleLog(params.project, params.name));
        },
      }),
      defineRoute({
        method: "POST",
        path: "/v1/vms/{project}/{name}/reboot",
        summary: "Reboot a VM this worker runs (for the control plane)",
        tags: ["plasmavmc"],
        params: z.strictObject({ project: projectSchema, name: nameSchema }),
        body: rebootSchema,
        permission: "plasmavmc.hosts.update",
        handler: async ({ params, body }) => {
          if (!worker) throw new ApiError("Unavailable", "the worker is starting");
          try {
            await worker.reboot(params.project, params.name, body.hard);
          } catch (err) {
            throw new ApiError("FailedPrecondition", (err as Error).message);
          }
          return { rebooting: true };
        },
      }),
    );
    await api.listen(config.listen, config.port);
    const orphans = await reapOrphans(config.dataDir);
    if (orphans.length) log.warn({ vms: orphans }, "stopped QEMUs a previous worker left running");
    const running = new Worker({
      host: config.host,
      hostSpec: {
        capacity: { vcpus: config.vcpus, memoryMib: config.memoryMib },
        endpoint: api.url(),
        accel: accel.choose(),
        imageFormats: ["raw", "qcow2"],
        schedulable: true,
      },
      client,
      disks: new VmDisks(config.dataDir, (p, n) => images.downloadImage(p, n)),
      metadata,
      accel,
      log,
      dataDir: config.dataDir,
      publishAddress: config.publishAddress,
      allocatePort: () => freePort(config.publishAddress),
      imageRef: async (project, name) => {
        const img = await images.getImage(project, name);
        if (img.status.phase !== "Ready")
          throw new Error(`image ${project}/${name} is not ready (${img.status.phase})`);
        return { project, name, uid: img.metadata.uid, format: img.spec.format as "raw" | "qcow2" };
      },
      volumes,
      stopGraceMs: config.stopGraceMs,
    });
    worker = running;
    const stopping = new AbortController();
    const wakeup = new Wakeup();
    const watching = wakeOnVmChanges(client, config.host, wakeup, stopping.signal, log);
    const loop = (async () => {
      while (!stopping.signal.aborted) {
        try {
          await running.sync();
        } catch (err) {
          log.warn({ err }, "worker pass failed; retrying");
        }
        await wakeup.wait(config.syncMs);
      }
    })();
    return {
      endpoints: { api: api.url() },
      async close() {
        stopping.abort();
        wakeup.kick();
        await Promise.all([loop, watching]);
        await running.close();
        await api.close();
        await metadata.close();
      },
    };
  },
});

/** The controller's view of coronafs: may a VM attach a volume, and letting go for a dead worker. */
function volumePort(c: CoronafsClient): VolumePort {
  return {
    async check(project, name, holder) {
      let v: Awaited<ReturnType<CoronafsClient["getVolume"]>>;
      try {
        v = await c.getVolume(project, name);
      } catch (e) {
        if (e instanceof ApiError && e.code === "NotFound")
          return `not found in project ${project}; create it with \`photon volume create ${name}\``;
        throw e;
      }
      const { phase, attachment, message } = v.status;
      if (phase !== "Available" && phase !== "Attached")
        return `it is ${phase}${message ? ` (${message})` : ""}; waiting until it is Available`;
      if (attachment && attachment.holder !== holder)
        return `it is attached to ${attachment.holder}; detach it there first`;
      return undefined;
    },
    async detach(project, name, holder) {
      try {
        await c.detach(project, name, holder);
      } catch (e) {
        // Gone, or held by someone else: not this VM's to release.
        if (!(e instanceof ApiError && ["NotFound", "FailedPrecondition"].includes(e.code))) throw e;
      }
    },
  };
}

/** The console log's last serialLogBytes: the rotated file's tail, then the current file. */
function readConsole(path: string): { text: string; bytes: number } {
  const tail = (p: string, max: number): Buffer => {
    if (!existsSync(p)) return Buffer.alloc(0);
    const size = statSync(p).size;
    const n = Math.min(size, max);
    const buf = Buffer.alloc(n);
    const fd = openSync(p, "r");
    try {
      readSync(fd, buf, 0, n, size - n);
    } finally {
      closeSync(fd);
    }
    return buf;
  };
  const current = tail(path, serialLogBytes);
  const older = tail(`${path}.1`, serialLogBytes - current.length);
  if (!current.length && !older.length)
    throw new ApiError("NotFound", "this VM has no console log on this host yet");
  const all = Buffer.concat([older, current]);
  return { text: all.toString("utf8"), bytes: all.length };
}
