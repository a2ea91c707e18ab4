import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDuration } from "../../src/nightlight/promql/lexer.ts";
import { ParseError, parseQuery } from "../../src/nightlight/promql/parser.ts";
import { compileAnchoredRegex } from "../../src/nightlight/tsdb/matcher.ts";

test("operator precedence and associativity follow Prometheus", () => {
  const e = parseQuery("a + b * c ^ d ^ e or f and g");
  assert.equal(e.type, "binary");
  if (e.type !== "binary") return;
  assert.equal(e.op, "or");
  const u = parseQuery("-a ^ 2");
  assert.equal(u.type, "unary", "unary minus binds looser than ^");
});

test("selectors, ranges, offsets, @ and subqueries parse into the tree", () => {
  const e = parseQuery('rate(http_requests_total{job="api",code=~"5.."}[5m] offset 1h @ 1700000000)');
  assert.equal(e.type, "call");
  if (e.type !== "call") return;
  const m = e.args[0]!;
  assert.equal(m.type, "matrix");
  if (m.type !== "matrix") return;
  assert.equal(m.rangeMs, 300_000);
  assert.equal(m.vector.offsetMs, 3_600_000);
  assert.equal(m.vector.at, 1_700_000_000_000);
  const s = parseQuery("max_over_time(rate(x[1m])[1h:5m] offset -2m)");
  assert.equal(s.type, "call");
  if (s.type === "call") assert.equal(s.args[0]!.type, "subquery");
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("30m1h"), undefined);
});

test("invalid queries are refused with Prometheus's messages", () => {
  const cases: [string, RegExp][] = [
    ["sum(", /unexpected end of input/],
    ["rate(x)", /expected type range vector in call to function "rate", got instant vector/],
    ["1 > 2", /comparisons between scalars must use BOOL modifier/],
    ['{job=~".*"}', /at least one non-empty matcher/],
    ["x + on(a) group_left(a) y", /must not occur in ON and GROUP clause at once/],
    ["a and 1", /set operator "and" not allowed in binary scalar expression/],
    ["topk(x, 3)", /expected type instant vector in aggregation expression, got scalar/],
    ["foo(bar)", /unknown function with name "foo"/],
    ["(x + y)[5m]", /ranges only allowed for vector selectors/],
    ['x{a=~"("}', /error parsing regexp/],
  ];
  for (const [q, re] of cases)
    assert.throws(
      () => parseQuery(q),
      (err: Error) => err instanceof ParseError && re.test(err.message),
      q,
    );
});

test("regexes are fully anchored and RE2 spellings are translated", () => {
  assert.equal(compileAnchoredRegex("a|b").test("ab"), false);
  assert.equal(compileAnchoredRegex("(?i)abc").test("ABC"), true);
  assert.equal(compileAnchoredRegex("[[:digit:]]+").test("123"), true);
  assert.equal(compileAnchoredRegex("(?P<x>a)").exec("a")?.groups?.x, "a");
});
