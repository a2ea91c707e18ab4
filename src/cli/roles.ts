// Every serving role of the photon binary, in the order `photon up` starts them.
import type { Role } from "../core/role.ts";
import { creditserviceRole } from "../creditservice/server.ts";
import { iamRole } from "../iam/server.ts";

// biome-ignore lint/suspicious/noExplicitAny: roles differ in their option types.
export const roles: Role<any>[] = [iamRole, creditserviceRole];

export const roleByName = (name: string) => roles.find((r) => r.name === name);
