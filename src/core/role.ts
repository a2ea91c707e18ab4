// A role is one serving component of the photon binary: `photon <role>` runs it alone and
// `photon up` runs every role in one process. Each declares its options once.
import type { Logger } from "pino";
import type { Authenticator, Authorizer } from "./api/auth.ts";
import type { ConfigOf, ConfigSpec } from "./config.ts";
import type { Lifecycle } from "./lifecycle.ts";
import type { ResourceStore } from "./resource/store.ts";

export interface RoleDeps {
  log: Logger;
  lifecycle: Lifecycle;
  /** How callers are authenticated and authorized (local admin token until iam runs). */
  auth: Authenticator & Authorizer;
  /** Token this role presents when it calls other components. */
  serviceToken: () => Promise<string | undefined>;
  /** Opens the resource store a role keeps its objects in (LMDB, memory or chainfire). */
  openStore: (role: string) => Promise<ResourceStore>;
  /** Where the other roles of this cloud are, by name (e.g. "creditservice" → base URL). */
  endpoints: Record<string, string>;
}

export interface RunningRole {
  /** What this role serves, for `photon up` to print: name → URL or address. */
  endpoints: Record<string, string>;
  close(): Promise<void>;
}

export interface Role<S extends ConfigSpec = ConfigSpec> {
  name: string;
  description: string;
  options: S;
  start(config: ConfigOf<S>, deps: RoleDeps): Promise<RunningRole>;
}

export function defineRole<S extends ConfigSpec>(role: Role<S>): Role<S> {
  return role;
}
