import type { Model } from "./linearizability.ts";

/**
 * The sequential specification of one key of the simulation's KV store, for the
 * linearizability checker. `output` is undefined for an indeterminate operation.
 */
export type KvOp =
  | { readonly key: string; readonly kind: "put"; readonly value: string; readonly output?: "ok" }
  | { readonly key: string; readonly kind: "get"; readonly output?: string | null }
  | {
      readonly key: string;
      readonly kind: "cas";
      readonly expected: string | null;
      readonly value: string;
      readonly output?: boolean;
    };

export const kvRegisterModel: Model<string | null, KvOp> = {
  init: null,
  step(state, op) {
    switch (op.kind) {
      case "put":
        return op.value;
      case "get":
        if (op.output === undefined) return state;
        return op.output === state ? state : undefined;
      case "cas": {
        const swaps = state === op.expected;
        if (op.output !== undefined && op.output !== swaps) return undefined;
        return swaps ? op.value : state;
      }
    }
  },
  stateKey(state) {
    return state === null ? "\u0000" : state;
  },
};

export function kvPartition(op: KvOp): string {
  return op.key;
}
