// The gateway's listening socket: a plain TCP server whose connections speak HTTP/1.1
// through EdgeConnection, one sweeper timer for every route timeout (no timer per request),
// and a graceful close that lets requests in progress finish.
import net from "node:net";
import { EdgeConnection, type EdgePolicy } from "./edge-connection.ts";

export const edgeLimits = {
  /** Client connections held at once; more are refused by the kernel backlog and then reset. */
  maxConnections: 10_000,
  /** How often route timeouts are checked (their resolution). */
  sweepIntervalMs: 20,
  /** Idle client connections are looked for every this many sweeps (1 s). */
  idleSweepEvery: 50,
};

export class EdgeServer {
  /** The listening socket; worker processes accept on the same one. */
  server: net.Server;
  private readonly connections = new Set<EdgeConnection>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly onConnection: (socket: net.Socket) => void;

  constructor(policy: EdgePolicy) {
    this.onConnection = (socket) => {
      socket.setNoDelay(true);
      const c = new EdgeConnection(socket, policy);
      this.connections.add(c);
      socket.once("close", () => this.connections.delete(c));
      if (policy.draining()) c.closeWhenIdle();
    };
    this.server = net.createServer({ noDelay: true }, this.onConnection);
    this.server.maxConnections = edgeLimits.maxConnections;
    let ticks = 0;
    this.sweeper = setInterval(() => {
      const now = policy.now();
      const idleCheck = ++ticks % edgeLimits.idleSweepEvery === 0;
      for (const c of this.connections) {
        c.exchange?.expire(now);
        if (idleCheck) c.expireIdle(now);
      }
    }, edgeLimits.sweepIntervalMs);
    this.sweeper.unref();
  }

  listen(host: string, port: number): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ host, port }, () => {
        this.server.off("error", reject);
        resolve(this.server.address() as net.AddressInfo);
      });
    });
  }

  /** Accepts on a listening socket another process opened (a gateway worker). */
  adopt(server: net.Server): void {
    this.server.off("connection", this.onConnection);
    this.server = server;
    server.maxConnections = edgeLimits.maxConnections;
    server.on("connection", this.onConnection);
  }

  url(): string {
    const a = this.server.address() as net.AddressInfo;
    return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
  }

  /** Stops accepting; idle connections close now, busy ones after their answer (or at graceMs). */
  async close(graceMs = 5_000): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const c of this.connections) c.closeWhenIdle();
    const deadline = setTimeout(() => {
      for (const c of this.connections) c.socket.destroy();
    }, graceMs);
    await closed;
    clearTimeout(deadline);
    clearInterval(this.sweeper);
  }
}
