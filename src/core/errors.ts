// The one error vocabulary of PhotonCloud (ARCHITECTURE.md): a stable code, the HTTP status
// it maps to, and a message a person can act on.

export const errorStatus = {
  InvalidArgument: 400,
  Unauthenticated: 401,
  PermissionDenied: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  FailedPrecondition: 412,
  PayloadTooLarge: 413,
  QuotaExceeded: 429,
  RateLimited: 429,
  Internal: 500,
  Unavailable: 503,
  DeadlineExceeded: 504,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

export function codeForStatus(status: number): ErrorCode {
  const hit = (Object.entries(errorStatus) as [ErrorCode, number][]).find(([, s]) => s === status);
  if (hit) return hit[0];
  return status >= 500 ? "Internal" : "InvalidArgument";
}
