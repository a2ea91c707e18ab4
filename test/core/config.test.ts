import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { loadConfig, option } from "../../src/core/config.ts";
import { ApiError } from "../../src/core/errors.ts";
import { tempDir } from "../support/temp-dir.ts";

const spec = {
  port: option(z.number().int().min(0).max(65535), 7402, "port"),
  listen: option(z.string(), "127.0.0.1", "address"),
  verbose: option(z.boolean(), false, "chatty"),
  limits: option(z.record(z.string(), z.number().int()), { vcpu: 1 }, "limits"),
};

test("precedence is default < file < environment < flag", () => {
  const dir = tempDir();
  try {
    const file = join(dir.path, "c.yaml");
    writeFileSync(file, "port: 1000\nlisten: 0.0.0.0\nverbose: true\n");
    assert.deepEqual(loadConfig(spec, "svc", {}), {
      port: 7402,
      listen: "127.0.0.1",
      verbose: false,
      limits: { vcpu: 1 },
    });
    assert.equal(loadConfig(spec, "svc", { file }).port, 1000);
    assert.equal(loadConfig(spec, "svc", { file, env: { PHOTON_SVC_PORT: "2000" } }).port, 2000);
    assert.equal(
      loadConfig(spec, "svc", { file, env: { PHOTON_SVC_PORT: "2000" }, flags: { port: "3000" } }).port,
      3000,
    );
    assert.equal(loadConfig(spec, "svc", { file }).verbose, true);
    assert.deepEqual(loadConfig(spec, "svc", { flags: { limits: "vcpu=4,memory_mib=512" } }).limits, {
      vcpu: 4,
      memory_mib: 512,
    });
  } finally {
    dir.remove();
  }
});

test("a bad value names the option and where it came from", () => {
  assert.throws(
    () => loadConfig(spec, "svc", { env: { PHOTON_SVC_PORT: "seventy" } }),
    (e: unknown) => e instanceof ApiError && /--port/.test(e.message) && /PHOTON_SVC_PORT/.test(e.message),
  );
  assert.throws(
    () => loadConfig(spec, "svc", { flags: { port: "70000" } }),
    (e: unknown) => e instanceof ApiError && /flag --port/.test(e.message),
  );
});
