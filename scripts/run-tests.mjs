#!/usr/bin/env node
// `npm test`: the static checks (types, lint, dependency rules), then every test file under
// test/ with Node's own runner. Files named *.slow.test.ts are heavier suites with their own
// npm scripts; they are left out here unless --slow is given.
//   node scripts/run-tests.mjs [--level unit|all] [--slow] [--skip-static] [filter…]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const level = args.includes("--level") ? args[args.indexOf("--level") + 1] : "all";
const filters = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--level");

function run(label, cmd, cmdArgs) {
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: "inherit" });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`✗ ${label} failed after ${secs}s`);
    process.exit(r.status ?? 1);
  }
  console.error(`✓ ${label} (${secs}s)`);
}

if (!flag("--skip-static") && filters.length === 0) {
  run("typecheck", "npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);
  run("lint", "npx", [
    "biome",
    "ci",
    "--colors=off",
    "--reporter=summary",
    "src",
    "test",
    "bench",
    "scripts",
  ]);
  run("dependency rules", "npx", [
    "depcruise",
    "src",
    "--config",
    ".dependency-cruiser.cjs",
    "--output-type",
    "err",
  ]);
}

const files = readdirSync("test", { recursive: true })
  .map((f) => join("test", String(f)))
  .filter((f) => f.endsWith(".test.ts"))
  .filter((f) => flag("--slow") || !f.endsWith(".slow.test.ts"))
  .filter((f) => level !== "unit" || !f.startsWith(join("test", "e2e")))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
// Most suites wait on sockets and child processes, not the CPU, so a few run side by side.
const concurrency = process.env.PHOTON_TEST_CONCURRENCY ?? "3";
run(`test run (${files.length} files)`, process.execPath, [
  "--import",
  "tsx",
  "--test",
  `--test-concurrency=${concurrency}`,
  // A bound per test file (Node runs each file as one test): a hung file fails instead of hanging
  // CI. Generous, because the e2e files drive real clients and VMs on a shared 2-core machine.
  "--test-timeout=900000",
  ...files,
]);
