// A minimal DNS client for tests: one query over UDP or TCP, the decoded reply back.
import dgram from "node:dgram";
import net from "node:net";
import { decodeMessage } from "../../src/flashdns/wire/decode.ts";
import { encodeMessage } from "../../src/flashdns/wire/encode.ts";
import { emptyHeader, type Message } from "../../src/flashdns/wire/message.ts";
import { nameFromText } from "../../src/flashdns/wire/name.ts";

export interface ExchangeOptions {
  port: number;
  host?: string;
  name: string;
  type: number;
  edns?: number;
  tcp?: boolean;
  timeoutMs?: number;
}

export function queryBytes(o: ExchangeOptions, id: number): Uint8Array {
  return encodeMessage({
    header: { ...emptyHeader(), id },
    questions: [{ name: nameFromText(o.name), type: o.type, class: 1 }],
    answers: [],
    authority: [],
    additional: [],
    edns: o.edns
      ? { payloadSize: o.edns, extendedRcode: 0, version: 0, dnssecOk: false, options: [] }
      : undefined,
  });
}

export async function dnsExchangeRaw(
  query: Uint8Array,
  o: { port: number; host?: string; tcp?: boolean; timeoutMs?: number },
): Promise<Uint8Array> {
  const host = o.host ?? "127.0.0.1";
  const timeoutMs = o.timeoutMs ?? 2000;
  if (o.tcp) {
    return new Promise((resolve, reject) => {
      const s = net.connect(o.port, host);
      let buf = Buffer.alloc(0);
      const t = setTimeout(() => {
        s.destroy();
        reject(new Error("TCP query timed out"));
      }, timeoutMs);
      s.on("connect", () => {
        const f = Buffer.alloc(2 + query.length);
        f.writeUInt16BE(query.length, 0);
        f.set(query, 2);
        s.write(f);
      });
      s.on("data", (d) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          clearTimeout(t);
          s.destroy();
          resolve(Uint8Array.from(buf.subarray(2, 2 + buf.readUInt16BE(0))));
        }
      });
      s.on("error", (e) => {
        clearTimeout(t);
        reject(e);
      });
    });
  }
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket("udp4");
    const t = setTimeout(() => {
      s.close();
      reject(new Error("UDP query timed out"));
    }, timeoutMs);
    s.on("message", (m) => {
      if (m.length >= 2 && m[0] === query[0] && m[1] === query[1]) {
        clearTimeout(t);
        s.close();
        resolve(Uint8Array.from(m));
      }
    });
    s.on("error", (e) => {
      clearTimeout(t);
      s.close();
      reject(e);
    });
    s.send(query, o.port, host);
  });
}

let nextId = 1;
export async function dnsExchange(o: ExchangeOptions): Promise<Message> {
  nextId = (nextId + 1) & 0xffff;
  return decodeMessage(await dnsExchangeRaw(queryBytes(o, nextId), o));
}
