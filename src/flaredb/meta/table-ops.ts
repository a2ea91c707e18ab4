// Rows and their secondary indexes inside one transaction. Key layout (tuples, see
// tuple-codec.ts):
//
//   ("t", table, "r", ...pk)                       → the row, JSON
//   ("t", table, "i", index, ...values, ...pk)     → the row key (non-unique index)
//   ("t", table, "u", index, ...values)            → the row key (unique index)
//
// Every write of a row rewrites its index entries in the same transaction, so an index never
// points at a missing row or misses one; two txns that race for one unique value write the same
// key and the second gets a write conflict (or AlreadyExists if it started after the first).

import type { z } from "zod";
import { ApiError } from "../../core/errors.ts";
import { bytesEqual } from "../engine/byte-order.ts";
import { MAX_SCAN_LIMIT } from "../engine/limits.ts";
import { keyAfter } from "../engine/read.ts";
import type { KvTransaction } from "../txn/transaction.ts";
import { keyValue, MAX_ROW_BYTES, type TableDef } from "./table.ts";
import { encodeTuple, prefixEnd, type TupleValue } from "./tuple-codec.ts";

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export interface ScanRowsOptions {
  /** Leading primary-key values: only rows whose key starts with them. */
  readonly prefix?: readonly TupleValue[];
  /** The full primary key of the last row of the previous page (exclusive). */
  readonly after?: readonly TupleValue[];
  readonly limit: number;
  readonly reverse?: boolean;
}

export class TableOps<S extends z.ZodType<Record<string, unknown>>, I extends string> {
  constructor(
    readonly def: TableDef<S, I>,
    private readonly tx: KvTransaction,
  ) {}

  private pkValues(row: Record<string, unknown>): TupleValue[] {
    return this.def.primaryKey.map((f) => {
      const v = keyValue(this.def.name, f, row[f]);
      if (v === null)
        throw new ApiError("InvalidArgument", `primary-key field ${this.def.name}.${f} is missing`);
      return v;
    });
  }

  private rowKey(pk: readonly TupleValue[]): Uint8Array {
    return encodeTuple(["t", this.def.name, "r", ...pk]);
  }

  private indexKey(index: I, row: Record<string, unknown>, pk: readonly TupleValue[]): Uint8Array {
    const def = this.def.indexes[index];
    const values = def.fields.map((f) => keyValue(this.def.name, f, row[f]));
    return def.unique
      ? encodeTuple(["t", this.def.name, "u", index, ...values])
      : encodeTuple(["t", this.def.name, "i", index, ...values, ...pk]);
  }

  private decodeRow(b: Uint8Array): z.infer<S> {
    const parsed = this.def.schema.safeParse(JSON.parse(fromUtf8.decode(b)));
    if (!parsed.success) {
      throw new ApiError(
        "Internal",
        `a stored row of ${this.def.name} no longer matches its schema: ${parsed.error.issues[0]?.message}`,
      );
    }
    return parsed.data;
  }

  private validate(row: unknown): z.infer<S> {
    const parsed = this.def.schema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError(
        "InvalidArgument",
        `bad ${this.def.name} row at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
      );
    }
    return parsed.data;
  }

  /** The row with this primary key (an object holding at least the key fields), or null. */
  async get(key: Partial<z.infer<S>>): Promise<z.infer<S> | null> {
    const b = await this.tx.get(this.rowKey(this.pkValues(key)));
    return b === null ? null : this.decodeRow(b);
  }

  /** Insert or replace. */
  async put(row: z.infer<S>): Promise<void> {
    await this.write(this.validate(row), "upsert");
  }

  /** Insert; AlreadyExists if a row with the key exists. */
  async insert(row: z.infer<S>): Promise<void> {
    await this.write(this.validate(row), "insert");
  }

  private async write(row: z.infer<S>, mode: "upsert" | "insert"): Promise<void> {
    const pk = this.pkValues(row);
    const key = this.rowKey(pk);
    const body = utf8.encode(JSON.stringify(row));
    if (body.length > MAX_ROW_BYTES) {
      throw new ApiError(
        "InvalidArgument",
        `a ${this.def.name} row is ${body.length} bytes; at most ${MAX_ROW_BYTES}`,
      );
    }
    const oldBytes = await this.tx.get(key);
    if (oldBytes !== null && mode === "insert") {
      throw new ApiError("AlreadyExists", `${this.def.name} ${JSON.stringify(pk)} already exists`);
    }
    const old = oldBytes === null ? null : this.decodeRow(oldBytes);
    for (const index of Object.keys(this.def.indexes) as I[]) {
      const next = this.indexKey(index, row, pk);
      const prev = old === null ? null : this.indexKey(index, old, pk);
      if (prev !== null && bytesEqual(prev, next)) continue;
      if (prev !== null) this.tx.delete(prev);
      if (this.def.indexes[index].unique) {
        const holder = await this.tx.get(next);
        if (holder !== null && !bytesEqual(holder, key)) {
          const fields = this.def.indexes[index].fields
            .map((f) => `${f}=${JSON.stringify(row[f])}`)
            .join(", ");
          throw new ApiError(
            "AlreadyExists",
            `${this.def.name}: another row already has ${fields} (unique index ${index})`,
          );
        }
      }
      this.tx.put(next, key);
    }
    this.tx.put(key, body);
  }

  /** Deletes the row and its index entries; false if there was none. */
  async delete(key: Partial<z.infer<S>>): Promise<boolean> {
    const pk = this.pkValues(key);
    const rk = this.rowKey(pk);
    const oldBytes = await this.tx.get(rk);
    if (oldBytes === null) return false;
    const old = this.decodeRow(oldBytes);
    for (const index of Object.keys(this.def.indexes) as I[]) this.tx.delete(this.indexKey(index, old, pk));
    this.tx.delete(rk);
    return true;
  }

  /** Rows in primary-key order (or reverse), a page at a time. */
  async scan(o: ScanRowsOptions): Promise<z.infer<S>[]> {
    const prefix = encodeTuple(["t", this.def.name, "r", ...(o.prefix ?? [])]);
    let start = prefix;
    let end = prefixEnd(prefix);
    if (o.after) {
      const cursor = this.rowKey(o.after);
      if (o.reverse) end = cursor;
      else start = keyAfter(cursor);
    }
    const pairs = await this.tx.scan(start, end, { limit: clampLimit(o.limit), reverse: o.reverse ?? false });
    return pairs.map(([, v]) => this.decodeRow(v));
  }

  /** Rows whose index fields start with `values`, in index order. */
  async lookup(
    index: I,
    values: readonly TupleValue[],
    o: { limit: number } = { limit: 100 },
  ): Promise<z.infer<S>[]> {
    const def = this.def.indexes[index];
    if (!def) throw new ApiError("InvalidArgument", `table ${this.def.name} has no index ${String(index)}`);
    if (values.length > def.fields.length) {
      throw new ApiError(
        "InvalidArgument",
        `index ${this.def.name}.${index} has ${def.fields.length} fields, got ${values.length} values`,
      );
    }
    const prefix = encodeTuple(["t", this.def.name, def.unique ? "u" : "i", index, ...values]);
    const entries = await this.tx.scan(prefix, prefixEnd(prefix), { limit: clampLimit(o.limit) });
    if (entries.length === 0) return [];
    const rows = await this.tx.batchGet(entries.map(([, rowKey]) => rowKey));
    const out: z.infer<S>[] = [];
    for (const b of rows) {
      // Index and row are written together, so a dangling entry means corruption.
      if (b === null)
        throw new ApiError("Internal", `index ${this.def.name}.${index} points at a missing row`);
      out.push(this.decodeRow(b));
    }
    return out;
  }
}

function clampLimit(n: number): number {
  if (!Number.isInteger(n) || n < 1)
    throw new ApiError("InvalidArgument", `limit must be a positive integer, got ${n}`);
  return Math.min(n, MAX_SCAN_LIMIT);
}

/** The operations of `table` inside transaction `tx`. */
export function tableIn<S extends z.ZodType<Record<string, unknown>>, I extends string>(
  table: TableDef<S, I>,
  tx: KvTransaction,
): TableOps<S, I> {
  return new TableOps(table, tx);
}
