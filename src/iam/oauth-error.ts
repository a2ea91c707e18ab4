// OAuth 2.0 errors (RFC 6749 §5.2) keep the protocol's own shape, so OAuth clients read them.
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "temporarily_unavailable";

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = error === "invalid_client" ? 401 : 400,
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
  }

  toBody() {
    return { error: this.error, error_description: this.description };
  }
}
