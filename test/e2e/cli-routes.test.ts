// Every route of the cloud against the CLI, as a person runs it: `photon up`, then spawned
// `photon` processes whose output is asserted. The operation list comes from the live
// aggregated OpenAPI document (`photon api list`), so a component that adds a route without
// deciding how the CLI covers it fails here.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type PhotonProcess, photonBin, runPhoton, spawnPhoton } from "../support/spawn-photon.ts";
import { tempDir } from "../support/temp-dir.ts";
import { exercisedHere, notYetExercised } from "./cli-route-coverage.ts";

const dir = tempDir("photon-cli-routes-");
let up: PhotonProcess;
const exercised = new Set<string>();

before(async () => {
  up = spawnPhoton(["up", "--ephemeral-ports", "--log-level", "warn"], { cwd: dir.path });
  await up.waitFor(/Ctrl-C stops it/, 120_000);
});
after(async () => {
  await up?.kill("SIGINT");
  dir.remove();
});

/** Runs `photon args…`, which must succeed; records the operations it exercises. */
function photon(ops: string[], ...args: string[]): string {
  const r = runPhoton(args, { cwd: dir.path });
  assert.equal(r.status, 0, `photon ${args.join(" ")} failed:\n${r.stderr}`);
  for (const op of ops) exercised.add(op);
  return r.stdout;
}

/** create → list → get → patch → delete of one kind through `photon api call`. */
function lifecycle(
  ops: { create: string; list: string; get: string; patch: string; del: string },
  scope: string[],
  name: string,
  spec: Record<string, unknown>,
  patch: Record<string, unknown>,
  shows: RegExp,
): void {
  const created = JSON.parse(
    photon(
      [ops.create],
      "-o",
      "json",
      "api",
      "call",
      ops.create,
      ...scope,
      "--body",
      JSON.stringify({ metadata: { name }, spec }),
    ),
  ) as { metadata: { name: string; revision: number } };
  assert.equal(created.metadata.name, name);
  assert.match(photon([ops.list], "api", "call", ops.list, ...scope), new RegExp(`name: ${name}`));
  assert.match(photon([ops.get], "api", "call", ops.get, ...scope, `name=${name}`), shows);
  const patched = JSON.parse(
    photon(
      [ops.patch],
      "-o",
      "json",
      "api",
      "call",
      ops.patch,
      ...scope,
      `name=${name}`,
      "--body",
      JSON.stringify({ spec: patch }),
    ),
  ) as { metadata: { revision: number } };
  assert.ok(patched.metadata.revision > created.metadata.revision);
  photon([ops.del], "api", "call", ops.del, ...scope, `name=${name}`);
  const r = runPhoton(["api", "call", ops.get, ...scope, `name=${name}`], { cwd: dir.path });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /NotFound/);
}

describe("the CLI against every route", () => {
  test("every operation in the live OpenAPI document is either exercised here or listed as not yet", (t) => {
    const ops = JSON.parse(photon([], "-o", "json", "api", "list")) as Array<{
      operationId: string;
      method: string;
      path: string;
    }>;
    const live = new Set(ops.map((o) => o.operationId));
    const declared = new Set([...exercisedHere, ...notYetExercised]);
    const undecided = ops
      .filter((o) => !declared.has(o.operationId))
      .map((o) => `${o.operationId} (${o.method} ${o.path})`);
    assert.deepEqual(undecided, [], "routes without a decision in test/e2e/cli-route-coverage.ts");
    const stale = [...declared].filter((id) => !live.has(id));
    assert.deepEqual(stale, [], "operations listed in cli-route-coverage.ts that the cloud no longer serves");
    const both = exercisedHere.filter((id) => notYetExercised.includes(id));
    assert.deepEqual(both, []);
    t.diagnostic(`${exercisedHere.length} of ${live.size} operations exercised through the CLI`);
  });

  test("a nightlight scrape target, a flashdns zone and an iam group through `photon api call`", () => {
    lifecycle(
      {
        create: "postV1ProjectsProjectScrapetargets",
        list: "getV1ProjectsProjectScrapetargets",
        get: "getV1ProjectsProjectScrapetargetsName",
        patch: "patchV1ProjectsProjectScrapetargetsName",
        del: "deleteV1ProjectsProjectScrapetargetsName",
      },
      ["project=demo"],
      "node-exporter",
      { url: "http://127.0.0.1:9100/metrics" },
      { intervalSeconds: 30 },
      /url: http:\/\/127\.0\.0\.1:9100\/metrics/,
    );
    lifecycle(
      {
        create: "postV1ProjectsProjectZones",
        list: "getV1ProjectsProjectZones",
        get: "getV1ProjectsProjectZonesName",
        patch: "patchV1ProjectsProjectZonesName",
        del: "deleteV1ProjectsProjectZonesName",
      },
      ["project=demo"],
      "example-com",
      { dnsName: "example.com." },
      { ttlSeconds: 600 },
      /dnsName: example\.com\./,
    );
    lifecycle(
      {
        create: "postV1Groups",
        list: "getV1Groups",
        get: "getV1GroupsName",
        patch: "patchV1GroupsName",
        del: "deleteV1GroupsName",
      },
      [],
      "operators",
      { members: [] },
      { members: ["user:alice"] },
      /kind: Group/,
    );
  });

  test("a creditservice rate card and an iam role (cluster-scoped) through `photon api call`", () => {
    lifecycle(
      {
        create: "postV1Ratecards",
        list: "getV1Ratecards",
        get: "getV1RatecardsName",
        patch: "patchV1RatecardsName",
        del: "deleteV1RatecardsName",
      },
      [],
      "standard",
      { ratesMilliPerHour: { vcpu: 1000 } },
      { ratesMilliPerHour: { vcpu: 2000 } },
      /vcpu: 1000/,
    );
    lifecycle(
      {
        create: "postV1Roles",
        list: "getV1Roles",
        get: "getV1RolesName",
        patch: "patchV1RolesName",
        del: "deleteV1RolesName",
      },
      [],
      "quota-reader",
      { permissions: ["creditservice.quotas.get"] },
      { description: "reads quotas" },
      /creditservice\.quotas\.get/,
    );
  });

  test("public discovery routes answer without a token; a quota through the dedicated commands", () => {
    const jwks = JSON.parse(
      photon(["getWellKnownJwksJson"], "-o", "json", "api", "call", "getWellKnownJwksJson"),
    ) as {
      keys: unknown[];
    };
    assert.ok(jwks.keys.length >= 1);
    assert.match(
      photon(["getWellKnownOpenidConfiguration"], "api", "call", "getWellKnownOpenidConfiguration"),
      /issuer:/,
    );
    assert.match(photon(["getV1Self"], "api", "call", "getV1Self"), /subject|name/);
    photon(
      ["postV1ProjectsProjectQuotas"],
      "api",
      "call",
      "postV1ProjectsProjectQuotas",
      "project=demo",
      "--body",
      '{"metadata":{"name":"default"},"spec":{"limits":{"vcpu":8}}}',
    );
    assert.match(photon(["getV1ProjectsProjectQuotasName"], "quota", "get", "demo"), /vcpu/);
    assert.match(photon(["getV1ProjectsProjectQuotas"], "get", "quotas", "-p", "demo"), /default/);
  });

  test("image import and download stream through the gateway, with a progress bar on a terminal only", () => {
    const data = randomBytes(3 * 1024 * 1024);
    writeFileSync(join(dir.path, "disk.raw"), data);
    // `script` gives the command a terminal, as a person at a shell has.
    const tty = spawnSync(
      "script",
      ["-qec", `${process.execPath} ${photonBin} image import disk1 disk.raw -p demo`, "/dev/null"],
      { cwd: dir.path, encoding: "utf8", timeout: 120_000 },
    );
    assert.equal(tty.status, 0, tty.stdout);
    assert.match(tty.stdout, /importing disk1 \[#+\] 100% 3\.0 MiB\/3\.0 MiB/);
    for (const op of ["postV1ProjectsProjectImages", "putV1ProjectsProjectImagesNameData"]) exercised.add(op);
    const out = photon(
      ["getV1ProjectsProjectImagesNameData"],
      "image",
      "download",
      "disk1",
      "copy.raw",
      "-p",
      "demo",
    );
    assert.doesNotMatch(out, /\[#|%/, "no bar when stdout is not a terminal");
    assert.ok(readFileSync(join(dir.path, "copy.raw")).equals(data));
    assert.match(
      photon(["getV1ProjectsProjectImagesName"], "image", "get", "disk1", "-p", "demo"),
      /disk1.*raw/,
    );
    assert.match(
      photon(["getV1ProjectsProjectImages"], "-o", "json", "image", "list", "-p", "demo"),
      /"disk1"/,
    );
    photon(["deleteV1ProjectsProjectImagesName"], "image", "delete", "disk1", "-p", "demo");
  });

  test("every operation listed as exercised was exercised", () => {
    assert.deepEqual(
      exercisedHere.filter((id) => !exercised.has(id)),
      [],
      "listed in cli-route-coverage.ts as exercised, but no test here ran it",
    );
  });
});

// The CLI configuration `photon up` wrote is what these commands used.
test("photon up wrote the CLI configuration the commands above used", () => {
  assert.match(readFileSync(join(dir.path, ".photon", "cli.json"), "utf8"), /apigateway/);
});
