// Fixtures shared by every ResourceStore test (memory, LMDB, chainfire).
import { ApiError } from "../../src/core/errors.ts";
import type { AnyResource } from "../../src/core/resource/model.ts";

/** A test object of kind Thing, as a client would send it (server-owned fields empty). */
export const thing = (
  name: string,
  spec: unknown = {},
  project = "p1",
  extra: Partial<AnyResource["metadata"]> = {},
): AnyResource => ({
  apiVersion: "test/v1",
  kind: "Thing",
  metadata: {
    name,
    project,
    uid: "",
    revision: 0,
    labels: {},
    annotations: {},
    createdAt: "",
    updatedAt: "",
    ...extra,
  },
  spec,
  status: {},
});

/** The error code a store call failed with, for assertions. */
export const code = (e: unknown) => (e instanceof ApiError ? e.code : String(e));
