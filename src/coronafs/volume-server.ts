// A volume server: the volumes on this node's disk (volume-catalog.ts) exported over NBD.
// Export names are "<volume id>/<attachment token>" (just "<volume id>" while a volume has
// no token): the token is the secret of the current attachment, so only its holder can
// connect; one read-write connection per volume at a time, and every write checks the
// attachment epoch it was opened under, so a fenced attacher's writes are refused (EPERM).

import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Logger } from "pino";
import { formatHostPort } from "../core/host-port.ts";
import { FdPool } from "./fd-pool.ts";
import type { ExportInfo } from "./nbd-options.ts";
import { nbdErr } from "./nbd-protocol.ts";
import { exportFlags } from "./nbd-request-check.ts";
import { type BlockTarget, type ExportProvider, NbdError, NbdServer } from "./nbd-server.ts";
import { ReplicaSet } from "./replica-set.ts";
import { CatalogError, type StoredVolume, VolumeCatalog } from "./volume-catalog.ts";

export interface VolumeServerOptions {
  dataDir: string;
  log: Logger;
  nbdHost: string;
  nbdPort: number;
  maxOpenFiles?: number;
  /**
   * Asks the control plane (at `reportUrl`, from the attachment) to take a failed replica out
   * of the in-sync set; resolving means it did, and only then may writes go on without it.
   */
  reportReplicaLost?: ReplicaLostReporter;
  /** A replica that leaves a forwarded request unanswered this long is failed (replica-set.ts). */
  replicaTimeoutMs?: number;
  /** Tells the control plane (at `reportUrl`) that a resynced replica holds every write. */
  reportReplicaSynced?: ReplicaSyncedReporter;
}

export type ReplicaSyncedReporter = (
  reportUrl: string,
  report: { volumeId: string; epoch: number; replica: string },
) => Promise<void>;

export type ReplicaLostReporter = (
  reportUrl: string,
  report: { volumeId: string; epoch: number; replica: string; reason: string },
) => Promise<void>;

export class VolumeServer {
  private readonly attached = new Map<string, number>();
  private readonly replicaSets = new Map<string, ReplicaSet>();
  private constructor(
    readonly catalog: VolumeCatalog,
    readonly nbd: NbdServer,
    private readonly log: Logger,
    private readonly reportReplicaLost: ReplicaLostReporter | undefined,
    private readonly replicaTimeoutMs: number | undefined,
    private readonly reportReplicaSynced: ReplicaSyncedReporter | undefined,
  ) {}

  static async start(opts: VolumeServerOptions): Promise<VolumeServer> {
    const catalog = await VolumeCatalog.open(opts.dataDir, new FdPool(opts.maxOpenFiles));
    let self: VolumeServer | undefined;
    const provider: ExportProvider = {
      describe: (name) => self?.describe(name),
      open: (name, conn) => self!.openExport(name, conn),
      // Export names carry secrets: NBD_OPT_LIST shows nothing.
      list: () => [],
    };
    const nbd = new NbdServer({ provider, log: opts.log.child({ nbd: true }) });
    self = new VolumeServer(
      catalog,
      nbd,
      opts.log,
      opts.reportReplicaLost,
      opts.replicaTimeoutMs,
      opts.reportReplicaSynced,
    );
    // A primary that restarts forwards to its replicas again, as its manifest says.
    for (const m of catalog.listVolumes()) self.linkReplicas(m.id);
    await nbd.listen(opts.nbdHost, opts.nbdPort);
    return self;
  }

  nbdAddress(): string {
    const a = this.nbd.address();
    return formatHostPort(a.host, a.port);
  }

  isAttached(id: string): boolean {
    return this.attached.has(id);
  }

  private resolve(name: string): StoredVolume | undefined {
    const slash = name.indexOf("/");
    const id = slash < 0 ? name : name.slice(0, slash);
    const token = slash < 0 ? undefined : name.slice(slash + 1);
    const v = this.catalog.volume(id);
    if (!v) return undefined;
    // Same answer for a wrong token as for a missing volume: names are not probed this way.
    if ((v.manifest.token ?? undefined) !== token) return undefined;
    return v;
  }

  private describe(name: string): ExportInfo | undefined {
    const v = this.resolve(name);
    return v ? { sizeBytes: v.data.sizeBytes, flags: exportFlags(false) } : undefined;
  }

  private openExport(name: string, connection: number): BlockTarget {
    const v = this.resolve(name);
    if (!v) throw new NbdError(nbdErr.inval, `no export named ${name}`);
    const id = v.manifest.id;
    const holder = this.attached.get(id);
    if (holder !== undefined)
      throw new NbdError(
        nbdErr.perm,
        `volume ${id} already has a read-write connection (exclusive attachment)`,
      );
    this.attached.set(id, connection);
    const epoch = v.manifest.epoch;
    const replicas = this.replicaSets.get(id);
    const fenced = () => {
      if (v.manifest.epoch !== epoch || this.catalog.volume(id) !== v)
        throw new NbdError(
          nbdErr.perm,
          `volume ${id} moved to epoch ${v.manifest.epoch}; this attachment is fenced`,
        );
    };
    const d = v.data;
    // Local write and replica forwarding run inside the gate together: a snapshot or a new
    // attachment waits for both, and a fenced attachment is refused before either starts.
    // The replicas get the request first, so their write overlaps the local one (which may
    // run inline and would otherwise delay the forwarding by its own duration).
    const mutate = (local: () => Promise<void>, remote: (r: ReplicaSet) => Promise<void>) =>
      d.gate.shared(() => {
        fenced();
        if (!replicas) return local();
        const forwarded = remote(replicas);
        const written = local();
        return Promise.all([written, forwarded]).then(() => undefined);
      });
    return {
      read: (o, into, inline) => d.readInto(o, into, inline),
      write: (o, data, fua, inline) =>
        mutate(
          () => d.write(o, data, fua, inline),
          (r) => r.write(o, data, fua),
        ),
      writeZeroes: (o, n, opts) =>
        mutate(
          () => d.zero(o, n, opts),
          (r) => r.zero(o, n, opts),
        ),
      trim: (o, n, fua) =>
        mutate(
          () => d.zero(o, n, { fua, noHole: false }),
          (r) => r.zero(o, n, { fua, noHole: false }),
        ),
      flush: async () => {
        await Promise.all([d.flush(), replicas?.flush()]);
      },
      release: () => {
        if (this.attached.get(id) === connection) this.attached.delete(id);
      },
    };
  }

  /**
   * Sets a volume's attachment generation and secret; connections of the previous one are cut.
   * `replicas` are the NBD addresses this server (as primary) forwards every write to.
   */
  async setAttachment(
    id: string,
    epoch: number,
    token: string | undefined,
    replicas: string[],
    reportUrl?: string,
  ): Promise<StoredVolume> {
    const before = this.catalog.volume(id);
    const oldName = before ? exportName(id, before.manifest.token) : undefined;
    const v = await this.catalog.setAttachment(id, epoch, token, replicas, reportUrl);
    if (oldName) this.nbd.disconnectExport(oldName);
    this.attached.delete(id);
    this.linkReplicas(id);
    return v;
  }

  /** (Re)builds the replica links of a volume from its manifest. */
  private linkReplicas(id: string, evenIfNone = false): ReplicaSet | undefined {
    void this.replicaSets.get(id)?.close();
    this.replicaSets.delete(id);
    const m = this.catalog.volume(id)?.manifest;
    if (!m || (m.replicas.length === 0 && !evenIfNone) || m.token === undefined) return undefined;
    const token = m.token;
    const report = this.reportReplicaLost;
    const url = m.reportUrl;
    const set = new ReplicaSet(
      m.replicas.map((r) => ({ address: r, exportName: exportName(id, m.replicaTokens?.[r] ?? token) })),
      this.log,
      report && url
        ? (replica, reason) => report(url, { volumeId: id, epoch: m.epoch, replica, reason })
        : undefined,
      this.replicaTimeoutMs,
    );
    this.replicaSets.set(id, set);
    return set;
  }

  /**
   * Brings a replica that missed writes (it was down, or is new) up to date while the volume
   * stays attached, then puts it in the write quorum. The replica gets every new write from
   * the start; each chunk is copied with the volume's writes held back (the gate), so a copy
   * never lands after a newer write of the same bytes; the final step (`confirm`: the control
   * plane records the copy in sync) runs with writes held back too, so nothing is
   * acknowledged in between without the replica. Resolves once the copy has started; the
   * copy itself runs in the background (a second call for the same replica is a no-op).
   */
  startResync(id: string, epoch: number, replica: { address: string; token: string }): void {
    const v = this.catalog.volume(id);
    if (!v) throw new CatalogError("NotFound", `volume ${id} is not on this server`);
    if (v.manifest.epoch !== epoch || v.manifest.token === undefined)
      throw new CatalogError(
        "FailedPrecondition",
        `volume ${id} is at epoch ${v.manifest.epoch}; a resync for epoch ${epoch} is stale`,
      );
    const existing = this.replicaSets.get(id);
    if (existing?.isCatchingUp(replica.address)) return;
    const set = existing ?? this.linkReplicas(id, true)!;
    set.addCatchingUp({ address: replica.address, exportName: exportName(id, replica.token) });
    const log = this.log.child({ volume: id, replica: replica.address });
    log.info("resync started");
    const report = this.reportReplicaSynced;
    const url = v.manifest.reportUrl;
    const confirm = async () => {
      if (report && url) await report(url, { volumeId: id, epoch, replica: replica.address });
    };
    this.copyToReplica(v, epoch, set, replica, confirm).then(
      () => log.info("resync done: the replica is in the write quorum"),
      (e: Error) => {
        log.warn({ err: e.message }, "resync failed");
        if (set.isCatchingUp(replica.address)) set.remove(replica.address);
      },
    );
  }

  private async copyToReplica(
    v: StoredVolume,
    epoch: number,
    set: ReplicaSet,
    replica: { address: string; token: string },
    confirm: () => Promise<void>,
  ): Promise<void> {
    const d = v.data;
    const sizeBytes = d.sizeBytes;
    const current = () => {
      if (set.isClosed || !set.isCatchingUp(replica.address) || v.manifest.epoch !== epoch)
        throw new Error("the attachment or the replica set changed during the resync");
      // The replica was sized before the copy; a grown volume is resynced again at its new size.
      if (d.sizeBytes !== sizeBytes) throw new Error("the volume was resized during the resync");
    };
    const chunks = Math.ceil(sizeBytes / d.chunkSizeBytes);
    for (let i = 0; i < chunks; i++) {
      await d.gate.exclusively(async () => {
        current();
        const offset = i * d.chunkSizeBytes;
        const length = Math.min(d.chunkSizeBytes, sizeBytes - offset);
        if (d.stored(i)) {
          const bytes = await d.read(offset, length);
          await set.sendTo(replica.address, (c) => c.write(offset, bytes));
        }
        // A hole here; the replica may hold stale bytes (or a lower layer's) at this chunk.
        else
          await set.sendTo(replica.address, (c) =>
            c.writeZeroes(offset, length, { fua: false, noHole: false }),
          );
      });
    }
    await set.sendTo(replica.address, (c) => c.flush());
    await d.gate.exclusively(async () => {
      current();
      // Recorded before it counts: a primary that restarts keeps forwarding to it.
      await this.catalog.addReplica(v.manifest.id, replica.address, replica.token);
      try {
        await confirm();
      } finally {
        // Even if the answer was lost, the replica holds every write: it may count (being in
        // the quorum is the safe side; the control plane resyncs it again if unsure).
        set.promote(replica.address);
      }
    });
  }

  async deleteVolume(id: string): Promise<void> {
    const v = this.catalog.volume(id);
    if (v) this.nbd.disconnectExport(exportName(id, v.manifest.token));
    await this.replicaSets.get(id)?.close();
    this.replicaSets.delete(id);
    this.attached.delete(id);
    await this.catalog.deleteVolume(id);
  }

  /** Imports an image's bytes (raw or qcow2) as a snapshot that volumes clone from. */
  async importImage(
    id: string,
    format: "raw" | "qcow2",
    chunkSizeBytes: number,
    body: Readable,
  ): Promise<ReturnType<VolumeCatalog["snapshot"]>> {
    if (format === "raw") return this.catalog.importSnapshot(id, chunkSizeBytes, body);
    // qcow2 is converted by qemu-img (the real part underneath) into a sparse raw file first.
    const dir = await mkdtemp(join(tmpdir(), "coronafs-import-"));
    try {
      const src = join(dir, "image.qcow2");
      const raw = join(dir, "image.raw");
      await pipeline(body, createWriteStream(src));
      await run("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", src, raw]);
      const { createReadStream } = await import("node:fs");
      return await this.catalog.importSnapshot(
        id,
        chunkSizeBytes,
        createReadStream(raw, { highWaterMark: 1 << 20 }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    await this.nbd.close();
    for (const r of this.replicaSets.values()) await r.close();
    await this.catalog.close();
  }
}

export function exportName(id: string, token: string | undefined): string {
  return token === undefined ? id : `${id}/${token}`;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (b: Buffer) => {
      if (err.length < 4096) err += b.toString();
    });
    p.on("error", reject);
    p.on("close", (code) =>
      code === 0 ? resolve() : reject(new CatalogError("InvalidArgument", `${cmd} failed: ${err.trim()}`)),
    );
  });
}
