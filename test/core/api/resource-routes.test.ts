// The standard REST of a kind, over real HTTP on the LMDB store: CRUD, merge patch,
// optimistic concurrency, paging and watches as NDJSON.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { StaticTokenAuth } from "../../../src/core/api/auth.ts";
import { resourceRoutes } from "../../../src/core/api/resource-routes.ts";
import { ApiServer } from "../../../src/core/api/server.ts";
import { silentLogger } from "../../../src/core/log.ts";
import { createRegistry } from "../../../src/core/metrics.ts";
import { defineKind } from "../../../src/core/resource/kind.ts";
import { LocalStore } from "../../../src/core/resource/local-store.ts";
import { tempDir } from "../../support/temp-dir.ts";

const widget = defineKind({
  component: "test",
  apiVersion: "test/v1",
  kind: "Widget",
  plural: "widgets",
  scope: "project",
  spec: z.strictObject({ size: z.number().int().min(0).max(100), colour: z.string().optional() }),
  status: z.object({}),
  initialStatus: () => ({}),
  description: "a test kind",
});

const dir = tempDir();
const store = LocalStore.lmdb(dir.path);
const token = "tok";
let server: ApiServer;
let base: string;
before(async () => {
  server = new ApiServer({
    name: "t",
    logger: silentLogger,
    registry: createRegistry("t", false),
    auth: new StaticTokenAuth(token),
  });
  server.add(...resourceRoutes(widget, store));
  await server.listen("127.0.0.1", 0);
  base = `${server.url()}/v1/projects/p/widgets`;
});
after(async () => {
  await server.close();
  await store.close();
  dir.remove();
});

const call = async (method: string, url: string, body?: unknown) => {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe("resource routes", () => {
  test("create, get, merge-patch, replace with a stale revision, delete", async () => {
    const made = await call("POST", base, {
      metadata: { name: "w1", labels: { tier: "web" } },
      spec: { size: 1 },
    });
    assert.equal(made.status, 201);
    assert.equal(made.body.metadata.project, "p");
    const patched = await call("PATCH", `${base}/w1`, {
      spec: { colour: "red" },
      metadata: { labels: { tier: null } },
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.spec, { size: 1, colour: "red" });
    assert.deepEqual(patched.body.metadata.labels, {});
    const stale = await call("PUT", `${base}/w1`, {
      metadata: { name: "w1", revision: made.body.metadata.revision },
      spec: { size: 2 },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, "Conflict");
    const badPatch = await call("PATCH", `${base}/w1`, { spec: { size: 1000 } });
    assert.equal(badPatch.status, 400);
    assert.equal((await call("DELETE", `${base}/w1`)).status, 200);
    assert.equal((await call("GET", `${base}/w1`)).status, 404);
  });

  test("the name in the path and the body must agree", async () => {
    await call("POST", base, { metadata: { name: "w2" }, spec: { size: 1 } });
    const r = await call("PUT", `${base}/w2`, { metadata: { name: "other" }, spec: { size: 1 } });
    assert.equal(r.status, 400);
  });

  test("lists page with limit and continue", async () => {
    for (let i = 0; i < 5; i++)
      await call("POST", base, { metadata: { name: `page-${i}` }, spec: { size: i } });
    const first = await call("GET", `${base}?limit=2`);
    assert.equal(first.body.items.length, 2);
    const second = await call("GET", `${base}?limit=2&continue=${first.body.continue}`);
    assert.notEqual(second.body.items[0].metadata.name, first.body.items[0].metadata.name);
    assert.equal((await call("GET", `${base}?limit=0`)).status, 400);
  });

  test("a watch from a list's revision streams later changes as NDJSON", async () => {
    const listed = await call("GET", base);
    const controller = new AbortController();
    const res = await fetch(`${base}?watch=1&revision=${listed.body.revision}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    assert.equal(res.headers.get("content-type"), "application/x-ndjson");
    await call("POST", base, { metadata: { name: "watched" }, spec: { size: 3 } });
    await call("DELETE", `${base}/watched`);
    const reader = res.body!.getReader();
    let text = "";
    const lines = () => text.split("\n").filter((l) => l && !l.includes('"BOOKMARK"'));
    while (lines().length < 2) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const events = lines().map(
      (l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } },
    );
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.name]),
      [
        ["ADDED", "watched"],
        ["DELETED", "watched"],
      ],
    );
  });
});
