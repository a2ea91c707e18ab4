// PromQL lexer: turns a query into tokens with their positions (for error messages).

export type TokenKind =
  | "ident"
  | "number"
  | "duration"
  | "string"
  | "op"
  | "lbrace"
  | "rbrace"
  | "lparen"
  | "rparen"
  | "lbracket"
  | "rbracket"
  | "comma"
  | "colon"
  | "at"
  | "eof";

export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  /** Parsed value for numbers (float), durations (ms) and strings (unescaped). */
  value?: number | string;
}

export class ParseError extends Error {}

const durationUnits: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

const durationRe = /^(?:\d+(?:ms|[smhdwy]))+/;
const numberRe = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;
const identRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const ops = ["==", "!=", ">=", "<=", "=~", "!~", "+", "-", "*", "/", "%", "^", ">", "<", "="];

/** Parses a duration such as 5m or 1h30m into milliseconds; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = durationRe.exec(text);
  if (!m || m[0].length !== text.length) return undefined;
  let total = 0;
  let last = Number.POSITIVE_INFINITY;
  for (const part of text.matchAll(/(\d+)(ms|[smhdwy])/g)) {
    const unit = durationUnits[part[2]!]!;
    // Units must go from largest to smallest, each at most once (as Prometheus requires).
    if (unit >= last) return undefined;
    last = unit;
    total += Number(part[1]) * unit;
  }
  return total;
}

function unquote(body: string, quote: string, pos: number): string {
  if (quote === "`") return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "v":
        out += "\v";
        break;
      case "\\":
        out += "\\";
        break;
      case '"':
      case "'":
        out += n;
        break;
      case "x": {
        out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      }
      case "u": {
        out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      }
      case "U": {
        out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      }
      default:
        if (n !== undefined && /[0-7]/.test(n)) {
          out += String.fromCharCode(Number.parseInt(body.slice(i, i + 3), 8));
          i += 2;
        } else throw new ParseError(`1:${pos + i + 1}: parse error: unknown escape sequence`);
    }
  }
  return out;
}

export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < input.length && input[i] !== "\n") i++;
      continue;
    }
    const rest = input.slice(i);
    const single: Record<string, TokenKind> = {
      "{": "lbrace",
      "}": "rbrace",
      "(": "lparen",
      ")": "rparen",
      "[": "lbracket",
      "]": "rbracket",
      ",": "comma",
      "@": "at",
    };
    if (single[c]) {
      tokens.push({ kind: single[c]!, text: c, pos: i });
      i++;
      continue;
    }
    if (c === ":" && !/^:[a-zA-Z_]/.test(rest)) {
      tokens.push({ kind: "colon", text: c, pos: i });
      i++;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < input.length && input[j] !== c) {
        if (input[j] === "\\" && c !== "`") j++;
        j++;
      }
      if (j >= input.length) throw new ParseError(`1:${i + 1}: parse error: unterminated quoted string`);
      const body = input.slice(i + 1, j);
      tokens.push({ kind: "string", text: input.slice(i, j + 1), pos: i, value: unquote(body, c, i + 1) });
      i = j + 1;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      const d = durationRe.exec(rest);
      if (d && !/^[a-zA-Z0-9_]/.test(rest.slice(d[0].length))) {
        const ms = parseDuration(d[0]);
        if (ms === undefined) throw new ParseError(`1:${i + 1}: parse error: bad duration "${d[0]}"`);
        tokens.push({ kind: "duration", text: d[0], pos: i, value: ms });
        i += d[0].length;
        continue;
      }
      const m = numberRe.exec(rest);
      if (m) {
        const text = m[0];
        const value = /^0[xX]/.test(text) ? Number.parseInt(text, 16) : Number(text);
        if (/^[a-zA-Z_]/.test(rest.slice(text.length)))
          throw new ParseError(
            `1:${i + 1}: parse error: bad number or duration syntax: "${rest.slice(0, text.length + 1)}"`,
          );
        tokens.push({ kind: "number", text, pos: i, value });
        i += text.length;
        continue;
      }
    }
    const id = identRe.exec(rest);
    if (id) {
      const text = id[0];
      const lower = text.toLowerCase();
      if (lower === "inf" || lower === "nan") {
        tokens.push({
          kind: "number",
          text,
          pos: i,
          value: lower === "inf" ? Number.POSITIVE_INFINITY : Number.NaN,
        });
      } else tokens.push({ kind: "ident", text, pos: i });
      i += text.length;
      continue;
    }
    const op = ops.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: "op", text: op, pos: i });
      i += op.length;
      continue;
    }
    throw new ParseError(`1:${i + 1}: parse error: unexpected character: '${c}'`);
  }
  tokens.push({ kind: "eof", text: "", pos: input.length });
  return tokens;
}
