// One service account per PhotonCloud role, each with a built-in role that grants exactly the
// calls that role makes to other components — least privilege instead of one shared `*`.
// A role's entry lists the permission of every route its code calls with its own token
// (deps.serviceToken); the comment beside each says which call needs it. A role that calls
// nothing still gets an account: every verifier needs the authz feed. (api.ts spreads
// componentRoles into builtinRoles; this file imports nothing, so no cycle.)

/** What every component needs to verify tokens locally: iam's authz feed. */
export const verifierPermissions = ["iam.authz.watch"] as const;

/** Quota reservations and usage releases: the `withReservation` pattern of creditservice. */
const quotaCalls = [
  "creditservice.reservations.create", // reserve
  "creditservice.reservations.update", // commit
  "creditservice.reservations.delete", // release after a failed create
  "creditservice.usage.update", // release usage when a resource is deleted
];

/**
 * Keyed by role name (src/cli/roles.ts); the service account is `system/<role name>`.
 * A role missing here runs as the shared `system/photon-components` account, which may only
 * read the authz feed, so its calls to other components are refused until it is listed.
 */
export const componentCalls: Record<string, readonly string[]> = {
  chainfire: [],
  "flaredb-pd": [],
  flaredb: [],
  creditservice: [],
  lightningstor: [...quotaCalls], // buckets and bytes under quota (quota-gate.ts)
  "coronafs-server": [
    "coronafs.servers.update", // replica-lost and replica-synced reports to the control plane; snapshots on peer servers
  ],
  coronafs: [
    "coronafs.servers.get", // fleet polling and volume reads on volume servers
    "coronafs.servers.update", // volume placement, attach, resize, snapshots, resyncs on volume servers
    ...quotaCalls, // volume_gib
    "lightningstor.images.get", // describe and download an image a volume is cloned from
  ],
  plasmavmc: [
    ...quotaCalls, // vcpu, memory per VM
    "lightningstor.images.get", // the image format of a VM's disk
    "plasmavmc.hosts.get", // a VM's console log from its worker
    "plasmavmc.hosts.update", // a VM's reboot, done by its worker
    "coronafs.volumes.get", // may a VM attach its volumes
    "coronafs.volumes.update", // detach the volumes of a VM whose worker died
  ],
  "plasmavmc-worker": [
    "plasmavmc.hosts.get", // the VMs placed on this host
    "plasmavmc.hosts.update", // heartbeat, VM status reports, release of deleted VMs
    "lightningstor.images.get", // image metadata and bytes for a VM's disk
    "coronafs.volumes.get", // a volume's attachment, to follow a failover
    "coronafs.volumes.update", // attach and detach a VM's volumes
  ],
  nightlight: [
    "nightlight.metrics.write", // replicated remote_write to peer replicas
    "nightlight.metrics.read", // quorum reads and tenant lists from peer replicas
  ],
  flashdns: [],
  apigateway: [
    "apigateway.ratelimits.update", // rate-limit usage shared with peer gateways
  ],
};

export const componentRoleName = (role: string) => `component-${role}`;

/** The built-in role of each component account (created at start, never changed through the API). */
export const componentRoles: Record<
  string,
  { description: string; permissions: string[]; excluded: string[] }
> = Object.fromEntries(
  Object.entries(componentCalls).map(([role, calls]) => [
    componentRoleName(role),
    {
      description: `what PhotonCloud's ${role} calls in other components, and the authz feed`,
      permissions: [...verifierPermissions, ...calls],
      excluded: [],
    },
  ]),
);
