// The gateway's per-request metrics without prom-client's per-observation label hashing:
// plain counters per component, turned into Prometheus series only when /metrics is read.
import type { Registry } from "prom-client";

/** Latency buckets, in seconds (the same as every other PhotonCloud server's). */
export interface Series {
  buckets: Float64Array;
  sum: number;
  count: number;
  statuses: Map<number, number>;
}

interface PromValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

export class GatewayMetrics {
  private readonly series = new Map<string, Series>();

  constructor(
    registry: Registry,
    private readonly bucketsSeconds: readonly number[],
  ) {
    // Duck-typed metrics: the registry only calls get() when /metrics is read.
    registry.registerMetric({
      name: "photon_gateway_requests_total",
      help: "Requests answered by the gateway, by component and status",
      get: async () => ({
        name: "photon_gateway_requests_total",
        help: "Requests answered by the gateway, by component and status",
        type: "counter",
        aggregator: "sum",
        values: this.requestValues(),
      }),
    } as never);
    registry.registerMetric({
      name: "photon_gateway_request_duration_seconds",
      help: "Time from a request's head to the end of its answer",
      get: async () => ({
        name: "photon_gateway_request_duration_seconds",
        help: "Time from a request's head to the end of its answer",
        type: "histogram",
        aggregator: "sum",
        values: this.latencyValues(),
      }),
    } as never);
  }

  observe(component: string, status: number, seconds: number): void {
    let s = this.series.get(component);
    if (s === undefined) {
      s = { buckets: new Float64Array(this.bucketsSeconds.length), sum: 0, count: 0, statuses: new Map() };
      this.series.set(component, s);
    }
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    s.sum += seconds;
    s.count++;
    const b = this.bucketsSeconds;
    for (let i = 0; i < b.length; i++) {
      if (seconds <= b[i]!) {
        s.buckets[i]!++;
        break;
      }
    }
  }

  private requestValues(): PromValue[] {
    const out: PromValue[] = [];
    for (const [component, s] of this.series)
      for (const [status, n] of s.statuses) out.push({ value: n, labels: { component, status } });
    return out;
  }

  private latencyValues(): PromValue[] {
    const out: PromValue[] = [];
    const name = "photon_gateway_request_duration_seconds";
    for (const [component, s] of this.series) {
      let cumulative = 0;
      for (let i = 0; i < this.bucketsSeconds.length; i++) {
        cumulative += s.buckets[i]!;
        out.push({
          value: cumulative,
          labels: { le: this.bucketsSeconds[i]!, component },
          metricName: `${name}_bucket`,
        });
      }
      out.push({ value: s.count, labels: { le: "+Inf", component }, metricName: `${name}_bucket` });
      out.push({ value: s.sum, labels: { component }, metricName: `${name}_sum` });
      out.push({ value: s.count, labels: { component }, metricName: `${name}_count` });
    }
    return out;
  }
}
