// Runs the steps of every-route-table.ts as a person at a shell would: each step is a spawned
// `photon` process with the test's own CLI configuration (one context that knows only the
// gateway's address), whose exit status and output are asserted.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { photonBin } from "../support/spawn-photon.ts";

/** Values steps hand to later steps (ids the cloud chose, tokens, file paths). */
export type Vars = Record<string, string>;

export interface Step {
  /** The operationIds this command calls. */
  ops: string[];
  /** The command line after `photon` and the global flags. */
  cmd: string[] | ((v: Vars) => string[]);
  /** Standard input. */
  input?: string | ((v: Vars) => string);
  /** What stdout must show; a function may also record values into v for later steps. */
  expect?: RegExp | ((out: string, v: Vars) => void);
  /** The command must fail with this on stderr (an expected refusal, e.g. an internal route's precondition). */
  fails?: RegExp;
  /** A stream (a watch): started, then `during` runs, and it must print `expect` before it ends. */
  during?: Step;
  /** Another CLI configuration file (another person's session). */
  configFile?: string | ((v: Vars) => string);
}

export interface RunContext {
  cwd: string;
  configFile: string;
  vars: Vars;
  /** Every operation a step ran. */
  exercised: Set<string>;
}

/** Longest time one CLI command may take (a volume or VM wait included). */
const stepTimeoutMs = 120_000;
/** Output kept per command; more is a bug in the step. */
const maxOutputBytes = 32 * 1024 * 1024;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function startPhoton(
  args: string[],
  ctx: RunContext,
  input: string,
  onStdout?: (all: string) => void,
): { done: Promise<Result>; stop(): void } {
  // The session is the configuration file's; a token from the test's own environment must not win.
  const { PHOTON_TOKEN: _, ...env } = process.env;
  const child = spawn(process.execPath, [photonBin, ...args], {
    cwd: ctx.cwd,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    if (stdout.length < maxOutputBytes) stdout += d.toString();
    onStdout?.(stdout);
  });
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < maxOutputBytes) stderr += d.toString();
  });
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill("SIGKILL"), stepTimeoutMs);
  const done = new Promise<Result>((resolve) =>
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
  return { done, stop: () => child.kill("SIGINT") };
}

function argvOf(step: Step, ctx: RunContext): string[] {
  const cmd = typeof step.cmd === "function" ? step.cmd(ctx.vars) : step.cmd;
  const cfg = typeof step.configFile === "function" ? step.configFile(ctx.vars) : step.configFile;
  return ["--config-file", cfg ?? ctx.configFile, ...cmd];
}

function describeStep(step: Step, ctx: RunContext): string {
  return `photon ${argvOf(step, ctx).slice(2).join(" ")}`;
}

function check(step: Step, r: Result, ctx: RunContext): void {
  const what = describeStep(step, ctx);
  if (step.fails) {
    assert.notEqual(r.status, 0, `${what} should have failed; it printed:\n${r.stdout.slice(0, 2000)}`);
    assert.match(r.stderr, step.fails, `${what} failed differently:\n${r.stderr.slice(0, 2000)}`);
  } else {
    assert.equal(r.status, 0, `${what} failed (${r.status}):\n${r.stderr.slice(0, 2000)}`);
    if (step.expect instanceof RegExp)
      assert.match(r.stdout, step.expect, `${what} printed something else:\n${r.stdout.slice(0, 2000)}`);
    else step.expect?.(r.stdout, ctx.vars);
  }
  for (const op of step.ops) ctx.exercised.add(op);
}

/** Runs one step (and, for a stream, the step that makes it print). */
export async function runStep(step: Step, ctx: RunContext): Promise<void> {
  const input = typeof step.input === "function" ? step.input(ctx.vars) : (step.input ?? "");
  if (!step.during) {
    check(step, await startPhoton(argvOf(step, ctx), ctx, input).done, ctx);
    return;
  }
  const pattern = step.expect;
  assert.ok(pattern instanceof RegExp, "a stream step needs an expect pattern");
  let seen = false;
  const stream = startPhoton(argvOf(step, ctx), ctx, input, (all) => {
    if (!seen && pattern.test(all)) {
      seen = true;
      stream.stop();
    }
  });
  // The watch must be listening before the change it is to report is made; a fresh CLI
  // process needs a moment to start and send its request.
  await new Promise((r) => setTimeout(r, 2_500));
  await runStep(step.during, ctx);
  const r = await Promise.race([
    stream.done,
    new Promise<Result>((resolve) =>
      setTimeout(() => {
        stream.stop();
        void stream.done.then(resolve);
      }, 30_000),
    ),
  ]);
  assert.ok(
    seen,
    `${describeStep(step, ctx)} did not show ${pattern}:\n${r.stdout.slice(0, 2000)}\n${r.stderr}`,
  );
  for (const op of step.ops) ctx.exercised.add(op);
}

/**
 * Runs chains of steps, each in order, `parallel` chains at a time. A chain stops at its first
 * failing step (later steps build on it); the other chains go on. Returns every failure.
 */
export async function runChains(
  chains: Record<string, Step[]>,
  ctx: RunContext,
  parallel = 2,
  onChainDone?: (name: string, ms: number, error: Error | undefined) => void,
): Promise<string[]> {
  const queue = Object.entries(chains);
  const failures: string[] = [];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [name, steps] = next;
      const started = Date.now();
      let error: Error | undefined;
      try {
        for (const s of steps) await runStep(s, ctx);
      } catch (err) {
        error = err as Error;
        failures.push(`[${name}] ${error.message}`);
      }
      onChainDone?.(name, Date.now() - started, error);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return failures;
}

/** The live operations, from the gateway's aggregated OpenAPI document, through the CLI. */
export async function liveOperations(
  ctx: RunContext,
): Promise<Array<{ operationId: string; method: string; path: string }>> {
  const r = await startPhoton(["--config-file", ctx.configFile, "-o", "json", "api", "list"], ctx, "").done;
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Array<{ operationId: string; method: string; path: string }>;
}
