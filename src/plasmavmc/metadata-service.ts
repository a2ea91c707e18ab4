// The metadata service guests read at boot, in EC2's path layout (latest/meta-data/…,
// latest/user-data). Each VM gets an unguessable token in its URL: every guest on a worker
// reaches the same host port, so the token is what keeps one VM from reading another's
// user-data. Plain text answers, as EC2's are.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface InstanceMetadata {
  instanceId: string;
  hostname: string;
  publicKeys: string[];
  userData: string;
}

/** Largest user-data accepted, as EC2's limit. */
export const maxUserDataBytes = 16 * 1024;

export class MetadataService {
  private readonly byToken = new Map<string, InstanceMetadata>();
  private server: http.Server | undefined;
  port = 0;

  constructor(private readonly host = "127.0.0.1") {}

  async listen(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server?.once("error", reject);
      this.server?.listen(port, this.host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Registers a VM; returns the base URL as the guest must use it (user-mode networking). */
  register(meta: InstanceMetadata, guestHostAlias = "10.0.2.2"): { token: string; url: string } {
    if (Buffer.byteLength(meta.userData) > maxUserDataBytes)
      throw new Error(`user-data is larger than ${maxUserDataBytes} bytes`);
    const token = randomBytes(18).toString("base64url");
    this.byToken.set(token, meta);
    return { token, url: `http://${guestHostAlias}:${this.port}/v1/${token}` };
  }

  unregister(token: string): void {
    this.byToken.delete(token);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const m = /^\/v1\/([A-Za-z0-9_-]{1,64})\/latest\/(meta-data\/[a-z-]+|user-data)$/.exec(req.url ?? "");
    const meta = m && req.method === "GET" ? this.byToken.get(m[1] as string) : undefined;
    const item = m?.[2];
    const body = !meta
      ? undefined
      : item === "user-data"
        ? meta.userData
        : item === "meta-data/instance-id"
          ? meta.instanceId
          : item === "meta-data/hostname"
            ? meta.hostname
            : item === "meta-data/public-keys"
              ? meta.publicKeys.join("\n")
              : undefined;
    if (body === undefined) this.send(res, 404, "not found\n");
    else this.send(res, 200, body);
  }

  private send(res: http.ServerResponse, status: number, body: string): void {
    res.writeHead(status, {
      "content-type": "text/plain; charset=utf-8",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
