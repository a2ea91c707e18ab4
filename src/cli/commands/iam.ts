// `photon login`, `photon logout`, `photon whoami` and `photon iam …`: identities, projects,
// roles and bindings from the command line. Also renews the context's access token with its
// refresh token before any command runs, so a login lasts as long as its session.
import type { Command } from "commander";
import { ApiError } from "../../core/errors.ts";
import { HttpClient } from "../../core/http-client.ts";
import { IamClient, requestToken } from "../../iam/client.ts";
import { findConfigPath, readCliConfig, saveContextTokens } from "../cli-config.ts";
import type { CliEnv } from "../cli-env.ts";
import { print } from "../output.ts";

/** Renew the access token when it has less than this left. */
const renewBeforeSeconds = 60;

type GlobalOpts = { context?: string; configFile?: string };

function jwtExp(token: string): number | undefined {
  try {
    const p = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    return typeof p.exp === "number" ? p.exp : undefined;
  } catch {
    return undefined;
  }
}

/** Uses the context's refresh token when its access token is about to expire; quiet on any failure. */
async function renewIfExpiring(opts: GlobalOpts): Promise<void> {
  if (process.env.PHOTON_TOKEN) return;
  const path = findConfigPath(opts.configFile);
  let cfg: ReturnType<typeof readCliConfig>;
  try {
    cfg = readCliConfig(path);
  } catch {
    return;
  }
  const name = opts.context ?? cfg?.current;
  const ctx = name ? cfg?.contexts[name] : undefined;
  const iamUrl = ctx?.endpoints.iam ?? ctx?.endpoints.apigateway;
  if (!ctx?.token || !ctx.refreshToken || !iamUrl) return;
  const exp = jwtExp(ctx.token);
  if (exp !== undefined && exp - Date.now() / 1000 > renewBeforeSeconds) return;
  try {
    const t = await requestToken(iamUrl, {
      grant_type: "refresh_token",
      refresh_token: ctx.refreshToken,
      client_id: "photon-cli",
    });
    saveContextTokens(path, name, { token: t.access_token, refreshToken: t.refresh_token });
  } catch {
    // The command runs with what it has and gets a 401 that says `photon login`.
  }
}

async function readSecret(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    if (!fromStdin)
      throw new ApiError(
        "InvalidArgument",
        "no terminal to prompt for the password; pass --password-stdin and pipe it in",
      );
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    const line = text.split(/\r?\n/)[0] ?? "";
    if (!line) throw new ApiError("InvalidArgument", "--password-stdin: nothing on stdin");
    return line;
  }
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let value = "";
    const onData = (ch: string) => {
      for (const c of ch) {
        if (c === "\r" || c === "\n") {
          done();
          process.stderr.write("\n");
          return resolve(value);
        }
        if (c === "\u0003") {
          done();
          return reject(new ApiError("InvalidArgument", "cancelled"));
        }
        if (c === "\u007f") value = value.slice(0, -1);
        else value += c;
      }
    };
    const done = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on("data", onData);
  });
}

const nameOf = (x: { metadata: { name: string } }) => x.metadata.name;
type Row = { metadata: { name: string; project?: string; createdAt: string }; spec: Record<string, unknown> };

function parseLabels(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i <= 0) throw new ApiError("InvalidArgument", `"${p}" is not key=value`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerIam(program: Command, env: CliEnv): void {
  program.hook("preAction", async () => renewIfExpiring(program.opts<GlobalOpts>()));
  const iam = () => new IamClient(env.client("iam"));
  const iamUrl = () => {
    const ctx = env.context();
    const url = ctx.endpoints.iam ?? ctx.endpoints.apigateway;
    if (!url)
      throw new ApiError(
        "FailedPrecondition",
        `context "${ctx.name}" has no iam endpoint; is iam running? (\`photon up\` starts it)`,
      );
    return url;
  };

  program
    .command("login")
    .description("log in to iam with a password; stores the access and refresh token in the CLI context")
    .option("-u, --username <name>", "user to log in as", "admin")
    .option("--password-stdin", "read the password from stdin (first line)")
    .action(async (o: { username: string; passwordStdin?: boolean }) => {
      const url = iamUrl();
      const password = await readSecret(`password for ${o.username}: `, o.passwordStdin === true);
      const t = await requestToken(url, {
        grant_type: "password",
        username: o.username,
        password,
        client_id: "photon-cli",
      });
      const g = program.opts<GlobalOpts>();
      const ctx = saveContextTokens(findConfigPath(g.configFile), g.context, {
        token: t.access_token,
        refreshToken: t.refresh_token,
      });
      const who = await new IamClient(new HttpClient({ baseUrl: url, token: t.access_token })).whoami();
      process.stdout.write(
        `logged in as ${who.subject} (context ${ctx}); the token renews itself for the session\n`,
      );
    });

  program
    .command("logout")
    .description("revoke the context's session and forget its tokens")
    .action(async () => {
      const g = program.opts<GlobalOpts>();
      const path = findConfigPath(g.configFile);
      const cfg = readCliConfig(path);
      const ctx = cfg?.contexts[g.context ?? cfg.current];
      // A context that knows only the gateway revokes through it (the token route is public there).
      const url = ctx?.endpoints.iam ?? ctx?.endpoints.apigateway;
      for (const token of [ctx?.refreshToken, ctx?.token]) {
        if (token && url)
          await fetch(`${url}/oauth/revoke`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ token }).toString(),
          }).catch(() => undefined);
      }
      saveContextTokens(path, g.context, {});
      process.stdout.write("logged out\n");
    });

  program
    .command("whoami")
    .description("show who the current context's token belongs to, and its role bindings")
    .action(async () => {
      const w = await iam().whoami();
      if (env.format() !== "table") return print(env.format(), w);
      process.stdout.write(
        `${w.subject} (${w.name})${w.groups.length ? `; groups: ${w.groups.join(", ")}` : ""}\n`,
      );
      type B = { id: string; role: string; scope: { type: string; org?: string; project?: string } };
      print("table", w.bindings as B[], [
        ["ROLE", (b: B) => b.role],
        [
          "SCOPE",
          (b: B) =>
            b.scope.type === "cluster" ? "cluster" : `${b.scope.type} ${b.scope.org ?? b.scope.project}`,
        ],
        ["BINDING", (b: B) => b.id],
      ]);
    });

  // `photon iam` alone runs the iam role; `photon iam <noun> <verb>` is the operator CLI.
  const root =
    program.commands.find((c) => c.name() === "iam") ??
    program.command("iam").description("identities, projects, roles and role bindings");

  const listCmd = (
    cmd: Command,
    plural: string,
    columns: Array<[string, (r: Row) => unknown]>,
    projectScoped = false,
  ) =>
    cmd
      .command("list")
      .description(`list ${plural}`)
      .option("-p, --project <project>", projectScoped ? "project (required)" : "unused")
      .action(async (o: { project?: string }) => {
        if (projectScoped && !o.project)
          throw new ApiError("InvalidArgument", `--project is required to list ${plural}`);
        const { items } = await iam().list(plural, projectScoped ? o.project : undefined, { limit: 1000 });
        print(env.format(), items, columns as never);
      });
  const deleteCmd = (cmd: Command, plural: string, projectScoped = false) =>
    cmd
      .command("delete <name>")
      .description(`delete one of the ${plural}`)
      .option("-p, --project <project>", "project (for project-scoped kinds)")
      .action(async (name: string, o: { project?: string }) => {
        if (projectScoped && !o.project) throw new ApiError("InvalidArgument", "--project is required");
        await iam().delete(plural, name, projectScoped ? o.project : undefined);
        process.stdout.write(`${plural} ${name} deleted\n`);
      });

  const users = root.command("users").description("people who log in with a password");
  listCmd(users, "users", [
    ["NAME", nameOf],
    ["DISPLAY NAME", (r) => r.spec.displayName],
    ["DISABLED", (r) => r.spec.disabled],
    ["CREATED", (r) => r.metadata.createdAt],
  ]);
  users
    .command("create <name>")
    .description("create a user; asks for a password (or --password-stdin)")
    .option("--display-name <text>", "shown name", "")
    .option("--email <address>", "e-mail address")
    .option("--password-stdin", "read the password from stdin")
    .option("--no-password", "create without a password (cannot log in yet)")
    .action(
      async (
        name: string,
        o: { displayName: string; email?: string; passwordStdin?: boolean; password: boolean },
      ) => {
        const password = o.password
          ? await readSecret(`password for ${name}: `, o.passwordStdin === true)
          : undefined;
        const c = iam();
        await c.create("users", name, {
          displayName: o.displayName,
          ...(o.email ? { email: o.email } : {}),
          disabled: false,
        });
        if (password) await c.setPassword(name, password);
        process.stdout.write(`user ${name} created${password ? " with a password" : ""}\n`);
      },
    );
  users
    .command("set-password <name>")
    .description("set a user's password (ends the user's sessions)")
    .option("--password-stdin", "read the password from stdin")
    .action(async (name: string, o: { passwordStdin?: boolean }) => {
      await iam().setPassword(name, await readSecret(`new password for ${name}: `, o.passwordStdin === true));
      process.stdout.write(`password of ${name} set\n`);
    });
  for (const [verb, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    users
      .command(`${verb} <name>`)
      .description(`${verb} a user (a disabled user's tokens stop working everywhere)`)
      .action(async (name: string) => {
        await iam().http.patch(`/v1/users/${name}`, { spec: { disabled } });
        process.stdout.write(`user ${name} ${verb}d\n`);
      });
  }
  deleteCmd(users, "users");

  const orgs = root.command("orgs").description("organizations: groups of projects");
  listCmd(orgs, "organizations", [
    ["NAME", nameOf],
    ["DISPLAY NAME", (r) => r.spec.displayName],
  ]);
  orgs
    .command("create <name>")
    .option("--display-name <text>", "shown name", "")
    .action(async (name: string, o: { displayName: string }) => {
      await iam().create("organizations", name, { displayName: o.displayName });
      process.stdout.write(`organization ${name} created\n`);
    });
  deleteCmd(orgs, "organizations");

  const projects = root.command("projects").description("projects: the tenant boundary");
  listCmd(projects, "projects", [
    ["NAME", nameOf],
    ["ORGANIZATION", (r) => r.spec.organization],
    ["DISPLAY NAME", (r) => r.spec.displayName],
  ]);
  projects
    .command("create <name>")
    .option("--org <organization>", "organization the project belongs to")
    .option("--display-name <text>", "shown name", "")
    .action(async (name: string, o: { org?: string; displayName: string }) => {
      await iam().create("projects", name, {
        displayName: o.displayName,
        ...(o.org ? { organization: o.org } : {}),
      });
      process.stdout.write(`project ${name} created\n`);
    });
  deleteCmd(projects, "projects");

  const groups = root.command("groups").description("groups of users and service accounts");
  listCmd(groups, "groups", [
    ["NAME", nameOf],
    ["MEMBERS", (r) => (r.spec.members as string[]).join(", ")],
  ]);
  groups
    .command("create <name>")
    .option(
      "-m, --member <subject>",
      "user:<name> or serviceaccount:<project>/<name> (repeatable)",
      collect,
      [],
    )
    .action(async (name: string, o: { member: string[] }) => {
      await iam().create("groups", name, { members: o.member });
      process.stdout.write(`group ${name} created\n`);
    });
  deleteCmd(groups, "groups");

  const rolesCmd = root
    .command("roles")
    .description("named permission sets (cluster-admin, admin, editor, viewer are built in)");
  listCmd(rolesCmd, "roles", [
    ["NAME", nameOf],
    ["PERMISSIONS", (r) => (r.spec.permissions as string[]).join(" ")],
    ["EXCLUDED", (r) => ((r.spec.excluded as string[]) ?? []).join(" ")],
  ]);
  rolesCmd
    .command("create <name>")
    .requiredOption(
      "--permission <pattern>",
      "<component>.<resource>.<verb>, * per segment (repeatable)",
      collect,
      [],
    )
    .option("--exclude <pattern>", "permission taken back out (repeatable)", collect, [])
    .option("--description <text>", "what the role is for", "")
    .action(async (name: string, o: { permission: string[]; exclude: string[]; description: string }) => {
      await iam().create("roles", name, {
        description: o.description,
        permissions: o.permission,
        excluded: o.exclude,
      });
      process.stdout.write(`role ${name} created\n`);
    });
  deleteCmd(rolesCmd, "roles");

  const bindings = root.command("bindings").description("role bindings: who has which role where");
  bindings
    .command("list")
    .description("list project bindings (--project) or cluster and organization bindings")
    .option("-p, --project <project>", "list this project's bindings")
    .action(async (o: { project?: string }) => {
      const { items } = await iam().list(o.project ? "rolebindings" : "clusterrolebindings", o.project, {
        limit: 1000,
      });
      type B = Row & {
        spec: {
          principal: string;
          role: string;
          scope?: { type: string; org?: string };
          conditions?: unknown;
        };
      };
      print(env.format(), items, [
        ["NAME", (r: B) => r.metadata.name],
        ["PRINCIPAL", (r: B) => r.spec.principal],
        ["ROLE", (r: B) => r.spec.role],
        [
          "SCOPE",
          (r: B) =>
            o.project
              ? `project ${o.project}`
              : r.spec.scope?.type === "org"
                ? `org ${r.spec.scope.org}`
                : "cluster",
        ],
        ["CONDITIONS", (r: B) => r.spec.conditions],
      ] as never);
    });
  bindings
    .command("create <name>")
    .description("grant a role: --project p (project scope), --org o, or --cluster")
    .requiredOption("--principal <subject>", "user:<name>, group:<name> or serviceaccount:<project>/<name>")
    .requiredOption("--role <role>", "role name")
    .option("-p, --project <project>", "bind within this project")
    .option("--org <organization>", "bind across this organization's projects")
    .option("--cluster", "bind across the whole cluster")
    .option("--name-prefix <prefix>", "only for resources whose name starts with this")
    .option("--label <key=value>", "only for resources with this label (repeatable)", collect, [])
    .action(
      async (
        name: string,
        o: {
          principal: string;
          role: string;
          project?: string;
          org?: string;
          cluster?: boolean;
          namePrefix?: string;
          label: string[];
        },
      ) => {
        if ([o.project, o.org, o.cluster].filter(Boolean).length !== 1)
          throw new ApiError(
            "InvalidArgument",
            "say where the role applies: exactly one of --project, --org or --cluster",
          );
        const labels = parseLabels(o.label);
        const conditions =
          o.namePrefix || labels
            ? { ...(o.namePrefix ? { namePrefix: o.namePrefix } : {}), ...(labels ? { labels } : {}) }
            : undefined;
        const core = { principal: o.principal, role: o.role, ...(conditions ? { conditions } : {}) };
        if (o.project) await iam().create("rolebindings", name, core, o.project);
        else
          await iam().create("clusterrolebindings", name, {
            ...core,
            scope: o.org ? { type: "org", org: o.org } : { type: "cluster" },
          });
        process.stdout.write(`binding ${name} created\n`);
      },
    );
  bindings
    .command("delete <name>")
    .option("-p, --project <project>", "the binding's project (omit for cluster and organization bindings)")
    .action(async (name: string, o: { project?: string }) => {
      await iam().delete(o.project ? "rolebindings" : "clusterrolebindings", name, o.project);
      process.stdout.write(`binding ${name} deleted\n`);
    });

  const sas = root
    .command("serviceaccounts")
    .alias("sa")
    .description("service accounts: non-human identities of a project");
  listCmd(
    sas,
    "serviceaccounts",
    [
      ["NAME", nameOf],
      ["PROJECT", (r) => r.metadata.project],
      ["DESCRIPTION", (r) => r.spec.description],
      ["DISABLED", (r) => r.spec.disabled],
    ],
    true,
  );
  sas
    .command("create <name>")
    .requiredOption("-p, --project <project>", "project")
    .option("--description <text>", "what it is for", "")
    .action(async (name: string, o: { project: string; description: string }) => {
      await iam().create("serviceaccounts", name, { description: o.description, disabled: false }, o.project);
      process.stdout.write(`service account ${o.project}/${name} created\n`);
    });
  deleteCmd(sas, "serviceaccounts", true);
  sas
    .command("create-key <name>")
    .description("create an API key; prints client_id and client_secret once")
    .requiredOption("-p, --project <project>", "project")
    .action(async (name: string, o: { project: string }) => {
      const k = await iam().createKey(o.project, name, { type: "secret" });
      print(env.format(), k, [
        ["KEY", (x: typeof k) => x.keyId],
        ["CLIENT ID", (x: typeof k) => x.clientId],
        ["CLIENT SECRET (shown once)", (x: typeof k) => x.clientSecret],
      ]);
    });

  root
    .command("authorize <permission>")
    .description("ask iam whether you (or --principal) may do something, and why")
    .option("-p, --project <project>", "the resource's project")
    .option("--name <name>", "the resource's name")
    .option("--principal <subject>", "someone else (needs iam.decisions.create)")
    .action(async (permission: string, o: { project?: string; name?: string; principal?: string }) => {
      const d = await iam().authorize(
        permission,
        { ...(o.project ? { project: o.project } : {}), ...(o.name ? { name: o.name } : {}) },
        o.principal,
      );
      print(env.format(), d, [
        ["ALLOWED", (x: typeof d) => x.allowed],
        ["REASON", (x: typeof d) => x.reason],
      ]);
    });

  root
    .command("audit")
    .description("recent write decisions and denials made by iam")
    .option("--limit <n>", "at most this many", (v) => Number(v), 50)
    .action(async (o: { limit: number }) => {
      const { items } = await iam().audit({ limit: o.limit });
      type A = (typeof items)[0];
      print(env.format(), items, [
        ["AT", (a: A) => a.at],
        ["SUBJECT", (a: A) => a.subject],
        ["PERMISSION", (a: A) => a.permission],
        ["PROJECT", (a: A) => a.project],
        ["ALLOWED", (a: A) => a.allowed],
        ["REASON", (a: A) => a.reason],
      ]);
    });

  root
    .command("rotate-keys")
    .description("rotate the token-signing key now (old tokens verify until they expire)")
    .action(async () => {
      const r = await iam().http.post<{ kid: string }>("/v1/signingkeys/rotate", {});
      process.stdout.write(`now signing with ${r.kid}\n`);
    });
}
