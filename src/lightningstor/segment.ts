// A segment is one contiguous run of object bytes (a whole PUT, or one multipart part),
// striped and erasure-coded over storage nodes. Pure layout arithmetic lives here.
import { createHash } from "node:crypto";

export interface Segment {
  /** Unique id; chunk ids are `${id}.${stripe}.${shard}`. */
  id: string;
  size: number;
  k: number;
  m: number;
  /** Bytes of one data shard of a full stripe; a stripe holds k × shardSize object bytes. */
  shardSize: number;
  /** Node id holding shard i of every stripe (k data first, then m parity). */
  nodes: string[];
  /**
   * The bytes themselves, for a small object kept in the metadata store instead of on
   * storage nodes (no nodes, no stripes): it is as durable as the metadata commit.
   */
  inline?: Uint8Array;
}

export const stripeBytes = (s: Pick<Segment, "k" | "shardSize">) => s.k * s.shardSize;
export const stripeCount = (s: Segment) => (s.inline ? 0 : Math.ceil(s.size / stripeBytes(s)));
export const chunkId = (segmentId: string, stripe: number, shard: number) =>
  `${segmentId}.${stripe}.${shard}`;

/** Object bytes in stripe `stripe` and the (padded) length of each of its shards. */
export function stripeShape(s: Segment, stripe: number): { bytes: number; shardLen: number } {
  const full = stripeBytes(s);
  const bytes = Math.min(full, s.size - stripe * full);
  return { bytes, shardLen: Math.ceil(bytes / s.k) };
}

/**
 * Chooses the k+m nodes of a new segment: consecutive nodes in id order from a start that
 * the segment id hashes to, so load spreads evenly; with fewer nodes than shards, nodes
 * repeat (a small cluster then tolerates fewer failures than m).
 */
export function placeShards(segmentId: string, liveNodes: string[], shards: number): string[] {
  if (liveNodes.length === 0) throw new Error("no storage node is reachable");
  const sorted = [...liveNodes].sort();
  const start = createHash("sha1").update(segmentId).digest().readUInt32BE(0) % sorted.length;
  return Array.from({ length: shards }, (_, i) => sorted[(start + i) % sorted.length] as string);
}

/** A node to move a shard column to: live, and not already holding a shard of the segment if possible. */
export function replacementNode(seg: Segment, liveNodes: string[], exclude: string): string | undefined {
  const sorted = [...liveNodes].sort().filter((n) => n !== exclude);
  return sorted.find((n) => !seg.nodes.includes(n)) ?? sorted[0];
}

/** The stripes covering object bytes [start, end) of a segment (end exclusive). */
export function stripesFor(s: Segment, start: number, end: number): { first: number; last: number } {
  const full = stripeBytes(s);
  return { first: Math.floor(start / full), last: Math.floor((end - 1) / full) };
}
