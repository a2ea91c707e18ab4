// PromQL parser: precedence climbing over the lexer's tokens, with Prometheus's type checks and
// error messages (they reach users and Grafana as `bad_data`).
import { type Matcher, makeMatcher, matchesValue, RegexError } from "../tsdb/matcher.ts";
import {
  type AggregationOp,
  type AtModifier,
  aggregationOps,
  type BinaryOp,
  comparisonOps,
  type Expr,
  setOps,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from "./ast.ts";
import { functions } from "./functions-table.ts";
import { lex, ParseError, type Token } from "./lexer.ts";

const precedence: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  "==": 3,
  "!=": 3,
  ">": 3,
  "<": 3,
  ">=": 3,
  "<=": 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
  "%": 5,
  atan2: 5,
  "^": 6,
};

/** The maximum nesting a query may have (bounds recursion on hostile input). */
export const maxQueryDepth = 200;

export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case "number":
      return "scalar";
    case "string":
      return "string";
    case "vector":
      return "vector";
    case "matrix":
    case "subquery":
      return "matrix";
    case "aggregate":
      return "vector";
    case "call":
      return functions[e.func]!.returns;
    case "paren":
    case "unary":
      return typeOf(e.expr);
    case "binary":
      return typeOf(e.lhs) === "scalar" && typeOf(e.rhs) === "scalar" ? "scalar" : "vector";
  }
}

const typeName = (t: ValueType) => (t === "vector" ? "instant vector" : t === "matrix" ? "range vector" : t);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(o = 0): Token {
    return this.tokens[Math.min(this.i + o, this.tokens.length - 1)]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private fail(msg: string, tok: Token = this.peek()): never {
    const line = 1;
    throw new ParseError(`${line}:${tok.pos + 1}: parse error: ${msg}`);
  }
  private describe(t: Token): string {
    if (t.kind === "eof") return "end of input";
    return `"${t.text}"`;
  }
  private expect(kind: Token["kind"], what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) this.fail(`unexpected ${this.describe(t)}, expected ${what}`);
    return this.next();
  }
  private isIdent(text: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === "ident" && t.text.toLowerCase() === text;
  }

  parseQuery(): Expr {
    if (this.peek().kind === "eof") this.fail("no expression found in input");
    const e = this.parseExpr(0);
    if (this.peek().kind !== "eof") this.fail(`unexpected ${this.describe(this.peek())}`);
    return e;
  }

  private binaryOpAt(): BinaryOp | undefined {
    const t = this.peek();
    if (t.kind === "op" && t.text in precedence) return t.text as BinaryOp;
    if (t.kind === "ident") {
      const l = t.text.toLowerCase();
      if (l === "and" || l === "or" || l === "unless" || l === "atan2") return l as BinaryOp;
    }
    return undefined;
  }

  private parseExpr(minPrec: number): Expr {
    if (++this.depth > maxQueryDepth) this.fail("query is nested too deeply");
    let lhs = this.parseUnary();
    for (;;) {
      const op = this.binaryOpAt();
      if (!op) break;
      const prec = precedence[op]!;
      if (prec < minPrec) break;
      const opTok = this.next();
      let bool = false;
      if (this.isIdent("bool")) {
        this.next();
        bool = true;
      }
      let matching: VectorMatching | undefined;
      if (this.isIdent("on") || this.isIdent("ignoring")) {
        const on = this.next().text.toLowerCase() === "on";
        matching = { card: "one-to-one", on, labels: this.parseLabelList(), include: [] };
      }
      if (this.isIdent("group_left") || this.isIdent("group_right")) {
        const left = this.next().text.toLowerCase() === "group_left";
        matching ??= { card: "one-to-one", on: false, labels: [], include: [] };
        matching.card = left ? "many-to-one" : "one-to-many";
        if (this.peek().kind === "lparen") matching.include = this.parseLabelList();
      }
      const rhs = this.parseExpr(op === "^" ? prec : prec + 1);
      lhs = this.checkBinary({ type: "binary", op, lhs, rhs, bool, matching }, opTok);
    }
    this.depth--;
    return lhs;
  }

  private checkBinary(e: Extract<Expr, { type: "binary" }>, tok: Token): Expr {
    const lt = typeOf(e.lhs);
    const rt = typeOf(e.rhs);
    const isSet = setOps.includes(e.op);
    const isCmp = comparisonOps.includes(e.op);
    if ((lt !== "scalar" && lt !== "vector") || (rt !== "scalar" && rt !== "vector"))
      this.fail("binary expression must contain only scalar and instant vector types", tok);
    if (e.bool && !isCmp) this.fail("bool modifier can only be used on comparison operators", tok);
    if (isCmp && lt === "scalar" && rt === "scalar" && !e.bool)
      this.fail("comparisons between scalars must use BOOL modifier", tok);
    if (isSet) {
      if (lt === "scalar" || rt === "scalar")
        this.fail(`set operator "${e.op}" not allowed in binary scalar expression`, tok);
      if (e.matching && (e.matching.card === "many-to-one" || e.matching.card === "one-to-many"))
        this.fail(`no grouping allowed for "${e.op}" operation`, tok);
      e.matching ??= { card: "many-to-many", on: false, labels: [], include: [] };
      e.matching.card = "many-to-many";
    }
    if (e.matching && (lt !== "vector" || rt !== "vector"))
      this.fail("vector matching only allowed between instant vectors", tok);
    if (!e.matching && lt === "vector" && rt === "vector")
      e.matching = { card: "one-to-one", on: false, labels: [], include: [] };
    if (e.matching && e.matching.card !== "many-to-many" && e.matching.on) {
      for (const l of e.matching.include)
        if (e.matching.labels.includes(l))
          this.fail(`label "${l}" must not occur in ON and GROUP clause at once`, tok);
    }
    return e;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === "op" && (t.text === "-" || t.text === "+")) {
      this.next();
      const expr = this.parseExpr(6);
      const et = typeOf(expr);
      if (et !== "scalar" && et !== "vector")
        this.fail(
          `unary expression only allowed on expressions of type scalar or instant vector, got "${typeName(et)}"`,
          t,
        );
      if (expr.type === "number") return { type: "number", value: t.text === "-" ? -expr.value : expr.value };
      return { type: "unary", op: t.text as "-" | "+", expr };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(base: Expr): Expr {
    let e = base;
    for (;;) {
      const t = this.peek();
      if (t.kind === "lbracket") {
        this.next();
        const range = this.expect("duration", "duration in range");
        if (this.peek().kind === "colon") {
          this.next();
          let stepMs = 0;
          if (this.peek().kind === "duration") stepMs = this.next().value as number;
          this.expect("rbracket", '"]"');
          const et = typeOf(e);
          if (et !== "vector" && et !== "scalar")
            this.fail(`subquery is only allowed on instant vector, got ${typeName(et)} instead`, t);
          e = { type: "subquery", expr: e, rangeMs: range.value as number, stepMs, offsetMs: 0 };
          continue;
        }
        this.expect("rbracket", '"]"');
        if (e.type !== "vector") this.fail("ranges only allowed for vector selectors", t);
        if (e.offsetMs !== 0 || e.at !== undefined) this.fail("no offset modifiers allowed before range", t);
        e = { type: "matrix", vector: e, rangeMs: range.value as number };
        continue;
      }
      if (this.isIdent("offset")) {
        this.next();
        let sign = 1;
        if (this.peek().kind === "op" && (this.peek().text === "-" || this.peek().text === "+")) {
          if (this.next().text === "-") sign = -1;
        }
        const d = this.expect("duration", "duration after offset");
        const target = e.type === "matrix" ? e.vector : e;
        if (target.type !== "vector" && target.type !== "subquery")
          this.fail(
            "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
            t,
          );
        if (target.offsetMs !== 0) this.fail("offset may not be set multiple times", t);
        target.offsetMs = sign * (d.value as number);
        continue;
      }
      if (t.kind === "at") {
        this.next();
        const target = e.type === "matrix" ? e.vector : e;
        if (target.type !== "vector" && target.type !== "subquery")
          this.fail(
            "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
            t,
          );
        if (target.at !== undefined) this.fail("@ <timestamp> may not be set multiple times", t);
        target.at = this.parseAt();
        continue;
      }
      return e;
    }
  }

  private parseAt(): AtModifier {
    const t = this.peek();
    if (t.kind === "ident" && (t.text === "start" || t.text === "end")) {
      this.next();
      this.expect("lparen", '"("');
      this.expect("rparen", '")"');
      return t.text;
    }
    let sign = 1;
    if (t.kind === "op" && (t.text === "-" || t.text === "+")) {
      if (this.next().text === "-") sign = -1;
    }
    const n = this.peek();
    if (n.kind !== "number") this.fail(`unexpected ${this.describe(n)} in @, expected timestamp`);
    this.next();
    const v = sign * (n.value as number);
    if (!Number.isFinite(v)) this.fail("timestamp out of bounds for @ modifier", n);
    return Math.round(v * 1000);
  }

  private parseLabelList(): string[] {
    this.expect("lparen", '"("');
    const out: string[] = [];
    while (this.peek().kind !== "rparen") {
      const t = this.next();
      if (t.kind !== "ident") this.fail(`unexpected ${this.describe(t)} in grouping opts, expected label`, t);
      out.push(t.text);
      if (this.peek().kind === "comma") this.next();
      else if (this.peek().kind !== "rparen")
        this.fail(`unexpected ${this.describe(this.peek())} in grouping opts, expected "," or ")"`);
    }
    this.next();
    return out;
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case "number":
        this.next();
        return { type: "number", value: t.value as number };
      case "string":
        this.next();
        return { type: "string", value: t.value as string };
      case "lparen": {
        this.next();
        const inner = this.parseExpr(0);
        this.expect("rparen", '")"');
        return { type: "paren", expr: inner };
      }
      case "lbrace":
        return this.parseSelector(undefined);
      case "ident": {
        const lower = t.text.toLowerCase();
        if ((aggregationOps as readonly string[]).includes(lower) && this.isAggregationStart())
          return this.parseAggregation(lower as AggregationOp);
        if (this.peek(1).kind === "lparen" && functions[t.text]) return this.parseCall();
        if (this.peek(1).kind === "lparen" && !["on", "ignoring", "by", "without", "bool"].includes(lower))
          this.fail(`unknown function with name "${t.text}"`);
        this.next();
        return this.parseSelector(t.text);
      }
      default:
        this.fail(`unexpected ${this.describe(t)}`);
    }
  }

  private isAggregationStart(): boolean {
    const n = this.peek(1);
    if (n.kind === "lparen") return true;
    return n.kind === "ident" && ["by", "without"].includes(n.text.toLowerCase());
  }

  private parseAggregation(op: AggregationOp): Expr {
    const opTok = this.next();
    let grouping: string[] = [];
    let without = false;
    let hadGrouping = false;
    if (this.isIdent("by") || this.isIdent("without")) {
      without = this.next().text.toLowerCase() === "without";
      grouping = this.parseLabelList();
      hadGrouping = true;
    }
    this.expect("lparen", '"("');
    const args: Expr[] = [];
    if (this.peek().kind !== "rparen") {
      args.push(this.parseExpr(0));
      while (this.peek().kind === "comma") {
        this.next();
        if (this.peek().kind === "rparen") break;
        args.push(this.parseExpr(0));
      }
    }
    this.expect("rparen", '")"');
    if (!hadGrouping && (this.isIdent("by") || this.isIdent("without"))) {
      without = this.next().text.toLowerCase() === "without";
      grouping = this.parseLabelList();
    }
    const needsParam = op === "topk" || op === "bottomk" || op === "quantile" || op === "count_values";
    if (args.length !== (needsParam ? 2 : 1))
      this.fail(
        `wrong number of arguments for aggregate expression provided, expected ${needsParam ? 2 : 1}, got ${args.length}`,
        opTok,
      );
    const expr = args[needsParam ? 1 : 0]!;
    const param = needsParam ? args[0] : undefined;
    if (typeOf(expr) !== "vector")
      this.fail(
        `expected type instant vector in aggregation expression, got ${typeName(typeOf(expr))}`,
        opTok,
      );
    if (param) {
      const want = op === "count_values" ? "string" : "scalar";
      if (typeOf(param) !== want)
        this.fail(`expected type ${want} in aggregation parameter, got ${typeName(typeOf(param))}`, opTok);
    }
    return { type: "aggregate", op, expr, param, grouping, without };
  }

  private parseCall(): Expr {
    const nameTok = this.next();
    const sig = functions[nameTok.text]!;
    this.expect("lparen", '"("');
    const args: Expr[] = [];
    if (this.peek().kind !== "rparen") {
      args.push(this.parseExpr(0));
      while (this.peek().kind === "comma") {
        this.next();
        args.push(this.parseExpr(0));
      }
    }
    this.expect("rparen", '")"');
    const name = nameTok.text;
    const n = sig.args.length;
    if (sig.variadic) {
      if (args.length < n - 1)
        this.fail(`expected at least ${n - 1} argument(s) in call to "${name}", got ${args.length}`, nameTok);
    } else if (sig.optional > 0) {
      if (args.length > n)
        this.fail(`expected at most ${n} argument(s) in call to "${name}", got ${args.length}`, nameTok);
      if (args.length < n - sig.optional)
        this.fail(
          `expected at least ${n - sig.optional} argument(s) in call to "${name}", got ${args.length}`,
          nameTok,
        );
    } else if (args.length !== n) {
      this.fail(`expected ${n} argument(s) in call to "${name}", got ${args.length}`, nameTok);
    }
    args.forEach((a, i) => {
      const want = sig.args[Math.min(i, n - 1)]!;
      const got = typeOf(a);
      if (got !== want)
        this.fail(
          `expected type ${typeName(want)} in call to function "${name}", got ${typeName(got)}`,
          nameTok,
        );
    });
    return { type: "call", func: name, args };
  }

  private parseSelector(name: string | undefined): VectorSelector {
    const matchers: Matcher[] = [];
    if (name !== undefined) matchers.push(makeMatcher("=", "__name__", name));
    if (this.peek().kind === "lbrace") {
      this.next();
      while (this.peek().kind !== "rbrace") {
        const lt = this.next();
        if (lt.kind !== "ident" && lt.kind !== "string")
          this.fail(`unexpected ${this.describe(lt)} in label matching, expected label`, lt);
        const op = this.next();
        if (op.kind !== "op" || !["=", "!=", "=~", "!~"].includes(op.text))
          this.fail(
            `unexpected ${this.describe(op)} in label matching, expected one of "=", "!=", "=~" or "!~"`,
            op,
          );
        const val = this.next();
        if (val.kind !== "string")
          this.fail(`unexpected ${this.describe(val)} in label matching, expected string`, val);
        const labelName = lt.kind === "string" ? (lt.value as string) : lt.text;
        if (name !== undefined && labelName === "__name__")
          this.fail(`metric name must not be set twice: "${name}" or "${val.value}"`, lt);
        try {
          matchers.push(makeMatcher(op.text as Matcher["type"], labelName, val.value as string));
        } catch (err) {
          if (err instanceof RegexError) this.fail(err.message, val);
          throw err;
        }
        if (this.peek().kind === "comma") this.next();
        else if (this.peek().kind !== "rbrace")
          this.fail(`unexpected ${this.describe(this.peek())} in label matching, expected "," or "}"`);
      }
      this.next();
    }
    if (matchers.every((m) => matchesValue(m, "")))
      this.fail("vector selector must contain at least one non-empty matcher");
    return { type: "vector", name, matchers, offsetMs: 0 };
  }
}

export function parseQuery(input: string): Expr {
  return new Parser(lex(input)).parseQuery();
}

export { ParseError };
