// `photon nightlight` as a real child process on a fixed port, for crash and replication tests.
import { type ChildProcess, spawn } from "node:child_process";

export async function startPhotonNightlight(
  dataDir: string,
  port: number,
  extraArgs: string[] = [],
): Promise<ChildProcess> {
  const proc = spawn(
    process.execPath,
    [
      "bin/photon.js",
      "nightlight",
      "--data-dir",
      dataDir,
      "--port",
      String(port),
      "--listen",
      "127.0.0.1",
      "--no-scrape-platform",
      "--log-level",
      "warn",
      ...extraArgs,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  proc.stderr!.on("data", (d) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nightlight exited: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return proc;
    } catch {}
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`nightlight did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function killHard(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGKILL");
  await exited;
}
