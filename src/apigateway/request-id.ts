// Request ids for requests that arrive without one: a random per-process prefix and a
// counter, unique across gateway replicas without a random draw per request.
import { randomBytes } from "node:crypto";

export class RequestIds {
  private readonly prefix: string;
  private n = 0;

  constructor(random: (bytes: number) => Buffer = randomBytes) {
    this.prefix = random(9).toString("base64url");
  }

  next(): string {
    this.n = (this.n + 1) % Number.MAX_SAFE_INTEGER;
    return `${this.prefix}-${this.n.toString(36)}`;
  }
}
