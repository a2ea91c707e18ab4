// Starts a whole lightningstor (embedded storage nodes, S3 and REST endpoints) in a temp
// dir on free ports, with one access key, for the S3 suites; and runs Debian's aws cli.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { StaticTokenAuth } from "../../src/core/api/auth.ts";
import { loadConfig } from "../../src/core/config.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { LocalStore } from "../../src/core/resource/local-store.ts";
import type { RunningRole } from "../../src/core/role.ts";
import { lightningstorOptions, lightningstorRole } from "../../src/lightningstor/server.ts";

export const awsBin = "/usr/bin/aws";
export const adminToken = "test-admin-token-0123456789";

export interface Harness {
  dir: string;
  s3: string;
  api: string;
  accessKeyId: string;
  secret: string;
  project: string;
  role: RunningRole;
  close(): Promise<void>;
}

export async function startLightningstor(
  overrides: Record<string, unknown> = {},
  endpoints: Record<string, string> = {},
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), "ls-e2e-"));
  const config = loadConfig(lightningstorOptions, "lightningstor", {
    flags: {
      port: 0,
      adminPort: 0,
      dataDir: dir,
      logLevel: "silent",
      scrubIntervalMs: 0,
      lifecycleIntervalMs: 0,
      minPartMib: 5,
      ...overrides,
    },
  });
  const log = pino({ level: process.env.LS_TEST_LOG ?? "silent" });
  const role = await lightningstorRole.start(config, {
    log,
    lifecycle: new Lifecycle(log, 1000),
    auth: new StaticTokenAuth(adminToken),
    serviceToken: async () => adminToken,
    openStore: async () => LocalStore.memory(),
    endpoints,
  });
  const s3 = role.endpoints.s3 as string;
  const api = role.endpoints.api as string;
  const project = "acme";
  const res = await fetch(`${api}/v1/projects/${project}/accesskeys`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ description: "test" }),
  });
  if (res.status !== 201) throw new Error(`creating an access key failed: ${res.status} ${await res.text()}`);
  const key = (await res.json()) as { accessKeyId: string; secretAccessKey: string };
  return {
    dir,
    s3,
    api,
    accessKeyId: key.accessKeyId,
    secret: key.secretAccessKey,
    project,
    role,
    async close() {
      await role.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs Debian's aws cli against the harness (never a pyenv shim). */
export function aws(h: Harness, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      awsBin,
      ["--endpoint-url", h.s3, "--region", "us-east-1", ...args],
      {
        env: {
          PATH: "/usr/bin:/bin",
          HOME: h.dir,
          AWS_ACCESS_KEY_ID: h.accessKeyId,
          AWS_SECRET_ACCESS_KEY: h.secret,
          AWS_CONFIG_FILE: join(h.dir, "aws-config"),
          AWS_SHARED_CREDENTIALS_FILE: join(h.dir, "aws-creds"),
          AWS_PAGER: "",
          ...extraEnv,
        },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
