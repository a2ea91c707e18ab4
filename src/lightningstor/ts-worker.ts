// Starts a worker thread on one of this component's modules. Under tsx (the CLI runs from
// source) a worker does not inherit the TypeScript loader, so a .ts entry is loaded through
// a tiny bootstrap that registers it first; built JavaScript is loaded directly.
import { Worker } from "node:worker_threads";

/** `name` is the module's base name beside this file, e.g. "chunk-worker". */
export function startWorker(name: string, workerData: unknown): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(`./${name}${fromSource ? ".ts" : ".js"}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData });
  // Resolved here, not in the worker: an eval'd worker resolves bare names from the cwd.
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
