// Compiles the batched-UDP addon (batch-udp.c) with gcc when its .node file is missing or
// older than the source: no node-gyp (it downloads headers; Node's own include dir has
// node_api.h and uv.h). The file is named for Node's ABI and the CPU, and is written under a
// temporary name and renamed, so processes starting at once never load a half-written file.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

/** gcc on this addon takes ~0.5 s; a loaded machine gets a generous bound. */
const compileTimeoutMs = 120_000;

const here = import.meta.dirname;
export const addonSource = join(here, "batch-udp.c");
export const addonPath = join(
  here,
  "build",
  `batch-udp-${process.platform}-${process.arch}-abi${process.versions.modules}.node`,
);

function isFresh(): boolean {
  return existsSync(addonPath) && statSync(addonPath).mtimeMs >= statSync(addonSource).mtimeMs;
}

/** The path of an up-to-date build of the addon; throws with the compiler's output if none. */
export async function buildAddon(): Promise<string> {
  if (process.platform !== "linux")
    throw new Error("the batched UDP addon is Linux-only (recvmmsg/sendmmsg)");
  if (!existsSync(addonSource)) throw new Error(`addon source missing: ${addonSource}`);
  if (isFresh()) return addonPath;
  const include = join(dirname(realpathSync(process.execPath)), "..", "include", "node");
  if (!existsSync(join(include, "node_api.h")))
    throw new Error(`Node's headers are not at ${include} (node_api.h, uv.h)`);
  mkdirSync(dirname(addonPath), { recursive: true });
  const tmp = `${addonPath}.${process.pid}.tmp`;
  try {
    await promisify(execFile)(
      process.env.CC || "gcc",
      [
        "-O2",
        "-fPIC",
        "-shared",
        "-Wall",
        "-Wextra",
        "-fvisibility=hidden",
        "-I",
        include,
        "-o",
        tmp,
        addonSource,
      ],
      { timeout: compileTimeoutMs },
    );
    renameSync(tmp, addonPath);
  } catch (err) {
    rmSync(tmp, { force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`compiling ${addonSource} failed: ${e.stderr?.trim() || e.message}`);
  }
  return addonPath;
}
