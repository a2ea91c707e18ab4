// Domain names as label lists. A label is a "binary string": one char per octet (latin1), so
// any octet survives a round trip. Comparisons fold ASCII case only (RFC 4343).
import { maxLabelBytes, maxNameBytes } from "./constants.ts";

/** Labels from the leftmost to the one just under the root; the root is []. */
export type Name = readonly string[];

export const rootName: Name = [];

export class NameSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NameSyntaxError";
  }
}

const upperAscii = /[A-Z]/;
/** Lowercases A–Z only: other octets are data, not letters (RFC 4343 §3). */
export function lowerLabel(label: string): string {
  return upperAscii.test(label) ? label.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : label;
}

const needsEscape = /[^\x21-\x7e]|[.\\"();@$]/;
function escapeLabel(label: string): string {
  if (!needsEscape.test(label)) return label;
  let out = "";
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const ch = label[i] as string;
    if (c <= 0x20 || c >= 0x7f) out += `\\${String(c).padStart(3, "0")}`;
    else if ('.\\"();@$'.includes(ch)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** Presentation form, always absolute: "www.example.com." and "." for the root. */
export function nameToText(name: Name): string {
  if (name.length === 0) return ".";
  let out = "";
  for (const l of name) out += `${escapeLabel(l)}.`;
  return out;
}

/** The case-folded presentation form: the key of a name in maps. */
export function nameKey(name: Name): string {
  if (name.length === 0) return ".";
  let out = "";
  for (const l of name) out += `${escapeLabel(lowerLabel(l))}.`;
  return out;
}

/** Keys of a name and each of its ancestors, the name's own first, the root last. */
export function suffixKeys(name: Name): string[] {
  const keys = new Array<string>(name.length + 1);
  keys[name.length] = ".";
  let acc = "";
  for (let i = name.length - 1; i >= 0; i--) {
    acc = `${escapeLabel(lowerLabel(name[i] as string))}.${acc}`;
    keys[i] = acc;
  }
  return keys;
}

export function nameWireBytes(name: Name): number {
  let n = 1;
  for (const l of name) n += l.length + 1;
  return n;
}

export function namesEqual(a: Name, b: Name): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (lowerLabel(a[i] as string) !== lowerLabel(b[i] as string)) return false;
  return true;
}

/** True when `name` is `parent` or below it. */
export function isSubdomain(name: Name, parent: Name): boolean {
  const d = name.length - parent.length;
  if (d < 0) return false;
  for (let i = 0; i < parent.length; i++)
    if (lowerLabel(name[d + i] as string) !== lowerLabel(parent[i] as string)) return false;
  return true;
}

/** Checks the RFC 1035 length limits; throws NameSyntaxError. */
export function checkNameLength(name: Name): void {
  for (const l of name) {
    if (l.length === 0) throw new NameSyntaxError("empty label (two dots in a row?)");
    if (l.length > maxLabelBytes)
      throw new NameSyntaxError(
        `label "${l.slice(0, 20)}…" is ${l.length} octets; the limit is ${maxLabelBytes}`,
      );
  }
  if (nameWireBytes(name) > maxNameBytes)
    throw new NameSyntaxError(
      `name is ${nameWireBytes(name)} octets in wire form; the limit is ${maxNameBytes}`,
    );
}

/**
 * Parses a name in presentation form (\DDD and \X escapes). A relative name (no final dot)
 * is completed with `origin`; "@" is the origin itself.
 */
export function nameFromText(text: string, origin?: Name): Name {
  if (text === "@") {
    if (!origin) throw new NameSyntaxError(`"@" needs an origin`);
    return origin;
  }
  if (text === ".") return rootName;
  if (text.length === 0) throw new NameSyntaxError("empty name");
  const labels: string[] = [];
  let cur = "";
  let absolute = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\\") {
      const next = text.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(next)) {
        const v = Number(next);
        if (v > 255) throw new NameSyntaxError(`escape \\${next} is above 255 in "${text}"`);
        cur += String.fromCharCode(v);
        i += 3;
      } else if (i + 1 < text.length) {
        cur += text[i + 1];
        i += 1;
      } else throw new NameSyntaxError(`dangling backslash in "${text}"`);
    } else if (ch === ".") {
      if (cur.length === 0) throw new NameSyntaxError(`empty label in "${text}"`);
      labels.push(cur);
      cur = "";
      if (i === text.length - 1) absolute = true;
    } else {
      const c = ch.charCodeAt(0);
      if (c > 0xff)
        throw new NameSyntaxError(
          `"${text}" holds a character outside latin1; use \\DDD escapes or punycode`,
        );
      cur += ch;
    }
  }
  if (!absolute) {
    labels.push(cur);
    if (origin === undefined) throw new NameSyntaxError(`"${text}" is relative and there is no origin`);
    labels.push(...origin);
  }
  checkNameLength(labels);
  return labels;
}
