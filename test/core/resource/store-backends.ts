// The backends every store test runs against: the same behaviour is required of each.
import { LocalStore } from "../../../src/core/resource/local-store.ts";
import type { ResourceStore } from "../../../src/core/resource/store.ts";
import { tempDir } from "../../support/temp-dir.ts";

export interface Backend {
  name: string;
  open(opts?: { clock?: () => number }): {
    store: ResourceStore;
    reopen(): ResourceStore;
    cleanup(): Promise<void>;
  };
}

export const backends: Backend[] = [
  {
    name: "memory",
    open: (opts) => {
      const store = LocalStore.memory(opts);
      return {
        store,
        reopen: () => {
          throw new Error("memory backend does not persist");
        },
        cleanup: () => store.close(),
      };
    },
  },
  {
    name: "lmdb",
    open: (opts) => {
      const dir = tempDir("photon-store-");
      const opened: ResourceStore[] = [LocalStore.lmdb(dir.path, opts)];
      return {
        store: opened[0]!,
        reopen: () => {
          const s = LocalStore.lmdb(dir.path, opts);
          opened.push(s);
          return s;
        },
        cleanup: async () => {
          for (const s of opened) await s.close();
          dir.remove();
        },
      };
    },
  },
];
