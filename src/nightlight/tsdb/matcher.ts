// Label matchers (=, !=, =~, !~) with Prometheus's semantics: regexes are RE2 syntax, fully
// anchored, and a missing label has the value "".
import type { Labels } from "./labels.ts";
import { labelValue } from "./labels.ts";

export type MatchType = "=" | "!=" | "=~" | "!~";

export interface Matcher {
  type: MatchType;
  name: string;
  value: string;
  re?: RegExp;
}

export class RegexError extends Error {}

const posixClasses: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

/** Translates the RE2 constructs JavaScript spells differently, and anchors the whole. */
export function compileAnchoredRegex(source: string): RegExp {
  let src = source;
  let flags = "";
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes("i")) flags += "i";
    if (lead[1]!.includes("s")) flags += "s";
    if (lead[1]!.includes("m")) flags += "m";
    src = src.slice(lead[0].length);
  }
  src = src
    .replace(/\(\?P</g, "(?<")
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
      const cls = posixClasses[name];
      if (!cls) return m;
      return neg ? `^${cls}` : cls;
    })
    .replace(/\\z/g, "$")
    .replace(/\\Q(.*?)(\\E|$)/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  try {
    return new RegExp(`^(?:${src})$`, flags);
  } catch (err) {
    throw new RegexError(
      `error parsing regexp: ${(err as Error).message.replace(/^Invalid regular expression: /, "")}`,
    );
  }
}

export function makeMatcher(type: MatchType, name: string, value: string): Matcher {
  if (type === "=~" || type === "!~") return { type, name, value, re: compileAnchoredRegex(value) };
  return { type, name, value };
}

export function matchesValue(m: Matcher, v: string): boolean {
  switch (m.type) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return m.re!.test(v);
    case "!~":
      return !m.re!.test(v);
  }
}

export function matchesLabels(ms: readonly Matcher[], labels: Labels): boolean {
  for (const m of ms) if (!matchesValue(m, labelValue(labels, m.name))) return false;
  return true;
}
