// Live migration over QEMU's own protocol: the target's QEMU, started paused with
// `-incoming defer`, listens on a TCP port; the source's QEMU sends the guest's memory and
// device state there while the guest runs, pauses it for the last dirty pages and flushes its
// disks. Both sides learn the outcome from query-migrate.

import { setTimeout as sleep } from "node:timers/promises";
import { formatHostPort, parseHostPort } from "../core/host-port.ts";
import type { QmpClient } from "./qmp-client.ts";

/** How often query-migrate is asked: the guest is paused between completion and takeover. */
export const migrationPollMs = 25;

export type MigrationOutcome =
  | { ok: true; downtimeMs?: number; totalMs?: number }
  | { ok: false; error: string };

interface MigrationInfo {
  status?: string;
  "error-desc"?: string;
  downtime?: number;
  "total-time"?: number;
}

const tcpUri = (host: string, port: number) => `tcp:${formatHostPort(host, port)}`;

/** The target's QEMU starts listening for the stream. */
export async function listenForMigration(qmp: QmpClient, host: string, port: number): Promise<void> {
  await qmp.execute("migrate-incoming", { uri: tcpUri(host, port) });
}

/** The source's QEMU starts sending the guest to `host:port` (as the target reported it). */
export async function sendMigration(qmp: QmpClient, address: string): Promise<void> {
  const at = parseHostPort(address);
  if (!at) throw new Error(`not a host:port migration address: ${address}`);
  await qmp.execute("migrate", { uri: tcpUri(at.host, at.port) });
}

/**
 * Waits for the migration this QEMU takes part in to end, either side. A QEMU that goes away
 * meanwhile (its QMP fails) is a failed migration.
 */
export async function migrationOutcome(qmp: QmpClient, deadline: number): Promise<MigrationOutcome> {
  for (;;) {
    let info: MigrationInfo;
    try {
      info = await qmp.execute<MigrationInfo>("query-migrate");
    } catch (err) {
      return { ok: false, error: `QEMU went away: ${(err as Error).message}` };
    }
    if (info.status === "completed")
      return {
        ok: true,
        ...(info.downtime !== undefined ? { downtimeMs: info.downtime } : {}),
        ...(info["total-time"] !== undefined ? { totalMs: info["total-time"] } : {}),
      };
    if (info.status === "failed" || info.status === "cancelled")
      return { ok: false, error: info["error-desc"] ?? `migration ${info.status}` };
    if (Date.now() > deadline) {
      await qmp.execute("migrate_cancel").catch(() => undefined);
      return { ok: false, error: "the migration did not finish in time (cancelled)" };
    }
    await sleep(migrationPollMs);
  }
}
