// Structured JSON logs (pino). Secrets never reach a log line: the redact list covers the
// fields that carry them anywhere in PhotonCloud.
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

export const redactedPaths = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "access_token",
  "refresh_token",
  "client_secret",
  "req.headers.authorization",
  "headers.authorization",
  "authorization",
];

export interface LogOptions {
  level?: string;
  name?: string;
  /** Where lines go; stderr by default so stdout stays free for CLI output. */
  destination?: DestinationStream;
}

export function createLogger(opts: LogOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? process.env.PHOTON_LOG_LEVEL ?? "info",
      base: { component: opts.name ?? "photon", pid: process.pid },
      redact: { paths: redactedPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination ?? pino.destination(2),
  );
}

/**
 * Every line to `file` (appended) and only warnings and errors to stderr too: `photon up` runs
 * every component in one terminal, whose request logs would bury what an operator must see.
 */
export function fileAndConsoleWarnings(file: string): DestinationStream {
  return pino.multistream([
    { level: "trace", stream: pino.destination({ dest: file, append: true, mkdir: true }) },
    { level: "warn", stream: pino.destination(2) },
  ]);
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = pino({ level: "silent" });
