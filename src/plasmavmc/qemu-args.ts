// The QEMU command line for one VM, pure: the same launch spec always gives the same argv.
// Guests see virtio disks and NICs, a serial console on a socket the worker reads, QMP on
// another socket, and the metadata service's URL as an SMBIOS OEM string (type 11).

export type Accel = "kvm" | "tcg";

export type DiskSource =
  | { kind: "file"; path: string; format: "raw" | "qcow2" }
  | {
      kind: "nbd";
      host: string;
      port: number;
      exportName: string;
      /** The NBD node's name, so a failover can swap it under the disk (see volume-swap.ts). */
      node: string;
    }
  /**
   * Stands in for a volume on a VM migrating in, until the source has let go of it (no I/O
   * reaches it: the guest is paused): then the volume is attached and swapped in.
   */
  | { kind: "placeholder"; node: string; sizeBytes: number };

/** The block node the guest's disk i sits on. */
export const diskNode = (i: number) => `disk${i}`;
/**
 * Between a network disk and its NBD node sits a one-child quorum node: QEMU can swap a
 * quorum's child while the old one is dead (x-blockdev-change), where reopening the disk on a
 * new child would first flush the dead one and fail. See vm-volumes.ts.
 */
export const switchNode = (i: number) => `disk${i}-switch`;

/** QEMU's blockdev options for an NBD export (as -blockdev text; QMP takes the same fields). */
export function nbdNodeOptions(d: Extract<DiskSource, { kind: "nbd" }>) {
  return {
    driver: "nbd",
    "node-name": d.node,
    server: { type: "inet", host: d.host, port: String(d.port) },
    export: d.exportName,
  } as const;
}

export interface PortForward {
  /** Host address the forward listens on (loopback unless the operator says otherwise). */
  hostAddress: string;
  hostPort: number;
  guestPort: number;
  protocol: "tcp" | "udp";
}

export interface LaunchSpec {
  name: string;
  vcpus: number;
  memoryMib: number;
  accel: Accel;
  disks: DiskSource[];
  /** QEMU user-mode networking until prismnet gives VMs taps on a VPC bridge. */
  portForwards: PortForward[];
  /** Where the guest fetches its metadata; reachable from user-mode networking. */
  metadataUrl?: string;
  qmpSocket: string;
  serialSocket: string;
  /** QEMU writes its pid here, so a worker that restarts finds the QEMUs it left (orphans.ts). */
  pidFile?: string;
  /** Sent as the guest's SMBIOS system UUID. */
  uuid?: string;
  /** Waits, paused, for a migration stream (`migrate-incoming` over QMP) instead of booting. */
  incoming?: boolean;
}

function driveArgs(d: DiskSource, i: number): string[] {
  const id = diskNode(i);
  const boot = i === 0 ? ",bootindex=0" : "";
  if (d.kind === "file")
    return [
      "-blockdev",
      `node-name=${id},cache.direct=off,driver=${d.format},file.driver=file,file.filename=${d.path}`,
      "-device",
      `virtio-blk-pci,drive=${id},id=${id}-dev${boot}`,
    ];
  // A network disk pauses the guest on an I/O error instead of failing it, so the worker can
  // point it at the volume's new primary and resume with the failed requests retried.
  return [
    "-blockdev",
    d.kind === "nbd"
      ? `driver=nbd,node-name=${d.node},server.type=inet,server.host=${d.host},server.port=${d.port},export=${d.exportName}`
      : `driver=null-co,node-name=${d.node},size=${d.sizeBytes},read-zeroes=on`,
    "-blockdev",
    `driver=quorum,node-name=${switchNode(i)},vote-threshold=1,read-pattern=fifo,children.0=${d.node}`,
    "-blockdev",
    `driver=raw,node-name=${id},file=${switchNode(i)}`,
    "-device",
    `virtio-blk-pci,drive=${id},id=${id}-dev,werror=stop,rerror=stop${boot}`,
  ];
}

/** QEMU splits option values at commas; a path with one would be misread, so refuse it. */
function plain(value: string, what: string): string {
  if (value.includes(",")) throw new Error(`${what} must not contain a comma: ${value}`);
  return value;
}

export function qemuArgs(spec: LaunchSpec): string[] {
  for (const d of spec.disks)
    if (d.kind === "file") plain(d.path, "disk path");
    else if (d.kind === "nbd") plain(`${d.host}${d.exportName}${d.node}`, "NBD address");
    else plain(d.node, "node name");
  plain(spec.qmpSocket, "QMP socket path");
  plain(spec.serialSocket, "serial socket path");
  if (spec.pidFile) plain(spec.pidFile, "pid file path");
  if (spec.metadataUrl) plain(spec.metadataUrl, "metadata URL");
  const fwd = spec.portForwards
    .map((p) => `,hostfwd=${p.protocol}:${p.hostAddress}:${p.hostPort}-:${p.guestPort}`)
    .join("");
  return [
    "-name",
    `${spec.name},process=photon-vm-${spec.name}`,
    "-machine",
    `q35,accel=${spec.accel}`,
    ...(spec.accel === "kvm" ? ["-cpu", "host"] : []),
    "-smp",
    String(spec.vcpus),
    "-m",
    String(spec.memoryMib),
    "-nodefaults",
    "-no-user-config",
    "-display",
    "none",
    "-vga",
    "none",
    "-chardev",
    `socket,id=serial0,path=${spec.serialSocket},server=on,wait=on`,
    "-serial",
    "chardev:serial0",
    "-chardev",
    `socket,id=qmp0,path=${spec.qmpSocket},server=on,wait=off`,
    "-mon",
    "chardev=qmp0,mode=control",
    ...spec.disks.flatMap(driveArgs),
    "-netdev",
    `user,id=net0${fwd}`,
    "-device",
    "virtio-net-pci,netdev=net0,id=net0-dev",
    ...(spec.metadataUrl ? ["-smbios", `type=11,value=photon-metadata=${spec.metadataUrl}`] : []),
    ...(spec.uuid ? ["-uuid", spec.uuid] : []),
    ...(spec.pidFile ? ["-pidfile", spec.pidFile] : []),
    ...(spec.incoming ? ["-S", "-incoming", "defer"] : []),
  ];
}
