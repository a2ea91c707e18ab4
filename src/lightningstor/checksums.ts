// The x-amz-checksum-* algorithms S3 verifies: CRC32, CRC32C, SHA1, SHA256 (base64 of the
// big-endian digest). Each is an incremental hasher so uploads are checked as they stream.
import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";

export const checksumAlgorithms = ["crc32", "crc32c", "sha1", "sha256"] as const;
export type ChecksumAlgorithm = (typeof checksumAlgorithms)[number];

const crc32cTable = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let j = 0; j < 8; j++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  crc32cTable[i] = c >>> 0;
}

export function crc32cUpdate(crc: number, data: Uint8Array): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++)
    c = (crc32cTable[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

export interface Hasher {
  update(data: Uint8Array): void;
  /** base64, as in the x-amz-checksum-* headers. */
  digest(): string;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString("base64");
};

export function hasher(alg: ChecksumAlgorithm): Hasher {
  if (alg === "crc32") {
    let c = 0;
    return {
      update: (d) => {
        c = crc32(d, c);
      },
      digest: () => u32(c),
    };
  }
  if (alg === "crc32c") {
    let c = 0;
    return {
      update: (d) => {
        c = crc32cUpdate(c, d);
      },
      digest: () => u32(c),
    };
  }
  const h: Hash = createHash(alg);
  return {
    update: (d) => {
      h.update(d);
    },
    digest: () => h.digest("base64"),
  };
}

export const isChecksumAlgorithm = (s: string): s is ChecksumAlgorithm =>
  (checksumAlgorithms as readonly string[]).includes(s);
