// bench/iam: token verifications and authorization decisions per second on one core, with
// p99 latency, at 10 and at 10,000 projects × 10 bindings; and password logins per second
// at both scales. Targets (issue 4): ≥ 50,000 verifications/s; p99 < 1 ms per decision.
//   npm run bench -- iam [--quick]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StaticTokenAuth } from "../../src/core/api/auth.ts";
import { loadConfig } from "../../src/core/config.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { silentLogger } from "../../src/core/log.ts";
import { LocalStore } from "../../src/core/resource/local-store.ts";
import type { AuthzState } from "../../src/iam/authz-state.ts";
import { readBootstrapAdmin } from "../../src/iam/bootstrap.ts";
import { requestToken } from "../../src/iam/client.ts";
import { iamOptions, iamRole } from "../../src/iam/server.ts";
import { verifyAccessToken } from "../../src/iam/token-verifier.ts";
import { Verifier } from "../../src/iam/verifier.ts";
import { populatedState, populateStore, withSigningKey } from "./population.ts";

const quick = process.argv.includes("--quick");
const issuer = "http://iam.bench";

interface Figure {
  perSecond: number;
  /** Per second of this process's CPU time: the one-core figure even on a shared machine. */
  perCpuSecond: number;
  p50us: number;
  p99us: number;
}

/** Runs op `count` times, timing each call; a bounded loop, never open-ended. */
async function measure(count: number, op: (i: number) => unknown): Promise<Figure> {
  const lat = new Float64Array(count);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const s = process.hrtime.bigint();
    const r = op(i);
    if (r instanceof Promise) await r;
    lat[i] = Number(process.hrtime.bigint() - s) / 1000;
  }
  const totalS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  lat.sort();
  return {
    perSecond: count / totalS,
    perCpuSecond: count / ((cpu.user + cpu.system) / 1e6),
    p50us: lat[Math.floor(count * 0.5)]!,
    p99us: lat[Math.floor(count * 0.99)]!,
  };
}

const fmt = (f: Figure) =>
  `${Math.round(f.perCpuSecond).toLocaleString("en-US").padStart(10)} /cpu-s ${Math.round(f.perSecond).toLocaleString("en-US").padStart(10)} /s   p50 ${f.p50us.toFixed(1).padStart(7)} µs   p99 ${f.p99us.toFixed(1).padStart(7)} µs`;

async function verification(state: AuthzState) {
  const mint = withSigningKey(state, issuer);
  const n = quick ? 5_000 : 50_000;
  const distinct = await Promise.all(Array.from({ length: n }, () => mint()));
  const nowSeconds = Math.floor(Date.now() / 1000);
  const opts = { issuer, audience: "photoncloud", clockSkewSeconds: 30, nowSeconds };
  for (let i = 0; i < 2000; i++) verifyAccessToken(distinct[i % n]!, state.keys, opts); // warm-up
  const cold = await measure(n, (i) => verifyAccessToken(distinct[i]!, state.keys, opts));
  const verifier = new Verifier({
    state: () => state,
    issuer: () => issuer,
    audience: "photoncloud",
    clockSkewSeconds: 30,
    clock: Date.now,
    name: "bench",
  });
  const hot = distinct.slice(0, 1000);
  for (const t of hot) verifier.verifyToken(t);
  const warm = await measure(n * 4, (i) => verifier.verifyToken(hot[i % hot.length]!));
  return { cold, warm };
}

function decisions(state: AuthzState, projects: number): Figure {
  const verifier = new Verifier({
    state: () => state,
    issuer: () => issuer,
    audience: "photoncloud",
    clockSkewSeconds: 30,
    clock: Date.now,
    name: "bench",
  });
  const perms = [
    "creditservice.quotas.get",
    "creditservice.quotas.update",
    "iam.rolebindings.create",
    "plasmavmc.vms.delete",
  ];
  const n = quick ? 20_000 : 100_000;
  // Pseudo-random but fixed sequence of (project, permission), the same at both scales.
  const reqs = Array.from({ length: 4096 }, (_, i) => ({
    project: `p-${(i * 2654435761) % projects}`,
    permission: perms[i % perms.length]!,
  }));
  const principal = { subject: "user:alice", name: "alice" };
  for (let i = 0; i < 10_000; i++)
    verifier.decide(principal.subject, reqs[i % 4096]!.permission, { project: reqs[i % 4096]!.project });
  return measureSync(n, (i) => {
    const r = reqs[i & 4095]!;
    return verifier.decide(principal.subject, r.permission, { project: r.project });
  });
}

function median(fs: Figure[]): Figure {
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    perSecond: mid(fs.map((f) => f.perSecond)),
    perCpuSecond: mid(fs.map((f) => f.perCpuSecond)),
    p50us: mid(fs.map((f) => f.p50us)),
    p99us: mid(fs.map((f) => f.p99us)),
  };
}

function measureSync(count: number, op: (i: number) => unknown): Figure {
  const lat = new Float64Array(count);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const s = process.hrtime.bigint();
    op(i);
    lat[i] = Number(process.hrtime.bigint() - s) / 1000;
  }
  const totalS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  lat.sort();
  return {
    perSecond: count / totalS,
    perCpuSecond: count / ((cpu.user + cpu.system) / 1e6),
    p50us: lat[Math.floor(count * 0.5)]!,
    p99us: lat[Math.floor(count * 0.99)]!,
  };
}

async function logins(projects: number): Promise<Figure> {
  const dataDir = mkdtempSync(join(tmpdir(), "photon-iam-bench-"));
  const store = LocalStore.memory();
  await populateStore(store, projects);
  const config = loadConfig(iamOptions, "iam", { flags: { port: 0, dataDir, logLevel: "silent" } });
  const running = await iamRole.start(config, {
    log: silentLogger,
    lifecycle: new Lifecycle(silentLogger, 1000),
    auth: new StaticTokenAuth("unused"),
    serviceToken: async () => undefined,
    openStore: async () => store,
    endpoints: {},
  });
  try {
    const admin = readBootstrapAdmin(dataDir)!;
    const url = running.endpoints.api!;
    const login = () =>
      requestToken(url, { grant_type: "password", username: admin.username, password: admin.password });
    await login();
    return await measure(quick ? 10 : 40, login);
  } finally {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const small = populatedState(10);
const t0 = Date.now();
const large = populatedState(10_000);
const { loadavg, cpus } = await import("node:os");
console.log(
  `iam bench (one core, node ${process.version}, ${cpus().length} cpus, load average ${loadavg()[0]!.toFixed(1)})${quick ? " --quick" : ""}`,
);
console.log(
  "figures: ops per second of this process's CPU time, ops per wall-clock second, per-op wall-clock latency",
);
console.log(
  `populated 10,000 projects × 10 bindings (${large.bindingCount().toLocaleString("en-US")} bindings) in ${Date.now() - t0} ms\n`,
);

const v = await verification(small);
console.log(`token verification, every token new (Ed25519 + claims)  ${fmt(v.cold)}`);
console.log(`token verification, warm cache (seen tokens)            ${fmt(v.warm)}`);
// Interleaved rounds, so load from other processes on the machine hits both scales alike.
const rounds = 5;
const r10: Figure[] = [];
const r10k: Figure[] = [];
for (let r = 0; r < rounds; r++) {
  r10.push(decisions(small, 10));
  r10k.push(decisions(large, 10_000));
}
const d10 = median(r10);
const d10k = median(r10k);
console.log(`authorization decisions, 10 projects                    ${fmt(d10)}`);
console.log(`authorization decisions, 10,000 projects                ${fmt(d10k)}`);
console.log(
  `  ratio 10,000 / 10 projects (median of ${rounds} interleaved rounds): per CPU-second ${(d10k.perCpuSecond / d10.perCpuSecond).toFixed(2)}, p50 ${(d10k.p50us / d10.p50us).toFixed(2)}, p99 ${(d10k.p99us / d10.p99us).toFixed(2)}`,
);
const l10 = await logins(10);
const l10k = await logins(10_000);
console.log(`password logins (scrypt N=2^15), 10 projects            ${fmt(l10)}`);
console.log(`password logins (scrypt N=2^15), 10,000 projects        ${fmt(l10k)}`);
console.log(
  `  ratio 10,000 / 10 projects: per CPU-second ${(l10k.perCpuSecond / l10.perCpuSecond).toFixed(2)}, per wall second ${(l10k.perSecond / l10.perSecond).toFixed(2)}`,
);
console.log(
  `\ntargets: ≥ 50,000 verifications per CPU-second → ${v.cold.perCpuSecond >= 50_000 ? "met" : "NOT met"} (new tokens), ${v.warm.perCpuSecond >= 50_000 ? "met" : "NOT met"} (warm); p99 < 1 ms per decision → ${d10k.p99us < 1000 ? "met" : "NOT met"}`,
);
