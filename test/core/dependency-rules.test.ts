// The layering rules are checked by dependency-cruiser on every `npm test`; this proves the
// rules catch what they are meant to, on a small tree that breaks each one (and one import
// that keeps them).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../support/temp-dir.ts";

const root = join(import.meta.dirname, "..", "..");

function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = tempDir("photon-deps-");
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir.path, path)), { recursive: true });
      writeFileSync(join(dir.path, path), text);
    }
    copyFileSync(join(root, ".dependency-cruiser.cjs"), join(dir.path, ".dependency-cruiser.cjs"));
    writeFileSync(
      join(dir.path, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          allowImportingTsExtensions: true,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          noEmit: true,
        },
      }),
    );
    const r = spawnSync(
      join(root, "node_modules", ".bin", "depcruise"),
      ["src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
      {
        cwd: dir.path,
        encoding: "utf8",
      },
    );
    return { status: r.status, output: r.stdout + r.stderr };
  } finally {
    dir.remove();
  }
}

test("the dependency rules flag core importing a component and private cross-component imports, and allow api.ts and client.ts", () => {
  const r = cruise({
    "src/core/a.ts": 'import { x } from "../iam/api.ts";\nexport const a = x;\n',
    "src/iam/api.ts": "export const x = 1;\n",
    "src/iam/client.ts": "export const y = 1;\n",
    "src/iam/token-signer.ts": "export const z = 1;\n",
    "src/flashdns/server.ts": 'import { z } from "../iam/token-signer.ts";\nexport const s = z;\n',
    "src/lightningstor/server.ts":
      'import { y } from "../iam/client.ts";\nimport { w } from "./store.ts";\nexport const s = y + w;\n',
    "src/lightningstor/store.ts": "export const w = 1;\n",
  });
  assert.notEqual(r.status, 0);
  assert.match(r.output, /core-imports-no-component: src\/core\/a\.ts → src\/iam\/api\.ts/);
  assert.match(
    r.output,
    /components-meet-through-api-or-client: src\/flashdns\/server\.ts → src\/iam\/token-signer\.ts/,
  );
  assert.doesNotMatch(r.output, /src\/lightningstor\/server\.ts/);
});
