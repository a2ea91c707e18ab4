// DNS numbers from the IANA registries (RFC 1035, 3596, 2782, 6891, 8659, 2845, 1995, 1996).

export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  DNAME: 39,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
} as const;

export const RRClass = { IN: 1, CH: 3, NONE: 254, ANY: 255 } as const;

export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  NOTAUTH: 9,
  /** Extended (EDNS0) rcode 16: shares the number with BADSIG in TSIG error fields. */
  BADVERS: 16,
} as const;

export const TsigError = { BADSIG: 16, BADKEY: 17, BADTIME: 18, BADTRUNC: 22 } as const;

/** Type names for the presentation format; anything else is written TYPEnnn (RFC 3597). */
export const typeNames: Record<number, string> = Object.fromEntries(
  Object.entries(RRType).map(([k, v]) => [v, k]),
);
export const typeByName: Record<string, number> = { ...RRType };

export const typeName = (t: number): string => typeNames[t] ?? `TYPE${t}`;

/** A DNS message over UDP without EDNS0 is at most this long (RFC 1035 §4.2.1). */
export const classicUdpSizeBytes = 512;
/** The largest DNS message: its length must fit the 16-bit TCP length prefix. */
export const maxMessageBytes = 65_535;
/** A name is at most 255 octets in wire form, a label at most 63 (RFC 1035 §2.3.4). */
export const maxNameBytes = 255;
export const maxLabelBytes = 63;
