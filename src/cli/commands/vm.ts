// `photon vm create|list|get|start|stop|reboot|migrate|delete|console` and `photon host list|cordon|uncordon`:
// VMs and worker hosts in plasmavmc. `create` and `start` wait (with a spinner on a terminal)
// until the VM runs, unless --no-wait.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import { type Host, PlasmavmcClient, type Vm } from "../../plasmavmc/client.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";
import { projectOf } from "../project-option.ts";

const columns: Array<[string, (v: never) => unknown]> = [
  ["NAME", (v: Vm) => v.metadata.name],
  ["PHASE", (v: Vm) => v.status.phase],
  ["HOST", (v: Vm) => v.status.host ?? ""],
  ["FLAVOR", (v: Vm) => `${v.spec.flavor.vcpus} vCPU, ${v.spec.flavor.memoryMib} MiB`],
  [
    "DISKS",
    (v: Vm) =>
      [v.spec.image?.name, ...v.spec.volumes.map((x) => `volume/${x.name}`)].filter(Boolean).join(" "),
  ],
  ["PORTS", (v: Vm) => v.status.ports.map((p) => `${p.hostAddress}:${p.hostPort}→${p.guestPort}`).join(" ")],
  ["MESSAGE", (v: Vm) => v.status.message],
];

const hostColumns: Array<[string, (h: never) => unknown]> = [
  ["NAME", (h: Host) => h.metadata.name],
  ["SCHEDULABLE", (h: Host) => (h.spec.schedulable ? "yes" : "cordoned")],
  ["ACCEL", (h: Host) => h.spec.accel],
  ["CAPACITY", (h: Host) => `${h.spec.capacity.vcpus} vCPU, ${h.spec.capacity.memoryMib} MiB`],
  ["VMS", (h: Host) => h.status.runningVms],
  ["HEARTBEAT", (h: Host) => h.status.heartbeatAt ?? "never"],
];

const client = (env: CliEnv) => new PlasmavmcClient(env.client("plasmavmc"));

function positiveInt(what: string) {
  return (s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1)
      throw new ApiError("InvalidArgument", `${what} must be a whole number ≥ 1`);
    return n;
  };
}

/** Polls until the VM reaches one of the phases; Failed ends the wait with its message. */
async function waitFor(env: CliEnv, project: string, name: string, phases: string[], timeoutS: number) {
  const c = client(env);
  const tty = process.stderr.isTTY && env.format() === "table";
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  const end = Date.now() + timeoutS * 1000;
  for (let i = 0; ; i++) {
    const vm = await c.getVm(project, name);
    if (phases.includes(vm.status.phase)) {
      if (tty) process.stderr.write("\r\x1b[2K");
      return vm;
    }
    if (vm.status.phase === "Failed")
      throw new ApiError("FailedPrecondition", `VM ${name} failed: ${vm.status.message}`);
    if (Date.now() > end)
      throw new ApiError(
        "DeadlineExceeded",
        `VM ${name} is still ${vm.status.phase} after ${timeoutS} s (${vm.status.message}); \`photon vm get ${name}\` shows its progress`,
      );
    if (tty)
      process.stderr.write(
        `\r\x1b[2K${frames[i % frames.length]} ${name}: ${vm.status.phase} — ${vm.status.message}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until the VM runs again from a start later than `before`'s. */
async function waitForRestart(env: CliEnv, project: string, name: string, before: Vm, timeoutS: number) {
  const end = Date.now() + timeoutS * 1000;
  for (;;) {
    const vm = await waitFor(env, project, name, ["Running"], Math.max(1, (end - Date.now()) / 1000));
    if (vm.status.startedAt !== before.status.startedAt) return vm;
    if (Date.now() > end)
      throw new ApiError("DeadlineExceeded", `VM ${name} did not restart within ${timeoutS} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until the migration `started` asked for is over: the VM on its target, or a failure. */
async function waitForMigration(env: CliEnv, project: string, name: string, started: Vm, timeoutS: number) {
  const target = started.status.migration?.target;
  const tty = process.stderr.isTTY && env.format() === "table";
  const end = Date.now() + timeoutS * 1000;
  for (;;) {
    const vm = await client(env).getVm(project, name);
    const m = vm.status.migration;
    if (!m) {
      if (tty) process.stderr.write("\r\x1b[2K");
      if (vm.status.host === target) return vm;
      throw new ApiError("FailedPrecondition", `VM ${name} did not move to ${target}: ${vm.status.message}`);
    }
    if (Date.now() > end)
      throw new ApiError(
        "DeadlineExceeded",
        `VM ${name} is still migrating to ${m.target} (${m.phase}) after ${timeoutS} s; \`photon vm get ${name}\` shows its progress`,
      );
    if (tty) process.stderr.write(`\r\x1b[2K${name}: migrating ${vm.status.host} → ${m.target} (${m.phase})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function registerVm(program: Command, env: CliEnv): void {
  const vm = program.command("vm").description("virtual machines (plasmavmc)");

  vm.command("create <name>")
    .description("create a VM from an image or a boot volume and start it")
    .option("-p, --project <project>", "project (default: the context's)")
    .option("-i, --image <image>", "boot from a local overlay of this image (photon image list)")
    .option(
      "--volume <volume...>",
      "attach these coronafs volumes (photon volume list); without --image the first one boots",
    )
    .option("--vcpus <n>", "virtual CPUs", positiveInt("--vcpus"), 1)
    .option("--memory <MiB>", "memory in MiB", positiveInt("--memory"), 512)
    .option("--port <guestPort...>", "guest TCP ports to publish on the host")
    .option("--user-data <file>", "user-data script the guest runs at boot")
    .option("--ssh-key <key...>", "authorized SSH public keys")
    .option("--anti-affinity <group>", "keep VMs of this group on distinct hosts")
    .option("--no-wait", "return at once instead of waiting until the VM runs")
    .option("--timeout <s>", "how long to wait", positiveInt("--timeout"), 300)
    .action(async (name: string, o) => {
      const project = projectOf(env, o.project);
      const ports = ((o.port as string[] | undefined) ?? []).map((p) => ({
        guestPort: positiveInt("--port")(p),
        protocol: "tcp" as const,
      }));
      const volumes = ((o.volume as string[] | undefined) ?? []).map((v) => ({ name: v }));
      if (!o.image && volumes.length === 0)
        throw new ApiError(
          "InvalidArgument",
          "a VM boots from --image <image> or --volume <volume>; give one (photon image list, photon volume list)",
        );
      await client(env).createVm(project, name, {
        flavor: { vcpus: o.vcpus, memoryMib: o.memory },
        ...(o.image ? { image: { name: o.image } } : {}),
        volumes,
        ports,
        ...(o.userData ? { userData: readFileSync(o.userData, "utf8") } : {}),
        ...(o.sshKey ? { sshKeys: o.sshKey } : {}),
        ...(o.antiAffinity ? { antiAffinityGroup: o.antiAffinity } : {}),
      });
      const out = o.wait
        ? await waitFor(env, project, name, ["Running"], o.timeout)
        : await client(env).getVm(project, name);
      print(env.format(), out, columns);
    });

  vm.command("list")
    .description("list VMs")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (o) => {
      const list = await client(env).listVms(projectOf(env, o.project));
      print(env.format(), list.items, columns);
    });

  vm.command("get <name>")
    .description("show a VM")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, o) => {
      print(env.format(), await client(env).getVm(projectOf(env, o.project), name), columns);
    });

  for (const [verb, state, phase] of [
    ["start", "Running", "Running"],
    ["stop", "Stopped", "Stopped"],
  ] as const) {
    vm.command(`${verb} <name>`)
      .description(verb === "start" ? "start a stopped VM" : "stop a VM (ACPI power button, then forced)")
      .option("-p, --project <project>", "project (default: the context's)")
      .option("--no-wait", "return at once")
      .option("--timeout <s>", "how long to wait", positiveInt("--timeout"), 300)
      .action(async (name: string, o) => {
        const project = projectOf(env, o.project);
        await client(env).setPowerState(project, name, state);
        const out = o.wait
          ? await waitFor(env, project, name, [phase], o.timeout)
          : await client(env).getVm(project, name);
        print(env.format(), out, columns);
      });
  }

  vm.command("reboot <name>")
    .description("reboot a running VM (ACPI power-off and start; --hard: reset)")
    .option("-p, --project <project>", "project (default: the context's)")
    .option("--hard", "reset at once, as the reset button does", false)
    .option("--no-wait", "return at once")
    .option("--timeout <s>", "how long to wait", positiveInt("--timeout"), 300)
    .action(async (name: string, o) => {
      const project = projectOf(env, o.project);
      const before = await client(env).reboot(project, name, o.hard);
      // A soft reboot passes through Stopping/Starting; wait for Running from a new start.
      const out = o.wait && !o.hard ? await waitForRestart(env, project, name, before, o.timeout) : before;
      print(env.format(), out, columns);
    });

  vm.command("migrate <name>")
    .description("move a running VM to another host while it runs (live migration; volume-booted VMs)")
    .option("-p, --project <project>", "project (default: the context's)")
    .option("--host <host>", "the target host (default: the scheduler's choice; photon host list)")
    .option("--no-wait", "return at once")
    .option("--timeout <s>", "how long to wait", positiveInt("--timeout"), 600)
    .action(async (name: string, o) => {
      const project = projectOf(env, o.project);
      const started = await client(env).migrate(project, name, o.host);
      const out = o.wait ? await waitForMigration(env, project, name, started, o.timeout) : started;
      print(env.format(), out, columns);
    });

  vm.command("delete <name>")
    .description("delete a VM (it is stopped and its disk removed)")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, o) => {
      print(env.format(), await client(env).deleteVm(projectOf(env, o.project), name), columns);
    });

  vm.command("console <name>")
    .description("print the VM's serial console log")
    .option("-p, --project <project>", "project (default: the context's)")
    .action(async (name: string, o) => {
      const { text } = await client(env).console(projectOf(env, o.project), name);
      process.stdout.write(text);
    });

  const host = program.command("host").description("worker hosts that run VMs (plasmavmc)");
  host
    .command("list")
    .description("list worker hosts")
    .action(async () => {
      print(env.format(), (await client(env).listHosts()).items, hostColumns);
    });
  for (const [verb, schedulable] of [
    ["cordon", false],
    ["uncordon", true],
  ] as const)
    host
      .command(`${verb} <name>`)
      .description(
        schedulable ? "let the host take new VMs again" : "give the host no new VMs (its VMs keep running)",
      )
      .action(async (name: string) => {
        print(env.format(), await client(env).setSchedulable(name, schedulable), hostColumns);
      });
}
