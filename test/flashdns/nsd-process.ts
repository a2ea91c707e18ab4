// Runs a private NSD (Debian's) on a loopback port with its own config and temp dir, for the
// differential test, the transfer test and nothing else: RRL off, one server process.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dnsExchange } from "./dns-exchange.ts";

export interface NsdZone {
  name: string;
  /** Master file text for a primary zone; omitted for a secondary. */
  text?: string;
  /** For a secondary: "ip@port" of the primary, and the TSIG key name to use. */
  primary?: string;
  tsigKey?: string;
}

export interface NsdOptions {
  dir: string;
  port: number;
  zones: NsdZone[];
  keys?: { name: string; algorithm: string; secret: string }[];
  serverCount?: number;
  extra?: string;
}

export interface NsdProcess {
  port: number;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export async function startNsd(o: NsdOptions): Promise<NsdProcess> {
  mkdirSync(o.dir, { recursive: true });
  const lines = [
    "server:",
    "  ip-address: 127.0.0.1",
    `  port: ${o.port}`,
    `  zonesdir: "${o.dir}"`,
    '  username: ""',
    '  chroot: ""',
    `  pidfile: "${join(o.dir, "nsd.pid")}"`,
    '  database: ""',
    `  zonelistfile: "${join(o.dir, "zone.list")}"`,
    `  xfrdfile: "${join(o.dir, "xfrd.state")}"`,
    `  xfrdir: "${o.dir}"`,
    `  server-count: ${o.serverCount ?? 1}`,
    "  verbosity: 2",
    `  logfile: "${join(o.dir, "nsd.log")}"`,
    "  rrl-ratelimit: 0",
    "  hide-version: yes",
    ...(o.extra ? [o.extra] : []),
    "remote-control:",
    "  control-enable: no",
  ];
  for (const k of o.keys ?? [])
    lines.push("key:", `  name: "${k.name}"`, `  algorithm: ${k.algorithm}`, `  secret: "${k.secret}"`);
  for (const z of o.zones) {
    const file = `${z.name}.zone`;
    if (z.text !== undefined) writeFileSync(join(o.dir, file), z.text);
    lines.push("zone:", `  name: "${z.name}"`, `  zonefile: "${file}"`);
    if (z.primary) {
      lines.push(`  request-xfr: ${z.primary} ${z.tsigKey ?? "NOKEY"}`);
      lines.push(`  allow-notify: ${z.primary.split("@")[0]} ${z.tsigKey ?? "NOKEY"}`);
    }
  }
  const conf = join(o.dir, "nsd.conf");
  writeFileSync(conf, `${lines.join("\n")}\n`);
  let out = "";
  const child = spawn("nsd", ["-d", "-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const log = () => {
    try {
      return `${out}\n${readFileSync(join(o.dir, "nsd.log"), "utf8")}`;
    } catch {
      return out;
    }
  };
  const proc: NsdProcess = {
    port: o.port,
    child,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
  const deadline = Date.now() + 10_000;
  const first = o.zones[0]?.name ?? ".";
  const probe = first.endsWith(".") ? first : `${first}.`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nsd exited: ${out}`);
    try {
      await dnsExchange({ port: o.port, name: probe, type: 6, timeoutMs: 300 });
      return proc;
    } catch {
      if (Date.now() > deadline) {
        await proc.stop();
        throw new Error(`nsd did not answer on port ${o.port}: ${log()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
