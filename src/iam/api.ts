// iam's public contract: organizations, projects (the tenant boundary), users, groups, service
// accounts, roles and role bindings as resources; the OAuth2 token and authorization shapes.
import { z } from "zod";
import { defineKind } from "../core/resource/kind.ts";
import { labelsSchema, nameSchema } from "../core/resource/model.ts";
import { componentRoles, verifierPermissions } from "./component-accounts.ts";

export const iamApiVersion = "iam/v1";

/**
 * A permission is `<component>.<resource>.<verb>`; in a role each segment may be `*`
 * (`creditservice.*.*`, `*.quotas.get`), and `*` alone means `*.*.*`.
 */
const segment = /^([a-z][a-z0-9-]*|\*)$/;
export const permissionPatternSchema = z
  .string()
  .max(128)
  .refine((p) => p === "*" || (p.split(".").length === 3 && p.split(".").every((s) => segment.test(s))), {
    message:
      "a permission is <component>.<resource>.<verb>, each a lowercase word or *, e.g. creditservice.quotas.get or creditservice.*.*",
  });
export const permissionSchema = z
  .string()
  .max(128)
  .regex(
    /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/,
    "a permission is <component>.<resource>.<verb>, e.g. creditservice.quotas.get",
  );

/** `user:alice`, `group:devs`, `serviceaccount:<project>/<name>`. */
export const subjectSchema = z
  .string()
  .max(140)
  .regex(
    /^(user:[a-z0-9]([a-z0-9-]*[a-z0-9])?|group:[a-z0-9]([a-z0-9-]*[a-z0-9])?|serviceaccount:[a-z0-9]([a-z0-9-]*[a-z0-9])?\/[a-z0-9]([a-z0-9-]*[a-z0-9])?)$/,
    "a principal is user:<name>, group:<name> or serviceaccount:<project>/<name>",
  );

export const organizationKind = defineKind({
  component: "iam",
  apiVersion: iamApiVersion,
  kind: "Organization",
  plural: "organizations",
  scope: "cluster",
  spec: z.strictObject({ displayName: z.string().max(256).default("") }),
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "A group of projects with common administrators",
});

export const projectSpecSchema = z.strictObject({
  organization: nameSchema.optional(),
  displayName: z.string().max(256).default(""),
});
export type ProjectSpec = z.infer<typeof projectSpecSchema>;
export const projectKind = defineKind({
  component: "iam",
  apiVersion: iamApiVersion,
  kind: "Project",
  plural: "projects",
  scope: "cluster",
  spec: projectSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "The tenant boundary: every project-scoped resource of every component lives in one",
});

export const userSpecSchema = z.strictObject({
  displayName: z.string().max(256).default(""),
  email: z.string().max(256).optional(),
  /** A disabled user cannot log in, and its tokens stop working on every verifier. */
  disabled: z.boolean().default(false),
});
export type UserSpec = z.infer<typeof userSpecSchema>;
export const userKind = defineKind({
  component: "iam",
  apiVersion: iamApiVersion,
  kind: "User",
  plural: "users",
  scope: "cluster",
  spec: userSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "A person who logs in with a password (set with PUT /v1/users/{name}/password)",
});

export const groupSpecSchema = z.strictObject({
  /** Members as `user:<name>` or `serviceaccount:<project>/<name>`. */
  members: z
    .array(subjectSchema.refine((s) => !s.startsWith("group:"), "groups do not nest"))
    .max(10_000)
    .default([]),
});
export type GroupSpec = z.infer<typeof groupSpecSchema>;
export const groupKind = defineKind({
  component: "iam",
  apiVersion: iamApiVersion,
  kind: "Group",
  plural: "groups",
  scope: "cluster",
  spec: groupSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "A set of users and service accounts that role bindings can name as group:<name>",
});

export const serviceAccountSpecSchema = z.strictObject({
  description: z.string().max(1024).default(""),
  disabled: z.boolean().default(false),
});
export type ServiceAccountSpec = z.infer<typeof serviceAccountSpecSchema>;
export const serviceAccountKind = defineKind({
  component: "iam",
  apiVersion: iamApiVersion,
  kind: "ServiceAccount",
  plural: "serviceaccounts",
  scope: "project",
  spec: serviceAccountSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description:
    "A non-human identity of a project; authenticates with client_credentials (API key or signed JWT)",
});

export const roleSpecSchema = z.strictObject({
  description: z.string().max(1024).default(""),
  permissions: z.array(permissionPatternSchema).min(1).max(256),
  /** Taken back out of `permissions`: a role grants p when some permission matches and no exclusion does. */
  excluded: z.array(permissionPatternSchema).max(256).default([]),
});
export type RoleSpec = z.infer<typeof roleSpecSchema>;
export const roleKind = defineKind({
  component: "iam",
  apiVersion: iamApiVersion,
  kind: "Role",
  plural: "roles",
  scope: "cluster",
  spec: roleSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "A named set of permissions; cluster-admin, admin, editor and viewer are built in",
});

export const bindingConditionsSchema = z.strictObject({
  /** The binding applies only to resources whose name starts with this. */
  namePrefix: z.string().max(63).optional(),
  /** The binding applies only to resources carrying all these labels. */
  labels: labelsSchema.optional(),
});
export type BindingConditions = z.infer<typeof bindingConditionsSchema>;

const bindingCore = {
  principal: subjectSchema,
  role: nameSchema,
  conditions: bindingConditionsSchema.optional(),
};

/** Project-scoped: grants the role inside the binding's own project only. */
export const roleBindingSpecSchema = z.strictObject(bindingCore);
export type RoleBindingSpec = z.infer<typeof roleBindingSpecSchema>;
export const roleBindingKind = defineKind({
  component: "iam",
  apiVersion: iamApiVersion,
  kind: "RoleBinding",
  plural: "rolebindings",
  scope: "project",
  spec: roleBindingSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "Grants a role to a principal within one project",
});

export const clusterRoleBindingSpecSchema = z.strictObject({
  ...bindingCore,
  /** cluster: everywhere; org: every project of that organization. */
  scope: z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("cluster") }),
    z.strictObject({ type: z.literal("org"), org: nameSchema }),
  ]),
});
export type ClusterRoleBindingSpec = z.infer<typeof clusterRoleBindingSpecSchema>;
export const clusterRoleBindingKind = defineKind({
  component: "iam",
  apiVersion: iamApiVersion,
  kind: "ClusterRoleBinding",
  plural: "clusterrolebindings",
  scope: "cluster",
  spec: clusterRoleBindingSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "Grants a role to a principal across the cluster or across one organization's projects",
});

/** Entries of the replicated revocation list; names are `jti-…`, `sid-…` or `sub-…`. */
export const revocationSpecSchema = z.strictObject({
  type: z.enum(["token", "session", "subject"]),
  /** The jti, session (refresh-token family) id or subject revoked. */
  value: z.string().max(256),
  /** For subjects: tokens issued before this instant (epoch milliseconds, matched against iat_ms) are revoked. */
  issuedBeforeMs: z.number().int().optional(),
  /** After this (epoch seconds) no token it could match is valid anyway, so the entry is dropped. */
  expiresAt: z.number().int(),
});
export type RevocationSpec = z.infer<typeof revocationSpecSchema>;
export const revocationKind = defineKind({
  component: "iam",
  apiVersion: iamApiVersion,
  kind: "Revocation",
  plural: "revocations",
  scope: "cluster",
  spec: revocationSpecSchema,
  status: z.strictObject({}),
  initialStatus: () => ({}),
  description: "A revoked access token, session or subject, replicated to every verifier",
});

/** Public half of a token-signing key, as every verifier sees it. */
export const signingKeyPublicSchema = z.strictObject({
  kid: z.string(),
  alg: z.literal("EdDSA"),
  publicJwk: z.record(z.string(), z.unknown()),
  /** Epoch seconds: signs new tokens from here … */
  activeFrom: z.number().int(),
  /** … until here … */
  retireAt: z.number().int(),
  /** … and stays in the JWKS until every token it signed has expired. */
  removeAt: z.number().int(),
});
export type SigningKeyPublic = z.infer<typeof signingKeyPublicSchema>;

export const accessTokenClaimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number(),
  jti: z.string(),
  /** Refresh-token family (login session), so one revocation ends the whole session. */
  sid: z.string().optional(),
  name: z.string().optional(),
  /** Service accounts are confined to their own project. */
  project: z.string().optional(),
  client_id: z.string().optional(),
  /** Issue time in milliseconds: a revocation in the same second as a new login must not catch it. */
  iat_ms: z.number().optional(),
});
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const authorizeRequestSchema = z.strictObject({
  /** Whose access to check; the caller by default. Checking others needs iam.decisions.create. */
  principal: subjectSchema.optional(),
  permission: permissionSchema,
  resource: z
    .strictObject({
      project: nameSchema.optional(),
      name: z.string().max(253).optional(),
      labels: z.record(z.string(), z.string()).optional(),
    })
    .default({}),
});
export type AuthorizeRequest = z.infer<typeof authorizeRequestSchema>;

export const decisionSchema = z.object({ allowed: z.boolean(), reason: z.string() });

export const auditEntrySchema = z.object({
  at: z.string(),
  subject: z.string(),
  permission: z.string(),
  project: z.string().optional(),
  name: z.string().optional(),
  allowed: z.boolean(),
  reason: z.string(),
  verifier: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** The audience of every PhotonCloud access token. */
export const tokenAudience = "photoncloud";

/** Built-in roles; created at start, never changed or deleted through the API. */
export const builtinRoles: Record<string, RoleSpec> = {
  "cluster-admin": { description: "everything, everywhere", permissions: ["*"], excluded: [] },
  admin: {
    description: "everything within the scope it is bound in, including its role bindings",
    permissions: ["*"],
    excluded: [],
  },
  editor: {
    description: "read and write resources within its scope, but not role bindings or service-account keys",
    permissions: ["*.*.get", "*.*.list", "*.*.create", "*.*.update", "*.*.delete"],
    excluded: ["iam.rolebindings.*", "iam.clusterrolebindings.*", "iam.serviceaccountkeys.*", "iam.roles.*"],
  },
  viewer: {
    description: "read resources within its scope",
    permissions: ["*.*.get", "*.*.list"],
    excluded: [],
  },
  "photon-system": {
    description:
      "the shared account of PhotonCloud components without their own: verifying tokens (the authz feed), nothing more",
    permissions: [...verifierPermissions],
    excluded: [],
  },
  ...componentRoles,
};
