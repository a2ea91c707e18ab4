// Every decision lands in the audit ring; the log stream gets every denial and every allowed
// write, except a platform component's own allowed calls (heartbeats), which go at debug.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import pino from "pino";
import type { AuditEntry } from "../../src/iam/api.ts";
import { AuditLog } from "../../src/iam/audit-log.ts";

function capture(level: string) {
  const lines: { level: number; msg: string; audit: AuditEntry }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n")) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, audit: new AuditLog(pino({ level }, sink)) };
}

const entry = (subject: string, allowed: boolean): AuditEntry => ({
  at: "2026-11-26T00:00:00.000Z",
  subject,
  permission: "plasmavmc.hosts.update",
  allowed,
  reason: "test",
  verifier: "test",
});

test("component heartbeats stay in the ring and out of the info log; users and denials are logged", async () => {
  const { lines, audit } = capture("info");
  audit.record(entry("serviceaccount:system/plasmavmc-worker", true));
  audit.record(entry("serviceaccount:system/plasmavmc-worker", false));
  audit.record(entry("user:alice", true));
  audit.record(entry("serviceaccount:demo/ci", true));
  await new Promise((r) => setImmediate(r));
  assert.equal(audit.list(10).length, 4, "the ring keeps every decision");
  assert.deepEqual(
    lines.map((l) => `${l.audit.subject} ${l.msg}`),
    [
      "serviceaccount:system/plasmavmc-worker audit: denied",
      "user:alice audit: allowed",
      "serviceaccount:demo/ci audit: allowed",
    ],
  );
});

test("at debug the component's allowed calls are logged too", async () => {
  const { lines, audit } = capture("debug");
  audit.record(entry("serviceaccount:system/plasmavmc-worker", true));
  await new Promise((r) => setImmediate(r));
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.msg, "audit: allowed");
});
