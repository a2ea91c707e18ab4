import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AccessRecord, accessLine } from "../../src/apigateway/access-log.ts";

const base: AccessRecord = {
  timeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  method: "GET",
  path: "/v1/projects/p/items/x",
  status: 200,
  durationMs: 1.23456,
  requestId: "abc-1",
  component: "bench",
  subject: "user:alice",
  remote: "127.0.0.1",
};

// What the line must equal: the record as pino would have written the object.
const asObject = (r: AccessRecord, pid: number) =>
  `${JSON.stringify({
    level: 30,
    time: new Date(r.timeMs).toISOString(),
    pid,
    component: "apigateway",
    reqId: r.requestId,
    method: r.method,
    path: r.path,
    status: r.status,
    ms: Math.round(r.durationMs * 1000) / 1000,
    upstream: r.component,
    subject: r.subject,
    remote: r.remote,
    msg: "request",
  })}\n`;

describe("access log lines", () => {
  it("are the same JSON as the record's object, for quotes, backslashes and control characters too", () => {
    const odd: AccessRecord[] = [
      base,
      { ...base, path: '/v1/"quoted"\\back', subject: 'name "with"\nnewline\u0001', component: "route:p/r" },
      { ...base, subject: undefined, remote: undefined, durationMs: 0 },
      { ...base, durationMs: 12345.6789, status: 504 },
    ];
    for (const r of odd) {
      const line = accessLine(r, 4242);
      assert.equal(line, asObject(r, 4242));
      assert.equal(JSON.parse(line).path, r.path);
    }
  });
});
