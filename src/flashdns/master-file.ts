// RFC 1035 §5 master files: import (with $ORIGIN, $TTL, parentheses, comments, owner and
// TTL/class inheritance, RFC 3597 generic types) and export of a zone's records.
import {
  parseRdata,
  parseSeconds,
  parseType,
  RdataSyntaxError,
  rdataToText,
  type Token,
} from "./rdata-text.ts";
import { RRType, typeName } from "./wire/constants.ts";
import type { ResourceRecord } from "./wire/message.ts";
import { type Name, NameSyntaxError, nameFromText, nameToText } from "./wire/name.ts";

export class MasterFileError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.slice(0, 5).join("; ") + (problems.length > 5 ? `; and ${problems.length - 5} more` : ""));
    this.name = "MasterFileError";
    this.problems = problems;
  }
}

/** Bounds on what one import may hold. */
export const masterFileLimits = { maxBytes: 16 * 1024 * 1024, maxProblems: 100 };

interface Entry {
  line: number;
  /** The line began with blank space: the owner is the previous one. */
  inheritsOwner: boolean;
  tokens: Token[];
}

/** Splits the text into logical entries: one per record, parentheses joining lines. */
function entries(text: string): Entry[] {
  const out: Entry[] = [];
  let cur: Entry | undefined;
  let depth = 0;
  let line = 1;
  let i = 0;
  let atLineStart = true;
  const flush = () => {
    if (cur && cur.tokens.length > 0) out.push(cur);
    cur = undefined;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "\n") {
      line++;
      i++;
      atLineStart = true;
      if (depth === 0) flush();
      continue;
    }
    if (!cur) cur = { line, inheritsOwner: atLineStart && (c === " " || c === "\t"), tokens: [] };
    atLineStart = false;
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === ";") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "(") {
      depth++;
      i++;
      continue;
    }
    if (c === ")") {
      if (depth === 0) throw new MasterFileError([`line ${line}: ")" without "("`]);
      depth--;
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\n") line++;
        if (text[j] === "\\" && j + 1 < text.length) {
          s += text.slice(j, j + 2);
          j += 2;
        } else s += text[j++];
      }
      if (j >= text.length) throw new MasterFileError([`line ${cur.line}: unterminated quoted string`]);
      cur.tokens.push({ text: s, quoted: true });
      i = j + 1;
      continue;
    }
    let s = "";
    while (i < text.length && !' \t\r\n;()"'.includes(text[i] as string)) {
      if (text[i] === "\\" && i + 1 < text.length) {
        s += text.slice(i, i + 2);
        i += 2;
      } else s += text[i++];
    }
    cur.tokens.push({ text: s, quoted: false });
  }
  if (depth !== 0) throw new MasterFileError([`unbalanced "(" at the end of the file`]);
  flush();
  return out;
}

const isTtl = (t: string) => /^\d+$/.test(t) || /^(\d+[smhdwSMHDW])+$/.test(t);
const isClass = (t: string) => /^(IN|CH|HS|CS|CLASS\d+)$/i.test(t);

export interface ParseOptions {
  origin: Name;
  /** TTL of records that give none, when the file has no $TTL. */
  defaultTtl?: number;
}

/** Parses a master file; throws MasterFileError listing every bad line (up to a bound). */
export function parseMasterFile(text: string, opts: ParseOptions): ResourceRecord[] {
  if (text.length > masterFileLimits.maxBytes)
    throw new MasterFileError([`the file is larger than ${masterFileLimits.maxBytes} bytes`]);
  let origin = opts.origin;
  let ttl: number | undefined = opts.defaultTtl;
  let lastOwner: Name | undefined;
  let lastTtl: number | undefined;
  const records: ResourceRecord[] = [];
  const problems: string[] = [];
  for (const e of entries(text)) {
    if (problems.length >= masterFileLimits.maxProblems) break;
    try {
      const first = e.tokens[0] as Token;
      if (!first.quoted && first.text.startsWith("$")) {
        const dir = first.text.toUpperCase();
        const arg = e.tokens[1]?.text;
        if (dir === "$ORIGIN" && arg) origin = nameFromText(arg, origin);
        else if (dir === "$TTL" && arg) ttl = parseSeconds(arg, "$TTL");
        else if (dir === "$INCLUDE")
          throw new RdataSyntaxError("$INCLUDE is not supported in an import; inline the file");
        else throw new RdataSyntaxError(`unknown or incomplete directive ${first.text}`);
        continue;
      }
      let k = 0;
      let owner: Name;
      if (e.inheritsOwner) {
        if (!lastOwner) throw new RdataSyntaxError("the first record needs an owner name");
        owner = lastOwner;
      } else {
        owner = nameFromText(first.text, origin);
        k = 1;
      }
      let recTtl: number | undefined;
      let klass = 1;
      for (let n = 0; n < 2 && k < e.tokens.length; n++) {
        const t = (e.tokens[k] as Token).text;
        if (isTtl(t) && recTtl === undefined) {
          recTtl = parseSeconds(t, "TTL");
          k++;
        } else if (isClass(t)) {
          if (t.toUpperCase() !== "IN") throw new RdataSyntaxError(`class ${t} is not served; only IN`);
          klass = 1;
          k++;
        }
      }
      const typeText = e.tokens[k]?.text;
      if (!typeText) throw new RdataSyntaxError("missing record type");
      const type = parseType(typeText);
      if (type === undefined) throw new RdataSyntaxError(`unknown record type ${JSON.stringify(typeText)}`);
      const data = parseRdata(type, e.tokens.slice(k + 1), origin);
      // RFC 2308 §4: without $TTL, a record's TTL defaults to the last one given (or the SOA minimum).
      const effective =
        recTtl ?? ttl ?? lastTtl ?? (type === RRType.SOA && data.type === 6 ? data.minimum : undefined);
      if (effective === undefined) throw new RdataSyntaxError("no TTL: give one on the record or with $TTL");
      records.push({ name: owner, type, class: klass, ttl: effective, data });
      lastOwner = owner;
      lastTtl = effective;
    } catch (err) {
      if (err instanceof RdataSyntaxError || err instanceof NameSyntaxError)
        problems.push(`line ${e.line}: ${err.message}`);
      else throw err;
    }
  }
  if (problems.length > 0) throw new MasterFileError(problems);
  return records;
}

/** Writes records as a master file with absolute names, one record per line. */
export function writeMasterFile(origin: Name, records: readonly ResourceRecord[]): string {
  const lines = [`$ORIGIN ${nameToText(origin)}`];
  for (const r of records)
    lines.push(`${nameToText(r.name)}\t${r.ttl}\tIN\t${typeName(r.type)}\t${rdataToText(r.data)}`);
  return `${lines.join("\n")}\n`;
}
