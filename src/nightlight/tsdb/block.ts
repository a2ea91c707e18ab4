// A persisted, immutable block: the chunks of a time range in one `chunks` file, and an index
// (series labels, chunk references, and the postings of each tenant) in `index.json.gz`. Written
// into a temporary directory, fsynced, then renamed, so a block is either whole or absent.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { StoredChunk } from "./head.ts";
import { type Labels, labelsKey } from "./labels.ts";
import { Postings } from "./postings.ts";
import { syncDir } from "./wal.ts";

/** The block index: JSON (series, chunk references, postings per tenant), gzipped. */
export const indexFile = "index.json.gz";

/** Reads a block's sample count without loading it (for tools and the bench). */
export function blockSampleCount(dir: string): number {
  return (JSON.parse(gunzipSync(readFileSync(join(dir, indexFile))).toString("utf8")) as IndexJson).samples;
}

export interface BlockSeriesInput {
  tenant: string;
  labels: Labels;
  chunks: StoredChunk[];
}

interface IndexJson {
  version: 1;
  mint: number;
  maxt: number;
  samples: number;
  tenants: Record<
    string,
    {
      series: { labels: [string, string][]; chunks: [number, number, number, number, number][] }[];
      postings: Record<string, Record<string, number[]>>;
    }
  >;
}

export interface BlockSeries {
  labels: Labels;
  key: string;
  /** [offset, length, count, mint, maxt] into the chunks file. */
  chunks: [number, number, number, number, number][];
}

export class Block {
  private constructor(
    readonly dir: string,
    readonly mint: number,
    readonly maxt: number,
    readonly samples: number,
    private readonly data: Buffer,
    readonly tenants: Map<string, { series: BlockSeries[]; postings: Postings; byKey: Map<string, number> }>,
  ) {}

  static load(dir: string): Block {
    const index = JSON.parse(gunzipSync(readFileSync(join(dir, indexFile))).toString("utf8")) as IndexJson;
    const data = readFileSync(join(dir, "chunks"));
    const tenants = new Map<
      string,
      { series: BlockSeries[]; postings: Postings; byKey: Map<string, number> }
    >();
    for (const [tenant, t] of Object.entries(index.tenants)) {
      const series = t.series.map((s) => ({ labels: s.labels, key: labelsKey(s.labels), chunks: s.chunks }));
      const byKey = new Map(series.map((s, i) => [s.key, i]));
      tenants.set(tenant, { series, postings: Postings.fromJSON(t.postings), byKey });
    }
    return new Block(dir, index.mint, index.maxt, index.samples, data, tenants);
  }

  chunk(ref: [number, number, number, number, number]): StoredChunk {
    return { bytes: this.data.subarray(ref[0], ref[0] + ref[1]), count: ref[2], mint: ref[3], maxt: ref[4] };
  }

  sizeBytes(): number {
    return statSync(join(this.dir, "chunks")).size + statSync(join(this.dir, indexFile)).size;
  }

  /** Writes a block from series (sorted or not) under `parent`; returns the loaded block. */
  static write(parent: string, name: string, input: BlockSeriesInput[]): Block {
    const tmp = join(parent, `${name}.tmp`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const fd = openSync(join(tmp, "chunks"), "w");
    let offset = 0;
    let mint = Number.POSITIVE_INFINITY;
    let maxt = Number.NEGATIVE_INFINITY;
    let samples = 0;
    const index: IndexJson = { version: 1, mint: 0, maxt: 0, samples: 0, tenants: {} };
    const byTenant = new Map<string, BlockSeriesInput[]>();
    for (const s of input) {
      if (s.chunks.length === 0) continue;
      const list = byTenant.get(s.tenant) ?? [];
      list.push(s);
      byTenant.set(s.tenant, list);
    }
    try {
      for (const [tenant, list] of byTenant) {
        list.sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1));
        const postings = new Postings();
        const series: IndexJson["tenants"][string]["series"] = [];
        for (const s of list) {
          const refs: [number, number, number, number, number][] = [];
          for (const c of s.chunks) {
            writeSync(fd, c.bytes);
            refs.push([offset, c.bytes.length, c.count, c.mint, c.maxt]);
            offset += c.bytes.length;
            samples += c.count;
            mint = Math.min(mint, c.mint);
            maxt = Math.max(maxt, c.maxt);
          }
          postings.add(series.length, s.labels);
          series.push({ labels: s.labels.map(([n, v]) => [n, v]), chunks: refs });
        }
        index.tenants[tenant] = { series, postings: postings.toJSON() };
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    index.mint = mint;
    index.maxt = maxt;
    index.samples = samples;
    const ifd = openSync(join(tmp, indexFile), "w");
    try {
      // Label strings and postings repeat a lot; gzip makes the index a small share of the block.
      writeSync(ifd, gzipSync(JSON.stringify(index)));
      fsyncSync(ifd);
    } finally {
      closeSync(ifd);
    }
    syncDir(tmp);
    const final = join(parent, name);
    renameSync(tmp, final);
    syncDir(parent);
    return Block.load(final);
  }

  /** Every series of every tenant with its chunks (for merging blocks). */
  *allSeries(): Generator<BlockSeriesInput> {
    for (const [tenant, t] of this.tenants)
      for (const s of t.series)
        yield { tenant, labels: s.labels, chunks: s.chunks.map((r) => this.chunk(r)) };
  }
}
