// The backend every proxy in the gateway benchmark forwards to: a small JSON answer, and the
// OpenAPI document the gateway learns its routes from.
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 0);
const doc = JSON.stringify({
  openapi: "3.1.0",
  paths: { "/v1/projects/{project}/items/{name}": { get: {} } },
});
const body = JSON.stringify({
  apiVersion: "bench/v1",
  kind: "Item",
  metadata: { name: "x", project: "p", revision: 1 },
  spec: { size: 1 },
});
// Connections accepted so far, so the benchmark can show each proxy kept its backend
// connections alive (a probe's own connection counts too).
let accepted = 0;
const server = createServer((req, res) => {
  if (req.url === "/openapi.json") return void res.end(doc);
  if (req.url === "/bench/connections") return void res.end(String(accepted));
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.on("connection", () => accepted++);
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
