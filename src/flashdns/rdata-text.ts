// RDATA in presentation form (RFC 1035 §5.1, RFC 3597 for generic "\# len hex"), both ways.
// The API accepts record data in this form, so every error says what to fix.
import { ipv4ToBytes, ipv6FromBytes, ipv6ToBytes } from "./wire/address.ts";
import { RRType, typeByName, typeName } from "./wire/constants.ts";
import { decodeMessage } from "./wire/decode.ts";
import { encodeMessage } from "./wire/encode.ts";
import type { RData } from "./wire/message.ts";
import { type Name, NameSyntaxError, nameFromText, nameToText } from "./wire/name.ts";

export class RdataSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RdataSyntaxError";
  }
}

/** A token of presentation text: quoted strings keep their spaces and escapes. */
export interface Token {
  text: string;
  quoted: boolean;
}

/** Splits one RDATA text into tokens (whitespace-separated, "quoted strings" kept whole). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\" && j + 1 < text.length) {
          s += text.slice(j, j + 2);
          j += 2;
        } else s += text[j++];
      }
      if (j >= text.length)
        throw new RdataSyntaxError(`unterminated quoted string in ${JSON.stringify(text)}`);
      out.push({ text: s, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    let s = "";
    while (j < text.length && text[j] !== " " && text[j] !== "\t" && text[j] !== '"') {
      if (text[j] === "\\" && j + 1 < text.length) {
        s += text.slice(j, j + 2);
        j += 2;
      } else s += text[j++];
    }
    out.push({ text: s, quoted: false });
    i = j;
  }
  return out;
}

/** The octets of a character-string, with \DDD and \X escapes resolved; UTF-8 for the rest. */
export function charStringBytes(s: string, maxBytes = 255): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === "\\") {
      const d = s.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(d)) {
        const v = Number(d);
        if (v > 255) throw new RdataSyntaxError(`escape \\${d} is above 255`);
        out.push(v);
        i += 3;
      } else if (i + 1 < s.length) {
        out.push(...enc.encode(s[i + 1] as string));
        i++;
      } else throw new RdataSyntaxError("dangling backslash");
    } else out.push(...enc.encode(ch));
  }
  if (out.length > maxBytes)
    throw new RdataSyntaxError(
      `a character-string holds at most ${maxBytes} octets, this one ${out.length}; split it into several strings`,
    );
  return Uint8Array.from(out);
}

export function charStringText(b: Uint8Array): string {
  let s = '"';
  for (const c of b) {
    if (c === 0x22 || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c < 0x20 || c >= 0x7f) s += `\\${String(c).padStart(3, "0")}`;
    else s += String.fromCharCode(c);
  }
  return `${s}"`;
}

const u = (t: string, bits: 8 | 16 | 32, what: string): number => {
  if (!/^\d+$/.test(t))
    throw new RdataSyntaxError(`${what} must be a whole number, not ${JSON.stringify(t)}`);
  const v = Number(t);
  if (v > 2 ** bits - 1) throw new RdataSyntaxError(`${what} must be at most ${2 ** bits - 1}, not ${t}`);
  return v;
};

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
/** A TTL or SOA timer: seconds, or BIND-style units like 1h30m. */
export function parseSeconds(t: string, what: string): number {
  if (/^\d+$/.test(t)) return u(t, 32, what);
  const m = t.toLowerCase().match(/^(\d+[smhdw])+$/);
  if (!m)
    throw new RdataSyntaxError(`${what} must be seconds or a duration like 1h30m, not ${JSON.stringify(t)}`);
  let total = 0;
  for (const [, n, unit] of t.toLowerCase().matchAll(/(\d+)([smhdw])/g))
    total += Number(n) * (unitSeconds[unit as string] as number);
  if (total > 2 ** 31 - 1) throw new RdataSyntaxError(`${what} ${t} is too large`);
  return total;
}

const nameArg = (t: Token | undefined, origin: Name, what: string): Name => {
  if (!t) throw new RdataSyntaxError(`missing ${what}`);
  try {
    return nameFromText(t.text, origin);
  } catch (e) {
    if (e instanceof NameSyntaxError) throw new RdataSyntaxError(`${what}: ${e.message}`);
    throw e;
  }
};

/** Parses the RDATA of `type` from its presentation tokens; relative names use `origin`. */
export function parseRdata(type: number, tokens: Token[], origin: Name): RData {
  const count = (n: number, form: string) => {
    if (tokens.length !== n)
      throw new RdataSyntaxError(`${typeName(type)} data is "${form}"; got ${tokens.length} field(s)`);
  };
  const t = (i: number) => (tokens[i] as Token).text;
  if (tokens[0]?.text === "\\#" && !tokens[0].quoted) return parseGeneric(type, tokens);
  switch (type) {
    case RRType.A: {
      count(1, "<IPv4 address>");
      if (!ipv4ToBytes(t(0))) throw new RdataSyntaxError(`${JSON.stringify(t(0))} is not an IPv4 address`);
      return { type: 1, address: t(0) };
    }
    case RRType.AAAA: {
      count(1, "<IPv6 address>");
      const b = ipv6ToBytes(t(0));
      if (!b) throw new RdataSyntaxError(`${JSON.stringify(t(0))} is not an IPv6 address`);
      return { type: 28, address: ipv6FromBytes(b, 0) };
    }
    case RRType.NS:
    case RRType.CNAME:
    case RRType.PTR:
    case RRType.DNAME:
      count(1, "<target name>");
      return { type, target: nameArg(tokens[0], origin, "target") };
    case RRType.MX:
      count(2, "<preference> <exchange>");
      return {
        type: 15,
        preference: u(t(0), 16, "MX preference"),
        exchange: nameArg(tokens[1], origin, "MX exchange"),
      };
    case RRType.SRV:
      count(4, "<priority> <weight> <port> <target>");
      return {
        type: 33,
        priority: u(t(0), 16, "SRV priority"),
        weight: u(t(1), 16, "SRV weight"),
        port: u(t(2), 16, "SRV port"),
        target: nameArg(tokens[3], origin, "SRV target"),
      };
    case RRType.SOA:
      count(7, "<mname> <rname> <serial> <refresh> <retry> <expire> <minimum>");
      return {
        type: 6,
        mname: nameArg(tokens[0], origin, "SOA mname"),
        rname: nameArg(tokens[1], origin, "SOA rname"),
        serial: u(t(2), 32, "SOA serial"),
        refresh: parseSeconds(t(3), "SOA refresh"),
        retry: parseSeconds(t(4), "SOA retry"),
        expire: parseSeconds(t(5), "SOA expire"),
        minimum: parseSeconds(t(6), "SOA minimum"),
      };
    case RRType.TXT:
      if (tokens.length === 0) throw new RdataSyntaxError("TXT data needs at least one string");
      return { type: 16, strings: tokens.map((x) => charStringBytes(x.text)) };
    case RRType.CAA: {
      count(3, '<flags> <tag> "<value>"');
      const tag = t(1);
      if (!/^[A-Za-z0-9]{1,15}$/.test(tag))
        throw new RdataSyntaxError(`CAA tag must be 1-15 letters and digits, not ${JSON.stringify(tag)}`);
      const value = charStringBytes(t(2), 4096);
      return { type: 257, flags: u(t(0), 8, "CAA flags"), tag, value };
    }
    default:
      throw new RdataSyntaxError(
        `type ${typeName(type)} is only accepted in the generic form "\\# <length> <hex>" (RFC 3597)`,
      );
  }
}

function parseGeneric(type: number, tokens: Token[]): RData {
  const len = u(tokens[1]?.text ?? "", 16, "generic RDATA length");
  const hex = tokens
    .slice(2)
    .map((x) => x.text)
    .join("");
  if (!/^([0-9a-fA-F]{2})*$/.test(hex) || hex.length / 2 !== len)
    throw new RdataSyntaxError(`generic RDATA must be ${len} octets of hex`);
  const raw = Uint8Array.from(Buffer.from(hex, "hex"));
  if (type === RRType.OPT || type === RRType.TSIG)
    throw new RdataSyntaxError(`${typeName(type)} cannot be stored`);
  // A known type in generic form must still be valid: decode it through the wire codec.
  const known = [1, 2, 5, 6, 12, 15, 16, 28, 33, 39, 257];
  if (!known.includes(type)) return { type: "opaque", raw };
  const msg = new Uint8Array(12 + 1 + 10 + raw.length);
  msg.set([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], 0);
  msg.set([0, type >> 8, type & 0xff, 0, 1, 0, 0, 0, 0, len >> 8, len & 0xff], 12);
  msg.set(raw, 23);
  try {
    return (decodeMessage(msg).answers[0] as { data: RData }).data;
  } catch (e) {
    throw new RdataSyntaxError(`generic RDATA is not valid ${typeName(type)}: ${(e as Error).message}`);
  }
}

/** Presentation form of RDATA; names absolute. */
export function rdataToText(d: RData): string {
  switch (d.type) {
    case 1:
    case 28:
      return d.address;
    case 2:
    case 5:
    case 12:
    case 39:
      return nameToText(d.target);
    case 15:
      return `${d.preference} ${nameToText(d.exchange)}`;
    case 33:
      return `${d.priority} ${d.weight} ${d.port} ${nameToText(d.target)}`;
    case 6:
      return `${nameToText(d.mname)} ${nameToText(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 16:
      return d.strings.map(charStringText).join(" ");
    case 257:
      return `${d.flags} ${d.tag} ${charStringText(d.value)}`;
    case 250:
      return "\\# 0";
    case "opaque":
      return `\\# ${d.raw.length}${d.raw.length ? ` ${Buffer.from(d.raw).toString("hex")}` : ""}`;
  }
}

/** A type from its mnemonic or TYPEnnn; undefined when unknown. */
export function parseType(t: string): number | undefined {
  const up = t.toUpperCase();
  const known = typeByName[up];
  if (known !== undefined) return known;
  const m = /^TYPE(\d{1,5})$/.exec(up);
  if (m && Number(m[1]) <= 65_535) return Number(m[1]);
  return undefined;
}

/** Wire-size of RDATA, to reject records that cannot be sent. */
export function rdataWireBytes(type: number, d: RData): number {
  const m = encodeMessage({
    header: {
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
    },
    questions: [],
    answers: [{ name: [], type, class: 1, ttl: 0, data: d }],
    authority: [],
    additional: [],
  });
  return m.length - 12 - 11;
}
