// Access logs kept off the request path: a request only appends a small record to a bounded
// buffer; a timer turns the buffer into JSON lines (pino's shape) and writes them in one go
// to the logger's own destination.
import { type Logger, pino } from "pino";

/** Records held between flushes; beyond this, records are counted as dropped, not kept. */
export const maxBufferedRecords = 20_000;
export const flushIntervalMs = 250;

export interface AccessRecord {
  timeMs: number;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  component: string;
  subject: string | undefined;
  remote: string | undefined;
}

export class AccessLog {
  /** Records dropped because the buffer was full (a sign the log destination is too slow). */
  dropped = 0;
  private records: AccessRecord[] = [];
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly stream: { write(s: string): unknown } | undefined;

  constructor(
    private readonly log: Logger,
    enabled: boolean,
  ) {
    const stream = (log as unknown as Record<symbol, { write(s: string): unknown } | undefined>)[
      pino.symbols.streamSym
    ];
    this.stream = enabled && log.isLevelEnabled("info") ? stream : undefined;
    if (this.stream) {
      this.timer = setInterval(() => this.flush(), flushIntervalMs);
      this.timer.unref();
    }
  }

  get enabled(): boolean {
    return this.stream !== undefined;
  }

  add(r: AccessRecord): void {
    if (this.records.length >= maxBufferedRecords) this.dropped++;
    else this.records.push(r);
  }

  flush(): void {
    if (!this.stream || this.records.length === 0) return;
    const records = this.records;
    this.records = [];
    let text = "";
    for (const r of records) text += accessLine(r, process.pid);
    if (this.dropped) {
      this.log.warn({ dropped: this.dropped }, "access log records dropped: the log destination is too slow");
      this.dropped = 0;
    }
    this.stream.write(text);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }
}

/**
 * One record as a pino-shaped JSON line. Built as a template rather than by stringifying an
 * object per record (a third of the flush's cost); every string a caller can influence goes
 * through JSON.stringify, so the line is the same as the object's JSON.
 */
export function accessLine(r: AccessRecord, pid: number): string {
  const q = JSON.stringify;
  const ms = Math.round(r.durationMs * 1000) / 1000;
  const subject = r.subject === undefined ? "" : `,"subject":${q(r.subject)}`;
  const remote = r.remote === undefined ? "" : `,"remote":${q(r.remote)}`;
  return `{"level":30,"time":"${new Date(r.timeMs).toISOString()}","pid":${pid},"component":"apigateway","reqId":${q(r.requestId)},"method":${q(r.method)},"path":${q(r.path)},"status":${r.status},"ms":${q(ms)},"upstream":${q(r.component)}${subject}${remote},"msg":"request"}\n`;
}
