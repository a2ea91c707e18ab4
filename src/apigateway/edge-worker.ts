// Entry point of a gateway worker process (see worker-processes.ts): the same role, started
// with the same configuration and runtime as its parent, accepting on the parent's socket.
import { startRole } from "../cli/run-role.ts";
import { Lifecycle } from "../core/lifecycle.ts";
import { createLogger } from "../core/log.ts";
import { apigatewayRole } from "./server.ts";

const config = JSON.parse(process.env.PHOTON_GATEWAY_WORKER_CONFIG ?? "{}");
const endpoints = JSON.parse(process.env.PHOTON_GATEWAY_WORKER_ENDPOINTS ?? "{}");
const log = createLogger({ level: config.logLevel, name: "apigateway" });
const lifecycle = new Lifecycle(log, config.shutdownGraceMs);
lifecycle.handleSignals();
const running = await startRole(apigatewayRole, config, {
  log,
  lifecycle,
  dataDir: config.dataDir,
  endpoints,
  storeBackend: "lmdb",
});
lifecycle.own("apigateway worker", running);
// The parent is gone: so is the reason to serve.
process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
