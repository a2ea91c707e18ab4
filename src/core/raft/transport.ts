// Raft messages between processes over TCP: one connection per peer, length-prefixed binary
// frames (message-codec.ts), and per-peer batching (everything queued in one turn of the
// event loop goes out as one frame, in one write). Messages to a peer that cannot be reached are dropped and reported, as Raft
// expects of a lossy network; the queue per peer is bounded. Frames can also carry small
// application payloads (e.g. a follower forwarding a proposal to its leader).
import { connect, createServer, type Server, type Socket } from "node:net";
import type { Logger } from "pino";
import { type AppPayload, decodeFrame, encodeFrame } from "./message-codec.ts";
import type { Message, NodeId } from "./types.ts";

/** Messages queued for one peer before the oldest are dropped. */
export const MAX_PEER_QUEUE_MESSAGES = 10_000;
/** Largest frame accepted from a peer. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** Wait before redialing a peer that refused or dropped the connection. */
export const REDIAL_DELAY_MS = 100;

export interface TransportOptions {
  id: NodeId;
  host: string;
  /** 0 picks a free port. */
  port: number;
  log: Logger;
  onMessages: (msgs: Message[]) => void;
  /** A peer could not be reached: Raft should be told (reportUnreachable). */
  onUnreachable?: (to: NodeId, groupIds: string[]) => void;
  /** Application payloads (JSON values; a Uint8Array under `bin` travels as raw bytes). */
  onApp?: (from: NodeId, payload: AppPayload) => void;
}

interface Peer {
  address: string;
  socket: Socket | undefined;
  connecting: boolean;
  queue: Message[];
  app: AppPayload[];
  groups: Set<string>;
  flushScheduled: boolean;
  downUntil: number;
}

export class TcpTransport {
  private readonly peers = new Map<NodeId, Peer>();
  private readonly inbound = new Set<Socket>();
  private closed = false;

  private constructor(
    private readonly opts: TransportOptions,
    private readonly server: Server,
    readonly port: number,
  ) {}

  static start(opts: TransportOptions): Promise<TcpTransport> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(opts.port, opts.host, () => {
        const port = (server.address() as { port: number }).port;
        const t = new TcpTransport(opts, server, port);
        server.on("connection", (s) => t.accept(s));
        resolve(t);
      });
    });
  }

  setPeer(id: NodeId, address: string): void {
    const p = this.peers.get(id);
    if (p && p.address === address) return;
    p?.socket?.destroy();
    this.peers.set(id, {
      address,
      socket: undefined,
      connecting: false,
      queue: [],
      app: [],
      groups: new Set(),
      flushScheduled: false,
      downUntil: 0,
    });
  }

  removePeer(id: NodeId): void {
    this.peers.get(id)?.socket?.destroy();
    this.peers.delete(id);
  }

  send(msgs: readonly Message[]): void {
    for (const m of msgs) {
      const p = this.peers.get(m.to);
      if (!p) continue;
      if (p.queue.length >= MAX_PEER_QUEUE_MESSAGES) p.queue.shift();
      p.queue.push(m);
      p.groups.add(m.groupId);
      this.schedule(m.to, p);
    }
  }

  /** Queues an application payload for `to` (bounded: the oldest goes first when full). */
  sendApp(to: NodeId, payload: AppPayload): boolean {
    const p = this.peers.get(to);
    if (!p) return false;
    if (p.app.length >= MAX_PEER_QUEUE_MESSAGES) p.app.shift();
    p.app.push(payload);
    this.schedule(to, p);
    return true;
  }

  private schedule(id: NodeId, p: Peer): void {
    if (p.flushScheduled) return;
    p.flushScheduled = true;
    setImmediate(() => {
      p.flushScheduled = false;
      this.flush(id, p);
    });
  }

  private flush(id: NodeId, p: Peer): void {
    if (this.closed || (p.queue.length === 0 && p.app.length === 0)) return;
    if (!p.socket) {
      if (p.connecting) return;
      if (Date.now() < p.downUntil) {
        this.drop(id, p);
        return;
      }
      this.dial(id, p);
      return;
    }
    const msgs = p.queue.splice(0);
    const apps = p.app.splice(0);
    p.groups.clear();
    const body = encodeFrame(this.opts.id, msgs, apps);
    const head = Buffer.allocUnsafe(4);
    head.writeUInt32BE(body.length);
    // Two buffers, one syscall: cork/uncork turns them into a single writev.
    p.socket.cork();
    p.socket.write(head);
    p.socket.write(body);
    p.socket.uncork();
  }

  private dial(id: NodeId, p: Peer): void {
    const [host, port] = splitAddress(p.address);
    p.connecting = true;
    const s = connect({ host, port, noDelay: true });
    s.once("connect", () => {
      p.connecting = false;
      p.socket = s;
      this.flush(id, p);
    });
    s.on("error", () => undefined);
    s.once("close", () => {
      const wasConnecting = p.connecting;
      p.connecting = false;
      if (p.socket === s) p.socket = undefined;
      p.downUntil = Date.now() + REDIAL_DELAY_MS;
      if (wasConnecting) this.drop(id, p);
    });
  }

  private drop(id: NodeId, p: Peer): void {
    const groups = [...p.groups];
    p.queue.length = 0;
    p.app.length = 0;
    p.groups.clear();
    if (groups.length) this.opts.onUnreachable?.(id, groups);
  }

  private accept(s: Socket): void {
    this.inbound.add(s);
    s.setNoDelay(true);
    let buf: Buffer = Buffer.alloc(0);
    s.on("data", (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (len > MAX_FRAME_BYTES) {
          this.opts.log.warn({ len }, "raft transport: oversized frame; dropping the connection");
          s.destroy();
          return;
        }
        if (buf.length < 4 + len) break;
        const body = buf.subarray(4, 4 + len);
        buf = buf.subarray(4 + len);
        this.deliver(body);
      }
    });
    s.on("error", () => undefined);
    s.once("close", () => this.inbound.delete(s));
  }

  private deliver(body: Buffer): void {
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(body);
    } catch (err) {
      this.opts.log.warn({ err }, "raft transport: malformed frame ignored");
      return;
    }
    try {
      if (frame.msgs.length) this.opts.onMessages(frame.msgs);
      for (const a of frame.apps) this.opts.onApp?.(frame.from, a);
    } catch (err) {
      this.opts.log.error({ err }, "raft transport: handling a frame failed");
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.peers.values()) p.socket?.destroy();
    for (const s of this.inbound) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function splitAddress(address: string): [string, number] {
  const a = address.replace(/^[a-z]+:\/\//, "");
  const i = a.lastIndexOf(":");
  return [a.slice(0, i).replace(/^\[|\]$/g, ""), Number(a.slice(i + 1))];
}
