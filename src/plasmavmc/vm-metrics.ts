// Per-VM metrics on the worker's /metrics, gathered at scrape time: CPU time and resident
// memory of the VM's QEMU process (from /proc), and disk I/O per virtual disk (QMP
// query-blockstats). Network counters come with prismnet's taps; user-mode networking has none.
import { readFile } from "node:fs/promises";
import { Counter, Gauge, type Registry } from "../core/metrics.ts";
import type { QmpClient } from "./qmp-client.ts";

/** Linux's USER_HZ and page size on every architecture QEMU runs guests on here. */
const clockTicksPerSecond = 100;
const pageBytes = 4096;

export interface VmProcessView {
  project: string;
  name: string;
  pid: number | undefined;
  qmp: QmpClient;
}

/** utime + stime (fields 14 and 15) of /proc/<pid>/stat, in seconds. */
export function cpuSecondsFromStat(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: fields follow the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

/** Resident pages (field 2) of /proc/<pid>/statm, in bytes. */
export const rssBytesFromStatm = (statm: string): number => Number(statm.split(" ")[1]) * pageBytes;

interface BlockStats {
  qdev?: string;
  device?: string;
  stats: { rd_bytes: number; wr_bytes: number; rd_operations: number; wr_operations: number };
}

export function registerVmMetrics(registry: Registry, vms: () => VmProcessView[]): void {
  const labelNames = ["project", "vm"] as const;
  const diskLabels = ["project", "vm", "disk"] as const;
  const cpu = new Counter({
    name: "plasmavmc_vm_cpu_seconds_total",
    help: "CPU time of the VM's QEMU process (guest vCPUs and device emulation)",
    labelNames,
    registers: [registry],
    collect: () => collect(),
  });
  const memory = new Gauge({
    name: "plasmavmc_vm_memory_resident_bytes",
    help: "Resident memory of the VM's QEMU process",
    labelNames,
    registers: [registry],
    collect: () => collect(),
  });
  const disk = {
    readBytes: counter("plasmavmc_vm_disk_read_bytes_total", "Bytes the guest read from the disk"),
    writeBytes: counter("plasmavmc_vm_disk_written_bytes_total", "Bytes the guest wrote to the disk"),
    reads: counter("plasmavmc_vm_disk_reads_total", "Read requests the guest made to the disk"),
    writes: counter("plasmavmc_vm_disk_writes_total", "Write requests the guest made to the disk"),
  };
  function counter(name: string, help: string) {
    return new Counter({
      name,
      help,
      labelNames: diskLabels,
      registers: [registry],
      collect: () => collect(),
    });
  }

  // One collect fills every family, so the figures of one scrape come from one moment.
  let collecting: Promise<void> | undefined;
  const collectAll = async () => {
    for (const m of [cpu, memory, ...Object.values(disk)]) m.reset();
    await Promise.all(
      vms().map(async (vm) => {
        const labels = { project: vm.project, vm: vm.name };
        if (vm.pid) {
          const [stat, statm] = await Promise.all([
            readFile(`/proc/${vm.pid}/stat`, "utf8").catch(() => undefined),
            readFile(`/proc/${vm.pid}/statm`, "utf8").catch(() => undefined),
          ]);
          if (stat) cpu.inc(labels, cpuSecondsFromStat(stat));
          if (statm) memory.set(labels, rssBytesFromStatm(statm));
        }
        const stats = await vm.qmp.execute<BlockStats[]>("query-blockstats").catch(() => []);
        for (const s of stats) {
          // Devices are disk<i>-dev (qemu-args.ts), inside a QOM path; report them as disk<i>.
          const name = /(disk\d+)-dev/.exec(s.qdev ?? s.device ?? "")?.[1];
          if (!name) continue;
          const l = { ...labels, disk: name };
          disk.readBytes.inc(l, s.stats.rd_bytes);
          disk.writeBytes.inc(l, s.stats.wr_bytes);
          disk.reads.inc(l, s.stats.rd_operations);
          disk.writes.inc(l, s.stats.wr_operations);
        }
      }),
    );
  };
  // prom-client calls collect on each family; the first call of a scrape gathers for all.
  async function collect() {
    collecting ??= collectAll().finally(() => {
      setImmediate(() => {
        collecting = undefined;
      });
    });
    await collecting;
  }
}
