// Bytes in, bytes out: the whole per-query path of the server, pure, so it can be fuzzed.
// A malformed query gets FORMERR when its header can be read, silence otherwise.
import { type Answer, type AnswerOptions, answerQuery } from "./answer.ts";
import { type TsigKey, TsigSigner, tsigErrorRecord, tsigReserveBytes, verifyRequest } from "./tsig.ts";
import { Rcode, TsigError } from "./wire/constants.ts";
import { decodeHeader, decodeMessage, headerBytes } from "./wire/decode.ts";
import { encodeMessage } from "./wire/encode.ts";
import { emptyHeader, type Message } from "./wire/message.ts";
import { isDnsParseError } from "./wire/parse-error.ts";
import type { ZoneIndex } from "./zone-index.ts";

export type HandleResult =
  | { kind: "reply"; bytes: Uint8Array; signed?: boolean }
  | { kind: "transfer"; answer: Extract<Answer, { kind: "transfer" }> }
  | { kind: "drop" };

const drop: HandleResult = { kind: "drop" };

/** FORMERR carrying only the header fields a client needs to match it to its query. */
export function formerrFor(query: Uint8Array): HandleResult {
  if (query.length < headerBytes) return drop;
  const h = decodeHeader(query);
  if (h.qr) return drop;
  const m: Message = {
    header: { ...emptyHeader(), id: h.id, qr: true, opcode: h.opcode, rd: h.rd, rcode: Rcode.FORMERR },
    questions: [],
    answers: [],
    authority: [],
    additional: [],
  };
  return { kind: "reply", bytes: encodeMessage(m) };
}

/** TSIG keys and the time, for signed queries (an NSD secondary signs its SOA checks). */
export interface TsigContext {
  keys: Map<string, TsigKey>;
  nowSeconds: number;
}

export function handleQuery(
  query: Uint8Array,
  index: ZoneIndex,
  opts: AnswerOptions,
  tsig?: TsigContext,
): HandleResult {
  let q: Message;
  try {
    q = decodeMessage(query);
  } catch (e) {
    if (!isDnsParseError(e)) throw e;
    return formerrFor(query);
  }
  const a = answerQuery(q, index, opts);
  if (!a) return drop;
  if (a.kind === "transfer") return { kind: "transfer", answer: a };
  const encode = (reserveBytes = 0) =>
    encodeMessage(a.message, {
      maxBytes: a.maxBytes,
      rcode: a.rcode,
      optionalAuthority: a.optionalAuthority,
      reserveBytes,
    });
  if (!q.tsig) return { kind: "reply", bytes: encode() };
  const check = tsig ? verifyRequest(query, q, tsig.keys, tsig.nowSeconds) : undefined;
  if (!check?.ok) {
    // RFC 8945 §5.2: a request that does not verify gets NOTAUTH and an unsigned TSIG error.
    const m: Message = {
      ...a.message,
      header: { ...a.message.header, aa: false, rcode: Rcode.NOTAUTH },
      answers: [],
      authority: [],
      additional: [],
    };
    const error = check ? check.error : TsigError.BADKEY;
    return {
      kind: "reply",
      bytes: tsigErrorRecord(encodeMessage(m), q.tsig.name, error, tsig?.nowSeconds ?? 0),
      signed: true,
    };
  }
  const now = (tsig as TsigContext).nowSeconds;
  return {
    kind: "reply",
    bytes: new TsigSigner(check.key, check.mac, () => now).sign(encode(tsigReserveBytes)),
    signed: true,
  };
}
