// bench/iam: token verifications and authorization decisions per second on one core, with
// p50/p99 latency, at 10 and at 10,000 projects × 10 bindings; password logins at both
// scales. Targets (issue 4): ≥ 50,000 verifications/s and p99 < 1 ms per authorization
// decision, with warm caches; scale: 10,000 projects within 10 % of 10 projects.
//
// Every comparison runs interleaved rounds (A, B, A, B, …) and reports medians, so load from
// other processes on a shared machine hits both sides alike. The anchor for verification is
// the Ed25519 primitive itself (node:crypto on the same signing inputs, and `openssl speed`).
//   npm run bench -- iam [--quick]
import { execFileSync } from "node:child_process";
import { verify } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { StaticTokenAuth } from "../../src/core/api/auth.ts";
import { defineRoute } from "../../src/core/api/route.ts";
import { ApiServer } from "../../src/core/api/server.ts";
import { loadConfig } from "../../src/core/config.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { silentLogger } from "../../src/core/log.ts";
import { createRegistry } from "../../src/core/metrics.ts";
import { LocalStore } from "../../src/core/resource/local-store.ts";
import type { AuthzState } from "../../src/iam/authz-state.ts";
import { requestToken } from "../../src/iam/client.ts";
import { hashPassword } from "../../src/iam/password-hash.ts";
import { iamOptions, iamRole } from "../../src/iam/server.ts";
import { Verifier } from "../../src/iam/verifier.ts";
import {
  bindingsPerPrincipal,
  boundProject,
  populatedState,
  populateStore,
  seededRandom,
  withSigningKey,
} from "./population.ts";

const quick = process.argv.includes("--quick");
const issuer = "http://iam.bench";
const rounds = quick ? 3 : 5;

interface Figure {
  /** Per second of this process's CPU time: the one-core figure even on a shared machine. */
  perCpuSecond: number;
  perSecond: number;
  p50us: number;
  p99us: number;
}

/** Runs op `count` times (a bounded loop), timing each call for the percentiles. */
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
  return figure(count, t0, cpu0, lat);
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
  return figure(count, t0, cpu0, lat);
}

/**
 * Throughput without a clock read per operation: at a microsecond per decision, two clock
 * reads per call would be a large share of what is measured (and the same at both scales,
 * which would flatter the ratio).
 */
function throughput(count: number, op: (i: number) => unknown): Pick<Figure, "perCpuSecond" | "perSecond"> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) op(i);
  const totalS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: count / totalS, perCpuSecond: count / ((cpu.user + cpu.system) / 1e6) };
}

function figure(count: number, t0: bigint, cpu0: NodeJS.CpuUsage, lat: Float64Array): Figure {
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

const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const median = (fs: Figure[]): Figure => ({
  perSecond: mid(fs.map((f) => f.perSecond)),
  perCpuSecond: mid(fs.map((f) => f.perCpuSecond)),
  p50us: mid(fs.map((f) => f.p50us)),
  p99us: mid(fs.map((f) => f.p99us)),
});
/** Median of the per-round ratios b/a (each round's pair ran back to back). */
const ratio = (a: Figure[], b: Figure[], k: keyof Figure) => mid(a.map((x, i) => b[i]![k] / x[k]));

const n0 = (x: number) => Math.round(x).toLocaleString("en-US");
const fmt = (f: Figure) =>
  `${n0(f.perCpuSecond).padStart(10)} /cpu-s ${n0(f.perSecond).padStart(10)} /s   p50 ${f.p50us.toFixed(1).padStart(8)} µs   p99 ${f.p99us.toFixed(1).padStart(8)} µs`;
const label = (s: string) => s.padEnd(58);

function newVerifier(state: AuthzState): Verifier {
  return new Verifier({
    state: () => state,
    issuer: () => issuer,
    audience: "photoncloud",
    clockSkewSeconds: 30,
    clock: Date.now,
    name: "bench",
  });
}

/** `openssl speed`'s Ed25519 verifications per second (one core, its own process), if installed. */
function opensslVerifyRate(): number | undefined {
  try {
    const out = execFileSync("openssl", ["speed", "-seconds", "1", "ed25519"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 30_000,
    });
    const m = /Ed25519\)\s+\S+\s+\S+\s+\S+\s+([\d.]+)/.exec(out);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const mintFor = new Map<AuthzState, ReturnType<typeof withSigningKey>>();

async function verification(state: AuthzState) {
  const mint = withSigningKey(state, issuer);
  mintFor.set(state, mint);
  const key = [...state.keys.values()][0]!.key;
  const perRound = quick ? 2_000 : 5_000;
  const primitive: Figure[] = [];
  const fresh: Figure[] = [];
  const verifier = newVerifier(state);
  // Warm-up of both paths (JIT), on tokens not used again.
  const warm = await Promise.all(Array.from({ length: 1000 }, (_, i) => mint(`user:u-${i % 10}`)));
  for (const t of warm) verifier.verifyToken(t);
  for (let r = 0; r < rounds; r++) {
    const tokens = await Promise.all(Array.from({ length: perRound }, (_, i) => mint(`user:u-${i % 10}`)));
    const inputs = tokens.map((t) => {
      const d = t.lastIndexOf(".");
      return { data: Buffer.from(t.slice(0, d), "latin1"), sig: Buffer.from(t.slice(d + 1), "base64url") };
    });
    primitive.push(measureSync(perRound, (i) => verify(null, inputs[i]!.data, key, inputs[i]!.sig)));
    fresh.push(measureSync(perRound, (i) => verifier.verifyToken(tokens[i]!)));
  }
  const seen = warm.slice(0, 1000);
  const cached = measureSync(quick ? 200_000 : 1_000_000, (i) => verifier.verifyToken(seen[i % 1000]!));
  return { primitive, fresh, cached };
}

/** `active` distinct principals drawn at random from the population's `projects` principals. */
function activePrincipals(projects: number, active: number, rnd: () => number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(active, projects)) chosen.add(Math.floor(rnd() * projects));
  return [...chosen];
}

/** Random active principals, each asking about one of its own 10 projects, the same mix at both scales. */
function requestMix(projects: number, active: number, seed: number) {
  const rnd = seededRandom(seed);
  const who = activePrincipals(projects, active, rnd);
  const perms = [
    "creditservice.quotas.get",
    "creditservice.quotas.update",
    "iam.rolebindings.create",
    "plasmavmc.vms.delete",
  ];
  return Array.from({ length: 65_536 }, () => {
    const k = who[Math.floor(rnd() * who.length)]!;
    return {
      subject: `user:u-${k}`,
      project: boundProject(k, Math.floor(rnd() * bindingsPerPrincipal), projects),
      permission: perms[Math.floor(rnd() * perms.length)]!,
    };
  });
}

function decisions(verifier: Verifier, reqs: ReturnType<typeof requestMix>): Figure {
  const n = quick ? 100_000 : 400_000;
  const op = (i: number) => {
    const r = reqs[i & 65_535]!;
    return verifier.decide(r.subject, r.permission, { project: r.project });
  };
  const t = throughput(n, op);
  const l = measureSync(n / 4, op);
  return { ...l, ...t };
}

/**
 * Active principals in the "many callers" runs: every one at 10 projects (there are 10), this
 * many at 10,000 (the request runs hold their tokens in the verified cache, which keeps 10,000).
 */
const manyCallers = 2_000;

/**
 * Authorized API requests as a component serves them, in-process (fastify's inject: routing,
 * zod validation, the token from the verified cache, the decision, the reply), by random
 * principals on their own projects: the authorization latency a caller sees.
 */
async function apiAt(state: AuthzState, projects: number, active: number) {
  const mint = state.keys.size ? mintFor.get(state)! : withSigningKey(state, issuer);
  mintFor.set(state, mint);
  const server = new ApiServer({
    name: "bench",
    logger: silentLogger,
    registry: createRegistry("bench", false),
    auth: newVerifier(state),
    accessLog: false,
  });
  server.add(
    defineRoute({
      method: "GET",
      path: "/v1/projects/{project}/quotas/{name}",
      summary: "bench",
      params: z.object({ project: z.string(), name: z.string() }),
      permission: "creditservice.quotas.get",
      handler: ({ params }) => ({ project: params.project, name: params.name }),
    }),
  );
  await server.app.ready();
  const rnd = seededRandom(projects + 1);
  const who = activePrincipals(projects, active, rnd);
  const tokens = await Promise.all(who.map((k) => mint(`user:u-${k}`)));
  const reqs = Array.from({ length: 4096 }, () => {
    const j = Math.floor(rnd() * who.length);
    return {
      url: `/v1/projects/${boundProject(who[j]!, Math.floor(rnd() * bindingsPerPrincipal), projects)}/quotas/q`,
      headers: { authorization: `Bearer ${tokens[j]}` },
    };
  });
  const call = async (i: number) => {
    const r = reqs[i & 4095]!;
    const res = await server.app.inject({ method: "GET", url: r.url, headers: r.headers });
    if (res.statusCode !== 200) throw new Error(`request ${r.url} gave ${res.statusCode}: ${res.body}`);
  };
  for (let i = 0; i < tokens.length + 1000; i++) await call(i); // tokens verified once, JIT warm
  return { call, close: () => server.app.close() };
}

/** An iam role over a memory store holding `projects` × 10 bindings and P users who can log in. */
async function iamAt(projects: number, hashes: { slow: string; fast: string }) {
  const dataDir = mkdtempSync(join(tmpdir(), "photon-iam-bench-"));
  const store = LocalStore.memory();
  // Even users have the production-cost hash, odd ones a cheap one (which exposes the rest of
  // the login path that the production hash hides).
  await populateStore(store, projects, { passwordHash: (k) => (k % 2 === 0 ? hashes.slow : hashes.fast) });
  const config = loadConfig(iamOptions, "iam", { flags: { port: 0, dataDir, logLevel: "silent" } });
  const running = await iamRole.start(config, {
    log: silentLogger,
    lifecycle: new Lifecycle(silentLogger, 1000),
    auth: new StaticTokenAuth("unused"),
    serviceToken: async () => undefined,
    openStore: async () => store,
    endpoints: {},
  });
  const url = running.endpoints.api!;
  const rnd = seededRandom(projects);
  const login = (parity: 0 | 1) => {
    const k = Math.floor(rnd() * (projects / 2)) * 2 + parity;
    return requestToken(url, { grant_type: "password", username: `u-${k}`, password: "bench-password" });
  };
  return {
    login,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

console.log(
  `iam bench (node ${process.version}, ${cpus().length} cpus, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")})${quick ? " --quick" : ""}`,
);
console.log(
  "figures: ops per second of this process's CPU time (the one-core figure), ops per wall-clock second, per-op wall-clock latency; medians of interleaved rounds\n",
);

const t0 = Date.now();
const small = populatedState(10);
const large = populatedState(10_000);
console.log(
  `populated 10 and 10,000 projects × 10 bindings (${n0(large.bindingCount())} bindings, ${bindingsPerPrincipal} per principal at both scales) in ${Date.now() - t0} ms\n`,
);

const openssl = opensslVerifyRate();
const v = await verification(small);
const vp = median(v.primitive);
const vf = median(v.fresh);
console.log(`${label("Ed25519 verify alone (node:crypto, the primitive)")}${fmt(vp)}`);
if (openssl !== undefined)
  console.log(
    `${label("Ed25519 verify alone (openssl speed, its own process)")}${n0(openssl).padStart(10)} /s`,
  );
console.log(`${label("token verification, every token new (full check)")}${fmt(vf)}`);
console.log(
  `  ratio new-token verification / primitive (median of ${rounds} interleaved rounds): per CPU-second ${ratio(v.primitive, v.fresh, "perCpuSecond").toFixed(2)}`,
);
console.log(`${label("token verification, warm cache (tokens seen before)")}${fmt(v.cached)}\n`);

const verifierSmall = newVerifier(small);
const verifierLarge = newVerifier(large);
const decisionRuns: { callers: string; r10: Figure[]; r10k: Figure[] }[] = [];
const requestRuns: { callers: string; r10: Figure[]; r10k: Figure[] }[] = [];
// Two questions: does a decision cost more because there are more projects (the same 10
// callers at both scales), and what does it cost when callers are spread over all of them
// (a working set 1,000 times larger, which no longer fits the CPU caches)?
for (const [callers, active] of [
  ["10 callers", 10],
  [`${n0(manyCallers)} callers at 10,000`, manyCallers],
] as const) {
  const reqSmall = requestMix(10, active, 1);
  const reqLarge = requestMix(10_000, active, 1);
  decisions(verifierSmall, reqSmall); // warm-up (JIT), both scales
  decisions(verifierLarge, reqLarge);
  const run = { callers, r10: [] as Figure[], r10k: [] as Figure[] };
  for (let r = 0; r < rounds; r++) {
    run.r10.push(decisions(verifierSmall, reqSmall));
    run.r10k.push(decisions(verifierLarge, reqLarge));
  }
  decisionRuns.push(run);
  console.log(`${label(`authorization decisions, ${callers}, 10 projects`)}${fmt(median(run.r10))}`);
  console.log(`${label(`authorization decisions, ${callers}, 10,000 projects`)}${fmt(median(run.r10k))}`);
  console.log(
    `  ratio 10,000 / 10 projects (median of ${rounds} interleaved rounds): per CPU-second ${ratio(run.r10, run.r10k, "perCpuSecond").toFixed(2)}, p50 ${ratio(run.r10, run.r10k, "p50us").toFixed(2)}, p99 ${ratio(run.r10, run.r10k, "p99us").toFixed(2)}`,
  );
}
console.log("");
for (const [callers, active] of [
  ["10 callers", 10],
  [`${n0(manyCallers)} callers at 10,000`, manyCallers],
] as const) {
  const api10 = await apiAt(small, 10, active);
  const api10k = await apiAt(large, 10_000, active);
  const run = { callers, r10: [] as Figure[], r10k: [] as Figure[] };
  for (let r = 0; r < rounds; r++) {
    run.r10.push(await measure(quick ? 3_000 : 10_000, api10.call));
    run.r10k.push(await measure(quick ? 3_000 : 10_000, api10k.call));
  }
  await api10.close();
  await api10k.close();
  requestRuns.push(run);
  console.log(`${label(`authorized API requests, ${callers}, 10 projects`)}${fmt(median(run.r10))}`);
  console.log(`${label(`authorized API requests, ${callers}, 10,000 projects`)}${fmt(median(run.r10k))}`);
  console.log(
    `  ratio 10,000 / 10 projects (median of ${rounds} interleaved rounds): per CPU-second ${ratio(run.r10, run.r10k, "perCpuSecond").toFixed(2)}, p50 ${ratio(run.r10, run.r10k, "p50us").toFixed(2)}, p99 ${ratio(run.r10, run.r10k, "p99us").toFixed(2)}`,
  );
}
console.log("");

const hashes = {
  slow: await hashPassword("bench-password", { N: 2 ** 15, r: 8, p: 1 }),
  fast: await hashPassword("bench-password", { N: 2 ** 10, r: 8, p: 1 }),
};
const iam10 = await iamAt(10, hashes);
const iam10k = await iamAt(10_000, hashes);
try {
  for (const [parity, name, perRound] of [
    [0, "scrypt N=2^15, the default", quick ? 4 : 8],
    [1, "scrypt N=2^10", quick ? 40 : 100],
  ] as const) {
    await iam10.login(parity); // warm-up
    await iam10k.login(parity);
    const a: Figure[] = [];
    const b: Figure[] = [];
    for (let r = 0; r < rounds; r++) {
      a.push(await measure(perRound, () => iam10.login(parity)));
      b.push(await measure(perRound, () => iam10k.login(parity)));
    }
    console.log(`${label(`password logins (${name}), 10 projects`)}${fmt(median(a))}`);
    console.log(`${label(`password logins (${name}), 10,000 projects`)}${fmt(median(b))}`);
    console.log(
      `  ratio 10,000 / 10 projects (median of ${rounds} interleaved rounds): per CPU-second ${ratio(a, b, "perCpuSecond").toFixed(2)}, per wall second ${ratio(a, b, "perSecond").toFixed(2)}, p50 ${ratio(a, b, "p50us").toFixed(2)}`,
    );
  }
} finally {
  await iam10.close();
  await iam10k.close();
}

const d10k = median(decisionRuns.at(-1)!.r10k);
console.log(
  `\ntargets (one core): ≥ 50,000 verifications/s with warm caches → ${v.cached.perCpuSecond >= 50_000 ? "met" : "NOT met"} (${n0(v.cached.perCpuSecond)}/cpu-s); new tokens are bounded by Ed25519 itself (${n0(vp.perCpuSecond)}/cpu-s here), not met for them (${n0(vf.perCpuSecond)}/cpu-s); p99 < 1 ms per decision → ${d10k.p99us < 1000 ? "met" : "NOT met"} (${d10k.p99us.toFixed(1)} µs at 10,000 projects, many callers)`,
);
console.log(
  `load average at the end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
