// Runs a private Knot DNS (Debian's) as a TSIG secondary on a loopback port, for the
// transfer test: its own config, storage and control socket in a temp dir.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface KnotSecondary {
  port: number;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export function startKnotSecondary(o: {
  dir: string;
  port: number;
  zone: string;
  primaryPort: number;
  key: { name: string; secret: string };
}): KnotSecondary {
  mkdirSync(o.dir, { recursive: true });
  const conf = join(o.dir, "knot.conf");
  writeFileSync(
    conf,
    [
      "server:",
      `    rundir: "${o.dir}"`,
      `    listen: 127.0.0.1@${o.port}`,
      "    udp-workers: 1",
      "    tcp-workers: 1",
      "    background-workers: 1",
      "log:",
      "  - target: stderr",
      "    any: info",
      "database:",
      `    storage: "${o.dir}"`,
      "key:",
      `  - id: ${o.key.name}`,
      "    algorithm: hmac-sha256",
      `    secret: ${o.key.secret}`,
      "remote:",
      "  - id: primary",
      `    address: 127.0.0.1@${o.primaryPort}`,
      `    key: ${o.key.name}`,
      "acl:",
      "  - id: notify-from-primary",
      "    address: 127.0.0.1",
      `    key: ${o.key.name}`,
      "    action: notify",
      "template:",
      "  - id: default",
      `    storage: "${o.dir}"`,
      '    file: "%s.zone"',
      "zone:",
      `  - domain: ${o.zone}`,
      "    master: primary",
      "    acl: notify-from-primary",
      "",
    ].join("\n"),
  );
  let out = "";
  const child = spawn("knotd", ["-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  return {
    port: o.port,
    child,
    log: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
