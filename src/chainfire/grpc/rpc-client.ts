// Promise wrappers over the grpc-js service clients of the etcd v3 API, with a deadline on
// every unary call. Errors keep the server's status code and etcd message.
import {
  type ChannelCredentials,
  type Client,
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  Metadata,
  type ServiceClientConstructor,
  type ServiceError,
} from "@grpc/grpc-js";
import type { Msg } from "./codec.ts";
import { etcdPackageDefinition } from "./proto-definition.ts";

let loaded: GrpcObject | undefined;

/** The etcdserverpb client stubs, built once per process. */
export function etcdserverpb(): Record<string, ServiceClientConstructor> {
  loaded ??= loadPackageDefinition(etcdPackageDefinition());
  return loaded.etcdserverpb as unknown as Record<string, ServiceClientConstructor>;
}

/** Deadline of one unary call unless the caller gives another. */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;

export interface RpcClients {
  kv: Client;
  watch: Client;
  lease: Client;
  cluster: Client;
  maintenance: Client;
  close(): void;
}

/** `endpoints` as host:port (or http://host:port); several fail over in order. */
export function connectRpc(
  endpoints: string[],
  creds: ChannelCredentials = credentials.createInsecure(),
): RpcClients {
  const hosts = endpoints.map((e) => e.replace(/^https?:\/\//, ""));
  const target = hosts.length === 1 ? hosts[0]! : `ipv4:${hosts.join(",")}`;
  const pb = etcdserverpb();
  const options = { "grpc.max_receive_message_length": 2 ** 31 - 1, "grpc.keepalive_time_ms": 30_000 };
  const kv = new pb.KV!(target, creds, options);
  // Sharing one channel keeps a single HTTP/2 connection per endpoint.
  const shared = { ...options, channelOverride: kv.getChannel() };
  const clients = {
    kv,
    watch: new pb.Watch!(target, creds, shared),
    lease: new pb.Lease!(target, creds, shared),
    cluster: new pb.Cluster!(target, creds, shared),
    maintenance: new pb.Maintenance!(target, creds, shared),
  };
  return {
    ...clients,
    close() {
      for (const c of Object.values(clients)) c.close();
    },
  };
}

type UnaryMethod = (
  this: Client,
  req: Msg,
  md: Metadata,
  opts: { deadline: number },
  cb: (err: ServiceError | null, res: Msg) => void,
) => void;

export function call(
  client: Client,
  method: string,
  req: Msg,
  timeoutMs = DEFAULT_CALL_TIMEOUT_MS,
): Promise<Msg> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, UnaryMethod | undefined>)[method];
    if (!fn) throw new Error(`no rpc ${method}`);
    fn.call(
      client,
      req,
      new Metadata(),
      { deadline: Date.now() + timeoutMs },
      (err: ServiceError | null, res: Msg) => (err ? reject(err) : resolve(res)),
    );
  });
}
