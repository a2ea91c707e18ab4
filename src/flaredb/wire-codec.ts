// Engine commands, reads and results carry Uint8Array keys and values; JSON does not. On the
// wire every Uint8Array becomes {"$b": "<base64>"} and back, recursively (depth-bounded).
const MAX_DEPTH = 16;

export function toWire(v: unknown, depth = 0): unknown {
  if (v instanceof Uint8Array)
    return { $b: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (depth > MAX_DEPTH || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => toWire(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toWire(x, depth + 1);
  return out;
}

export function fromWire(v: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => fromWire(x, depth + 1));
  const o = v as Record<string, unknown>;
  if (typeof o.$b === "string" && Object.keys(o).length === 1)
    return new Uint8Array(Buffer.from(o.$b, "base64"));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = fromWire(x, depth + 1);
  return out;
}
