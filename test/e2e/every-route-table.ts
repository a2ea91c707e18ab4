// Valid inputs for every operation of the cloud's API, as CLI commands: the dedicated noun
// commands where they exist (`photon quota …`, `photon iam …`, `photon volume …`), `photon api
// call <operationId>` otherwise. One chain per component; the steps of a chain run in order
// (create before get, delete last), chains run side by side. every-route.slow.test.ts runs
// them all and fails when the live OpenAPI document has an operation no step names.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Step, Vars } from "./every-route-runner.ts";

const json = <T>(out: string) => JSON.parse(out) as T;

/** The standard operations of one resource kind, from its path (e.g. "V1ProjectsProjectZones"). */
function kindOps(base: string) {
  return {
    list: `get${base}`,
    create: `post${base}`,
    get: `get${base}Name`,
    put: `put${base}Name`,
    patch: `patch${base}Name`,
    del: `delete${base}Name`,
  };
}

/** `photon -o json api call <op> params… [--body json]`. */
export function call(
  op: string,
  params: string[],
  body?: unknown,
  expect?: Step["expect"],
  extra: Partial<Step> = {},
): Step {
  return {
    ops: [op],
    cmd: [
      "-o",
      "json",
      "api",
      "call",
      op,
      ...params,
      ...(body !== undefined ? ["--body", JSON.stringify(body)] : []),
    ],
    ...(expect ? { expect } : {}),
    ...extra,
  };
}

/** put, get and patch of one resource through `photon api call`; the patch must raise the revision. */
function getPutPatch(
  base: string,
  scope: string[],
  name: string,
  putSpec: Record<string, unknown>,
  patchSpec: Record<string, unknown>,
  shows: RegExp,
): Step[] {
  const k = kindOps(base);
  return [
    call(
      k.put,
      [...scope, `name=${name}`],
      { metadata: { name }, spec: putSpec },
      new RegExp(`"name": "${name}"`),
    ),
    call(k.get, [...scope, `name=${name}`], undefined, (out, v) => {
      assert.match(out, shows);
      v[`rev:${base}/${name}`] = String(json<{ metadata: { revision: number } }>(out).metadata.revision);
    }),
    call(k.patch, [...scope, `name=${name}`], { spec: patchSpec }, (out, v) => {
      const rev = json<{ metadata: { revision: number } }>(out).metadata.revision;
      assert.ok(rev > Number(v[`rev:${base}/${name}`]), `${k.patch} did not raise the revision`);
    }),
  ];
}

/** A whole lifecycle through `photon api call`: create, list, get, put, patch, delete, then NotFound. */
function lifecycle(
  base: string,
  scope: string[],
  name: string,
  spec: Record<string, unknown>,
  putSpec: Record<string, unknown>,
  patchSpec: Record<string, unknown>,
  shows: RegExp,
): Step[] {
  const k = kindOps(base);
  return [
    call(k.create, scope, { metadata: { name }, spec }, new RegExp(`"name": "${name}"`)),
    call(k.list, scope, undefined, new RegExp(`"name": "${name}"`)),
    ...getPutPatch(base, scope, name, putSpec, patchSpec, shows),
    call(k.del, [...scope, `name=${name}`]),
    { ...call(k.get, [...scope, `name=${name}`]), ops: [], fails: /NotFound/ },
  ];
}

const demo = ["project=demo"];
const passwords = { alice: "alice-password-1", alice2: "alice-password-2", alice3: "alice-password-3" };

/** A token of a CLI configuration file's current context. */
function tokenOf(configFile: string): string {
  const cfg = JSON.parse(readFileSync(configFile, "utf8")) as {
    current: string;
    contexts: Record<string, { token?: string }>;
  };
  const t = cfg.contexts[cfg.current]?.token;
  assert.ok(t, `no token in ${configFile}`);
  return t;
}

const iam: Step[] = [
  // Discovery, public: no token needed (the gateway lets them through without one).
  call("getWellKnownOpenidConfiguration", [], undefined, /"issuer"/),
  call("getWellKnownOauthAuthorizationServer", [], undefined, /"token_endpoint"/),
  call("getWellKnownJwksJson", [], undefined, /"keys"/),
  call("getOauthJwks", [], undefined, /"kty"/),
  { ops: ["getV1Self"], cmd: ["whoami"], expect: /user:admin/ },
  // Organizations and projects.
  {
    ops: ["postV1Organizations"],
    cmd: ["iam", "orgs", "create", "e2e-org", "--display-name", "E2E"],
    expect: /e2e-org/,
  },
  { ops: ["getV1Organizations"], cmd: ["iam", "orgs", "list"], expect: /e2e-org/ },
  ...getPutPatch(
    "V1Organizations",
    [],
    "e2e-org",
    { displayName: "E2E put" },
    { displayName: "E2E" },
    /"E2E put"/,
  ),
  { ops: ["postV1Projects"], cmd: ["iam", "projects", "create", "e2e", "--org", "e2e-org"], expect: /e2e/ },
  { ops: ["getV1Projects"], cmd: ["iam", "projects", "list"], expect: /e2e/ },
  ...getPutPatch(
    "V1Projects",
    [],
    "e2e",
    { organization: "e2e-org", displayName: "put" },
    { displayName: "End to end" },
    /"organization": "e2e-org"/,
  ),
  // Users; alice then logs in from her own CLI configuration and changes her password.
  {
    ops: ["postV1Users"],
    cmd: ["iam", "users", "create", "alice", "--email", "alice@example.com", "--password-stdin"],
    input: `${passwords.alice}\n`,
    expect: /alice/,
  },
  { ops: ["getV1Users"], cmd: ["iam", "users", "list"], expect: /alice/ },
  ...getPutPatch(
    "V1Users",
    [],
    "alice",
    { displayName: "Alice", email: "alice@example.com" },
    { displayName: "Alice A." },
    /alice@example\.com/,
  ),
  {
    ops: ["putV1UsersNamePassword"],
    cmd: ["iam", "users", "set-password", "alice", "--password-stdin"],
    input: `${passwords.alice2}\n`,
  },
  {
    ops: [],
    cmd: (v) => ["context", "add", "cloud", v.gateway!],
    configFile: (v) => v.aliceConfig!,
    expect: /context cloud added/,
  },
  {
    ops: ["postOauthToken", "getV1Self"],
    cmd: ["login", "-u", "alice", "--password-stdin"],
    input: `${passwords.alice2}\n`,
    configFile: (v) => v.aliceConfig!,
    expect: (out, v) => {
      assert.match(out, /logged in as user:alice/);
      v.aliceToken = tokenOf(v.aliceConfig!);
    },
  },
  {
    ...call("postV1SelfPassword", [], { currentPassword: passwords.alice2, newPassword: passwords.alice3 }),
    configFile: (v) => v.aliceConfig!,
  },
  { ops: ["postOauthRevoke"], cmd: ["logout"], configFile: (v) => v.aliceConfig!, expect: /logged out/ },
  {
    ops: ["postOauthIntrospect"],
    cmd: (v) => [
      "-o",
      "json",
      "api",
      "call",
      "postOauthIntrospect",
      "--body",
      JSON.stringify({ token: v.aliceToken }),
    ],
    expect: /"active": false/,
  },
  {
    ops: [],
    cmd: (v) => [
      "-o",
      "json",
      "api",
      "call",
      "postOauthIntrospect",
      "--body",
      JSON.stringify({ token: v.adminToken }),
    ],
    expect: /"active": true/,
  },
  call("getV1Revocations", [], undefined, (out, v) => {
    const items = json<{ items: Array<{ metadata: { name: string } }> }>(out).items;
    assert.ok(items.length >= 1, "alice's logout revoked nothing");
    v.revocation = items[0]!.metadata.name;
  }),
  {
    ops: ["getV1RevocationsName"],
    cmd: (v) => ["-o", "json", "api", "call", "getV1RevocationsName", `name=${v.revocation}`],
    expect: /"name"/,
  },
  // Groups, roles, bindings.
  {
    ops: ["postV1Groups"],
    cmd: ["iam", "groups", "create", "ops", "-m", "user:alice"],
    expect: /group ops created/,
  },
  { ops: ["getV1Groups"], cmd: ["iam", "groups", "list"], expect: /ops.*user:alice/ },
  ...getPutPatch("V1Groups", [], "ops", { members: [] }, { members: ["user:alice"] }, /"members": \[\]/),
  {
    ops: ["postV1Roles"],
    cmd: ["iam", "roles", "create", "e2e-reader", "--permission", "creditservice.quotas.get"],
    expect: /role e2e-reader created/,
  },
  { ops: ["getV1Roles"], cmd: ["iam", "roles", "list"], expect: /e2e-reader/ },
  ...getPutPatch(
    "V1Roles",
    [],
    "e2e-reader",
    { permissions: ["creditservice.quotas.get"], description: "put" },
    { description: "reads quotas" },
    /creditservice\.quotas\.get/,
  ),
  {
    ops: ["postV1ProjectsProjectRolebindings"],
    cmd: [
      "iam",
      "bindings",
      "create",
      "alice-reads",
      "--principal",
      "user:alice",
      "--role",
      "e2e-reader",
      "-p",
      "e2e",
    ],
    expect: /binding alice-reads created/,
  },
  {
    ops: ["getV1ProjectsProjectRolebindings"],
    cmd: ["iam", "bindings", "list", "-p", "e2e"],
    expect: /alice-reads/,
  },
  ...getPutPatch(
    "V1ProjectsProjectRolebindings",
    ["project=e2e"],
    "alice-reads",
    { principal: "user:alice", role: "e2e-reader" },
    { role: "viewer" },
    /user:alice/,
  ),
  {
    ops: ["postV1Clusterrolebindings"],
    cmd: [
      "iam",
      "bindings",
      "create",
      "ops-view",
      "--principal",
      "group:ops",
      "--role",
      "viewer",
      "--cluster",
    ],
    expect: /binding ops-view created/,
  },
  { ops: ["getV1Clusterrolebindings"], cmd: ["iam", "bindings", "list"], expect: /ops-view/ },
  ...getPutPatch(
    "V1Clusterrolebindings",
    [],
    "ops-view",
    { principal: "group:ops", role: "viewer", scope: { type: "cluster" } },
    { role: "e2e-reader" },
    /group:ops/,
  ),
  // Service accounts and their keys.
  {
    ops: ["postV1ProjectsProjectServiceaccounts"],
    cmd: ["iam", "sa", "create", "bot", "-p", "e2e"],
    expect: /e2e\/bot created/,
  },
  { ops: ["getV1ProjectsProjectServiceaccounts"], cmd: ["iam", "sa", "list", "-p", "e2e"], expect: /bot/ },
  ...getPutPatch(
    "V1ProjectsProjectServiceaccounts",
    ["project=e2e"],
    "bot",
    { description: "put" },
    { description: "the build bot" },
    /"description"/,
  ),
  {
    ops: ["postV1ProjectsProjectServiceaccountsNameKeys"],
    cmd: ["-o", "json", "iam", "sa", "create-key", "bot", "-p", "e2e"],
    expect: (out, v) => {
      const k = json<{ keyId: string; clientSecret: string }>(out);
      assert.ok(k.clientSecret);
      v.keyId = k.keyId;
    },
  },
  call("getV1ProjectsProjectServiceaccountsNameKeys", ["project=e2e", "name=bot"], undefined, (out, v) =>
    assert.ok(out.includes(v.keyId!)),
  ),
  {
    ops: ["deleteV1ProjectsProjectServiceaccountsNameKeysKeyId"],
    cmd: (v) => [
      "api",
      "call",
      "deleteV1ProjectsProjectServiceaccountsNameKeysKeyId",
      "project=e2e",
      "name=bot",
      `keyId=${v.keyId}`,
    ],
  },
  // Decisions, the authorization feed, the audit log, key rotation.
  {
    ops: ["postV1Authorize"],
    cmd: ["-o", "json", "iam", "authorize", "iam.users.list"],
    expect: /"allowed": true/,
  },
  call("getV1AuthzWatch", ["--max-events", "2"], undefined, /"type":"ADDED"/),
  { ops: ["getV1Audit"], cmd: ["-o", "json", "iam", "audit", "--limit", "5"], expect: /alice|e2e/ },
  { ops: ["postV1SigningkeysRotate"], cmd: ["iam", "rotate-keys"], expect: /./ },
  // A watch through the gateway: `photon get groups --watch` reports a group made meanwhile.
  {
    ops: [],
    cmd: ["get", "groups", "--watch"],
    expect: /watchers/,
    during: { ops: [], cmd: ["iam", "groups", "create", "watchers"] },
  },
  // Deletes, through the dedicated commands.
  {
    ops: ["deleteV1ProjectsProjectRolebindingsName"],
    cmd: ["iam", "bindings", "delete", "alice-reads", "-p", "e2e"],
  },
  { ops: ["deleteV1ClusterrolebindingsName"], cmd: ["iam", "bindings", "delete", "ops-view"] },
  { ops: ["deleteV1ProjectsProjectServiceaccountsName"], cmd: ["iam", "sa", "delete", "bot", "-p", "e2e"] },
  { ops: ["deleteV1GroupsName"], cmd: ["iam", "groups", "delete", "ops"] },
  { ops: [], cmd: ["iam", "groups", "delete", "watchers"] },
  { ops: ["deleteV1RolesName"], cmd: ["iam", "roles", "delete", "e2e-reader"] },
  { ops: ["deleteV1UsersName"], cmd: ["iam", "users", "delete", "alice"] },
  { ops: ["deleteV1ProjectsName"], cmd: ["iam", "projects", "delete", "e2e"] },
  { ops: ["deleteV1OrganizationsName"], cmd: ["iam", "orgs", "delete", "e2e-org"] },
];

const creditservice: Step[] = [
  {
    ops: ["postV1ProjectsProjectQuotas"],
    cmd: ["quota", "set", "credit-e2e", "vcpu=8", "memory_mib=4096"],
    expect: /vcpu/,
  },
  { ops: ["patchV1ProjectsProjectQuotasName"], cmd: ["quota", "set", "credit-e2e", "vcpu=16"], expect: /16/ },
  { ops: ["getV1ProjectsProjectQuotasName"], cmd: ["quota", "get", "credit-e2e"], expect: /vcpu\s.*16/ },
  { ops: ["getV1ProjectsProjectQuotas"], cmd: ["get", "quotas", "-p", "credit-e2e"], expect: /default/ },
  call(
    "putV1ProjectsProjectQuotasName",
    ["project=credit-e2e", "name=default"],
    { metadata: { name: "default" }, spec: { limits: { vcpu: 12, memory_mib: 8192 } } },
    /"vcpu": 12/,
  ),
  {
    ops: ["postV1ProjectsProjectReservations"],
    cmd: ["quota", "reserve", "credit-e2e", "vcpu=2", "--id", "r1"],
    expect: /r1/,
  },
  { ops: ["getV1ProjectsProjectReservations"], cmd: ["quota", "reservations", "credit-e2e"], expect: /r1/ },
  {
    ops: ["postV1ProjectsProjectReservationsIdCommit"],
    cmd: ["quota", "commit", "credit-e2e", "r1"],
    expect: /r1/,
  },
  call("postV1ProjectsProjectUsageRelease", ["project=credit-e2e"], {
    requestId: "r1-release",
    amounts: { vcpu: 2 },
  }),
  { ops: [], cmd: ["quota", "reserve", "credit-e2e", "vcpu=1", "--id", "r2"], expect: /r2/ },
  {
    ops: ["deleteV1ProjectsProjectReservationsId"],
    cmd: ["quota", "release", "credit-e2e", "r2"],
    expect: /r2/,
  },
  { ops: ["postV1ProjectsProjectCredits"], cmd: ["credit", "add", "credit-e2e", "12.5"], expect: /12\.5/ },
  {
    ops: ["getV1ProjectsProjectLedger"],
    cmd: ["-o", "json", "credit", "ledger", "credit-e2e"],
    expect: (out, v) => {
      const lines = json<Array<{ metadata: { name: string } }>>(out);
      assert.ok(lines.length >= 1);
      v.ledgerLine = lines[0]!.metadata.name;
    },
  },
  {
    ops: ["getV1ProjectsProjectLedgerName"],
    cmd: (v) => [
      "-o",
      "json",
      "api",
      "call",
      "getV1ProjectsProjectLedgerName",
      "project=credit-e2e",
      `name=${v.ledgerLine}`,
    ],
    expect: /amountMilli/,
  },
  { ops: ["deleteV1ProjectsProjectQuotasName"], cmd: ["quota", "delete", "credit-e2e"], expect: /deleted/ },
  ...lifecycle(
    "V1Ratecards",
    [],
    "e2e-card",
    { ratesMilliPerHour: { vcpu: 1000 } },
    { ratesMilliPerHour: { vcpu: 1500 } },
    { ratesMilliPerHour: { vcpu: 2000 } },
    /"vcpu": 1500/,
  ),
];

const zoneFile = `$ORIGIN e2e.example.
$TTL 300
api  IN A 192.0.2.10
mail IN MX 10 mx.e2e.example.
`;

const flashdns: Step[] = [
  {
    ops: ["postV1ProjectsProjectZones"],
    cmd: ["dns", "zone", "create", "demo", "e2e", "e2e.example."],
    expect: /e2e/,
  },
  { ops: ["getV1ProjectsProjectZones"], cmd: ["dns", "zone", "list", "demo"], expect: /e2e\.example\./ },
  {
    ops: ["getV1ProjectsProjectZonesName"],
    cmd: ["dns", "zone", "get", "demo", "e2e"],
    expect: /e2e\.example\./,
  },
  call(
    "putV1ProjectsProjectZonesName",
    [...demo, "name=e2e"],
    { metadata: { name: "e2e" }, spec: { dnsName: "e2e.example.", ttlSeconds: 600 } },
    /"ttlSeconds": 600/,
  ),
  call(
    "patchV1ProjectsProjectZonesName",
    [...demo, "name=e2e"],
    { spec: { ttlSeconds: 900 } },
    /"ttlSeconds": 900/,
  ),
  {
    ops: ["postV1ProjectsProjectZonesNameImport"],
    cmd: ["-o", "json", "dns", "import", "demo", "e2e", "-"],
    input: zoneFile,
    expect: /"created": 2/,
  },
  {
    ops: ["getV1ProjectsProjectZonesNameExport"],
    cmd: ["dns", "export", "demo", "e2e"],
    expect: /api\.e2e\.example\.\s+300\s+IN\s+A\s+192\.0\.2\.10/,
  },
  ...lifecycle(
    "V1ProjectsProjectRecordsets",
    demo,
    "www",
    { zone: "e2e", name: "www", type: "A", records: ["192.0.2.1"] },
    { zone: "e2e", name: "www", type: "A", records: ["192.0.2.2"] },
    { ttlSeconds: 60 },
    /192\.0\.2\.2/,
  ),
  {
    ops: [],
    cmd: ["get", "zones", "-p", "demo", "--watch"],
    expect: /watched/,
    during: { ops: [], cmd: ["dns", "zone", "create", "demo", "watched", "watched.example."] },
  },
  { ops: [], cmd: ["dns", "zone", "delete", "demo", "watched"] },
  { ops: [], cmd: ["dns", "record", "set", "demo", "e2e", "ftp", "A", "192.0.2.3"], expect: /ftp A set/ },
  {
    ops: [],
    cmd: ["dns", "record", "list", "demo", "--zone", "e2e"],
    expect: /ftp\s.*192\.0\.2\.3/,
  },
  { ops: [], cmd: ["dns", "record", "delete", "demo", "e2e", "ftp", "A"], expect: /deleted/ },
  // A zone is deleted once its record sets are gone (those the import made are named api-a, mail-mx).
  call("deleteV1ProjectsProjectRecordsetsName", [...demo, "name=api-a"]),
  call("deleteV1ProjectsProjectRecordsetsName", [...demo, "name=mail-mx"]),
  {
    ops: ["deleteV1ProjectsProjectZonesName"],
    cmd: ["dns", "zone", "delete", "demo", "e2e"],
    expect: /deleted/,
  },
];

const lightningstor: Step[] = [
  {
    ops: ["postV1ProjectsProjectAccesskeys"],
    cmd: ["-o", "json", "bucket", "key", "create", "demo", "--description", "e2e"],
    expect: (out, v) => {
      v.accessKey = json<{ accessKeyId: string }>(out).accessKeyId;
      assert.ok(v.accessKey);
    },
  },
  {
    ops: ["getV1ProjectsProjectAccesskeys"],
    cmd: ["bucket", "key", "list", "demo"],
    expect: (out, v) => assert.ok(out.includes(v.accessKey!)),
  },
  {
    ops: ["deleteV1ProjectsProjectAccesskeysName"],
    cmd: (v) => ["bucket", "key", "delete", "demo", v.accessKey!],
  },
  call("getV1Storage", [], undefined, /"coding"/),
  call("postV1StorageScrub", [], undefined, /"chunksChecked"/),
  {
    ops: ["postV1ProjectsProjectImages", "putV1ProjectsProjectImagesNameData"],
    cmd: (v) => ["image", "import", "e2e-disk", v.imageFile!, "-p", "demo"],
  },
  {
    ops: ["getV1ProjectsProjectImages"],
    cmd: ["-o", "json", "image", "list", "-p", "demo"],
    expect: /"e2e-disk"/,
  },
  {
    ops: ["getV1ProjectsProjectImagesName"],
    cmd: ["image", "get", "e2e-disk", "-p", "demo"],
    expect: /e2e-disk.*raw/,
  },
  {
    ops: ["getV1ProjectsProjectImagesNameData"],
    cmd: (v) => ["image", "download", "e2e-disk", `${v.imageFile}.copy`, "-p", "demo"],
    expect: (_, v) => assert.ok(readFileSync(`${v.imageFile}.copy`).equals(readFileSync(v.imageFile!))),
  },
  call(
    "putV1ProjectsProjectImagesName",
    [...demo, "name=e2e-disk"],
    { metadata: { name: "e2e-disk" }, spec: { format: "raw", description: "put" } },
    /"description": "put"/,
  ),
  call(
    "patchV1ProjectsProjectImagesName",
    [...demo, "name=e2e-disk"],
    { spec: { description: "patched" } },
    /"patched"/,
  ),
  { ops: ["deleteV1ProjectsProjectImagesName"], cmd: ["image", "delete", "e2e-disk", "-p", "demo"] },
];

const nightlight: Step[] = lifecycle(
  "V1ProjectsProjectScrapetargets",
  demo,
  "node-exporter",
  { url: "http://127.0.0.1:9100/metrics" },
  { url: "http://127.0.0.1:9100/metrics", intervalSeconds: 15 },
  { intervalSeconds: 30 },
  /"intervalSeconds": 15/,
);

const coronafs: Step[] = [
  {
    ops: ["postV1ProjectsProjectVolumes", "getV1ProjectsProjectVolumesName"],
    cmd: ["-o", "json", "volume", "create", "e2e-vol", "-s", "1", "-p", "demo", "--wait"],
    expect: (out, v) => {
      const vol = json<{ metadata: { uid: string }; status: { phase: string } }>(out);
      assert.equal(vol.status.phase, "Available");
      v.volumeUid = vol.metadata.uid;
    },
  },
  { ops: ["getV1ProjectsProjectVolumes"], cmd: ["volume", "list", "-p", "demo"], expect: /e2e-vol/ },
  call(
    "putV1ProjectsProjectVolumesName",
    [...demo, "name=e2e-vol"],
    { metadata: { name: "e2e-vol", labels: { tier: "put" } }, spec: { sizeGib: 1 } },
    /"tier": "put"/,
  ),
  call(
    "patchV1ProjectsProjectVolumesName",
    [...demo, "name=e2e-vol"],
    { metadata: { labels: { tier: "patched" } } },
    /"patched"/,
  ),
  {
    ops: ["postV1ProjectsProjectVolumesNameResize"],
    cmd: ["volume", "resize", "e2e-vol", "2", "-p", "demo"],
    expect: /e2e-vol/,
  },
  {
    ops: ["postV1ProjectsProjectVolumesNameAttach"],
    cmd: ["volume", "attach", "e2e-vol", "--holder", "e2e", "-p", "demo"],
    expect: /^nbd:\/\//,
  },
  {
    ops: ["postV1ProjectsProjectVolumesNameDetach"],
    cmd: ["volume", "detach", "e2e-vol", "--holder", "e2e", "-p", "demo"],
    expect: /detached/,
  },
  {
    ops: ["postV1ProjectsProjectSnapshots", "getV1ProjectsProjectSnapshotsName"],
    cmd: ["volume", "snapshot", "e2e-vol", "e2e-snap", "-p", "demo"],
    expect: /e2e-snap/,
  },
  { ops: ["getV1ProjectsProjectSnapshots"], cmd: ["volume", "snapshots", "-p", "demo"], expect: /e2e-snap/ },
  {
    ops: ["deleteV1ProjectsProjectSnapshotsName"],
    cmd: ["volume", "delete-snapshot", "e2e-snap", "-p", "demo"],
    expect: /deleted/,
  },
  // The volume servers' report of a lost copy; one from an epoch the volume has left is refused.
  {
    ops: ["postV1InternalVolumesVolumeIdReplicaLost"],
    cmd: (v) => [
      "api",
      "call",
      "postV1InternalVolumesVolumeIdReplicaLost",
      `volumeId=${v.volumeUid}`,
      "--body",
      JSON.stringify({ epoch: 0, replica: "nobody", reason: "e2e: a stale report" }),
    ],
    fails: /FailedPrecondition: .*stale/,
  },
  // A primary's report of a resynced copy: likewise refused from an epoch the volume has left.
  {
    ops: ["postV1InternalVolumesVolumeIdReplicaSynced"],
    cmd: (v) => [
      "api",
      "call",
      "postV1InternalVolumesVolumeIdReplicaSynced",
      `volumeId=${v.volumeUid}`,
      "--body",
      JSON.stringify({ epoch: 0, replica: "nobody" }),
    ],
    fails: /FailedPrecondition: .*stale|NotFound: .*no replica/,
  },
  {
    ops: ["deleteV1ProjectsProjectVolumesName"],
    cmd: ["volume", "delete", "e2e-vol", "-p", "demo"],
    expect: /being deleted/,
  },
];

const hostSpec = {
  capacity: { vcpus: 2, memoryMib: 2048 },
  endpoint: "http://127.0.0.1:9/",
  accel: "tcg",
  imageFormats: ["raw"],
  schedulable: false,
};

const plasmavmc: Step[] = [
  { ops: [], cmd: (v) => ["image", "import", "vm-disk", v.imageFile!, "-p", "demo"] },
  // A VM that is never started: no QEMU runs, the API is what is exercised.
  call(
    "postV1ProjectsProjectVms",
    demo,
    {
      metadata: { name: "e2e-vm" },
      spec: { flavor: { vcpus: 1, memoryMib: 128 }, image: { name: "vm-disk" }, powerState: "Stopped" },
    },
    /"e2e-vm"/,
  ),
  { ops: ["getV1ProjectsProjectVms"], cmd: ["vm", "list", "-p", "demo"], expect: /e2e-vm/ },
  { ops: ["getV1ProjectsProjectVmsName"], cmd: ["vm", "get", "e2e-vm", "-p", "demo"], expect: /e2e-vm/ },
  call(
    "putV1ProjectsProjectVmsName",
    [...demo, "name=e2e-vm"],
    {
      metadata: { name: "e2e-vm", labels: { e2e: "put" } },
      spec: { flavor: { vcpus: 1, memoryMib: 128 }, image: { name: "vm-disk" }, powerState: "Stopped" },
    },
    /"e2e": "put"/,
  ),
  call(
    "patchV1ProjectsProjectVmsName",
    [...demo, "name=e2e-vm"],
    { metadata: { labels: { e2e: "patched" } } },
    /"patched"/,
  ),
  // A VM that never ran has no console log: the answer says so.
  {
    ops: ["getV1ProjectsProjectVmsNameConsole"],
    cmd: ["vm", "console", "e2e-vm", "-p", "demo"],
    // Placed on the worker or not yet (the scheduler's timing): either answer says why.
    fails: /NotFound: .*no console log|FailedPrecondition: .*has not been placed/,
  },
  // Only a running VM reboots; the worker's own reboot route says this one does not run there.
  {
    ops: ["postV1ProjectsProjectVmsNameReboot"],
    cmd: ["vm", "reboot", "e2e-vm", "-p", "demo"],
    fails: /FailedPrecondition: .*only a running VM reboots/,
  },
  // Only a running VM migrates; the worker-facing report of a migration's step needs one.
  {
    ops: ["postV1ProjectsProjectVmsNameMigrate"],
    cmd: ["vm", "migrate", "e2e-vm", "-p", "demo"],
    fails: /FailedPrecondition: .*only a running VM migrates/,
  },
  {
    ...call("putV1HostsHostVmsProjectNameMigration", ["host=e2e-host", ...demo, "name=e2e-vm"], {
      phase: "Failed",
      message: "e2e",
    }),
    fails: /FailedPrecondition: .*is not migrating/,
  },
  {
    ...call("postV1VmsProjectNameReboot", [...demo, "name=e2e-vm"], { hard: false }),
    fails: /FailedPrecondition: .*not running on this host/,
  },
  // The worker's own console route (node-local, behind the gateway too): nothing ran there.
  { ...call("getV1VmsProjectNameConsole", [...demo, "name=e2e-vm"]), fails: /NotFound/ },
  // Hosts: one registered by hand, never schedulable, with the worker-facing routes.
  call("getV1Hosts", [], undefined, /"kind": "Host"/),
  call("postV1Hosts", [], { metadata: { name: "e2e-host" }, spec: hostSpec }, /"e2e-host"/),
  call("getV1HostsName", ["name=e2e-host"], undefined, /"tcg"/),
  call(
    "putV1HostsName",
    ["name=e2e-host"],
    { metadata: { name: "e2e-host" }, spec: { ...hostSpec, accel: "tcg" } },
    /"e2e-host"/,
  ),
  call("patchV1HostsName", ["name=e2e-host"], { metadata: { labels: { rack: "r1" } } }, /"rack": "r1"/),
  // The operator's commands on the same routes (a table row each); it stays cordoned, since
  // its endpoint is a dead address.
  { ops: [], cmd: ["host", "cordon", "e2e-host"], expect: /e2e-host\s*│\s*cordoned\b/ },
  { ops: [], cmd: ["host", "uncordon", "e2e-host"], expect: /e2e-host\s*│\s*yes\b/ },
  { ops: [], cmd: ["host", "cordon", "e2e-host"], expect: /e2e-host\s*│\s*cordoned\b/ },
  { ops: [], cmd: ["host", "list"], expect: /e2e-host\s*│\s*cordoned\b/ },
  call("putV1HostsHostHeartbeat", ["host=e2e-host"], { spec: hostSpec, runningVms: 0 }, /./),
  call("getV1HostsHostVms", ["host=e2e-host"], undefined, /items/),
  // A worker reporting on a VM the scheduler never gave it is refused.
  {
    ...call("putV1HostsHostVmsProjectNameStatus", ["host=e2e-host", ...demo, "name=e2e-vm"], {
      phase: "Stopped",
      message: "e2e",
      ports: [],
    }),
    fails: /FailedPrecondition|NotFound|Conflict/,
  },
  {
    ...call("postV1HostsHostVmsProjectNameRelease", ["host=e2e-host", ...demo, "name=e2e-vm"]),
    fails: /FailedPrecondition|NotFound|Conflict/,
  },
  call("deleteV1HostsName", ["name=e2e-host"]),
  {
    ops: ["deleteV1ProjectsProjectVmsName"],
    cmd: ["vm", "delete", "e2e-vm", "-p", "demo"],
    expect: /e2e-vm/,
  },
  { ops: [], cmd: ["image", "delete", "vm-disk", "-p", "demo"] },
];

/** Tenant routes (the gateway's own API): a VPC address, never contacted here. */
const apigateway: Step[] = lifecycle(
  "V1ProjectsProjectRoutes",
  demo,
  "shop",
  { host: "shop.e2e.example", target: { address: "http://10.0.0.5:8080" }, access: "public" },
  { host: "shop.e2e.example", target: { address: "http://10.0.0.5:8080" }, access: "token" },
  { pathPrefix: "/api" },
  /"access": "token"/,
);

/** Every chain, by component. */
export const chains: Record<string, Step[]> = {
  iam,
  apigateway,
  creditservice,
  flashdns,
  lightningstor,
  nightlight,
  coronafs,
  plasmavmc,
};

/** What `npm test` runs (a bounded slice); the slow suite runs every chain. */
export const quickChains = ["nightlight"];

export function opsOf(steps: Step[]): string[] {
  return [...new Set(steps.flatMap((s) => [...s.ops, ...(s.during?.ops ?? [])]))];
}

export type { Vars };
