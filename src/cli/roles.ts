// Every serving role of the photon binary, in the order `photon up` starts them (the gateway
// last, so it finds every other component's routes).
import { apigatewayRole } from "../apigateway/server.ts";
import { chainfireRole } from "../chainfire/server.ts";
import type { Role } from "../core/role.ts";
import { coronafsRole, coronafsServerRole } from "../coronafs/server.ts";
import { creditserviceRole } from "../creditservice/server.ts";
import { flaredbPdRole, flaredbRole } from "../flaredb/server.ts";
import { flashdnsRole } from "../flashdns/server.ts";
import { iamRole } from "../iam/server.ts";
import { lightningstorRole } from "../lightningstor/server.ts";
import { nightlightRole } from "../nightlight/server.ts";
import { plasmavmcRole, plasmavmcWorkerRole } from "../plasmavmc/server.ts";

// biome-ignore lint/suspicious/noExplicitAny: roles differ in their option types.
export const roles: Role<any>[] = [
  chainfireRole,
  flaredbPdRole,
  flaredbRole,
  iamRole,
  creditserviceRole,
  lightningstorRole,
  coronafsServerRole,
  coronafsRole,
  plasmavmcRole,
  plasmavmcWorkerRole,
  nightlightRole,
  flashdnsRole,
  apigatewayRole,
];

export const roleByName = (name: string) => roles.find((r) => r.name === name);

/** The same names, for code that must not load every component (the CLI's fast path). */
export { roleNames } from "./role-names.ts";
