// The OAuth2 / OIDC edge of iam: the token endpoint (password, client_credentials,
// refresh_token), introspection (RFC 7662), revocation (RFC 7009), discovery (RFC 8414 /
// OIDC) and the JWKS. Errors here use OAuth's own shape, which OAuth clients expect.
import type { FastifyReply } from "fastify";
import { z } from "zod";
import { type AnyRoute, defineRoute } from "../core/api/route.ts";
import { OAuthError } from "./oauth-error.ts";
import type { SigningKeys } from "./signing-keys.ts";
import type { ClientAuth, TokenService } from "./token-service.ts";

const tags = ["iam"];
const formLimitBytes = 16_384;
const field = z.string().min(1).max(8192);

const tokenRequestSchema = z.discriminatedUnion("grant_type", [
  z.object({
    grant_type: z.literal("password"),
    username: z.string().min(1).max(256),
    password: z.string().min(1).max(1024),
    client_id: field.optional(),
    scope: field.optional(),
  }),
  z.object({
    grant_type: z.literal("client_credentials"),
    client_id: field.optional(),
    client_secret: field.optional(),
    client_assertion_type: z.literal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer").optional(),
    client_assertion: field.optional(),
    scope: field.optional(),
  }),
  z.object({
    grant_type: z.literal("refresh_token"),
    refresh_token: field,
    client_id: field.optional(),
    scope: field.optional(),
  }),
]);

const tokenBodySchema = z
  .object({ token: field, token_type_hint: z.string().max(64).optional() })
  .passthrough();

function noStore(reply: FastifyReply): void {
  reply.header("cache-control", "no-store").header("pragma", "no-cache");
}

function sendOAuthError(reply: FastifyReply, e: OAuthError): undefined {
  noStore(reply);
  if (e.retryAfterSeconds) reply.header("retry-after", String(e.retryAfterSeconds));
  if (e.status === 401) reply.header("www-authenticate", 'Basic realm="photoncloud"');
  reply.code(e.status).type("application/json").send(e.toBody());
  return undefined;
}

/** RFC 6749 §2.3.1: client_id and client_secret in HTTP Basic, each form-urlencoded. */
function basicAuth(header: string | undefined): { clientId: string; secret: string } | undefined {
  const m = header && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, "base64").toString("utf8");
  const i = text.indexOf(":");
  if (i < 0) return undefined;
  try {
    return {
      clientId: decodeURIComponent(text.slice(0, i).replace(/\+/g, " ")),
      secret: decodeURIComponent(text.slice(i + 1).replace(/\+/g, " ")),
    };
  } catch {
    return undefined;
  }
}

export function oauthRoutes(tokens: TokenService, keys: SigningKeys, issuer: () => string): AnyRoute[] {
  const discovery = () => {
    const iss = issuer();
    return {
      issuer: iss,
      token_endpoint: `${iss}/oauth/token`,
      jwks_uri: `${iss}/.well-known/jwks.json`,
      introspection_endpoint: `${iss}/oauth/introspect`,
      revocation_endpoint: `${iss}/oauth/revoke`,
      grant_types_supported: ["password", "client_credentials", "refresh_token"],
      token_endpoint_auth_methods_supported: [
        "none",
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
      ],
      token_endpoint_auth_signing_alg_values_supported: ["EdDSA", "ES256", "RS256", "PS256"],
      response_types_supported: ["token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["EdDSA"],
      introspection_endpoint_auth_methods_supported: ["bearer"],
      revocation_endpoint_auth_methods_supported: ["none"],
      claims_supported: ["iss", "sub", "aud", "exp", "iat", "jti", "sid", "name", "client_id"],
    };
  };
  const jwks = () => ({ keys: keys.publicKeys().map((k) => k.publicJwk) });

  return [
    defineRoute({
      method: "POST",
      path: "/oauth/token",
      summary:
        "OAuth2 token endpoint: password, client_credentials (secret or private_key_jwt), refresh_token (form or JSON body)",
      tags,
      permission: "public",
      bodyLimitBytes: formLimitBytes,
      handler: async ({ body, request, reply }) => {
        try {
          const parsed = tokenRequestSchema.safeParse(body ?? {});
          if (!parsed.success) {
            const grant = (body as { grant_type?: unknown } | undefined)?.grant_type;
            if (
              typeof grant === "string" &&
              !["password", "client_credentials", "refresh_token"].includes(grant)
            ) {
              throw new OAuthError(
                "unsupported_grant_type",
                `grant_type ${grant} is not supported; use password, client_credentials or refresh_token`,
              );
            }
            throw new OAuthError(
              "invalid_request",
              `bad token request: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
            );
          }
          const r = parsed.data;
          noStore(reply);
          if (r.grant_type === "password") return await tokens.passwordGrant(r.username, r.password);
          if (r.grant_type === "refresh_token") return await tokens.refreshGrant(r.refresh_token);
          const basic = basicAuth(request.headers.authorization);
          const auth: ClientAuth = r.client_assertion
            ? { assertion: r.client_assertion, clientId: r.client_id }
            : { clientId: basic?.clientId ?? r.client_id, secret: basic?.secret ?? r.client_secret };
          return await tokens.clientCredentialsGrant(auth);
        } catch (e) {
          if (e instanceof OAuthError) return sendOAuthError(reply, e);
          throw e;
        }
      },
    }),
    defineRoute({
      method: "POST",
      path: "/oauth/introspect",
      summary: "Token introspection (RFC 7662) for resource servers that do not verify locally",
      tags,
      body: tokenBodySchema,
      permission: "iam.tokens.introspect",
      bodyLimitBytes: formLimitBytes,
      handler: async ({ body, reply }) => {
        noStore(reply);
        return tokens.introspect(body.token);
      },
    }),
    defineRoute({
      method: "POST",
      path: "/oauth/revoke",
      summary: "Token revocation (RFC 7009): an access token, or a refresh token and its whole session",
      tags,
      permission: "public",
      bodyLimitBytes: formLimitBytes,
      handler: async ({ body, reply }) => {
        const parsed = tokenBodySchema.safeParse(body ?? {});
        if (!parsed.success)
          return sendOAuthError(reply, new OAuthError("invalid_request", "send token=<the token to revoke>"));
        await tokens.revoke(parsed.data.token);
        noStore(reply);
        return {};
      },
    }),
    defineRoute({
      method: "GET",
      path: "/.well-known/openid-configuration",
      summary: "OpenID Connect discovery document",
      tags,
      permission: "public",
      handler: discovery,
    }),
    defineRoute({
      method: "GET",
      path: "/.well-known/oauth-authorization-server",
      summary: "OAuth 2.0 authorization server metadata (RFC 8414)",
      tags,
      permission: "public",
      handler: discovery,
    }),
    defineRoute({
      method: "GET",
      path: "/.well-known/jwks.json",
      summary: "The token-signing public keys (JWKS)",
      tags,
      permission: "public",
      handler: jwks,
    }),
    defineRoute({
      method: "GET",
      path: "/oauth/jwks",
      summary: "The token-signing public keys (JWKS), alias",
      tags,
      permission: "public",
      handler: jwks,
    }),
  ];
}
