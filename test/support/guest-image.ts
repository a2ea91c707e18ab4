// Builds the default guest image (scripts/guest-image/build.sh) into a directory the test
// owns. Downloaded packages are shared through the repository's .cache/debs.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface GuestImage {
  path: string;
  sha256: string;
  sizeBytes: number;
}

export async function buildGuestImage(outDir: string): Promise<GuestImage> {
  await run("bash", [join(import.meta.dirname, "../../scripts/guest-image/build.sh"), outDir], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const manifest = JSON.parse(readFileSync(join(outDir, "manifest.json"), "utf8")) as {
    sha256: string;
    sizeBytes: number;
  };
  return { path: join(outDir, "photon-guest.raw"), sha256: manifest.sha256, sizeBytes: manifest.sizeBytes };
}
