// What every operator command needs: the current context, an HTTP client per component and
// the output format, taken from the global flags.
import type { Command } from "commander";
import { ApiError } from "../core/errors.ts";
import { HttpClient } from "../core/http-client.ts";
import { currentContext, findConfigPath, type ResolvedContext } from "./cli-config.ts";
import type { OutputFormat } from "./output.ts";

export interface CliEnv {
  context(): ResolvedContext;
  client(component: string): HttpClient;
  format(): OutputFormat;
}

export function cliEnv(program: Command): CliEnv {
  const opts = () => program.opts<{ output: OutputFormat; context?: string; configFile?: string }>();
  let cached: ResolvedContext | undefined;
  const context = () => (cached ??= currentContext(findConfigPath(opts().configFile), opts().context));
  return {
    context,
    format: () => opts().output,
    client(component) {
      const ctx = context();
      const baseUrl = ctx.endpoints.apigateway ?? ctx.endpoints[component];
      if (!baseUrl) {
        throw new ApiError(
          "FailedPrecondition",
          `context "${ctx.name}" has no endpoint for ${component}; is that component running? (\`photon up\` starts every component)`,
        );
      }
      return new HttpClient({ baseUrl, token: ctx.token, timeoutMs: 30_000 });
    },
  };
}
