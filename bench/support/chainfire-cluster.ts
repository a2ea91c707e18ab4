// A chainfire cluster on loopback for benchmarks and tests: N members, each a process of
// bench/chainfire/serve-chainfire.ts (the chainfire server without the rest of photon), with
// fsync on, in its own data dir under `dir`. Same shape as etcd-cluster.ts.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { type KvCluster, waitWritable } from "./etcd-cluster.ts";
import { drain, freePort, stopChildren, waitForLine } from "./spawned-process.ts";

const serveChainfire = join(import.meta.dirname, "..", "chainfire", "serve-chainfire.ts");

export async function startChainfireCluster(o: { dir: string; members?: number }): Promise<KvCluster> {
  const ids = Array.from({ length: o.members ?? 3 }, (_, i) => i);
  const peers = await Promise.all(ids.map(() => freePort()));
  const initialCluster = peers.map((p, i) => `c${i}=http://127.0.0.1:${p}`).join(",");
  const children: ChildProcess[] = ids.map((i) =>
    spawn(
      process.execPath,
      ["--import", "tsx", serveChainfire, join(o.dir, `c${i}`), `c${i}`, String(peers[i]), initialCluster],
      { stdio: ["ignore", "pipe", "pipe"] },
    ),
  );
  const stop = () => stopChildren(children);
  try {
    const urls = await Promise.all(children.map((c) => waitForLine(c, /ENDPOINT (\S+)/)));
    for (const c of children) drain(c);
    const endpoints = urls.map((u) => u.replace("http://", ""));
    await waitWritable(endpoints[0]!);
    return { endpoints, pids: children.map((c) => c.pid!), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
