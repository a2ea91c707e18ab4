// iam's REST API: the resource routes of its kinds, passwords, service-account keys,
// whoami, POST /v1/authorize, the authz feed verifiers replicate, the audit log and key rotation.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { resourceRoutes } from "../core/api/resource-routes.ts";
import { type AnyRoute, defineRoute } from "../core/api/route.ts";
import { ApiError } from "../core/errors.ts";
import { nameSchema, projectSchema } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import {
  authorizeRequestSchema,
  builtinRoles,
  clusterRoleBindingKind,
  decisionSchema,
  groupKind,
  organizationKind,
  projectKind,
  revocationKind,
  roleBindingKind,
  roleKind,
  serviceAccountKind,
  userKind,
} from "./api.ts";
import type { AuditLog } from "./audit-log.ts";
import { openAuthzFeed } from "./authz-feed.ts";
import type { AuthzState } from "./authz-state.ts";
import { formatResume, parseResume, resumeSchema } from "./feed-resume.ts";
import { internalKinds, resourceOf, type ServiceAccountKeySpec } from "./internal-kinds.ts";
import { hashPassword, passwordLimits, type ScryptCost, verifyPassword } from "./password-hash.ts";
import type { SigningKeys } from "./signing-keys.ts";
import type { TokenService } from "./token-service.ts";
import type { Verifier } from "./verifier.ts";

const tags = ["iam"];
/** Heartbeat on the authz feed, so a verifier notices a dead stream quickly. */
export const feedHeartbeatMs = 5000;
/** Keys per service account. */
export const maxKeysPerServiceAccount = 10;

const passwordSchema = z
  .string()
  .min(passwordLimits.minLength, `a password needs at least ${passwordLimits.minLength} characters`)
  .max(passwordLimits.maxLength);
const publicJwkSchema = z
  .object({ kty: z.enum(["OKP", "EC", "RSA"]), alg: z.string().max(16).optional() })
  .passthrough()
  .refine((j) => !("d" in j), "send the public key only (no 'd')");

export interface IamRouteDeps {
  store: ResourceStore;
  tokens: TokenService;
  keys: SigningKeys;
  state: () => AuthzState;
  verifier: Verifier;
  audit: AuditLog;
  scrypt: ScryptCost;
  /** Open authz feed streams, ended by the server on shutdown (they never finish on their own). */
  openFeeds: Set<() => void>;
  /** Random per iam process: a feed resumes only within the history it names. */
  feedEpoch: string;
}

export function iamRoutes(d: IamRouteDeps): AnyRoute[] {
  const { store, tokens } = d;
  const roleExists = async (role: string) => {
    if (builtinRoles[role]) return;
    if (!(await store.get({ kind: "Role", name: role })))
      throw new ApiError(
        "InvalidArgument",
        `role "${role}" does not exist; built in: ${Object.keys(builtinRoles).join(", ")}`,
      );
  };
  const setPassword = async (user: string, password: string) => {
    const passwordHash = await hashPassword(password, d.scrypt);
    const existing = await store.get({ kind: internalKinds.userCredential, name: user });
    if (existing) await store.update({ ...existing, spec: { passwordHash } });
    else await store.create(resourceOf(internalKinds.userCredential, user, { passwordHash }));
  };
  const saParams = z.strictObject({ project: projectSchema, name: nameSchema });
  const saKeys = async (project: string, sa: string) =>
    (await store.list(internalKinds.serviceAccountKey, project, { limit: 1000 })).items.filter(
      (k) => (k.spec as ServiceAccountKeySpec).serviceAccount === sa,
    );
  const keyView = (k: { metadata: { name: string; project?: string; createdAt: string }; spec: unknown }) => {
    const s = k.spec as ServiceAccountKeySpec;
    return {
      keyId: k.metadata.name,
      serviceAccount: s.serviceAccount,
      clientId: `${k.metadata.project}/${s.serviceAccount}`,
      type: s.type,
      createdAt: k.metadata.createdAt,
      ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}),
      ...(s.publicJwk ? { publicJwk: s.publicJwk } : {}),
    };
  };

  return [
    ...resourceRoutes(organizationKind, store),
    ...resourceRoutes(projectKind, store),
    ...resourceRoutes(userKind, store, {
      beforeDelete: async (u) => {
        await tokens.revokeSubject(`user:${u.metadata.name}`);
        await store
          .delete({ kind: internalKinds.userCredential, name: u.metadata.name })
          .catch(() => undefined);
      },
    }),
    ...resourceRoutes(groupKind, store),
    ...resourceRoutes(serviceAccountKind, store, {
      beforeDelete: async (sa) => {
        for (const k of await saKeys(sa.metadata.project!, sa.metadata.name))
          await store.delete({
            kind: internalKinds.serviceAccountKey,
            project: sa.metadata.project,
            name: k.metadata.name,
          });
        await tokens.revokeSubject(`serviceaccount:${sa.metadata.project}/${sa.metadata.name}`);
      },
    }),
    ...resourceRoutes(roleKind, store, {
      validate: (_spec, obj) => {
        if (builtinRoles[obj.metadata.name])
          throw new ApiError(
            "FailedPrecondition",
            `role "${obj.metadata.name}" is built in and cannot be changed`,
          );
      },
      beforeDelete: (obj) => {
        if (builtinRoles[obj.metadata.name])
          throw new ApiError(
            "FailedPrecondition",
            `role "${obj.metadata.name}" is built in and cannot be deleted`,
          );
      },
    }),
    ...resourceRoutes(roleBindingKind, store, { validate: (spec) => roleExists(spec.role) }),
    ...resourceRoutes(clusterRoleBindingKind, store, { validate: (spec) => roleExists(spec.role) }),
    ...resourceRoutes(revocationKind, store).filter((r) => r.method === "GET"),
    defineRoute({
      method: "PUT",
      path: "/v1/users/{name}/password",
      summary: "Set a user's password (ends the user's current sessions)",
      tags,
      params: z.strictObject({ name: nameSchema }),
      body: z.strictObject({ password: passwordSchema }),
      successStatus: 204,
      permission: "iam.users.update",
      handler: async ({ params, body }) => {
        if (!(await store.get({ kind: "User", name: params.name })))
          throw new ApiError("NotFound", `User "${params.name}" not found`);
        await setPassword(params.name, body.password);
        await tokens.revokeSubject(`user:${params.name}`);
        return undefined;
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/self/password",
      summary: "Change your own password",
      tags,
      body: z.strictObject({
        currentPassword: z.string().max(passwordLimits.maxLength),
        newPassword: passwordSchema,
      }),
      successStatus: 204,
      permission: "iam.self.update",
      handler: async ({ principal, body }) => {
        if (!principal.subject.startsWith("user:"))
          throw new ApiError("FailedPrecondition", "only users have passwords");
        const user = principal.subject.slice(5);
        const cred = await store.get({ kind: internalKinds.userCredential, name: user });
        if (
          !cred ||
          !(await verifyPassword(body.currentPassword, (cred.spec as { passwordHash: string }).passwordHash))
        ) {
          throw new ApiError("PermissionDenied", "the current password is wrong");
        }
        await setPassword(user, body.newPassword);
        return undefined;
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/self",
      summary: "Who am I: the caller's subject, groups and role bindings",
      tags,
      permission: "iam.self.get",
      handler: ({ principal }) => {
        const state = d.state();
        return {
          subject: principal.subject,
          name: principal.name,
          groups: state.groupsOf(principal.subject),
          bindings: state.bindingsOf(principal.subject).map((b) => ({
            id: b.id,
            principal: b.principal,
            role: b.role,
            scope: b.scope,
            ...(b.conditions ? { conditions: b.conditions } : {}),
          })),
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/projects/{project}/serviceaccounts/{name}/keys",
      summary: "List a service account's keys (never their secrets)",
      tags,
      params: saParams,
      permission: "iam.serviceaccountkeys.list",
      handler: async ({ params }) => ({ items: (await saKeys(params.project, params.name)).map(keyView) }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/serviceaccounts/{name}/keys",
      summary:
        "Create an API key (the secret is shown once) or register a public key for JWT client assertions",
      tags,
      params: saParams,
      body: z.discriminatedUnion("type", [
        z.strictObject({
          type: z.literal("secret"),
          expiresInSeconds: z
            .number()
            .int()
            .min(60)
            .max(5 * 365 * 86_400)
            .optional(),
        }),
        z.strictObject({
          type: z.literal("jwk"),
          publicJwk: publicJwkSchema,
          expiresInSeconds: z
            .number()
            .int()
            .min(60)
            .max(5 * 365 * 86_400)
            .optional(),
        }),
      ]),
      successStatus: 201,
      permission: "iam.serviceaccountkeys.create",
      handler: async ({ params, body }) => {
        if (!(await store.get({ kind: "ServiceAccount", project: params.project, name: params.name }))) {
          throw new ApiError(
            "NotFound",
            `ServiceAccount "${params.name}" in project "${params.project}" not found`,
          );
        }
        if ((await saKeys(params.project, params.name)).length >= maxKeysPerServiceAccount) {
          throw new ApiError(
            "FailedPrecondition",
            `a service account holds at most ${maxKeysPerServiceAccount} keys; delete an old one first`,
          );
        }
        const keyId = `k-${randomBytes(8).toString("hex")}`;
        const secret = randomBytes(32).toString("base64url");
        const expiresAt = body.expiresInSeconds
          ? Math.floor(Date.now() / 1000) + body.expiresInSeconds
          : undefined;
        const spec: ServiceAccountKeySpec =
          body.type === "secret"
            ? {
                serviceAccount: params.name,
                type: "secret",
                secretHash: createHash("sha256").update(secret).digest("hex"),
                ...(expiresAt ? { expiresAt } : {}),
              }
            : {
                serviceAccount: params.name,
                type: "jwk",
                publicJwk: { ...body.publicJwk, kid: keyId },
                ...(expiresAt ? { expiresAt } : {}),
              };
        const obj = await store.create(
          resourceOf(internalKinds.serviceAccountKey, keyId, spec, params.project),
        );
        return {
          ...keyView(obj),
          ...(body.type === "secret" ? { clientSecret: `phs.${keyId}.${secret}` } : {}),
        };
      },
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/projects/{project}/serviceaccounts/{name}/keys/{keyId}",
      summary: "Delete a service-account key (tokens it already obtained live until they expire)",
      tags,
      params: z.strictObject({
        project: projectSchema,
        name: nameSchema,
        keyId: z.string().regex(/^k-[0-9a-f]{16}$/, "a key id looks like k-0123456789abcdef"),
      }),
      permission: "iam.serviceaccountkeys.delete",
      handler: async ({ params }) => {
        const k = await store.get({
          kind: internalKinds.serviceAccountKey,
          project: params.project,
          name: params.keyId,
        });
        if (!k || (k.spec as ServiceAccountKeySpec).serviceAccount !== params.name)
          throw new ApiError("NotFound", `key ${params.keyId} of ${params.project}/${params.name} not found`);
        await store.delete({
          kind: internalKinds.serviceAccountKey,
          project: params.project,
          name: params.keyId,
        });
        return keyView(k);
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/authorize",
      summary:
        "Decide whether a principal (the caller by default) may do something to a resource, with the reason",
      tags,
      body: authorizeRequestSchema,
      response: decisionSchema,
      permission: "iam.self.get",
      handler: ({ principal, body }) => {
        const subject = body.principal ?? principal.subject;
        if (subject !== principal.subject) {
          const may = d.verifier.decide(principal.subject, "iam.decisions.create", {});
          if (!may.allowed)
            throw new ApiError(
              "PermissionDenied",
              `checking another principal's access needs iam.decisions.create: ${may.reason}`,
            );
        }
        return d.verifier.decide(subject, body.permission, body.resource);
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/authz/watch",
      summary:
        "The authz feed verifiers replicate: NDJSON snapshot (or, with epoch and resume, only the changes since), SYNCED, then live changes",
      tags,
      query: z.strictObject({
        /** The epoch of the SYNCED line the verifier last saw. */
        epoch: z.string().max(64).optional(),
        /** Per kind, the last revision the verifier has seen (`Kind:revision,…`). */
        resume: resumeSchema.optional(),
      }),
      permission: "iam.authz.watch",
      timeoutMs: 0,
      handler: async (ctx) => {
        const resumeFrom =
          ctx.query.resume && ctx.query.epoch === d.feedEpoch ? parseResume(ctx.query.resume) : undefined;
        const res = ctx.reply.raw;
        const lines: string[] = [];
        let started = false;
        const send = (line: unknown) => {
          const s = `${JSON.stringify(line)}\n`;
          if (started) res.write(s);
          else lines.push(s);
        };
        const feed = await openAuthzFeed(
          store,
          {
            event: (e, revision) => send(revision === undefined ? e : { ...e, revision }),
            synced: (revisions) =>
              send({ type: "SYNCED", epoch: d.feedEpoch, resume: formatResume(revisions) }),
            resumed: () => send({ type: "RESUMED" }),
            error: (err) => {
              send({ type: "ERROR", error: { message: err.message } });
              res.end();
            },
          },
          resumeFrom,
        );
        ctx.reply.hijack();
        res.writeHead(200, {
          "content-type": "application/x-ndjson",
          "x-request-id": ctx.requestId,
          "cache-control": "no-store",
        });
        started = true;
        // The snapshot went out in one go; write it in chunks so a big one does not hold one huge string.
        for (let i = 0; i < lines.length; i += 1000) res.write(lines.slice(i, i + 1000).join(""));
        const heartbeat = setInterval(() => send({ type: "BOOKMARK" }), feedHeartbeatMs);
        const stop = () => {
          clearInterval(heartbeat);
          feed.close();
          d.openFeeds.delete(end);
        };
        const end = () => {
          stop();
          res.end();
        };
        d.openFeeds.add(end);
        res.once("close", stop);
        ctx.signal.addEventListener("abort", stop, { once: true });
        return undefined;
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/audit",
      summary: "Recent write decisions and denials made by iam itself (newest first)",
      tags,
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        subject: z.string().max(140).optional(),
        project: projectSchema.optional(),
        allowed: z.enum(["true", "false"]).optional(),
      }),
      permission: "iam.audit.list",
      handler: ({ query }) => ({
        items: d.audit.list(query.limit, {
          ...(query.subject ? { subject: query.subject } : {}),
          ...(query.project ? { project: query.project } : {}),
          ...(query.allowed ? { allowed: query.allowed === "true" } : {}),
        }),
      }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/signingkeys/rotate",
      summary: "Rotate the token-signing key now (tokens signed by the old key verify until they expire)",
      tags,
      permission: "iam.signingkeys.update",
      handler: async () => ({
        kid: await d.keys.rotateNow(),
        keys: d.keys
          .publicKeys()
          .map((k) => ({ kid: k.kid, activeFrom: k.activeFrom, retireAt: k.retireAt, removeAt: k.removeAt })),
      }),
    }),
  ];
}
