// Reusable buffers for READ replies. A fresh multi-KiB Buffer per read is memory outside the
// V8 heap that the garbage collector must track and sweep; at thousands of reads a second
// (or hundreds of 1 MiB ones) that is a large share of a volume server's CPU. Buffers come
// back once the socket has taken their bytes. Bounded in count per size and in total bytes.

export const bufferPoolLimits = {
  /**
   * Up to this size Buffer.allocUnsafe serves from Node's own 8 KiB slab (it does below half
   * the slab); 4 KiB WRITE payloads are above it and pooled here.
   */
  minPooledBytes: 2048,
  /** Larger requests are allocated and dropped (rare; NBD clients send at most 32 MiB). */
  maxPooledBytes: 4 * 1024 * 1024,
  /** Free buffers kept per size class. */
  maxFreePerClass: 16,
  /** Free bytes kept over all classes. */
  maxFreeBytes: 32 * 1024 * 1024,
} as const;

export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private freeBytes = 0;

  /** A buffer of at least n bytes (its length is a power of two when pooled). */
  take(n: number): Buffer {
    if (n <= bufferPoolLimits.minPooledBytes || n > bufferPoolLimits.maxPooledBytes)
      return Buffer.allocUnsafe(n);
    const size = classOf(n);
    const list = this.free.get(size);
    const b = list?.pop();
    if (b) {
      this.freeBytes -= size;
      return b;
    }
    return Buffer.allocUnsafeSlow(size);
  }

  /** Returns a buffer from take (any other is ignored); the caller no longer touches it. */
  give(b: Buffer): void {
    const size = b.length;
    if (size <= bufferPoolLimits.minPooledBytes || size > bufferPoolLimits.maxPooledBytes) return;
    if (classOf(size) !== size || b.byteOffset !== 0 || b.buffer.byteLength !== size) return;
    if (this.freeBytes + size > bufferPoolLimits.maxFreeBytes) return;
    let list = this.free.get(size);
    if (!list) {
      list = [];
      this.free.set(size, list);
    }
    if (list.length >= bufferPoolLimits.maxFreePerClass) return;
    list.push(b);
    this.freeBytes += size;
  }
}

function classOf(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}
