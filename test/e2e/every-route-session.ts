// The session every-route tests run in: a CLI configuration of the test's own with one
// context that knows only the gateway's address (as on an operator's laptop), logged in as
// the bootstrap admin through the gateway.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";
import { tempDir } from "../support/temp-dir.ts";
import { coverageGaps } from "./every-route-coverage.ts";
import { liveOperations, type RunContext, runStep } from "./every-route-runner.ts";
import { chains } from "./every-route-table.ts";

export async function gatewaySession(cloudDir: string, exercised: Set<string>): Promise<RunContext> {
  const endpoints = JSON.parse(readFileSync(join(cloudDir, ".photon", "endpoints.json"), "utf8")) as Record<
    string,
    string
  >;
  const admin = JSON.parse(
    readFileSync(join(cloudDir, ".photon", "iam", "bootstrap-admin.json"), "utf8"),
  ) as {
    password: string;
  };
  assert.ok(endpoints.apigateway, "photon up serves no apigateway");
  const ctx: RunContext = {
    cwd: cloudDir,
    configFile: join(cloudDir, "operator-cli.json"),
    exercised,
    vars: { gateway: endpoints.apigateway, aliceConfig: join(cloudDir, "alice-cli.json") },
  };
  const image = join(cloudDir, "e2e-disk.raw");
  writeFileSync(image, Buffer.alloc(2 * 1024 * 1024, 7));
  ctx.vars.imageFile = image;
  await runStep({ ops: [], cmd: ["context", "add", "cloud", endpoints.apigateway], expect: /added/ }, ctx);
  await runStep(
    {
      ops: ["postOauthToken", "getV1Self"],
      cmd: ["login", "--password-stdin"],
      input: `${admin.password}\n`,
      expect: /logged in as user:admin/,
    },
    ctx,
  );
  const cfg = JSON.parse(readFileSync(ctx.configFile, "utf8")) as {
    contexts: { cloud: { endpoints: Record<string, string>; token: string } };
  };
  assert.deepEqual(Object.keys(cfg.contexts.cloud.endpoints), ["apigateway"]);
  ctx.vars.adminToken = cfg.contexts.cloud.token;
  return ctx;
}

/**
 * What both every-route suites share: `photon up` in a temporary directory for the file's
 * tests, the gateway session, and the coverage check against the live OpenAPI document.
 */
export function everyRouteCloud(prefix: string): { ctx: () => RunContext; exercised: Set<string> } {
  const dir = tempDir(prefix);
  const exercised = new Set<string>();
  let up: PhotonProcess | undefined;
  let ctx: RunContext | undefined;
  before(async () => {
    up = spawnPhoton(["up", "--ephemeral-ports", "--log-level", "warn"], { cwd: dir.path });
    await up.waitFor(/Ctrl-C stops it/, 180_000);
    ctx = await gatewaySession(dir.path, exercised);
  });
  after(async () => {
    await up?.kill("SIGINT");
    dir.remove();
  });
  const current = () => {
    assert.ok(ctx, "the cloud did not start");
    return ctx;
  };
  test("every operation of the live OpenAPI document has a step in every-route-table.ts", async () => {
    const { missing, stale } = coverageGaps(await liveOperations(current()), chains);
    assert.deepEqual(missing, [], "operations without a CLI step in test/e2e/every-route-table.ts");
    assert.deepEqual(stale, [], "steps name operations the cloud no longer serves");
  });
  return { ctx: current, exercised };
}
