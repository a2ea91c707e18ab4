// `photon chainfire bench`: each workload runs against a member and reports ops and latency;
// bad flags are refused with a message naming the flag.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { runBench } from "../../src/chainfire/bench-load.ts";
import { startMember } from "./harness.ts";

const run = promisify(execFile);
const photon = join(import.meta.dirname, "../../bin/photon.js");

test("every bench workload runs against a member", async () => {
  const m = await startMember();
  try {
    for (const workload of ["put", "range", "txn", "watch"] as const) {
      const r = await runBench({
        endpoints: [m.endpoint],
        workload,
        seconds: 0.3,
        inFlight: 4,
        connections: 2,
        valueBytes: 64,
        keys: 50,
        serializable: workload === "range",
        keyPrefix: "/bench-test/",
      });
      assert.equal(r.errors, 0, workload);
      assert.ok(r.ops > 0 && r.opsPerSec > 0, `${workload}: ${JSON.stringify(r)}`);
      assert.ok(r.p99Ms >= r.p50Ms, workload);
    }
  } finally {
    await m.close();
  }
});

test("photon chainfire bench runs from the CLI and refuses bad flags", async () => {
  const m = await startMember();
  try {
    const { stdout } = await run(process.execPath, [
      photon,
      "-o",
      "json",
      "chainfire",
      "bench",
      "put",
      "--endpoints",
      m.endpoint,
      "--seconds",
      "0.3",
      "--in-flight",
      "2",
    ]);
    const r = JSON.parse(stdout) as { workload: string; ops: number; errors: number };
    assert.equal(r.workload, "put");
    assert.ok(r.ops > 0);
    assert.equal(r.errors, 0);
    await assert.rejects(
      run(process.execPath, [photon, "chainfire", "bench", "scan"]),
      /use put, range, txn or watch/,
    );
    await assert.rejects(
      run(process.execPath, [photon, "chainfire", "bench", "put", "--in-flight", "0"]),
      /--in-flight: /,
    );
  } finally {
    await m.close();
  }
});
