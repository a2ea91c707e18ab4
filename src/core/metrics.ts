// One Prometheus registry per server, so several roles in one process (photon up) each serve
// their own /metrics without clashing names.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export { Counter, Gauge, Histogram, Registry };

export function createRegistry(component: string, withProcessMetrics = true): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  if (withProcessMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

/** Latency buckets for request handling, in seconds: 100 µs to 10 s. */
export const latencyBuckets = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
