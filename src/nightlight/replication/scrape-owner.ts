// Which replica scrapes a target: rendezvous (highest-random-weight) hashing of the target over
// the replicas currently alive, so every replica agrees without talking, each target is scraped
// once, and when a replica dies only its targets move.

/** FNV-1a, 32 bit: stable across processes and releases (unlike a seeded hash). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche so that similar keys spread.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

export function scrapeOwner(targetKey: string, liveReplicas: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1;
  for (const r of liveReplicas) {
    const w = fnv1a(`${r}\x00${targetKey}`);
    if (w > bestWeight || (w === bestWeight && best !== undefined && r < best)) {
      best = r;
      bestWeight = w;
    }
  }
  return best;
}
