// Progress bars for long transfers (image import and download): drawn on stderr, only when
// both stdout and stderr are terminals and the output format is for people, so scripts and
// `-o json` never see one. renderBar is pure; ProgressBar owns the redraw throttle.

/** Redraws at most this often. */
export const redrawIntervalMs = 100;

const units = ["B", "KiB", "MiB", "GiB", "TiB"];

export function formatBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** One line: label, bar (when the total is known), percent, bytes, rate and time left. */
export function renderBar(
  label: string,
  doneBytes: number,
  totalBytes: number | undefined,
  elapsedMs: number,
  columns: number,
): string {
  const rate = elapsedMs > 0 ? (doneBytes * 1000) / elapsedMs : 0;
  const rateText = `${formatBytes(rate)}/s`;
  if (totalBytes === undefined || totalBytes <= 0)
    return `${label} ${formatBytes(doneBytes)} ${rateText}`.slice(0, columns);
  const fraction = Math.min(1, doneBytes / totalBytes);
  const left = rate > 0 ? Math.max(0, (totalBytes - doneBytes) / rate) : undefined;
  const tail = ` ${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(doneBytes)}/${formatBytes(totalBytes)} ${rateText}${left === undefined ? "" : ` ${Math.ceil(left)}s left`}`;
  const width = Math.max(10, Math.min(40, columns - label.length - tail.length - 3));
  const filled = Math.round(fraction * width);
  return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}]${tail}`.slice(0, columns);
}

export interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class ProgressBar {
  private doneBytes = 0;
  private lastDrawMs = Number.NEGATIVE_INFINITY;
  private readonly startedMs: number;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly totalBytes: number | undefined,
    private readonly out: ProgressTarget | undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.startedMs = clock();
  }

  /** A bar for people only: none when stdout or stderr is not a terminal, or the format is json/yaml. */
  static forCli(label: string, totalBytes: number | undefined, format: string): ProgressBar {
    const on = format === "table" && process.stdout.isTTY === true && process.stderr.isTTY === true;
    return new ProgressBar(label, totalBytes, on ? process.stderr : undefined);
  }

  add(bytes: number): void {
    this.doneBytes += bytes;
    const now = this.clock();
    if (this.out && now - this.lastDrawMs >= redrawIntervalMs) {
      this.lastDrawMs = now;
      this.draw(now);
    }
  }

  /** Draws the final state and ends the line (or clears it, on failure). */
  finish(ok = true): void {
    if (!this.out) return;
    if (ok) {
      this.draw(this.clock());
      this.out.write("\n");
    } else if (this.drawn) this.out.write("\r\x1b[2K");
  }

  private draw(now: number): void {
    this.drawn = true;
    const columns = this.out?.columns ?? 80;
    this.out?.write(
      `\r${renderBar(this.label, this.doneBytes, this.totalBytes, now - this.startedMs, columns - 1)}\x1b[K`,
    );
  }
}
