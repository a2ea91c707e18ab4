// Zone transfers out and NOTIFY: who may transfer (listed secondaries, or a TSIG key when the
// zone names one), the IXFR journal fed by zone changes, and NOTIFY with retries (RFC 1996).
import { randomInt } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import type { Logger } from "pino";
import type { Answer } from "./answer.ts";
import type { ZoneSpec } from "./api.ts";
import { axfrRecords, ixfrRecords, packTransfer } from "./transfer-messages.ts";
import { signRequest, type TsigKey, TsigSigner, tsigErrorRecord, verifyRequest } from "./tsig.ts";
import { Opcode, Rcode, RRType } from "./wire/constants.ts";
import { decodeHeader } from "./wire/decode.ts";
import { encodeMessage } from "./wire/encode.ts";
import { emptyHeader, type Message } from "./wire/message.ts";
import { nameFromText, nameKey, nameToText } from "./wire/name.ts";
import { soaOf } from "./zone.ts";
import { diffZones, ZoneJournal } from "./zone-journal.ts";
import type { ZoneChange } from "./zone-sync.ts";

/** NOTIFY is sent this many times at most, this far apart, until the secondary answers. */
export const notifyAttempts = 5;
export const notifyIntervalMs = 2000;
/** NOTIFYs waiting for an answer, across all zones; beyond this the oldest is given up. */
const maxPendingNotifies = 1024;

type TransferAnswer = Extract<Answer, { kind: "transfer" }>;

export interface TransferServiceOptions {
  log: Logger;
  keys: Map<string, TsigKey>;
  journalEntries: number;
  clock: () => number;
  /** Called once per transfer request with how it was answered. */
  onTransfer?: (outcome: "axfr" | "ixfr" | "ixfr_current" | "ixfr_full" | "refused" | "badtsig") => void;
}

interface PendingNotify {
  zone: string;
  address: string;
  port: number;
  bytes: Uint8Array;
  attempts: number;
  timer: NodeJS.Timeout | undefined;
}

export class TransferService {
  private readonly journals = new Map<string, ZoneJournal>();
  private readonly specs = new Map<string, ZoneSpec>();
  private readonly pending = new Map<number, PendingNotify>();
  private socket: dgram.Socket | undefined;
  /** NOTIFYs answered, for tests and metrics. */
  notifiesAcked = 0;

  constructor(private readonly opts: TransferServiceOptions) {}

  start(): void {
    const s = dgram.createSocket("udp4");
    s.on("message", (m) => {
      if (m.length < 12) return;
      const h = decodeHeader(m);
      const p = this.pending.get(h.id);
      if (!p || !h.qr || h.opcode !== Opcode.NOTIFY) return;
      clearTimeout(p.timer);
      this.pending.delete(h.id);
      this.notifiesAcked++;
      this.opts.log.debug(
        { zone: p.zone, secondary: `${p.address}:${p.port}`, rcode: h.rcode },
        "NOTIFY answered",
      );
    });
    s.on("error", (err) => this.opts.log.warn({ err }, "NOTIFY socket error"));
    s.bind(0);
    this.socket = s;
  }

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.socket?.close();
    this.socket = undefined;
  }

  journalSize(zoneKey: string): number {
    return this.journals.get(zoneKey)?.size ?? 0;
  }

  onZoneChange(c: ZoneChange): void {
    if (!c.after) {
      if (c.before) {
        this.journals.delete(c.before.key);
        this.specs.delete(c.before.key);
      }
      return;
    }
    const key = c.after.key;
    if (c.spec) this.specs.set(key, c.spec);
    let journal = this.journals.get(key);
    if (!journal || !c.before) {
      journal = new ZoneJournal(this.opts.journalEntries);
      this.journals.set(key, journal);
    }
    const diff = c.before ? diffZones(c.before, c.after) : undefined;
    if (diff) journal.record(diff);
    if (c.before && !diff) return;
    for (const s of c.spec?.transfer.secondaries ?? [])
      this.notify(c.after.origin, s.address, s.port, c.spec?.transfer.tsigKey);
  }

  private keyFor(name: string | undefined): TsigKey | undefined {
    if (!name) return undefined;
    return this.opts.keys.get(nameKey(nameFromText(name.endsWith(".") ? name : `${name}.`)));
  }

  private notify(
    origin: readonly string[],
    address: string,
    port: number,
    keyName: string | undefined,
  ): void {
    if (!this.socket) return;
    if (this.pending.size >= maxPendingNotifies) {
      const [oldest, p] = this.pending.entries().next().value as [number, PendingNotify];
      clearTimeout(p.timer);
      this.pending.delete(oldest);
    }
    let id = randomInt(0, 65_536);
    while (this.pending.has(id)) id = (id + 1) & 0xffff;
    const msg: Message = {
      header: { ...emptyHeader(), id, opcode: Opcode.NOTIFY, aa: true },
      questions: [{ name: [...origin], type: RRType.SOA, class: 1 }],
      answers: [],
      authority: [],
      additional: [],
    };
    let bytes = encodeMessage(msg);
    const key = this.keyFor(keyName);
    if (key) bytes = signRequest(key, bytes, Math.floor(this.opts.clock() / 1000)).bytes;
    const p: PendingNotify = {
      zone: nameToText(origin),
      address,
      port,
      bytes,
      attempts: 0,
      timer: undefined,
    };
    this.pending.set(id, p);
    const fire = () => {
      if (!this.socket || !this.pending.has(id)) return;
      if (p.attempts++ >= notifyAttempts) {
        this.pending.delete(id);
        this.opts.log.warn(
          { zone: p.zone, secondary: `${address}:${port}` },
          "secondary did not answer NOTIFY",
        );
        return;
      }
      this.socket.send(p.bytes, port, address);
      p.timer = setTimeout(fire, notifyIntervalMs);
    };
    fire();
  }

  /** Streams an AXFR or IXFR to a TCP client, or refuses it. */
  async stream(
    answer: TransferAnswer,
    queryBytes: Uint8Array,
    send: (m: Uint8Array) => void,
    peer: string,
  ): Promise<void> {
    const { zone, query } = answer;
    const now = Math.floor(this.opts.clock() / 1000);
    const spec = this.specs.get(zone.key);
    const reply = (rcode: number) =>
      encodeMessage({
        header: { ...emptyHeader(), id: query.header.id, qr: true, opcode: 0, rcode },
        questions: query.questions,
        answers: [],
        authority: [],
        additional: [],
      });
    const check = verifyRequest(queryBytes, query, this.opts.keys, now);
    if (check && !check.ok) {
      this.opts.log.warn(
        { zone: nameToText(zone.origin), peer, tsigError: check.error },
        "zone transfer with a bad TSIG refused",
      );
      send(tsigErrorRecord(reply(Rcode.NOTAUTH), check.keyName ?? [], check.error, now));
      this.opts.onTransfer?.("badtsig");
      return;
    }
    const required = this.keyFor(spec?.transfer.tsigKey);
    const peerAddress = peer.slice(0, peer.lastIndexOf(":"));
    const listed = (spec?.transfer.secondaries ?? []).some(
      (s) => normalizeAddress(s.address) === normalizeAddress(peerAddress),
    );
    const allowed = required
      ? check?.ok === true && nameKey(check.key.name) === nameKey(required.name)
      : listed;
    if (!allowed) {
      this.opts.log.warn(
        { zone: nameToText(zone.origin), peer },
        "zone transfer refused: not a configured secondary (or unsigned when the zone needs TSIG)",
      );
      send(reply(required ? Rcode.NOTAUTH : Rcode.REFUSED));
      this.opts.onTransfer?.("refused");
      return;
    }
    const qtype = query.questions[0]?.type;
    let records = axfrRecords(zone);
    let outcome: "axfr" | "ixfr" | "ixfr_current" | "ixfr_full" = "axfr";
    if (qtype === RRType.IXFR) {
      outcome = "ixfr_full";
      const clientSoa = query.authority.find((r) => r.type === RRType.SOA)?.data;
      const current = soaOf(zone).serial;
      if (clientSoa?.type === 6) {
        if (clientSoa.serial === current) {
          records = [zone.soa.records[0] as (typeof records)[number]];
          outcome = "ixfr_current";
        } else {
          // Too far behind the journal: the whole zone, in AXFR form (RFC 1995 §4).
          const chain = this.journals.get(zone.key)?.since(clientSoa.serial);
          if (chain) {
            records = ixfrRecords(zone, chain);
            outcome = "ixfr";
          }
        }
      }
    }
    this.opts.onTransfer?.(outcome);
    const signer = check?.ok
      ? new TsigSigner(check.key, check.mac, () => Math.floor(this.opts.clock() / 1000))
      : undefined;
    for (const m of packTransfer(query, records)) send(signer ? signer.sign(m) : m);
    this.opts.log.info(
      {
        zone: nameToText(zone.origin),
        peer,
        type: qtype === RRType.IXFR ? "IXFR" : "AXFR",
        records: records.length,
      },
      "zone transferred",
    );
  }
}

function normalizeAddress(a: string): string {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (v4mapped) return v4mapped[1] as string;
  return net.isIPv6(a) ? a.toLowerCase() : a;
}
