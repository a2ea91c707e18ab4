// An error while evaluating a query (Prometheus's errorType "execution", HTTP 422), or a bad
// argument found only at evaluation ("bad_data", 400).
export class QueryError extends Error {
  constructor(
    message: string,
    readonly kind: "execution" | "bad_data" = "execution",
  ) {
    super(message);
  }
}
