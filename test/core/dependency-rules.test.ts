// The layering rules are checked by dependency-cruiser on every `npm test`; this proves the
// rules catch what they are meant to, on a small tree that breaks each one.
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
      { cwd: dir.path, encoding: "utf8" },
    );
    return { status: r.status, output: r.stdout + r.stderr };
  } finally {
    dir.remove();
  }
}

test("core importing a component is a violation", () => {
  const r = cruise({
    "src/core/a.ts": 'import { x } from "../iam/api.ts";\nexport const a = x;\n',
    "src/iam/api.ts": "export const x = 1;\n",
  });
  assert.notEqual(r.status, 0);
  assert.match(r.output, /core-imports-no-component/);
});

test("a component importing another's private module is a violation; api.ts and client.ts are allowed", () => {
  const bad = cruise({
    "src/flashdns/server.ts": 'import { y } from "../iam/token-signer.ts";\nexport const s = y;\n',
    "src/iam/token-signer.ts": "export const y = 1;\n",
  });
  assert.notEqual(bad.status, 0);
  assert.match(bad.output, /components-meet-through-api-or-client/);
  const good = cruise({
    "src/flashdns/server.ts":
      'import { y } from "../iam/client.ts";\nimport { z } from "./zone.ts";\nexport const s = y + z;\n',
    "src/flashdns/zone.ts": "export const z = 1;\n",
    "src/iam/client.ts": "export const y = 1;\n",
  });
  assert.equal(good.status, 0, good.output);
});
