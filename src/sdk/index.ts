// The typed TypeScript SDK of PhotonCloud: every route of every component, with request and
// response types generated from the cloud's OpenAPI document (schema.ts).
//
//   const cloud = createPhotonClient("http://127.0.0.1:8080", token);
//   const { data, error } = await cloud.GET("/v1/projects/{project}/quotas/{name}", {
//     params: { path: { project: "demo", name: "default" } },
//   });
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./schema.ts";

export type { components, paths } from "./schema.ts";
export type PhotonClient = Client<paths>;

export function createPhotonClient(baseUrl: string, token?: string): PhotonClient {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ""),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}
