// How a service hands its methods to the gRPC server (grpc-server.ts).
import type { Msg } from "./codec.ts";
import type { ServerStreamCall } from "./server-stream-call.ts";

export type MethodImpl =
  /** Reflective codec: the handler sees proto-loader objects. */
  | { kind: "unary"; handle(req: Msg): Promise<Msg> | Msg }
  /** Hand-written codec: the handler gets the message bytes and returns the whole gRPC frame. */
  | { kind: "raw"; handle(body: Buffer): Promise<Buffer> | Buffer }
  | { kind: "stream"; handle(call: ServerStreamCall): void };

export type ServiceImpl = Record<string, MethodImpl>;
