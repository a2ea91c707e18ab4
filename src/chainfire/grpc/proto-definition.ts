// The etcd v3 proto files, loaded once per process: the client builds its stubs from them, the
// server its reflective codecs for the methods that have no hand-written one (kv-codec.ts).
import { fileURLToPath } from "node:url";
import { loadSync, type PackageDefinition } from "@grpc/proto-loader";

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

let loaded: PackageDefinition | undefined;

export function etcdPackageDefinition(): PackageDefinition {
  loaded ??= loadSync("rpc.proto", protoLoaderOptions);
  return loaded;
}
