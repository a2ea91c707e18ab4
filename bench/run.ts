// `npm run bench -- <component> [args…]` runs bench/<component>/main.ts, which runs ours and
// its anchor in one go and prints the ratio.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [component, ...rest] = process.argv.slice(2);
const here = import.meta.dirname;
const available = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "main.ts")))
  .map((d) => d.name);
if (!component || !available.includes(component)) {
  console.error(
    `usage: npm run bench -- <component> [options]\navailable: ${available.join(", ") || "(none yet)"}`,
  );
  process.exit(2);
}
process.argv = [process.argv[0]!, join(here, component, "main.ts"), ...rest];
await import(join(here, component, "main.ts"));
