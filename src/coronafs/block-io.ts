// Positional reads and writes of chunk files, either inline on the event loop or on libuv's
// thread pool. Inline saves two thread hand-offs per request (the pool thread's wake-up and
// the event loop's), which is most of a 4 KiB request's latency on a busy machine; the
// thread pool lets several requests wait on the disk at once. The NBD server chooses
// inline only for a request that is alone (nothing else in flight on the server, nothing
// more buffered), so a queue of requests still overlaps on the pool; see nbd-server.ts.
import { fdatasync, read, readSync, writev, writevSync } from "node:fs";

/** Requests larger than this always go to the thread pool (the event loop stays responsive). */
export const inlineIoMaxBytes = 1024 * 1024;
/** More pieces than this in one writev are merged first (IOV_MAX is 1024 on Linux). */
export const maxWritevPieces = 256;

/**
 * Fills `into` from `fd` at `position`; returns the bytes read (fewer at the end of the file:
 * the caller treats the rest as zeros).
 */
export function readAt(
  fd: number,
  into: Buffer,
  position: number,
  inline: boolean,
): number | Promise<number> {
  if (inline) {
    let got = 0;
    while (got < into.length) {
      const n = readSync(fd, into, got, into.length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  }
  return new Promise<number>((resolve, reject) => {
    let got = 0;
    const step = () =>
      read(fd, into, got, into.length - got, position + got, (err, n) => {
        if (err) return reject(err);
        got += n;
        if (n === 0 || got === into.length) resolve(got);
        else step();
      });
    step();
  });
}

/** Writes `parts` (in order, as one run of bytes) to `fd` at `position`. */
export function writeAt(
  fd: number,
  parts: Buffer[],
  position: number,
  inline: boolean,
): void | Promise<void> {
  let bufs = parts.length > maxWritevPieces ? [Buffer.concat(parts)] : parts;
  let pos = position;
  if (inline) {
    for (;;) {
      const n = writevSync(fd, bufs, pos);
      if (n === 0) throw new Error("writev made no progress");
      pos += n;
      bufs = advance(bufs, n);
      if (bufs.length === 0) return;
    }
  }
  return new Promise<void>((resolve, reject) => {
    const step = () =>
      writev(fd, bufs, pos, (err, n) => {
        if (err) return reject(err);
        if (n === 0) return reject(new Error("writev made no progress"));
        pos += n;
        bufs = advance(bufs, n);
        if (bufs.length === 0) resolve();
        else step();
      });
    step();
  });
}

export function datasync(fd: number): Promise<void> {
  return new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/** What is left of `bufs` after its first n bytes were written (a short writev). */
function advance(bufs: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < bufs.length && n >= bufs[i]!.length) {
    n -= bufs[i]!.length;
    i++;
  }
  if (i === bufs.length) return [];
  const rest = bufs.slice(i);
  if (n > 0) rest[0] = rest[0]!.subarray(n);
  return rest;
}
