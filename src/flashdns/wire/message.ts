// The decoded form of a DNS message (RFC 1035 §4.1) and of the RDATA of the types flashdns
// serves. Types without a case here travel as opaque RDATA (RFC 3597).
import type { Name } from "./name.ts";

export interface Header {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** The reserved bit: must be zero on the way out, ignored on the way in. */
  z: boolean;
  ad: boolean;
  cd: boolean;
  /** The low four bits; EDNS0 adds the upper eight in Edns.extendedRcode. */
  rcode: number;
}

export interface Question {
  name: Name;
  type: number;
  class: number;
}

export type RData =
  | { type: 1; address: string }
  | { type: 28; address: string }
  | { type: 2 | 5 | 12 | 39; target: Name }
  | { type: 15; preference: number; exchange: Name }
  | { type: 16; strings: Uint8Array[] }
  | { type: 33; priority: number; weight: number; port: number; target: Name }
  | {
      type: 6;
      mname: Name;
      rname: Name;
      serial: number;
      refresh: number;
      retry: number;
      expire: number;
      minimum: number;
    }
  | { type: 257; flags: number; tag: string; value: Uint8Array }
  | {
      type: 250;
      algorithm: Name;
      /** Seconds since the epoch (48 bits: exact in a double). */
      timeSigned: number;
      fudge: number;
      mac: Uint8Array;
      originalId: number;
      error: number;
      other: Uint8Array;
    }
  | { type: "opaque"; raw: Uint8Array };

export interface ResourceRecord {
  name: Name;
  type: number;
  class: number;
  ttl: number;
  data: RData;
}

export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** The OPT pseudo-record (RFC 6891), kept apart from the additional section. */
export interface Edns {
  payloadSize: number;
  /** Upper eight bits of the 12-bit rcode. */
  extendedRcode: number;
  version: number;
  dnssecOk: boolean;
  options: EdnsOption[];
}

export interface Message {
  header: Header;
  questions: Question[];
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
  edns?: Edns | undefined;
  /** TSIG, when the message carried one (always the last additional record). */
  tsig?: ResourceRecord | undefined;
  /** Where the TSIG record starts in the original bytes, for MAC checks. */
  tsigOffset?: number | undefined;
}

export const emptyHeader = (): Header => ({
  id: 0,
  qr: false,
  opcode: 0,
  aa: false,
  tc: false,
  rd: false,
  ra: false,
  z: false,
  ad: false,
  cd: false,
  rcode: 0,
});

export const emptyMessage = (): Message => ({
  header: emptyHeader(),
  questions: [],
  answers: [],
  authority: [],
  additional: [],
});
