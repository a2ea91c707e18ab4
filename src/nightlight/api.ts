// nightlight's public schemas: the ScrapeTarget kind (targets registered in the resource
// store) and the shapes of the Prometheus query API it answers.
import { z } from "zod";
import { defineKind } from "../core/resource/kind.ts";

export const scrapeTargetSpecSchema = z.strictObject({
  /** URL of a Prometheus text-format endpoint, e.g. http://10.0.0.5:9100/metrics. */
  url: z.url({ protocol: /^https?$/, error: "url must be an http(s) URL of a /metrics endpoint" }),
  job: z.string().min(1).max(128).default("project"),
  intervalSeconds: z.number().int().min(1).max(3600).default(15),
  labels: z
    .record(
      z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "label names are [a-zA-Z_][a-zA-Z0-9_]*"),
      z.string().max(1024),
    )
    .default({}),
});
export type ScrapeTargetSpec = z.infer<typeof scrapeTargetSpecSchema>;

export const scrapeTargetKind = defineKind({
  component: "nightlight",
  apiVersion: "nightlight/v1",
  kind: "ScrapeTarget",
  plural: "scrapetargets",
  scope: "project",
  spec: scrapeTargetSpecSchema as z.ZodType<ScrapeTargetSpec>,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "A /metrics endpoint nightlight scrapes into its project's metrics",
});

const labelsObject = z.record(z.string(), z.string());
const point = z.tuple([z.number(), z.string()]);

export const queryResponseSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("success"),
    data: z.discriminatedUnion("resultType", [
      z.object({
        resultType: z.literal("vector"),
        result: z.array(z.object({ metric: labelsObject, value: point })),
      }),
      z.object({
        resultType: z.literal("matrix"),
        result: z.array(z.object({ metric: labelsObject, values: z.array(point) })),
      }),
      z.object({ resultType: z.literal("scalar"), result: point }),
      z.object({ resultType: z.literal("string"), result: point }),
    ]),
  }),
  z.object({ status: z.literal("error"), errorType: z.string(), error: z.string() }),
]);
export type QueryResponse = z.infer<typeof queryResponseSchema>;
export type QueryData = Extract<QueryResponse, { status: "success" }>["data"];
