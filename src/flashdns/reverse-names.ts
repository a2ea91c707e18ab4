// Reverse DNS names (RFC 1035 §3.5 in-addr.arpa, RFC 3596 ip6.arpa) for the platform hooks:
// the PTR owner of an address, and the reverse zones that cover a VPC subnet.
import { ipv4ToBytes, ipv6ToBytes } from "./wire/address.ts";

/** At most this many zones for one subnet (a /20 gives 16 /24 zones). */
export const maxReverseZonesPerSubnet = 256;

/** "10.0.0.5" → "5.0.0.10.in-addr.arpa."; IPv6 → the 32-nibble ip6.arpa name. */
export function reverseName(ip: string): string {
  const v4 = ipv4ToBytes(ip);
  if (v4) return `${[...v4].reverse().join(".")}.in-addr.arpa.`;
  const v6 = ipv6ToBytes(ip);
  if (!v6) throw new Error(`"${ip}" is not an IP address`);
  return `${nibbles(v6, 32).reverse().join(".")}.ip6.arpa.`;
}

function nibbles(b: Uint8Array, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++)
    out.push((((b[i >> 1] as number) >> (i % 2 === 0 ? 4 : 0)) & 0xf).toString(16));
  return out;
}

/**
 * The reverse zones that together cover a subnet, at the label boundary at or below its prefix
 * (octets for IPv4, nibbles for IPv6): 10.1.0.0/16 → ["1.10.in-addr.arpa."], a /22 → four /24s.
 */
export function reverseZonesFor(cidr: string): string[] {
  const [addr, lenText] = cidr.split("/");
  const len = Number(lenText);
  const v4 = ipv4ToBytes(addr ?? "");
  const bytes = v4 ?? ipv6ToBytes(addr ?? "");
  if (!bytes || !Number.isInteger(len) || len < 0 || len > bytes.length * 8)
    throw new Error(`"${cidr}" is not a CIDR subnet`);
  const unit = v4 ? 8 : 4;
  const labels = Math.min(Math.ceil(len / unit), v4 ? 3 : 31);
  const extra = labels * unit - len;
  const count = extra > 0 ? 2 ** extra : 1;
  if (count > maxReverseZonesPerSubnet)
    throw new Error(`${cidr} needs ${count} reverse zones; the limit is ${maxReverseZonesPerSubnet}`);
  const zones: string[] = [];
  for (let k = 0; k < count; k++) {
    const b = Uint8Array.from(bytes);
    // Set the bits between the prefix and the label boundary to k.
    for (let bit = 0; bit < extra; bit++) {
      const pos = labels * unit - 1 - bit;
      const on = (k >> bit) & 1;
      const byte = pos >> 3;
      const mask = 0x80 >> (pos & 7);
      b[byte] = on ? (b[byte] as number) | mask : (b[byte] as number) & ~mask;
    }
    const parts = v4 ? [...b.subarray(0, labels)].map(String) : nibbles(b, labels);
    zones.push(`${parts.reverse().join(".")}.${v4 ? "in-addr" : "ip6"}.arpa.`);
  }
  return zones;
}
