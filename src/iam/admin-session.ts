// What `photon up` does for the operator once iam runs: logs the bootstrap admin in (so the
// CLI context and the admin-token file work at once) and says, once, what the password is.
import { statSync } from "node:fs";
import { bootstrapAdminPath, readBootstrapAdmin } from "./bootstrap.ts";
import { requestToken } from "./client.ts";

/** Taken before iam starts, to tell afterwards whether iam made a new admin. */
export function adminFileStamp(dataDir: string): number {
  return statSync(bootstrapAdminPath(dataDir), { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

export interface AdminSession {
  username: string;
  /** Set only when iam created the admin during this start: print it this once. */
  newPassword: string | undefined;
  passwordFile: string;
  accessToken: string | undefined;
  refreshToken: string | undefined;
  expiresIn: number | undefined;
  /** Why there is no token (e.g. the password was changed since bootstrap). */
  problem: string | undefined;
}

export async function adminSession(
  dataDir: string,
  iamUrl: string,
  stampBefore: number,
): Promise<AdminSession> {
  const passwordFile = bootstrapAdminPath(dataDir);
  const admin = readBootstrapAdmin(dataDir);
  if (!admin) {
    return {
      username: "admin",
      newPassword: undefined,
      passwordFile,
      accessToken: undefined,
      refreshToken: undefined,
      expiresIn: undefined,
      problem: `${passwordFile} is gone; run \`photon login\``,
    };
  }
  const fresh = adminFileStamp(dataDir) !== stampBefore;
  const base = { username: admin.username, newPassword: fresh ? admin.password : undefined, passwordFile };
  try {
    const t = await requestToken(iamUrl, {
      grant_type: "password",
      username: admin.username,
      password: admin.password,
      client_id: "photon-cli",
    });
    return {
      ...base,
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresIn: t.expires_in,
      problem: undefined,
    };
  } catch (e) {
    return {
      ...base,
      accessToken: undefined,
      refreshToken: undefined,
      expiresIn: undefined,
      problem: `the bootstrap password no longer works (${(e as Error).message}); run \`photon login\``,
    };
  }
}
