// Raft messages between processes over TCP: one connection per peer, length-prefixed JSON
// frames, and per-peer batching (everything queued in one turn of the event loop goes out as
// one frame). Messages to a peer that cannot be reached are dropped and reported, as Raft
// expects of a lossy network; the queue per peer is bounded. Frames can also carry small
// application payloads (e.g. a follower forwarding a proposal to its leader).
import { connect, createServer, type Server, type Socket } from "node:net";
import type { Logger } from "pino";
import type { Entry, Message, NodeId, Snapshot } from "./types.ts";

/** Messages queued for one peer before the oldest are dropped. */
export const MAX_PEER_QUEUE_MESSAGES = 10_000;
/** Largest frame accepted from a peer. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** Wait before redialing a peer that refused or dropped the connection. */
export const REDIAL_DELAY_MS = 100;

interface Frame {
  from: NodeId;
  msgs?: unknown[];
  app?: unknown[];
}

const b64 = (d: Uint8Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString("base64");
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

function encodeMessage(m: Message): unknown {
  return {
    ...m,
    entries: m.entries.map((e) => ({ ...e, data: b64(e.data) })),
    ...(m.snapshot ? { snapshot: { metadata: m.snapshot.metadata, data: b64(m.snapshot.data) } } : {}),
  };
}

function decodeMessage(raw: unknown): Message {
  const m = raw as Message & {
    entries: Array<Entry & { data: string }>;
    snapshot?: Snapshot & { data: string };
  };
  return {
    ...m,
    entries: m.entries.map((e) => ({ ...e, data: fromB64(e.data as unknown as string) })),
    ...(m.snapshot
      ? { snapshot: { metadata: m.snapshot.metadata, data: fromB64(m.snapshot.data as unknown as string) } }
      : {}),
  } as Message;
}

export interface TransportOptions {
  id: NodeId;
  host: string;
  /** 0 picks a free port. */
  port: number;
  log: Logger;
  onMessages: (msgs: Message[]) => void;
  /** A peer could not be reached: Raft should be told (reportUnreachable). */
  onUnreachable?: (to: NodeId, groupIds: string[]) => void;
  onApp?: (from: NodeId, payload: unknown) => void;
}

interface Peer {
  address: string;
  socket: Socket | undefined;
  connecting: boolean;
  queue: unknown[];
  app: unknown[];
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
      p.queue.push(encodeMessage(m));
      p.groups.add(m.groupId);
      this.schedule(m.to, p);
    }
  }

  sendApp(to: NodeId, payload: unknown): boolean {
    const p = this.peers.get(to);
    if (!p) return false;
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
    const frame: Frame = { from: this.opts.id };
    if (p.queue.length) frame.msgs = p.queue.splice(0);
    if (p.app.length) frame.app = p.app.splice(0);
    p.groups.clear();
    const body = Buffer.from(JSON.stringify(frame));
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    p.socket.write(Buffer.concat([head, body]));
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
    let frame: Frame;
    try {
      frame = JSON.parse(body.toString("utf8")) as Frame;
    } catch {
      this.opts.log.warn("raft transport: malformed frame ignored");
      return;
    }
    try {
      if (frame.msgs?.length) this.opts.onMessages(frame.msgs.map(decodeMessage));
      for (const a of frame.app ?? []) this.opts.onApp?.(frame.from, a);
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
