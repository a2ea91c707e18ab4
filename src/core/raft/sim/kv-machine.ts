/**
 * The replicated state machine the simulation's clients use: a string map with put, get and
 * compare-and-set. Commands travel as JSON in log entries; snapshots are JSON too.
 */
export type KvCommand =
  | { readonly id: string; readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly id: string; readonly op: "get"; readonly key: string }
  | {
      readonly id: string;
      readonly op: "cas";
      readonly key: string;
      readonly expected: string | null;
      readonly value: string;
    };

/** put → "ok"; get → the value or null; cas → whether it swapped. */
export type KvResult = string | null | boolean;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeCommand(c: KvCommand): Uint8Array {
  return encoder.encode(JSON.stringify(c));
}

export function decodeCommand(data: Uint8Array): KvCommand {
  return JSON.parse(decoder.decode(data)) as KvCommand;
}

export class KvMachine {
  private readonly data = new Map<string, string>();

  constructor(public appliedIndex = 0) {}

  static restore(snapshot: Uint8Array, index: number): KvMachine {
    const kv = new KvMachine(index);
    if (snapshot.byteLength > 0) {
      for (const [k, v] of JSON.parse(decoder.decode(snapshot)) as [string, string][]) kv.data.set(k, v);
    }
    return kv;
  }

  apply(c: KvCommand): KvResult {
    switch (c.op) {
      case "put":
        this.data.set(c.key, c.value);
        return "ok";
      case "get":
        return this.data.get(c.key) ?? null;
      case "cas": {
        const cur = this.data.get(c.key) ?? null;
        if (cur !== c.expected) return false;
        this.data.set(c.key, c.value);
        return true;
      }
    }
  }

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  serialize(): Uint8Array {
    return encoder.encode(
      JSON.stringify([...this.data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    );
  }
}
