// A seeded generator of a zone that exercises the answer logic (wildcards, CNAME chains,
// delegations with glue, empty non-terminals, many types) and of queries against it.
import { RRType } from "../../src/flashdns/wire/constants.ts";

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedZone {
  origin: string;
  text: string;
  /** Owner names (relative) that exist, for queries. */
  names: string[];
  /** Relative names under which random children are interesting (wildcards, cuts, ENTs). */
  parents: string[];
}

export function generateZone(seed: number, origin = "diff.test."): GeneratedZone {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const int = (n: number) => Math.floor(rnd() * n);
  const label = () => pick(["www", "mail", "api", "db", "web", "app", "x", "svc", "node", "edge"]) + int(40);
  const ip4 = () => `192.0.${int(256)}.${1 + int(254)}`;
  const ip6 = () => `2001:db8::${int(65_535).toString(16)}:${int(65_535).toString(16)}`;
  const lines = [
    `$ORIGIN ${origin}`,
    "$TTL 300",
    "@ 3600 IN SOA ns1 hostmaster 2024010101 7200 900 1209600 120",
    "@ NS ns1",
    "@ NS ns2.elsewhere.example.",
    "@ MX 10 mail0",
    "ns1 A 192.0.2.53",
    "ns1 AAAA 2001:db8::53",
    "mail0 A 192.0.2.25",
    '@ TXT "v=spf1 mx -all"',
  ];
  const names = new Set<string>(["@", "ns1", "mail0"]);
  const parents = new Set<string>(["@"]);
  const hosts: string[] = [];
  const taken = new Set<string>(["ns1", "mail0"]);
  const fresh = (base?: string) => {
    for (;;) {
      const n = base ? `${label()}.${base}` : label();
      if (!taken.has(n)) {
        taken.add(n);
        return n;
      }
    }
  };
  // Plain hosts with a mix of types, some deep (their ancestors are empty non-terminals).
  for (let i = 0; i < 120; i++) {
    const deep = rnd() < 0.2;
    const n = deep ? fresh(`${label()}.${label()}`) : fresh();
    hosts.push(n);
    names.add(n);
    if (deep) parents.add(n.split(".").slice(1).join("."));
    const kinds = int(6);
    for (let k = 0; k <= kinds; k++) {
      const t = pick(["A", "A", "AAAA", "TXT", "MX", "SRV", "CAA", "PTR", "TYPE65280", "A"]);
      if (t === "A") lines.push(`${n} A ${ip4()}`);
      else if (t === "AAAA") lines.push(`${n} ${200 + int(3) * 100} AAAA ${ip6()}`);
      else if (t === "TXT") lines.push(`${n} TXT "t${int(1000)}" "second string ${int(10)}"`);
      else if (t === "MX")
        lines.push(
          `${n} MX ${int(50)} ${rnd() < 0.7 && hosts.length > 1 ? pick(hosts) : "mx.elsewhere.example."}`,
        );
      else if (t === "SRV")
        lines.push(
          `${n} SRV ${int(10)} ${int(100)} ${1 + int(65_000)} ${rnd() < 0.7 ? pick(hosts) : "srv.elsewhere.example."}`,
        );
      else if (t === "CAA") lines.push(`${n} CAA 0 issue "ca${int(5)}.example"`);
      else if (t === "PTR") lines.push(`${n} PTR ${pick(hosts)}.${origin}`);
      else lines.push(`${n} TYPE65280 \\# 4 0a0b0c${int(256).toString(16).padStart(2, "0")}`);
    }
  }
  // Large RRsets: truncated over UDP without EDNS (and some even with it), whole over TCP.
  for (let i = 0; i < 4; i++) {
    const n = fresh();
    names.add(n);
    for (let k = 0; k < 4 + i * 4; k++)
      lines.push(`${n} TXT "${String(k).padStart(3, "0")}${"x".repeat(90 + int(10))}"`);
    for (let k = 0; k < 3 + i * 6; k++) lines.push(`${n} MX ${k} ${pick(hosts)}`);
  }
  // Wildcards: some plain, one CNAME wildcard, one with an empty non-terminal below it.
  for (let i = 0; i < 8; i++) {
    const p = fresh();
    parents.add(p);
    names.add(`*.${p}`);
    if (i === 0) lines.push(`*.${p} CNAME ${pick(hosts)}`);
    else {
      lines.push(`*.${p} A ${ip4()}`);
      if (rnd() < 0.5) lines.push(`*.${p} TXT "wild ${i}"`);
      if (rnd() < 0.5) lines.push(`*.${p} MX 5 ${pick(hosts)}`);
    }
    if (i === 2) {
      // a.b.<p> makes b.<p> an empty non-terminal: it blocks the wildcard for names below it.
      lines.push(`a.b.${p} A ${ip4()}`);
      names.add(`a.b.${p}`);
      names.add(`b.${p}`);
      parents.add(`b.${p}`);
    }
    if (i === 3) {
      lines.push(`host.${p} A ${ip4()}`);
      names.add(`host.${p}`);
    }
  }
  // Delegations: in-bailiwick NS with glue, and out-of-zone NS.
  const cuts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const c = fresh();
    cuts.push(c);
    names.add(c);
    parents.add(c);
    lines.push(`${c} NS ns.${c}`);
    lines.push(`ns.${c} A ${ip4()}`);
    if (rnd() < 0.5) lines.push(`ns.${c} AAAA ${ip6()}`);
    if (rnd() < 0.5) lines.push(`${c} NS ns.elsewhere.example.`);
    names.add(`ns.${c}`);
  }
  // CNAME chains: to hosts, onward, to nothing, out of the zone, into a wildcard, into a cut.
  const aliases: string[] = [];
  for (let i = 0; i < 40; i++) {
    const a = fresh();
    names.add(a);
    const r = rnd();
    let target: string;
    if (r < 0.4) target = pick(hosts);
    else if (r < 0.6 && aliases.length > 0) target = pick(aliases);
    else if (r < 0.7) target = `missing${int(100)}`;
    else if (r < 0.8) target = `www.elsewhere.example.`;
    else if (r < 0.9)
      target = `anything.${[...parents].find((p) => names.has(`*.${p}`) && !p.startsWith("b.")) ?? pick(hosts)}`;
    else target = `host.${pick(cuts)}`;
    lines.push(`${a} CNAME ${target}`);
    aliases.push(a);
  }
  return { origin, text: `${lines.join("\n")}\n`, names: [...names], parents: [...parents] };
}

export const queryTypes = [
  RRType.A,
  RRType.AAAA,
  RRType.MX,
  RRType.TXT,
  RRType.SRV,
  RRType.NS,
  RRType.SOA,
  RRType.CNAME,
  RRType.PTR,
  RRType.CAA,
  RRType.DS,
  65_280,
  99,
];

export interface GeneratedQuery {
  name: string;
  type: number;
  edns?: number;
  tcp?: boolean;
}

/** Queries: existing names, children of interesting parents, misses, other zones; random case. */
export function generateQueries(zone: GeneratedZone, count: number, seed: number): GeneratedQuery[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const abs = (rel: string) => (rel === "@" ? zone.origin : `${rel}.${zone.origin}`);
  const out: GeneratedQuery[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    let name: string;
    if (r < 0.5) name = abs(pick(zone.names));
    else if (r < 0.8)
      name = abs(
        `${rnd() < 0.3 ? "deep." : ""}q${Math.floor(rnd() * 50)}.${pick(zone.parents)}`.replace(/\.@$/, ""),
      );
    else if (r < 0.95) name = abs(`nx${Math.floor(rnd() * 1000)}`);
    else name = `www.other${Math.floor(rnd() * 5)}.test.`;
    // Random case: matching must ignore it and the question must keep it.
    name = [...name].map((c) => (rnd() < 0.3 ? c.toUpperCase() : c)).join("");
    const e = rnd();
    out.push({
      name,
      type: pick(queryTypes),
      ...(e < 0.4 ? { edns: 1232 } : e < 0.5 ? { edns: 600 } : {}),
      ...(rnd() < 0.1 ? { tcp: true } : {}),
    });
  }
  return out;
}
