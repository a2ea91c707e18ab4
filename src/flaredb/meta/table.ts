// Table definitions: a zod schema for the rows, the primary-key fields (their order is the
// rows' order), and secondary indexes (unique or not) kept in the same transaction as the row.

import type { z } from "zod";
import { ApiError } from "../../core/errors.ts";
import type { TupleValue } from "./tuple-codec.ts";

export interface IndexDef<Row> {
  readonly fields: readonly (keyof Row & string)[];
  /** At most one row per index value: a second one is AlreadyExists. */
  readonly unique?: boolean;
}

export interface TableDef<S extends z.ZodType<Record<string, unknown>>, I extends string = string> {
  /** Unique within the keyspace of the metadata layer; part of every key of the table. */
  readonly name: string;
  readonly schema: S;
  readonly primaryKey: readonly (keyof z.infer<S> & string)[];
  readonly indexes: { readonly [name in I]: IndexDef<z.infer<S>> };
}

export type RowOf<T> = T extends TableDef<infer S, string> ? z.infer<S> : never;

/** Largest encoded row (JSON) and the most index entries one row may have. */
export const MAX_ROW_BYTES = 512 * 1024;
export const MAX_INDEXES_PER_TABLE = 16;

const NAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,62}$/;

export function defineTable<S extends z.ZodType<Record<string, unknown>>, I extends string = never>(def: {
  name: string;
  schema: S;
  primaryKey: readonly (keyof z.infer<S> & string)[];
  indexes?: { [name in I]: IndexDef<z.infer<S>> };
}): TableDef<S, I> {
  if (!NAME.test(def.name))
    throw new ApiError("InvalidArgument", `table name ${JSON.stringify(def.name)} must match ${NAME}`);
  if (def.primaryKey.length === 0)
    throw new ApiError("InvalidArgument", `table ${def.name} needs a primary key`);
  const indexes = (def.indexes ?? {}) as { [name in I]: IndexDef<z.infer<S>> };
  const names = Object.keys(indexes);
  if (names.length > MAX_INDEXES_PER_TABLE) {
    throw new ApiError(
      "InvalidArgument",
      `table ${def.name} has ${names.length} indexes; at most ${MAX_INDEXES_PER_TABLE}`,
    );
  }
  for (const n of names) {
    if (!NAME.test(n))
      throw new ApiError("InvalidArgument", `index name ${JSON.stringify(n)} must match ${NAME}`);
    if ((indexes as Record<string, IndexDef<unknown>>)[n]!.fields.length === 0) {
      throw new ApiError("InvalidArgument", `index ${def.name}.${n} needs at least one field`);
    }
  }
  return { name: def.name, schema: def.schema, primaryKey: def.primaryKey, indexes };
}

/** A row field as a key element; only scalars can be part of a key. */
export function keyValue(table: string, field: string, v: unknown): TupleValue {
  if (v === undefined) return null;
  if (
    v === null ||
    typeof v === "boolean" ||
    typeof v === "number" ||
    typeof v === "string" ||
    v instanceof Uint8Array
  ) {
    return v;
  }
  throw new ApiError(
    "InvalidArgument",
    `field ${table}.${field} is part of a key and must be a string, number, boolean, bytes or null`,
  );
}
