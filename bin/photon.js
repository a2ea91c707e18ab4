#!/usr/bin/env node
// Runs the CLI straight from TypeScript source (tsx), so there is no build step between an
// edit and a run. `npm run build` type-checks and emits dist/ for packaging.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
await main(process.argv);
