// Runs Debian's qemu-img / qemu-io against an NBD URL and returns what they printed.
import { spawn } from "node:child_process";

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runTool(cmd: string, args: string[], timeoutMs = 60_000): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    p.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("error", reject);
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** qemu-io with the given commands; fails the test with the tool's output on a failure. */
export async function qemuIo(url: string, ...commands: string[]): Promise<string> {
  const r = await runTool("qemu-io", ["-f", "raw", ...commands.flatMap((c) => ["-c", c]), url]);
  const out = r.stdout + r.stderr;
  if (r.code !== 0 || /fail|error|Pattern verification/i.test(out))
    throw new Error(`qemu-io ${commands.join(" ; ")} failed (exit ${r.code}): ${out}`);
  return out;
}
