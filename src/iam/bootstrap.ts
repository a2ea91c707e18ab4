// What a new cloud needs before anyone can log in: the built-in roles, the first cluster
// admin (its password written once to a 0600 file in the data dir) and the service accounts
// PhotonCloud's own components authenticate as — one per role, with only the permissions its
// calls need (component-accounts.ts) — each API key in its own 0600 file.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import { isApiError } from "../core/errors.ts";
import type { AnyResource } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import { builtinRoles } from "./api.ts";
import { componentCalls, componentRoleName } from "./component-accounts.ts";
import { internalKinds, resourceOf, type ServiceAccountKeySpec } from "./internal-kinds.ts";
import { hashPassword, type ScryptCost } from "./password-hash.ts";

export const bootstrapAdminUser = "admin";
export const systemProject = "system";
export const systemServiceAccount = "photon-components";

export const bootstrapAdminPath = (dataDir: string) => join(dataDir, "iam", "bootstrap-admin.json");
export const systemCredentialsPath = (dataDir: string) => join(dataDir, "iam", "system-credentials.json");
/** The API key of one role's own service account, `system/<role>`. */
export const componentCredentialsPath = (dataDir: string, role: string) =>
  join(dataDir, "iam", "components", `${role}.json`);

export const bootstrapAdminSchema = z.object({ username: z.string(), password: z.string() });
export const systemCredentialsSchema = z.object({ clientId: z.string(), clientSecret: z.string() });
export type SystemCredentials = z.infer<typeof systemCredentialsSchema>;

function writeSecretFile(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  rmSync(path, { force: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600, flag: "wx" });
}

async function ensure(store: ResourceStore, obj: AnyResource): Promise<boolean> {
  const key = { kind: obj.kind, project: obj.metadata.project, name: obj.metadata.name };
  const cur = await store.get(key);
  if (cur) {
    if (JSON.stringify(cur.spec) === JSON.stringify(obj.spec)) return false;
    await store.update({ ...cur, spec: obj.spec });
    return true;
  }
  try {
    await store.create(obj);
    return true;
  } catch (e) {
    if (isApiError(e) && e.code === "AlreadyExists") return false;
    throw e;
  }
}

export interface BootstrapResult {
  adminCreated: boolean;
  systemCredentials: SystemCredentials;
}

export async function bootstrap(
  store: ResourceStore,
  dataDir: string,
  scrypt: ScryptCost,
  log: Logger,
): Promise<BootstrapResult> {
  for (const [name, spec] of Object.entries(builtinRoles)) {
    await ensure(store, resourceOf("Role", name, spec));
  }

  // The first admin: only when none was ever made (its binding is the marker).
  let adminCreated = false;
  if (!(await store.get({ kind: "ClusterRoleBinding", name: "bootstrap-admin" }))) {
    const password = randomBytes(18).toString("base64url");
    await ensure(
      store,
      resourceOf("User", bootstrapAdminUser, { displayName: "bootstrap admin", disabled: false }),
    );
    const passwordHash = await hashPassword(password, scrypt);
    const cred = await store.get({ kind: internalKinds.userCredential, name: bootstrapAdminUser });
    if (cred) await store.update({ ...cred, spec: { passwordHash } });
    else await store.create(resourceOf(internalKinds.userCredential, bootstrapAdminUser, { passwordHash }));
    await store.create(
      resourceOf("ClusterRoleBinding", "bootstrap-admin", {
        principal: `user:${bootstrapAdminUser}`,
        role: "cluster-admin",
        scope: { type: "cluster" },
      }),
    );
    writeSecretFile(bootstrapAdminPath(dataDir), { username: bootstrapAdminUser, password });
    adminCreated = true;
    log.info(
      { file: bootstrapAdminPath(dataDir) },
      "bootstrap cluster admin created; its password is in the file",
    );
  }

  await ensure(store, resourceOf("Project", systemProject, { displayName: "PhotonCloud's own components" }));
  await ensure(
    store,
    resourceOf(
      "ServiceAccount",
      systemServiceAccount,
      {
        description: "PhotonCloud components calling each other and replicating authz data",
        disabled: false,
      },
      systemProject,
    ),
  );
  await ensure(
    store,
    resourceOf("ClusterRoleBinding", "photon-system", {
      principal: `serviceaccount:${systemProject}/${systemServiceAccount}`,
      role: "photon-system",
      scope: { type: "cluster" },
    }),
  );
  const systemCredentials = await ensureKey(store, systemCredentialsPath(dataDir), systemServiceAccount);

  for (const role of Object.keys(componentCalls)) {
    await ensure(
      store,
      resourceOf(
        "ServiceAccount",
        role,
        { description: `PhotonCloud's ${role}: its calls to other components`, disabled: false },
        systemProject,
      ),
    );
    await ensure(
      store,
      resourceOf("ClusterRoleBinding", componentRoleName(role), {
        principal: `serviceaccount:${systemProject}/${role}`,
        role: componentRoleName(role),
        scope: { type: "cluster" },
      }),
    );
    await ensureKey(store, componentCredentialsPath(dataDir, role), role);
  }
  return { adminCreated, systemCredentials };
}

/**
 * The API key of service account `system/<serviceAccount>`: reuses the one in the file while
 * the store still knows it; otherwise makes a new one and writes the file (0600).
 */
async function ensureKey(
  store: ResourceStore,
  path: string,
  serviceAccount: string,
): Promise<SystemCredentials> {
  if (existsSync(path)) {
    const parsed = systemCredentialsSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    const keyId = parsed.success ? parsed.data.clientSecret.split(".")[1] : undefined;
    const secret = parsed.success ? parsed.data.clientSecret.split(".")[2] : undefined;
    const key = keyId
      ? await store.get({ kind: internalKinds.serviceAccountKey, project: systemProject, name: keyId })
      : undefined;
    if (
      parsed.success &&
      key &&
      secret &&
      (key.spec as ServiceAccountKeySpec).serviceAccount === serviceAccount &&
      (key.spec as ServiceAccountKeySpec).secretHash === createHash("sha256").update(secret).digest("hex")
    )
      return parsed.data;
  }
  const keyId = `k-${randomBytes(8).toString("hex")}`;
  const secret = randomBytes(32).toString("base64url");
  const spec: ServiceAccountKeySpec = {
    serviceAccount,
    type: "secret",
    secretHash: createHash("sha256").update(secret).digest("hex"),
  };
  await store.create(resourceOf(internalKinds.serviceAccountKey, keyId, spec, systemProject));
  const creds = {
    clientId: `${systemProject}/${serviceAccount}`,
    clientSecret: `phs.${keyId}.${secret}`,
  };
  writeSecretFile(path, creds);
  return creds;
}

export function readSystemCredentials(dataDir: string): SystemCredentials | undefined {
  return readCredentials(systemCredentialsPath(dataDir));
}

/** The credentials of `role`'s own service account, when iam made one for it. */
export function readComponentCredentials(dataDir: string, role: string): SystemCredentials | undefined {
  return readCredentials(componentCredentialsPath(dataDir, role));
}

function readCredentials(path: string): SystemCredentials | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = systemCredentialsSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  return parsed.success ? parsed.data : undefined;
}

export function readBootstrapAdmin(dataDir: string): z.infer<typeof bootstrapAdminSchema> | undefined {
  const path = bootstrapAdminPath(dataDir);
  if (!existsSync(path)) return undefined;
  const parsed = bootstrapAdminSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  return parsed.success ? parsed.data : undefined;
}
