// The gRPC server on the client port: loads chainfire's etcd v3 proto files and registers the
// five services. Message size limits follow etcd: a request up to MAX_REQUEST_BYTES is ours to
// judge ("request is too large"); grpc refuses anything beyond the framing allowance.
import { fileURLToPath } from "node:url";
import {
  type GrpcObject,
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type ServiceClientConstructor,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { GRPC_OVERHEAD_BYTES, MAX_CONCURRENT_STREAMS, MAX_REQUEST_BYTES } from "../limits.ts";
import { clusterService } from "./cluster-service.ts";
import type { ServiceContext } from "./context.ts";
import { kvService } from "./kv-service.ts";
import { leaseService } from "./lease-service.ts";
import { maintenanceService } from "./maintenance-service.ts";
import { watchService } from "./watch-service.ts";

export const protoDir = fileURLToPath(new URL("../proto/", import.meta.url));

/** Options shared by server and client so both read int64 as strings and bytes as Buffers. */
export const protoLoaderOptions = {
  keepCase: true,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDir],
};

let loaded: GrpcObject | undefined;

/** The etcdserverpb package, loaded once per process. */
export function etcdserverpb(): Record<string, ServiceClientConstructor> {
  loaded ??= loadPackageDefinition(loadSync("rpc.proto", protoLoaderOptions));
  return loaded.etcdserverpb as unknown as Record<string, ServiceClientConstructor>;
}

export async function startGrpcServer(
  ctx: ServiceContext,
  host: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = new Server({
    "grpc.max_receive_message_length": MAX_REQUEST_BYTES + GRPC_OVERHEAD_BYTES,
    "grpc.max_send_message_length": 2 ** 31 - 1,
    "grpc.max_concurrent_streams": MAX_CONCURRENT_STREAMS,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.http2.min_ping_interval_without_data_ms": 5000,
    // Channelz bookkeeping costs CPU on every call and nothing here reads it.
    "grpc.enable_channelz": 0,
  });
  const pb = etcdserverpb();
  server.addService(pb.KV!.service, kvService(ctx));
  server.addService(pb.Watch!.service, watchService(ctx));
  server.addService(pb.Lease!.service, leaseService(ctx));
  server.addService(pb.Cluster!.service, clusterService(ctx));
  server.addService(
    pb.Maintenance!.service,
    maintenanceService(ctx, (file) => ctx.store.snapshotTo(file)),
  );
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${host.includes(":") ? `[${host}]` : host}:${port}`,
      ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p)),
    ),
  );
  disableNagle(server);
  return { server, port: bound };
}

/**
 * grpc-js leaves Nagle's algorithm on for accepted connections; with small unary replies that
 * adds delayed-ACK stalls of tens of milliseconds. Its server has no option for it, so the
 * accepted sockets are switched to TCP_NODELAY here (etcd's Go server does the same).
 */
function disableNagle(server: Server): void {
  const servers = (server as unknown as { http2Servers?: Map<import("node:net").Server, unknown> })
    .http2Servers;
  for (const s of servers?.keys() ?? [])
    s.on("connection", (socket: import("node:net").Socket) => socket.setNoDelay(true));
}

export function stopGrpcServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
