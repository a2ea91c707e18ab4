// Routes machines call every second (heartbeats) keep their access logs out of an operator's
// terminal at the default level; every other route still logs each request it serves.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import pino from "pino";
import { StaticTokenAuth } from "../../../src/core/api/auth.ts";
import { defineRoute } from "../../../src/core/api/route.ts";
import { ApiServer } from "../../../src/core/api/server.ts";
import { createRegistry } from "../../../src/core/metrics.ts";

const lines: { msg?: string; req?: { url?: string }; level: number }[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const l of String(chunk).split("\n")) if (l) lines.push(JSON.parse(l));
    done();
  },
});
let server: ApiServer;
let url: string;

before(async () => {
  server = new ApiServer({
    name: "test",
    logger: pino({ level: "info" }, sink),
    registry: createRegistry("test", false),
    auth: new StaticTokenAuth("t"),
  });
  const route = (path: string, machineChatter: boolean) =>
    defineRoute({
      method: "GET",
      path,
      summary: path,
      permission: "public",
      machineChatter,
      handler: () => ({}),
    });
  server.add(route("/v1/beat", true), route("/v1/things", false));
  await server.listen("127.0.0.1", 0);
  url = server.url();
});
after(() => server.close());

test("a machine-chatter route writes no info access log; an ordinary route does", async () => {
  for (const p of ["/v1/beat", "/v1/things"]) assert.equal((await fetch(`${url}${p}`)).status, 200);
  await new Promise((r) => setImmediate(r));
  const logged = (p: string) => lines.filter((l) => l.req?.url === p || l.msg?.includes(p)).length;
  assert.ok(logged("/v1/things") >= 1, "the ordinary route's request is logged");
  assert.equal(logged("/v1/beat"), 0, "the heartbeat route's request is not logged at info");
});

test("probes, scrapes and the API document write no info access log", async () => {
  const builtins = ["/healthz", "/readyz", "/metrics", "/openapi.json"];
  for (const p of builtins) assert.equal((await fetch(`${url}${p}`)).status, 200, p);
  assert.equal((await fetch(`${url}/v1/things`)).status, 200);
  await new Promise((r) => setImmediate(r));
  const requested = (p: string) => lines.filter((l) => l.req?.url === p).length;
  for (const p of builtins) assert.equal(requested(p), 0, `${p} is not logged at info`);
  assert.ok(requested("/v1/things") >= 2, "an ordinary route still is");
});
