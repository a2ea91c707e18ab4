// The audit log of every write decision and every denial: a bounded ring in memory (served
// by iam at GET /v1/audit, and by each verifier to whoever embeds it) plus one structured
// log line per entry, which the log pipeline keeps for as long as the operator wants.
import type { Logger } from "pino";
import type { AuditEntry } from "./api.ts";

/** Entries kept in memory per process; older ones live on only in the log stream. */
export const auditRingSize = 10_000;

const readVerbs = new Set(["get", "list", "watch"]);

/**
 * The platform's own component accounts (system/<role>): their allowed calls are mostly
 * heartbeats and reconciles, every second, so their log lines go at debug (they stay in the
 * ring), the way Kubernetes audit policies leave out node heartbeats. Denials always log.
 */
const componentSubjectPrefix = "serviceaccount:system/";

/** Reads that were allowed are not audited (they would drown the writes and denials). */
export function shouldAudit(permission: string, allowed: boolean): boolean {
  return !allowed || !readVerbs.has(permission.slice(permission.lastIndexOf(".") + 1));
}

export class AuditLog {
  private readonly ring: AuditEntry[] = [];
  private next = 0;
  constructor(private readonly log?: Logger) {}

  record(e: AuditEntry): void {
    if (this.ring.length < auditRingSize) this.ring.push(e);
    else this.ring[this.next] = e;
    this.next = (this.next + 1) % auditRingSize;
    if (!e.allowed) this.log?.info({ audit: e }, "audit: denied");
    else if (e.subject.startsWith(componentSubjectPrefix)) this.log?.debug({ audit: e }, "audit: allowed");
    else this.log?.info({ audit: e }, "audit: allowed");
  }

  /** Newest first. */
  list(limit = 100, filter: { subject?: string; project?: string; allowed?: boolean } = {}): AuditEntry[] {
    const out: AuditEntry[] = [];
    const n = this.ring.length;
    for (let i = 1; i <= n && out.length < limit; i++) {
      const e = this.ring[(this.next - i + n) % n]!;
      if (filter.subject !== undefined && e.subject !== filter.subject) continue;
      if (filter.project !== undefined && e.project !== filter.project) continue;
      if (filter.allowed !== undefined && e.allowed !== filter.allowed) continue;
      out.push(e);
    }
    return out;
  }
}
