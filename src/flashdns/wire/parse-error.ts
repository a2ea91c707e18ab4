// The one error the wire decoder throws: anything malformed becomes this, so a caller can
// answer FORMERR (or stay silent) without catching everything else by accident.

export class DnsParseError extends Error {
  /** Byte offset in the message where decoding gave up. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = "DnsParseError";
    this.offset = offset;
  }
}

export const isDnsParseError = (e: unknown): e is DnsParseError => e instanceof DnsParseError;
