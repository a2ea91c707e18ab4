// The project a command acts in: --project, else the CLI context's, else a clear error.
import { ApiError } from "../core/errors.ts";
import type { CliEnv } from "./cli-env.ts";

export function projectOf(env: CliEnv, given: string | undefined): string {
  const p = given ?? env.context().project;
  if (!p)
    throw new ApiError(
      "InvalidArgument",
      "which project? pass --project <name> (or set one in the CLI context)",
    );
  return p;
}
