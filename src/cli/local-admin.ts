// The local admin credential of a single-node cloud: a random token in a 0600 file in the
// data dir, made once and kept across restarts.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const adminTokenFile = (dataDir: string) => join(dataDir, "admin-token");

export function ensureAdminToken(dataDir: string): { token: string; created: boolean; path: string } {
  const path = adminTokenFile(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (existsSync(path)) return { token: readFileSync(path, "utf8").trim(), created: false, path };
  const token = `pht_${randomBytes(32).toString("base64url")}`;
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
  return { token, created: true, path };
}
