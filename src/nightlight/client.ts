// Typed client of nightlight's Prometheus query API (what `photon metrics` uses).
import { ApiError } from "../core/errors.ts";
import { type QueryData, queryResponseSchema } from "./api.ts";

export interface NightlightClientOptions {
  baseUrl: string;
  token?: string;
  project?: string;
  timeoutMs?: number;
}

export class NightlightClient {
  constructor(private readonly o: NightlightClientOptions) {}

  private async get(path: string, params: Record<string, string>): Promise<QueryData> {
    const url = new URL(path, this.o.baseUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const headers: Record<string, string> = {};
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    if (this.o.project) headers["x-photon-project"] = this.o.project;
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new ApiError(
        "Unavailable",
        `nightlight at ${this.o.baseUrl} did not answer: ${(err as Error).message}`,
      );
    }
    const parsed = queryResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success)
      throw new ApiError("Internal", `nightlight answered HTTP ${res.status} with an unexpected body`);
    if (parsed.data.status === "error") {
      const code =
        res.status === 401 ? "Unauthenticated" : res.status === 403 ? "PermissionDenied" : "InvalidArgument";
      throw new ApiError(code, `${parsed.data.errorType}: ${parsed.data.error}`);
    }
    return parsed.data.data;
  }

  query(query: string, timeSeconds?: number): Promise<QueryData> {
    return this.get("/api/v1/query", {
      query,
      ...(timeSeconds !== undefined ? { time: String(timeSeconds) } : {}),
    });
  }

  queryRange(
    query: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
  ): Promise<QueryData> {
    return this.get("/api/v1/query_range", {
      query,
      start: String(startSeconds),
      end: String(endSeconds),
      step: String(stepSeconds),
    });
  }
}
