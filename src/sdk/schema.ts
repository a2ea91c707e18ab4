// Generated from the aggregated OpenAPI document by `npm run generate:sdk`. Do not edit.
export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The token-signing public keys (JWKS) */
        get: operations["getWellKnownJwksJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/oauth-authorization-server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OAuth 2.0 authorization server metadata (RFC 8414) */
        get: operations["getWellKnownOauthAuthorizationServer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OpenID Connect discovery document */
        get: operations["getWellKnownOpenidConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Token introspection (RFC 7662) for resource servers that do not verify locally */
        post: operations["postOauthIntrospect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/jwks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The token-signing public keys (JWKS), alias */
        get: operations["getOauthJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Token revocation (RFC 7009): an access token, or a refresh token and its whole session */
        post: operations["postOauthRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OAuth2 token endpoint: password, client_credentials (secret or private_key_jwt), refresh_token (form or JSON body) */
        post: operations["postOauthToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent write decisions and denials made by iam itself (newest first) */
        get: operations["getV1Audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decide whether a principal (the caller by default) may do something to a resource, with the reason */
        post: operations["postV1Authorize"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/authz/watch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The authz feed verifiers replicate: NDJSON snapshot (or, with epoch and resume, only the changes since), SYNCED, then live changes */
        get: operations["getV1AuthzWatch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clusterrolebindings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List clusterrolebindings (or watch them with ?watch=1&revision=N) */
        get: operations["getV1Clusterrolebindings"];
        put?: never;
        /** Create a ClusterRoleBinding */
        post: operations["postV1Clusterrolebindings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clusterrolebindings/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a ClusterRoleBinding */
        get: operations["getV1ClusterrolebindingsName"];
        /** Replace a ClusterRoleBinding's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ClusterrolebindingsName"];
        post?: never;
        /** Delete a ClusterRoleBinding (?revision=N to delete only that revision) */
        delete: operations["deleteV1ClusterrolebindingsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a ClusterRoleBinding's spec, labels and annotations */
        patch: operations["patchV1ClusterrolebindingsName"];
        trace?: never;
    };
    "/v1/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List groups (or watch them with ?watch=1&revision=N) */
        get: operations["getV1Groups"];
        put?: never;
        /** Create a Group */
        post: operations["postV1Groups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/groups/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Group */
        get: operations["getV1GroupsName"];
        /** Replace a Group's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1GroupsName"];
        post?: never;
        /** Delete a Group (?revision=N to delete only that revision) */
        delete: operations["deleteV1GroupsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Group's spec, labels and annotations */
        patch: operations["patchV1GroupsName"];
        trace?: never;
    };
    "/v1/hosts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List hosts (or watch them with ?watch=1&revision=N) */
        get: operations["getV1Hosts"];
        put?: never;
        /** Create a Host */
        post: operations["postV1Hosts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/hosts/{host}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** A worker registers its host and says it is alive */
        put: operations["putV1HostsHostHeartbeat"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/hosts/{host}/vms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The VMs placed on a host or migrating to it, in every project (for its worker); ?watch=1 streams every VM change instead */
        get: operations["getV1HostsHostVms"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/hosts/{host}/vms/{project}/{name}/migration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** A worker reports a step of a VM's migration (target listening, migration completed or failed) */
        put: operations["putV1HostsHostVmsProjectNameMigration"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/hosts/{host}/vms/{project}/{name}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A worker has stopped a deleted VM and removed its files */
        post: operations["postV1HostsHostVmsProjectNameRelease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/hosts/{host}/vms/{project}/{name}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** A worker reports what is true of a VM it runs */
        put: operations["putV1HostsHostVmsProjectNameStatus"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/hosts/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Host */
        get: operations["getV1HostsName"];
        /** Replace a Host's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1HostsName"];
        post?: never;
        /** Delete a Host (?revision=N to delete only that revision) */
        delete: operations["deleteV1HostsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Host's spec, labels and annotations */
        patch: operations["patchV1HostsName"];
        trace?: never;
    };
    "/v1/internal/volumes/{volumeId}/replica-lost": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A primary volume server reports a failed replica (taken out of the in-sync set) */
        post: operations["postV1InternalVolumesVolumeIdReplicaLost"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/internal/volumes/{volumeId}/replica-synced": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A primary volume server reports a resynced replica (it rejoins the in-sync set) */
        post: operations["postV1InternalVolumesVolumeIdReplicaSynced"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List organizations (or watch them with ?watch=1&revision=N) */
        get: operations["getV1Organizations"];
        put?: never;
        /** Create a Organization */
        post: operations["postV1Organizations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Organization */
        get: operations["getV1OrganizationsName"];
        /** Replace a Organization's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1OrganizationsName"];
        post?: never;
        /** Delete a Organization (?revision=N to delete only that revision) */
        delete: operations["deleteV1OrganizationsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Organization's spec, labels and annotations */
        patch: operations["patchV1OrganizationsName"];
        trace?: never;
    };
    "/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List projects (or watch them with ?watch=1&revision=N) */
        get: operations["getV1Projects"];
        put?: never;
        /** Create a Project */
        post: operations["postV1Projects"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Project */
        get: operations["getV1ProjectsName"];
        /** Replace a Project's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsName"];
        post?: never;
        /** Delete a Project (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Project's spec, labels and annotations */
        patch: operations["patchV1ProjectsName"];
        trace?: never;
    };
    "/v1/projects/{project}/accesskeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a project's S3 access keys (without secrets) */
        get: operations["getV1ProjectsProjectAccesskeys"];
        put?: never;
        /** Create an S3 access key for a project; the secret is shown only in this reply */
        post: operations["postV1ProjectsProjectAccesskeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/accesskeys/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an S3 access key */
        delete: operations["deleteV1ProjectsProjectAccesskeysName"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/credits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add credit to a project's balance (idempotent by requestId) */
        post: operations["postV1ProjectsProjectCredits"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List images (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectImages"];
        put?: never;
        /** Create a Image */
        post: operations["postV1ProjectsProjectImages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/images/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Image */
        get: operations["getV1ProjectsProjectImagesName"];
        /** Replace a Image's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectImagesName"];
        post?: never;
        /** Delete a Image (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectImagesName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Image's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectImagesName"];
        trace?: never;
    };
    "/v1/projects/{project}/images/{name}/data": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download an image's bytes (public images from any project) */
        get: operations["getV1ProjectsProjectImagesNameData"];
        /** Upload an image's bytes (application/octet-stream, streamed) */
        put: operations["putV1ProjectsProjectImagesNameData"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/ledger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List ledger (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectLedger"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/ledger/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a LedgerEntry */
        get: operations["getV1ProjectsProjectLedgerName"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/quotas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List quotas (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectQuotas"];
        put?: never;
        /** Create a Quota */
        post: operations["postV1ProjectsProjectQuotas"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/quotas/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Quota */
        get: operations["getV1ProjectsProjectQuotasName"];
        /** Replace a Quota's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectQuotasName"];
        post?: never;
        /** Delete a Quota (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectQuotasName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Quota's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectQuotasName"];
        trace?: never;
    };
    "/v1/projects/{project}/recordsets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List recordsets (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectRecordsets"];
        put?: never;
        /** Create a RecordSet */
        post: operations["postV1ProjectsProjectRecordsets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/recordsets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a RecordSet */
        get: operations["getV1ProjectsProjectRecordsetsName"];
        /** Replace a RecordSet's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectRecordsetsName"];
        post?: never;
        /** Delete a RecordSet (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectRecordsetsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a RecordSet's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectRecordsetsName"];
        trace?: never;
    };
    "/v1/projects/{project}/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a project's pending reservations */
        get: operations["getV1ProjectsProjectReservations"];
        put?: never;
        /** Reserve quota before creating something (idempotent by requestId) */
        post: operations["postV1ProjectsProjectReservations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/reservations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Release a reservation when the create failed (idempotent) */
        delete: operations["deleteV1ProjectsProjectReservationsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/reservations/{id}/commit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn a reservation into usage once the resource exists (idempotent) */
        post: operations["postV1ProjectsProjectReservationsIdCommit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/rolebindings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List rolebindings (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectRolebindings"];
        put?: never;
        /** Create a RoleBinding */
        post: operations["postV1ProjectsProjectRolebindings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/rolebindings/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a RoleBinding */
        get: operations["getV1ProjectsProjectRolebindingsName"];
        /** Replace a RoleBinding's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectRolebindingsName"];
        post?: never;
        /** Delete a RoleBinding (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectRolebindingsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a RoleBinding's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectRolebindingsName"];
        trace?: never;
    };
    "/v1/projects/{project}/routes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List routes (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectRoutes"];
        put?: never;
        /** Create a Route */
        post: operations["postV1ProjectsProjectRoutes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/routes/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Route */
        get: operations["getV1ProjectsProjectRoutesName"];
        /** Replace a Route's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectRoutesName"];
        post?: never;
        /** Delete a Route (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectRoutesName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Route's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectRoutesName"];
        trace?: never;
    };
    "/v1/projects/{project}/scrapetargets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List scrapetargets (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectScrapetargets"];
        put?: never;
        /** Create a ScrapeTarget */
        post: operations["postV1ProjectsProjectScrapetargets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/scrapetargets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a ScrapeTarget */
        get: operations["getV1ProjectsProjectScrapetargetsName"];
        /** Replace a ScrapeTarget's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectScrapetargetsName"];
        post?: never;
        /** Delete a ScrapeTarget (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectScrapetargetsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a ScrapeTarget's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectScrapetargetsName"];
        trace?: never;
    };
    "/v1/projects/{project}/serviceaccounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List serviceaccounts (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectServiceaccounts"];
        put?: never;
        /** Create a ServiceAccount */
        post: operations["postV1ProjectsProjectServiceaccounts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/serviceaccounts/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a ServiceAccount */
        get: operations["getV1ProjectsProjectServiceaccountsName"];
        /** Replace a ServiceAccount's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectServiceaccountsName"];
        post?: never;
        /** Delete a ServiceAccount (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectServiceaccountsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a ServiceAccount's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectServiceaccountsName"];
        trace?: never;
    };
    "/v1/projects/{project}/serviceaccounts/{name}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a service account's keys (never their secrets) */
        get: operations["getV1ProjectsProjectServiceaccountsNameKeys"];
        put?: never;
        /** Create an API key (the secret is shown once) or register a public key for JWT client assertions */
        post: operations["postV1ProjectsProjectServiceaccountsNameKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/serviceaccounts/{name}/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a service-account key (tokens it already obtained live until they expire) */
        delete: operations["deleteV1ProjectsProjectServiceaccountsNameKeysKeyId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/snapshots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List snapshots (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectSnapshots"];
        put?: never;
        /** Snapshot a Volume (copy-on-write: no data is copied) */
        post: operations["postV1ProjectsProjectSnapshots"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/snapshots/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a VolumeSnapshot */
        get: operations["getV1ProjectsProjectSnapshotsName"];
        put?: never;
        post?: never;
        /** Delete a VolumeSnapshot (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectSnapshotsName"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/usage/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Give back usage when a resource is deleted (idempotent by requestId) */
        post: operations["postV1ProjectsProjectUsageRelease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/vms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List vms (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectVms"];
        put?: never;
        /** Create a Vm */
        post: operations["postV1ProjectsProjectVms"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/vms/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Vm */
        get: operations["getV1ProjectsProjectVmsName"];
        /** Replace a Vm's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectVmsName"];
        post?: never;
        /** Delete a Vm (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectVmsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Vm's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectVmsName"];
        trace?: never;
    };
    "/v1/projects/{project}/vms/{name}/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The VM's serial console log (the last MiB or so) */
        get: operations["getV1ProjectsProjectVmsNameConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/vms/{name}/migrate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a running VM to another host while it runs (live migration); the target is the given host or the scheduler's choice */
        post: operations["postV1ProjectsProjectVmsNameMigrate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/vms/{name}/reboot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reboot a running VM: ACPI power-off and start, or a hard reset */
        post: operations["postV1ProjectsProjectVmsNameReboot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/volumes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List volumes (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectVolumes"];
        put?: never;
        /** Create a Volume (reserves volume_gib quota first) */
        post: operations["postV1ProjectsProjectVolumes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/volumes/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Volume */
        get: operations["getV1ProjectsProjectVolumesName"];
        /** Replace a Volume's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectVolumesName"];
        post?: never;
        /** Delete a Volume (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectVolumesName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Volume's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectVolumesName"];
        trace?: never;
    };
    "/v1/projects/{project}/volumes/{name}/attach": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Attach a Volume read-write for one holder: returns its NBD URL (fences any earlier attachment) */
        post: operations["postV1ProjectsProjectVolumesNameAttach"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/volumes/{name}/detach": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Detach a Volume: its holder's connection is cut and its writes refused */
        post: operations["postV1ProjectsProjectVolumesNameDetach"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/volumes/{name}/resize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Grow a Volume (reserves the extra volume_gib first; shrinking is refused) */
        post: operations["postV1ProjectsProjectVolumesNameResize"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/zones": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List zones (or watch them with ?watch=1&revision=N) */
        get: operations["getV1ProjectsProjectZones"];
        put?: never;
        /** Create a Zone */
        post: operations["postV1ProjectsProjectZones"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/zones/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Zone */
        get: operations["getV1ProjectsProjectZonesName"];
        /** Replace a Zone's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1ProjectsProjectZonesName"];
        post?: never;
        /** Delete a Zone (?revision=N to delete only that revision) */
        delete: operations["deleteV1ProjectsProjectZonesName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Zone's spec, labels and annotations */
        patch: operations["patchV1ProjectsProjectZonesName"];
        trace?: never;
    };
    "/v1/projects/{project}/zones/{name}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export a zone as an RFC 1035 master file */
        get: operations["getV1ProjectsProjectZonesNameExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/zones/{name}/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import an RFC 1035 master file into a zone (validated as a whole before anything is written) */
        post: operations["postV1ProjectsProjectZonesNameImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ratecards": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List ratecards (or watch them with ?watch=1&revision=N) */
        get: operations["getV1Ratecards"];
        put?: never;
        /** Create a RateCard */
        post: operations["postV1Ratecards"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ratecards/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a RateCard */
        get: operations["getV1RatecardsName"];
        /** Replace a RateCard's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1RatecardsName"];
        post?: never;
        /** Delete a RateCard (?revision=N to delete only that revision) */
        delete: operations["deleteV1RatecardsName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a RateCard's spec, labels and annotations */
        patch: operations["patchV1RatecardsName"];
        trace?: never;
    };
    "/v1/revocations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List revocations (or watch them with ?watch=1&revision=N) */
        get: operations["getV1Revocations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/revocations/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Revocation */
        get: operations["getV1RevocationsName"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List roles (or watch them with ?watch=1&revision=N) */
        get: operations["getV1Roles"];
        put?: never;
        /** Create a Role */
        post: operations["postV1Roles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roles/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Role */
        get: operations["getV1RolesName"];
        /** Replace a Role's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1RolesName"];
        post?: never;
        /** Delete a Role (?revision=N to delete only that revision) */
        delete: operations["deleteV1RolesName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a Role's spec, labels and annotations */
        patch: operations["patchV1RolesName"];
        trace?: never;
    };
    "/v1/self": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who am I: the caller's subject, groups and role bindings */
        get: operations["getV1Self"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/self/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change your own password */
        post: operations["postV1SelfPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/signingkeys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the token-signing key now (tokens signed by the old key verify until they expire) */
        post: operations["postV1SigningkeysRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Storage nodes, erasure coding and the last scrub */
        get: operations["getV1Storage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/scrub": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify every chunk now, rebuild missing or corrupt ones, move shards off dead nodes */
        post: operations["postV1StorageScrub"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users (or watch them with ?watch=1&revision=N) */
        get: operations["getV1Users"];
        put?: never;
        /** Create a User */
        post: operations["postV1Users"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a User */
        get: operations["getV1UsersName"];
        /** Replace a User's spec, labels and annotations (send metadata.revision to guard against lost updates) */
        put: operations["putV1UsersName"];
        post?: never;
        /** Delete a User (?revision=N to delete only that revision) */
        delete: operations["deleteV1UsersName"];
        options?: never;
        head?: never;
        /** Merge-patch (RFC 7386) a User's spec, labels and annotations */
        patch: operations["patchV1UsersName"];
        trace?: never;
    };
    "/v1/users/{name}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a user's password (ends the user's current sessions) */
        put: operations["putV1UsersNamePassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/vms/{project}/{name}/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A VM's serial console log on this worker */
        get: operations["getV1VmsProjectNameConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/vms/{project}/{name}/reboot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reboot a VM this worker runs (for the control plane) */
        post: operations["postV1VmsProjectNameReboot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getWellKnownJwksJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getWellKnownOauthAuthorizationServer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getWellKnownOpenidConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postOauthIntrospect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    token_type_hint?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getOauthJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postOauthRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postOauthToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Audit: {
        parameters: {
            query?: {
                limit?: number;
                subject?: string;
                project?: string;
                allowed?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1Authorize: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    permission: string;
                    principal?: string;
                    /** @default {} */
                    resource?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                        project?: string;
                    };
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        allowed: boolean;
                        reason: string;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1AuthzWatch: {
        parameters: {
            query?: {
                epoch?: string;
                resume?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Clusterrolebindings: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "iam/v1";
                            /** @constant */
                            kind: "ClusterRoleBinding";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                conditions?: {
                                    labels?: {
                                        [key: string]: string;
                                    };
                                    namePrefix?: string;
                                };
                                principal: string;
                                role: string;
                                scope: {
                                    /** @constant */
                                    type: "cluster";
                                } | {
                                    org: string;
                                    /** @constant */
                                    type: "org";
                                };
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1Clusterrolebindings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "ClusterRoleBinding";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        conditions?: {
                            labels?: {
                                [key: string]: string;
                            };
                            namePrefix?: string;
                        };
                        principal: string;
                        role: string;
                        scope: {
                            /** @constant */
                            type: "cluster";
                        } | {
                            org: string;
                            /** @constant */
                            type: "org";
                        };
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ClusterRoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                            scope: {
                                /** @constant */
                                type: "cluster";
                            } | {
                                org: string;
                                /** @constant */
                                type: "org";
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ClusterrolebindingsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ClusterRoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                            scope: {
                                /** @constant */
                                type: "cluster";
                            } | {
                                org: string;
                                /** @constant */
                                type: "org";
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ClusterrolebindingsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "ClusterRoleBinding";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        conditions?: {
                            labels?: {
                                [key: string]: string;
                            };
                            namePrefix?: string;
                        };
                        principal: string;
                        role: string;
                        scope: {
                            /** @constant */
                            type: "cluster";
                        } | {
                            org: string;
                            /** @constant */
                            type: "org";
                        };
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ClusterRoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                            scope: {
                                /** @constant */
                                type: "cluster";
                            } | {
                                org: string;
                                /** @constant */
                                type: "org";
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ClusterrolebindingsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ClusterRoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                            scope: {
                                /** @constant */
                                type: "cluster";
                            } | {
                                org: string;
                                /** @constant */
                                type: "org";
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ClusterrolebindingsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ClusterRoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                            scope: {
                                /** @constant */
                                type: "cluster";
                            } | {
                                org: string;
                                /** @constant */
                                type: "org";
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Groups: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "iam/v1";
                            /** @constant */
                            kind: "Group";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @default [] */
                                members: string[];
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1Groups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "Group";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default [] */
                        members?: string[];
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Group";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default [] */
                            members: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1GroupsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Group";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default [] */
                            members: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1GroupsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "Group";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default [] */
                        members?: string[];
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Group";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default [] */
                            members: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1GroupsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Group";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default [] */
                            members: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1GroupsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Group";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default [] */
                            members: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Hosts: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "plasmavmc/v1";
                            /** @constant */
                            kind: "Host";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @enum {string} */
                                accel: "kvm" | "tcg";
                                capacity: {
                                    memoryMib: number;
                                    vcpus: number;
                                };
                                /** Format: uri */
                                endpoint: string;
                                imageFormats: ("raw" | "qcow2")[];
                                /** @default true */
                                schedulable: boolean;
                            };
                            status: {
                                heartbeatAt?: string;
                                runningVms: number;
                            };
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1Hosts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "plasmavmc/v1";
                    /** @constant */
                    kind?: "Host";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @enum {string} */
                        accel: "kvm" | "tcg";
                        capacity: {
                            memoryMib: number;
                            vcpus: number;
                        };
                        /** Format: uri */
                        endpoint: string;
                        imageFormats: ("raw" | "qcow2")[];
                        /** @default true */
                        schedulable?: boolean;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Host";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @enum {string} */
                            accel: "kvm" | "tcg";
                            capacity: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            /** Format: uri */
                            endpoint: string;
                            imageFormats: ("raw" | "qcow2")[];
                            /** @default true */
                            schedulable: boolean;
                        };
                        status: {
                            heartbeatAt?: string;
                            runningVms: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1HostsHostHeartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                host: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    runningVms: number;
                    spec: {
                        /** @enum {string} */
                        accel: "kvm" | "tcg";
                        capacity: {
                            memoryMib: number;
                            vcpus: number;
                        };
                        /** Format: uri */
                        endpoint: string;
                        imageFormats: ("raw" | "qcow2")[];
                        /** @default true */
                        schedulable?: boolean;
                    };
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1HostsHostVms: {
        parameters: {
            query?: {
                watch?: "1" | "true";
            };
            header?: never;
            path: {
                host: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1HostsHostVmsProjectNameMigration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                host: string;
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    address: string;
                    /** @constant */
                    phase: "Listening";
                } | {
                    /** @constant */
                    phase: "Completed";
                    report: {
                        /** @enum {string} */
                        accel?: "kvm" | "tcg";
                        message: string;
                        /** @enum {string} */
                        phase: "Pending" | "Scheduled" | "Starting" | "Running" | "Stopping" | "Stopped" | "Deleting" | "Failed";
                        ports: {
                            guestPort: number;
                            hostAddress: string;
                            hostPort: number;
                            /** @enum {string} */
                            protocol: "tcp" | "udp";
                        }[];
                        startedAt?: string;
                        /** @default [] */
                        volumes?: {
                            epoch: number;
                            name: string;
                            server: string;
                        }[];
                    };
                } | {
                    message: string;
                    /** @constant */
                    phase: "Failed";
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1HostsHostVmsProjectNameRelease: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                host: string;
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1HostsHostVmsProjectNameStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                host: string;
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    accel?: "kvm" | "tcg";
                    message: string;
                    /** @enum {string} */
                    phase: "Pending" | "Scheduled" | "Starting" | "Running" | "Stopping" | "Stopped" | "Deleting" | "Failed";
                    ports: {
                        guestPort: number;
                        hostAddress: string;
                        hostPort: number;
                        /** @enum {string} */
                        protocol: "tcp" | "udp";
                    }[];
                    startedAt?: string;
                    /** @default [] */
                    volumes?: {
                        epoch: number;
                        name: string;
                        server: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1HostsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Host";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @enum {string} */
                            accel: "kvm" | "tcg";
                            capacity: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            /** Format: uri */
                            endpoint: string;
                            imageFormats: ("raw" | "qcow2")[];
                            /** @default true */
                            schedulable: boolean;
                        };
                        status: {
                            heartbeatAt?: string;
                            runningVms: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1HostsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "plasmavmc/v1";
                    /** @constant */
                    kind?: "Host";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @enum {string} */
                        accel: "kvm" | "tcg";
                        capacity: {
                            memoryMib: number;
                            vcpus: number;
                        };
                        /** Format: uri */
                        endpoint: string;
                        imageFormats: ("raw" | "qcow2")[];
                        /** @default true */
                        schedulable?: boolean;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Host";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @enum {string} */
                            accel: "kvm" | "tcg";
                            capacity: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            /** Format: uri */
                            endpoint: string;
                            imageFormats: ("raw" | "qcow2")[];
                            /** @default true */
                            schedulable: boolean;
                        };
                        status: {
                            heartbeatAt?: string;
                            runningVms: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1HostsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Host";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @enum {string} */
                            accel: "kvm" | "tcg";
                            capacity: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            /** Format: uri */
                            endpoint: string;
                            imageFormats: ("raw" | "qcow2")[];
                            /** @default true */
                            schedulable: boolean;
                        };
                        status: {
                            heartbeatAt?: string;
                            runningVms: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1HostsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Host";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @enum {string} */
                            accel: "kvm" | "tcg";
                            capacity: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            /** Format: uri */
                            endpoint: string;
                            imageFormats: ("raw" | "qcow2")[];
                            /** @default true */
                            schedulable: boolean;
                        };
                        status: {
                            heartbeatAt?: string;
                            runningVms: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1InternalVolumesVolumeIdReplicaLost: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                volumeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    epoch: number;
                    reason: string;
                    replica: string;
                    volumeId?: string;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1InternalVolumesVolumeIdReplicaSynced: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                volumeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    epoch: number;
                    replica: string;
                    volumeId?: string;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Organizations: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "iam/v1";
                            /** @constant */
                            kind: "Organization";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @default  */
                                displayName: string;
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1Organizations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "Organization";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default  */
                        displayName?: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Organization";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1OrganizationsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Organization";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1OrganizationsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "Organization";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default  */
                        displayName?: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Organization";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1OrganizationsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Organization";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1OrganizationsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Organization";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Projects: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "iam/v1";
                            /** @constant */
                            kind: "Project";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @default  */
                                displayName: string;
                                organization?: string;
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1Projects: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "Project";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default  */
                        displayName?: string;
                        organization?: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Project";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                            organization?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Project";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                            organization?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "Project";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default  */
                        displayName?: string;
                        organization?: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Project";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                            organization?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Project";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                            organization?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Project";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            displayName: string;
                            organization?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectAccesskeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectAccesskeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    accessKeyId?: string;
                    description?: string;
                    secret?: string;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectAccesskeysName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectCredits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amountMilli: number;
                    /** @default credit */
                    description?: string;
                    requestId: string;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        balanceMilli: number;
                        /** @default 0 */
                        carryMicro: string;
                        conditions: {
                            lastTransitionTime: string;
                            message: string;
                            observedRevision?: number;
                            reason: string;
                            /** @enum {string} */
                            status: "True" | "False" | "Unknown";
                            type: string;
                        }[];
                        meteredAt?: string;
                        recentIds: string[];
                        reservations: {
                            amounts: {
                                [key: string]: number;
                            };
                            createdAt: string;
                            expiresAt: string;
                            id: string;
                        }[];
                        /** @default [] */
                        unrecordedCredits: {
                            amountMilli: number;
                            balanceAfterMilli: number;
                            description: string;
                            requestId: string;
                        }[];
                        used: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectImages: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "lightningstor/v1";
                            /** @constant */
                            kind: "Image";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                description?: string;
                                /** @enum {string} */
                                format: "raw" | "qcow2";
                                /**
                                 * @default private
                                 * @enum {string}
                                 */
                                visibility: "private" | "public";
                            };
                            status: {
                                bucket?: string;
                                key?: string;
                                message?: string;
                                /** @enum {string} */
                                phase: "Pending" | "Ready" | "Failed";
                                sha256?: string;
                                sizeBytes?: number;
                            };
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectImages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "lightningstor/v1";
                    /** @constant */
                    kind?: "Image";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        description?: string;
                        /** @enum {string} */
                        format: "raw" | "qcow2";
                        /**
                         * @default private
                         * @enum {string}
                         */
                        visibility?: "private" | "public";
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "lightningstor/v1";
                        /** @constant */
                        kind: "Image";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            description?: string;
                            /** @enum {string} */
                            format: "raw" | "qcow2";
                            /**
                             * @default private
                             * @enum {string}
                             */
                            visibility: "private" | "public";
                        };
                        status: {
                            bucket?: string;
                            key?: string;
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Ready" | "Failed";
                            sha256?: string;
                            sizeBytes?: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectImagesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "lightningstor/v1";
                        /** @constant */
                        kind: "Image";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            description?: string;
                            /** @enum {string} */
                            format: "raw" | "qcow2";
                            /**
                             * @default private
                             * @enum {string}
                             */
                            visibility: "private" | "public";
                        };
                        status: {
                            bucket?: string;
                            key?: string;
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Ready" | "Failed";
                            sha256?: string;
                            sizeBytes?: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectImagesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "lightningstor/v1";
                    /** @constant */
                    kind?: "Image";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        description?: string;
                        /** @enum {string} */
                        format: "raw" | "qcow2";
                        /**
                         * @default private
                         * @enum {string}
                         */
                        visibility?: "private" | "public";
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "lightningstor/v1";
                        /** @constant */
                        kind: "Image";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            description?: string;
                            /** @enum {string} */
                            format: "raw" | "qcow2";
                            /**
                             * @default private
                             * @enum {string}
                             */
                            visibility: "private" | "public";
                        };
                        status: {
                            bucket?: string;
                            key?: string;
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Ready" | "Failed";
                            sha256?: string;
                            sizeBytes?: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectImagesName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "lightningstor/v1";
                        /** @constant */
                        kind: "Image";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            description?: string;
                            /** @enum {string} */
                            format: "raw" | "qcow2";
                            /**
                             * @default private
                             * @enum {string}
                             */
                            visibility: "private" | "public";
                        };
                        status: {
                            bucket?: string;
                            key?: string;
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Ready" | "Failed";
                            sha256?: string;
                            sizeBytes?: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectImagesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "lightningstor/v1";
                        /** @constant */
                        kind: "Image";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            description?: string;
                            /** @enum {string} */
                            format: "raw" | "qcow2";
                            /**
                             * @default private
                             * @enum {string}
                             */
                            visibility: "private" | "public";
                        };
                        status: {
                            bucket?: string;
                            key?: string;
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Ready" | "Failed";
                            sha256?: string;
                            sizeBytes?: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectImagesNameData: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectImagesNameData: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectLedger: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "creditservice/v1";
                            /** @constant */
                            kind: "LedgerEntry";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                amountMilli: number;
                                balanceAfterMilli: number;
                                description: string;
                                periodEnd?: string;
                                periodStart?: string;
                                requestId?: string;
                                /** @enum {string} */
                                type: "charge" | "credit";
                                usage?: {
                                    [key: string]: number;
                                };
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectLedgerName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "LedgerEntry";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            amountMilli: number;
                            balanceAfterMilli: number;
                            description: string;
                            periodEnd?: string;
                            periodStart?: string;
                            requestId?: string;
                            /** @enum {string} */
                            type: "charge" | "credit";
                            usage?: {
                                [key: string]: number;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectQuotas: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "creditservice/v1";
                            /** @constant */
                            kind: "Quota";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @default false */
                                enforceCredit: boolean;
                                limits: {
                                    [key: string]: number;
                                };
                            };
                            status: {
                                balanceMilli: number;
                                /** @default 0 */
                                carryMicro: string;
                                conditions: {
                                    lastTransitionTime: string;
                                    message: string;
                                    observedRevision?: number;
                                    reason: string;
                                    /** @enum {string} */
                                    status: "True" | "False" | "Unknown";
                                    type: string;
                                }[];
                                meteredAt?: string;
                                recentIds: string[];
                                reservations: {
                                    amounts: {
                                        [key: string]: number;
                                    };
                                    createdAt: string;
                                    expiresAt: string;
                                    id: string;
                                }[];
                                /** @default [] */
                                unrecordedCredits: {
                                    amountMilli: number;
                                    balanceAfterMilli: number;
                                    description: string;
                                    requestId: string;
                                }[];
                                used: {
                                    [key: string]: number;
                                };
                            };
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectQuotas: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "creditservice/v1";
                    /** @constant */
                    kind?: "Quota";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default false */
                        enforceCredit?: boolean;
                        limits: {
                            [key: string]: number;
                        };
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "Quota";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            enforceCredit: boolean;
                            limits: {
                                [key: string]: number;
                            };
                        };
                        status: {
                            balanceMilli: number;
                            /** @default 0 */
                            carryMicro: string;
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            meteredAt?: string;
                            recentIds: string[];
                            reservations: {
                                amounts: {
                                    [key: string]: number;
                                };
                                createdAt: string;
                                expiresAt: string;
                                id: string;
                            }[];
                            /** @default [] */
                            unrecordedCredits: {
                                amountMilli: number;
                                balanceAfterMilli: number;
                                description: string;
                                requestId: string;
                            }[];
                            used: {
                                [key: string]: number;
                            };
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectQuotasName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "Quota";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            enforceCredit: boolean;
                            limits: {
                                [key: string]: number;
                            };
                        };
                        status: {
                            balanceMilli: number;
                            /** @default 0 */
                            carryMicro: string;
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            meteredAt?: string;
                            recentIds: string[];
                            reservations: {
                                amounts: {
                                    [key: string]: number;
                                };
                                createdAt: string;
                                expiresAt: string;
                                id: string;
                            }[];
                            /** @default [] */
                            unrecordedCredits: {
                                amountMilli: number;
                                balanceAfterMilli: number;
                                description: string;
                                requestId: string;
                            }[];
                            used: {
                                [key: string]: number;
                            };
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectQuotasName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "creditservice/v1";
                    /** @constant */
                    kind?: "Quota";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default false */
                        enforceCredit?: boolean;
                        limits: {
                            [key: string]: number;
                        };
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "Quota";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            enforceCredit: boolean;
                            limits: {
                                [key: string]: number;
                            };
                        };
                        status: {
                            balanceMilli: number;
                            /** @default 0 */
                            carryMicro: string;
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            meteredAt?: string;
                            recentIds: string[];
                            reservations: {
                                amounts: {
                                    [key: string]: number;
                                };
                                createdAt: string;
                                expiresAt: string;
                                id: string;
                            }[];
                            /** @default [] */
                            unrecordedCredits: {
                                amountMilli: number;
                                balanceAfterMilli: number;
                                description: string;
                                requestId: string;
                            }[];
                            used: {
                                [key: string]: number;
                            };
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectQuotasName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "Quota";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            enforceCredit: boolean;
                            limits: {
                                [key: string]: number;
                            };
                        };
                        status: {
                            balanceMilli: number;
                            /** @default 0 */
                            carryMicro: string;
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            meteredAt?: string;
                            recentIds: string[];
                            reservations: {
                                amounts: {
                                    [key: string]: number;
                                };
                                createdAt: string;
                                expiresAt: string;
                                id: string;
                            }[];
                            /** @default [] */
                            unrecordedCredits: {
                                amountMilli: number;
                                balanceAfterMilli: number;
                                description: string;
                                requestId: string;
                            }[];
                            used: {
                                [key: string]: number;
                            };
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectQuotasName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "Quota";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            enforceCredit: boolean;
                            limits: {
                                [key: string]: number;
                            };
                        };
                        status: {
                            balanceMilli: number;
                            /** @default 0 */
                            carryMicro: string;
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            meteredAt?: string;
                            recentIds: string[];
                            reservations: {
                                amounts: {
                                    [key: string]: number;
                                };
                                createdAt: string;
                                expiresAt: string;
                                id: string;
                            }[];
                            /** @default [] */
                            unrecordedCredits: {
                                amountMilli: number;
                                balanceAfterMilli: number;
                                description: string;
                                requestId: string;
                            }[];
                            used: {
                                [key: string]: number;
                            };
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectRecordsets: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "flashdns/v1";
                            /** @constant */
                            kind: "RecordSet";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                name: string;
                                records: string[];
                                /** @default 300 */
                                ttlSeconds: number;
                                /** @enum {string} */
                                type: "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "SRV" | "NS" | "PTR" | "CAA";
                                zone: string;
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectRecordsets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "flashdns/v1";
                    /** @constant */
                    kind?: "RecordSet";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        name: string;
                        records: string[];
                        /** @default 300 */
                        ttlSeconds?: number;
                        /** @enum {string} */
                        type: "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "SRV" | "NS" | "PTR" | "CAA";
                        zone: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "flashdns/v1";
                        /** @constant */
                        kind: "RecordSet";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            name: string;
                            records: string[];
                            /** @default 300 */
                            ttlSeconds: number;
                            /** @enum {string} */
                            type: "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "SRV" | "NS" | "PTR" | "CAA";
                            zone: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectRecordsetsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "flashdns/v1";
                        /** @constant */
                        kind: "RecordSet";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            name: string;
                            records: string[];
                            /** @default 300 */
                            ttlSeconds: number;
                            /** @enum {string} */
                            type: "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "SRV" | "NS" | "PTR" | "CAA";
                            zone: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectRecordsetsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "flashdns/v1";
                    /** @constant */
                    kind?: "RecordSet";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        name: string;
                        records: string[];
                        /** @default 300 */
                        ttlSeconds?: number;
                        /** @enum {string} */
                        type: "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "SRV" | "NS" | "PTR" | "CAA";
                        zone: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "flashdns/v1";
                        /** @constant */
                        kind: "RecordSet";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            name: string;
                            records: string[];
                            /** @default 300 */
                            ttlSeconds: number;
                            /** @enum {string} */
                            type: "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "SRV" | "NS" | "PTR" | "CAA";
                            zone: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectRecordsetsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectRecordsetsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "flashdns/v1";
                        /** @constant */
                        kind: "RecordSet";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            name: string;
                            records: string[];
                            /** @default 300 */
                            ttlSeconds: number;
                            /** @enum {string} */
                            type: "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "SRV" | "NS" | "PTR" | "CAA";
                            zone: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectReservations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            amounts: {
                                [key: string]: number;
                            };
                            createdAt: string;
                            expiresAt: string;
                            id: string;
                        }[];
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectReservations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amounts: {
                        [key: string]: number;
                    };
                    requestId: string;
                    ttlSeconds?: number;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        project: string;
                        reservation: {
                            amounts: {
                                [key: string]: number;
                            };
                            createdAt: string;
                            expiresAt: string;
                            id: string;
                        };
                        /** @enum {string} */
                        state: "pending" | "committed" | "released";
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectReservationsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        project: string;
                        reservation: {
                            amounts: {
                                [key: string]: number;
                            };
                            createdAt: string;
                            expiresAt: string;
                            id: string;
                        };
                        /** @enum {string} */
                        state: "pending" | "committed" | "released";
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectReservationsIdCommit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        project: string;
                        reservation: {
                            amounts: {
                                [key: string]: number;
                            };
                            createdAt: string;
                            expiresAt: string;
                            id: string;
                        };
                        /** @enum {string} */
                        state: "pending" | "committed" | "released";
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectRolebindings: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "iam/v1";
                            /** @constant */
                            kind: "RoleBinding";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                conditions?: {
                                    labels?: {
                                        [key: string]: string;
                                    };
                                    namePrefix?: string;
                                };
                                principal: string;
                                role: string;
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectRolebindings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "RoleBinding";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        conditions?: {
                            labels?: {
                                [key: string]: string;
                            };
                            namePrefix?: string;
                        };
                        principal: string;
                        role: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "RoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectRolebindingsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "RoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectRolebindingsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "RoleBinding";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        conditions?: {
                            labels?: {
                                [key: string]: string;
                            };
                            namePrefix?: string;
                        };
                        principal: string;
                        role: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "RoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectRolebindingsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "RoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectRolebindingsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "RoleBinding";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            conditions?: {
                                labels?: {
                                    [key: string]: string;
                                };
                                namePrefix?: string;
                            };
                            principal: string;
                            role: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectRoutes: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "apigateway/v1";
                            /** @constant */
                            kind: "Route";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /**
                                 * @default token
                                 * @enum {string}
                                 */
                                access: "public" | "token";
                                host: string;
                                /** @default / */
                                pathPrefix: string;
                                /** @default false */
                                stripPrefix: boolean;
                                target: {
                                    address: string;
                                };
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectRoutes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "apigateway/v1";
                    /** @constant */
                    kind?: "Route";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /**
                         * @default token
                         * @enum {string}
                         */
                        access?: "public" | "token";
                        host: string;
                        /** @default / */
                        pathPrefix?: string;
                        /** @default false */
                        stripPrefix?: boolean;
                        target: {
                            address: string;
                        };
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "apigateway/v1";
                        /** @constant */
                        kind: "Route";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /**
                             * @default token
                             * @enum {string}
                             */
                            access: "public" | "token";
                            host: string;
                            /** @default / */
                            pathPrefix: string;
                            /** @default false */
                            stripPrefix: boolean;
                            target: {
                                address: string;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectRoutesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "apigateway/v1";
                        /** @constant */
                        kind: "Route";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /**
                             * @default token
                             * @enum {string}
                             */
                            access: "public" | "token";
                            host: string;
                            /** @default / */
                            pathPrefix: string;
                            /** @default false */
                            stripPrefix: boolean;
                            target: {
                                address: string;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectRoutesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "apigateway/v1";
                    /** @constant */
                    kind?: "Route";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /**
                         * @default token
                         * @enum {string}
                         */
                        access?: "public" | "token";
                        host: string;
                        /** @default / */
                        pathPrefix?: string;
                        /** @default false */
                        stripPrefix?: boolean;
                        target: {
                            address: string;
                        };
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "apigateway/v1";
                        /** @constant */
                        kind: "Route";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /**
                             * @default token
                             * @enum {string}
                             */
                            access: "public" | "token";
                            host: string;
                            /** @default / */
                            pathPrefix: string;
                            /** @default false */
                            stripPrefix: boolean;
                            target: {
                                address: string;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectRoutesName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "apigateway/v1";
                        /** @constant */
                        kind: "Route";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /**
                             * @default token
                             * @enum {string}
                             */
                            access: "public" | "token";
                            host: string;
                            /** @default / */
                            pathPrefix: string;
                            /** @default false */
                            stripPrefix: boolean;
                            target: {
                                address: string;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectRoutesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "apigateway/v1";
                        /** @constant */
                        kind: "Route";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /**
                             * @default token
                             * @enum {string}
                             */
                            access: "public" | "token";
                            host: string;
                            /** @default / */
                            pathPrefix: string;
                            /** @default false */
                            stripPrefix: boolean;
                            target: {
                                address: string;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectScrapetargets: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "nightlight/v1";
                            /** @constant */
                            kind: "ScrapeTarget";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @default 15 */
                                intervalSeconds: number;
                                /** @default project */
                                job: string;
                                /** @default {} */
                                labels: {
                                    [key: string]: string;
                                };
                                /** Format: uri */
                                url: string;
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectScrapetargets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "nightlight/v1";
                    /** @constant */
                    kind?: "ScrapeTarget";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default 15 */
                        intervalSeconds?: number;
                        /** @default project */
                        job?: string;
                        /** @default {} */
                        labels?: {
                            [key: string]: string;
                        };
                        /** Format: uri */
                        url: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "nightlight/v1";
                        /** @constant */
                        kind: "ScrapeTarget";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default 15 */
                            intervalSeconds: number;
                            /** @default project */
                            job: string;
                            /** @default {} */
                            labels: {
                                [key: string]: string;
                            };
                            /** Format: uri */
                            url: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectScrapetargetsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "nightlight/v1";
                        /** @constant */
                        kind: "ScrapeTarget";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default 15 */
                            intervalSeconds: number;
                            /** @default project */
                            job: string;
                            /** @default {} */
                            labels: {
                                [key: string]: string;
                            };
                            /** Format: uri */
                            url: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectScrapetargetsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "nightlight/v1";
                    /** @constant */
                    kind?: "ScrapeTarget";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default 15 */
                        intervalSeconds?: number;
                        /** @default project */
                        job?: string;
                        /** @default {} */
                        labels?: {
                            [key: string]: string;
                        };
                        /** Format: uri */
                        url: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "nightlight/v1";
                        /** @constant */
                        kind: "ScrapeTarget";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default 15 */
                            intervalSeconds: number;
                            /** @default project */
                            job: string;
                            /** @default {} */
                            labels: {
                                [key: string]: string;
                            };
                            /** Format: uri */
                            url: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectScrapetargetsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "nightlight/v1";
                        /** @constant */
                        kind: "ScrapeTarget";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default 15 */
                            intervalSeconds: number;
                            /** @default project */
                            job: string;
                            /** @default {} */
                            labels: {
                                [key: string]: string;
                            };
                            /** Format: uri */
                            url: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectScrapetargetsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "nightlight/v1";
                        /** @constant */
                        kind: "ScrapeTarget";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default 15 */
                            intervalSeconds: number;
                            /** @default project */
                            job: string;
                            /** @default {} */
                            labels: {
                                [key: string]: string;
                            };
                            /** Format: uri */
                            url: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectServiceaccounts: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "iam/v1";
                            /** @constant */
                            kind: "ServiceAccount";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @default  */
                                description: string;
                                /** @default false */
                                disabled: boolean;
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectServiceaccounts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "ServiceAccount";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default  */
                        description?: string;
                        /** @default false */
                        disabled?: boolean;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ServiceAccount";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default false */
                            disabled: boolean;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectServiceaccountsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ServiceAccount";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default false */
                            disabled: boolean;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectServiceaccountsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "ServiceAccount";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default  */
                        description?: string;
                        /** @default false */
                        disabled?: boolean;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ServiceAccount";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default false */
                            disabled: boolean;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectServiceaccountsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ServiceAccount";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default false */
                            disabled: boolean;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectServiceaccountsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "ServiceAccount";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default false */
                            disabled: boolean;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectServiceaccountsNameKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectServiceaccountsNameKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expiresInSeconds?: number;
                    /** @constant */
                    type: "secret";
                } | {
                    expiresInSeconds?: number;
                    publicJwk: {
                        alg?: string;
                        /** @enum {string} */
                        kty: "OKP" | "EC" | "RSA";
                    } & {
                        [key: string]: unknown;
                    };
                    /** @constant */
                    type: "jwk";
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectServiceaccountsNameKeysKeyId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectSnapshots: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "coronafs/v1";
                            /** @constant */
                            kind: "VolumeSnapshot";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                volume: string;
                            };
                            status: {
                                conditions: {
                                    lastTransitionTime: string;
                                    message: string;
                                    observedRevision?: number;
                                    reason: string;
                                    /** @enum {string} */
                                    status: "True" | "False" | "Unknown";
                                    type: string;
                                }[];
                                message?: string;
                                /** @enum {string} */
                                phase: "Pending" | "Ready" | "Failed" | "Deleting";
                                servers: string[];
                                sizeBytes?: number;
                                snapshotId?: string;
                            };
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectSnapshots: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "coronafs/v1";
                    /** @constant */
                    kind?: "VolumeSnapshot";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        volume: string;
                    };
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectSnapshotsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "coronafs/v1";
                        /** @constant */
                        kind: "VolumeSnapshot";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            volume: string;
                        };
                        status: {
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Ready" | "Failed" | "Deleting";
                            servers: string[];
                            sizeBytes?: number;
                            snapshotId?: string;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectSnapshotsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "coronafs/v1";
                        /** @constant */
                        kind: "VolumeSnapshot";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            volume: string;
                        };
                        status: {
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Ready" | "Failed" | "Deleting";
                            servers: string[];
                            sizeBytes?: number;
                            snapshotId?: string;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectUsageRelease: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amounts: {
                        [key: string]: number;
                    };
                    requestId: string;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        balanceMilli: number;
                        /** @default 0 */
                        carryMicro: string;
                        conditions: {
                            lastTransitionTime: string;
                            message: string;
                            observedRevision?: number;
                            reason: string;
                            /** @enum {string} */
                            status: "True" | "False" | "Unknown";
                            type: string;
                        }[];
                        meteredAt?: string;
                        recentIds: string[];
                        reservations: {
                            amounts: {
                                [key: string]: number;
                            };
                            createdAt: string;
                            expiresAt: string;
                            id: string;
                        }[];
                        /** @default [] */
                        unrecordedCredits: {
                            amountMilli: number;
                            balanceAfterMilli: number;
                            description: string;
                            requestId: string;
                        }[];
                        used: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectVms: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "plasmavmc/v1";
                            /** @constant */
                            kind: "Vm";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                antiAffinityGroup?: string;
                                flavor: {
                                    memoryMib: number;
                                    vcpus: number;
                                };
                                image?: {
                                    name: string;
                                    project?: string;
                                };
                                /** @default [] */
                                ports: {
                                    guestPort: number;
                                    /**
                                     * @default tcp
                                     * @enum {string}
                                     */
                                    protocol: "tcp" | "udp";
                                }[];
                                /**
                                 * @default Running
                                 * @enum {string}
                                 */
                                powerState: "Running" | "Stopped";
                                /** @default [] */
                                sshKeys: string[];
                                /** @default  */
                                userData: string;
                                /** @default [] */
                                volumes: {
                                    name: string;
                                }[];
                            };
                            status: {
                                /** @enum {string} */
                                accel?: "kvm" | "tcg";
                                conditions: {
                                    lastTransitionTime: string;
                                    message: string;
                                    observedRevision?: number;
                                    reason: string;
                                    /** @enum {string} */
                                    status: "True" | "False" | "Unknown";
                                    type: string;
                                }[];
                                host?: string;
                                message: string;
                                migration?: {
                                    address?: string;
                                    /** @enum {string} */
                                    phase: "Requested" | "Listening";
                                    since: string;
                                    target: string;
                                };
                                /** @enum {string} */
                                phase: "Pending" | "Scheduled" | "Starting" | "Running" | "Stopping" | "Stopped" | "Deleting" | "Failed";
                                ports: {
                                    guestPort: number;
                                    hostAddress: string;
                                    hostPort: number;
                                    /** @enum {string} */
                                    protocol: "tcp" | "udp";
                                }[];
                                quotaHeld: boolean;
                                startedAt?: string;
                                /** @default [] */
                                volumes: {
                                    epoch: number;
                                    name: string;
                                    server: string;
                                }[];
                            };
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectVms: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "plasmavmc/v1";
                    /** @constant */
                    kind?: "Vm";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        antiAffinityGroup?: string;
                        flavor: {
                            memoryMib: number;
                            vcpus: number;
                        };
                        image?: {
                            name: string;
                            project?: string;
                        };
                        /** @default [] */
                        ports?: {
                            guestPort: number;
                            /**
                             * @default tcp
                             * @enum {string}
                             */
                            protocol?: "tcp" | "udp";
                        }[];
                        /**
                         * @default Running
                         * @enum {string}
                         */
                        powerState?: "Running" | "Stopped";
                        /** @default [] */
                        sshKeys?: string[];
                        /** @default  */
                        userData?: string;
                        /** @default [] */
                        volumes?: {
                            name: string;
                        }[];
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Vm";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            antiAffinityGroup?: string;
                            flavor: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            image?: {
                                name: string;
                                project?: string;
                            };
                            /** @default [] */
                            ports: {
                                guestPort: number;
                                /**
                                 * @default tcp
                                 * @enum {string}
                                 */
                                protocol: "tcp" | "udp";
                            }[];
                            /**
                             * @default Running
                             * @enum {string}
                             */
                            powerState: "Running" | "Stopped";
                            /** @default [] */
                            sshKeys: string[];
                            /** @default  */
                            userData: string;
                            /** @default [] */
                            volumes: {
                                name: string;
                            }[];
                        };
                        status: {
                            /** @enum {string} */
                            accel?: "kvm" | "tcg";
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            host?: string;
                            message: string;
                            migration?: {
                                address?: string;
                                /** @enum {string} */
                                phase: "Requested" | "Listening";
                                since: string;
                                target: string;
                            };
                            /** @enum {string} */
                            phase: "Pending" | "Scheduled" | "Starting" | "Running" | "Stopping" | "Stopped" | "Deleting" | "Failed";
                            ports: {
                                guestPort: number;
                                hostAddress: string;
                                hostPort: number;
                                /** @enum {string} */
                                protocol: "tcp" | "udp";
                            }[];
                            quotaHeld: boolean;
                            startedAt?: string;
                            /** @default [] */
                            volumes: {
                                epoch: number;
                                name: string;
                                server: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectVmsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Vm";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            antiAffinityGroup?: string;
                            flavor: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            image?: {
                                name: string;
                                project?: string;
                            };
                            /** @default [] */
                            ports: {
                                guestPort: number;
                                /**
                                 * @default tcp
                                 * @enum {string}
                                 */
                                protocol: "tcp" | "udp";
                            }[];
                            /**
                             * @default Running
                             * @enum {string}
                             */
                            powerState: "Running" | "Stopped";
                            /** @default [] */
                            sshKeys: string[];
                            /** @default  */
                            userData: string;
                            /** @default [] */
                            volumes: {
                                name: string;
                            }[];
                        };
                        status: {
                            /** @enum {string} */
                            accel?: "kvm" | "tcg";
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            host?: string;
                            message: string;
                            migration?: {
                                address?: string;
                                /** @enum {string} */
                                phase: "Requested" | "Listening";
                                since: string;
                                target: string;
                            };
                            /** @enum {string} */
                            phase: "Pending" | "Scheduled" | "Starting" | "Running" | "Stopping" | "Stopped" | "Deleting" | "Failed";
                            ports: {
                                guestPort: number;
                                hostAddress: string;
                                hostPort: number;
                                /** @enum {string} */
                                protocol: "tcp" | "udp";
                            }[];
                            quotaHeld: boolean;
                            startedAt?: string;
                            /** @default [] */
                            volumes: {
                                epoch: number;
                                name: string;
                                server: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectVmsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "plasmavmc/v1";
                    /** @constant */
                    kind?: "Vm";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        antiAffinityGroup?: string;
                        flavor: {
                            memoryMib: number;
                            vcpus: number;
                        };
                        image?: {
                            name: string;
                            project?: string;
                        };
                        /** @default [] */
                        ports?: {
                            guestPort: number;
                            /**
                             * @default tcp
                             * @enum {string}
                             */
                            protocol?: "tcp" | "udp";
                        }[];
                        /**
                         * @default Running
                         * @enum {string}
                         */
                        powerState?: "Running" | "Stopped";
                        /** @default [] */
                        sshKeys?: string[];
                        /** @default  */
                        userData?: string;
                        /** @default [] */
                        volumes?: {
                            name: string;
                        }[];
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Vm";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            antiAffinityGroup?: string;
                            flavor: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            image?: {
                                name: string;
                                project?: string;
                            };
                            /** @default [] */
                            ports: {
                                guestPort: number;
                                /**
                                 * @default tcp
                                 * @enum {string}
                                 */
                                protocol: "tcp" | "udp";
                            }[];
                            /**
                             * @default Running
                             * @enum {string}
                             */
                            powerState: "Running" | "Stopped";
                            /** @default [] */
                            sshKeys: string[];
                            /** @default  */
                            userData: string;
                            /** @default [] */
                            volumes: {
                                name: string;
                            }[];
                        };
                        status: {
                            /** @enum {string} */
                            accel?: "kvm" | "tcg";
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            host?: string;
                            message: string;
                            migration?: {
                                address?: string;
                                /** @enum {string} */
                                phase: "Requested" | "Listening";
                                since: string;
                                target: string;
                            };
                            /** @enum {string} */
                            phase: "Pending" | "Scheduled" | "Starting" | "Running" | "Stopping" | "Stopped" | "Deleting" | "Failed";
                            ports: {
                                guestPort: number;
                                hostAddress: string;
                                hostPort: number;
                                /** @enum {string} */
                                protocol: "tcp" | "udp";
                            }[];
                            quotaHeld: boolean;
                            startedAt?: string;
                            /** @default [] */
                            volumes: {
                                epoch: number;
                                name: string;
                                server: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectVmsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Vm";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            antiAffinityGroup?: string;
                            flavor: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            image?: {
                                name: string;
                                project?: string;
                            };
                            /** @default [] */
                            ports: {
                                guestPort: number;
                                /**
                                 * @default tcp
                                 * @enum {string}
                                 */
                                protocol: "tcp" | "udp";
                            }[];
                            /**
                             * @default Running
                             * @enum {string}
                             */
                            powerState: "Running" | "Stopped";
                            /** @default [] */
                            sshKeys: string[];
                            /** @default  */
                            userData: string;
                            /** @default [] */
                            volumes: {
                                name: string;
                            }[];
                        };
                        status: {
                            /** @enum {string} */
                            accel?: "kvm" | "tcg";
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            host?: string;
                            message: string;
                            migration?: {
                                address?: string;
                                /** @enum {string} */
                                phase: "Requested" | "Listening";
                                since: string;
                                target: string;
                            };
                            /** @enum {string} */
                            phase: "Pending" | "Scheduled" | "Starting" | "Running" | "Stopping" | "Stopped" | "Deleting" | "Failed";
                            ports: {
                                guestPort: number;
                                hostAddress: string;
                                hostPort: number;
                                /** @enum {string} */
                                protocol: "tcp" | "udp";
                            }[];
                            quotaHeld: boolean;
                            startedAt?: string;
                            /** @default [] */
                            volumes: {
                                epoch: number;
                                name: string;
                                server: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectVmsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "plasmavmc/v1";
                        /** @constant */
                        kind: "Vm";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            antiAffinityGroup?: string;
                            flavor: {
                                memoryMib: number;
                                vcpus: number;
                            };
                            image?: {
                                name: string;
                                project?: string;
                            };
                            /** @default [] */
                            ports: {
                                guestPort: number;
                                /**
                                 * @default tcp
                                 * @enum {string}
                                 */
                                protocol: "tcp" | "udp";
                            }[];
                            /**
                             * @default Running
                             * @enum {string}
                             */
                            powerState: "Running" | "Stopped";
                            /** @default [] */
                            sshKeys: string[];
                            /** @default  */
                            userData: string;
                            /** @default [] */
                            volumes: {
                                name: string;
                            }[];
                        };
                        status: {
                            /** @enum {string} */
                            accel?: "kvm" | "tcg";
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            host?: string;
                            message: string;
                            migration?: {
                                address?: string;
                                /** @enum {string} */
                                phase: "Requested" | "Listening";
                                since: string;
                                target: string;
                            };
                            /** @enum {string} */
                            phase: "Pending" | "Scheduled" | "Starting" | "Running" | "Stopping" | "Stopped" | "Deleting" | "Failed";
                            ports: {
                                guestPort: number;
                                hostAddress: string;
                                hostPort: number;
                                /** @enum {string} */
                                protocol: "tcp" | "udp";
                            }[];
                            quotaHeld: boolean;
                            startedAt?: string;
                            /** @default [] */
                            volumes: {
                                epoch: number;
                                name: string;
                                server: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectVmsNameConsole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        bytes: number;
                        text: string;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectVmsNameMigrate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    host?: string;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectVmsNameReboot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    hard?: boolean;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectVolumes: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "coronafs/v1";
                            /** @constant */
                            kind: "Volume";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @default 1 */
                                replicas: number;
                                sizeGib: number;
                                source?: {
                                    image?: {
                                        name: string;
                                        project?: string;
                                    };
                                    snapshot?: string;
                                };
                            };
                            status: {
                                attachment?: {
                                    holder: string;
                                    since: string;
                                };
                                /** @default 0 */
                                chargedGib: number;
                                conditions: {
                                    lastTransitionTime: string;
                                    message: string;
                                    observedRevision?: number;
                                    reason: string;
                                    /** @enum {string} */
                                    status: "True" | "False" | "Unknown";
                                    type: string;
                                }[];
                                copies: {
                                    inSync: boolean;
                                    nbd: string;
                                    /** @enum {string} */
                                    role: "primary" | "replica";
                                    server: string;
                                }[];
                                epoch: number;
                                message?: string;
                                /** @enum {string} */
                                phase: "Pending" | "Creating" | "Available" | "Attached" | "Failed" | "Deleting";
                                sizeBytes?: number;
                                volumeId?: string;
                            };
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectVolumes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "coronafs/v1";
                    /** @constant */
                    kind?: "Volume";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default 1 */
                        replicas?: number;
                        sizeGib: number;
                        source?: {
                            image?: {
                                name: string;
                                project?: string;
                            };
                            snapshot?: string;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectVolumesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "coronafs/v1";
                        /** @constant */
                        kind: "Volume";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default 1 */
                            replicas: number;
                            sizeGib: number;
                            source?: {
                                image?: {
                                    name: string;
                                    project?: string;
                                };
                                snapshot?: string;
                            };
                        };
                        status: {
                            attachment?: {
                                holder: string;
                                since: string;
                            };
                            /** @default 0 */
                            chargedGib: number;
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            copies: {
                                inSync: boolean;
                                nbd: string;
                                /** @enum {string} */
                                role: "primary" | "replica";
                                server: string;
                            }[];
                            epoch: number;
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Creating" | "Available" | "Attached" | "Failed" | "Deleting";
                            sizeBytes?: number;
                            volumeId?: string;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectVolumesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "coronafs/v1";
                    /** @constant */
                    kind?: "Volume";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default 1 */
                        replicas?: number;
                        sizeGib: number;
                        source?: {
                            image?: {
                                name: string;
                                project?: string;
                            };
                            snapshot?: string;
                        };
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "coronafs/v1";
                        /** @constant */
                        kind: "Volume";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default 1 */
                            replicas: number;
                            sizeGib: number;
                            source?: {
                                image?: {
                                    name: string;
                                    project?: string;
                                };
                                snapshot?: string;
                            };
                        };
                        status: {
                            attachment?: {
                                holder: string;
                                since: string;
                            };
                            /** @default 0 */
                            chargedGib: number;
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            copies: {
                                inSync: boolean;
                                nbd: string;
                                /** @enum {string} */
                                role: "primary" | "replica";
                                server: string;
                            }[];
                            epoch: number;
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Creating" | "Available" | "Attached" | "Failed" | "Deleting";
                            sizeBytes?: number;
                            volumeId?: string;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectVolumesName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "coronafs/v1";
                        /** @constant */
                        kind: "Volume";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default 1 */
                            replicas: number;
                            sizeGib: number;
                            source?: {
                                image?: {
                                    name: string;
                                    project?: string;
                                };
                                snapshot?: string;
                            };
                        };
                        status: {
                            attachment?: {
                                holder: string;
                                since: string;
                            };
                            /** @default 0 */
                            chargedGib: number;
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            copies: {
                                inSync: boolean;
                                nbd: string;
                                /** @enum {string} */
                                role: "primary" | "replica";
                                server: string;
                            }[];
                            epoch: number;
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Creating" | "Available" | "Attached" | "Failed" | "Deleting";
                            sizeBytes?: number;
                            volumeId?: string;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectVolumesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "coronafs/v1";
                        /** @constant */
                        kind: "Volume";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default 1 */
                            replicas: number;
                            sizeGib: number;
                            source?: {
                                image?: {
                                    name: string;
                                    project?: string;
                                };
                                snapshot?: string;
                            };
                        };
                        status: {
                            attachment?: {
                                holder: string;
                                since: string;
                            };
                            /** @default 0 */
                            chargedGib: number;
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                            copies: {
                                inSync: boolean;
                                nbd: string;
                                /** @enum {string} */
                                role: "primary" | "replica";
                                server: string;
                            }[];
                            epoch: number;
                            message?: string;
                            /** @enum {string} */
                            phase: "Pending" | "Creating" | "Available" | "Attached" | "Failed" | "Deleting";
                            sizeBytes?: number;
                            volumeId?: string;
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectVolumesNameAttach: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    force?: boolean;
                    holder: string;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        epoch: number;
                        exportName: string;
                        server: string;
                        sizeBytes: number;
                        url: string;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectVolumesNameDetach: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    holder: string;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attachment?: {
                            holder: string;
                            since: string;
                        };
                        /** @default 0 */
                        chargedGib: number;
                        conditions: {
                            lastTransitionTime: string;
                            message: string;
                            observedRevision?: number;
                            reason: string;
                            /** @enum {string} */
                            status: "True" | "False" | "Unknown";
                            type: string;
                        }[];
                        copies: {
                            inSync: boolean;
                            nbd: string;
                            /** @enum {string} */
                            role: "primary" | "replica";
                            server: string;
                        }[];
                        epoch: number;
                        message?: string;
                        /** @enum {string} */
                        phase: "Pending" | "Creating" | "Available" | "Attached" | "Failed" | "Deleting";
                        sizeBytes?: number;
                        volumeId?: string;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectVolumesNameResize: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    sizeGib: number;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectZones: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "flashdns/v1";
                            /** @constant */
                            kind: "Zone";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                dnsName: string;
                                hostmaster?: string;
                                /**
                                 * @default [
                                 *       "ns1.flashdns.invalid."
                                 *     ]
                                 */
                                nameservers: string[];
                                /**
                                 * @default {
                                 *       "expireSeconds": 1209600,
                                 *       "minimumSeconds": 300,
                                 *       "refreshSeconds": 3600,
                                 *       "retrySeconds": 600
                                 *     }
                                 */
                                soa: {
                                    /** @default 1209600 */
                                    expireSeconds: number;
                                    /** @default 300 */
                                    minimumSeconds: number;
                                    /** @default 3600 */
                                    refreshSeconds: number;
                                    /** @default 600 */
                                    retrySeconds: number;
                                };
                                /**
                                 * @default {
                                 *       "secondaries": []
                                 *     }
                                 */
                                transfer: {
                                    /** @default [] */
                                    secondaries: {
                                        address: string;
                                        /** @default 53 */
                                        port: number;
                                    }[];
                                    tsigKey?: string;
                                };
                                /** @default 3600 */
                                ttlSeconds: number;
                            };
                            status: {
                                /** @default 0 */
                                changeCount: number;
                                /** @default [] */
                                conditions: {
                                    lastTransitionTime: string;
                                    message: string;
                                    observedRevision?: number;
                                    reason: string;
                                    /** @enum {string} */
                                    status: "True" | "False" | "Unknown";
                                    type: string;
                                }[];
                            };
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectZones: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "flashdns/v1";
                    /** @constant */
                    kind?: "Zone";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        dnsName: string;
                        hostmaster?: string;
                        /**
                         * @default [
                         *       "ns1.flashdns.invalid."
                         *     ]
                         */
                        nameservers?: string[];
                        /**
                         * @default {
                         *       "expireSeconds": 1209600,
                         *       "minimumSeconds": 300,
                         *       "refreshSeconds": 3600,
                         *       "retrySeconds": 600
                         *     }
                         */
                        soa?: {
                            /** @default 1209600 */
                            expireSeconds?: number;
                            /** @default 300 */
                            minimumSeconds?: number;
                            /** @default 3600 */
                            refreshSeconds?: number;
                            /** @default 600 */
                            retrySeconds?: number;
                        };
                        /**
                         * @default {
                         *       "secondaries": []
                         *     }
                         */
                        transfer?: {
                            /** @default [] */
                            secondaries?: {
                                address: string;
                                /** @default 53 */
                                port?: number;
                            }[];
                            tsigKey?: string;
                        };
                        /** @default 3600 */
                        ttlSeconds?: number;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "flashdns/v1";
                        /** @constant */
                        kind: "Zone";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            dnsName: string;
                            hostmaster?: string;
                            /**
                             * @default [
                             *       "ns1.flashdns.invalid."
                             *     ]
                             */
                            nameservers: string[];
                            /**
                             * @default {
                             *       "expireSeconds": 1209600,
                             *       "minimumSeconds": 300,
                             *       "refreshSeconds": 3600,
                             *       "retrySeconds": 600
                             *     }
                             */
                            soa: {
                                /** @default 1209600 */
                                expireSeconds: number;
                                /** @default 300 */
                                minimumSeconds: number;
                                /** @default 3600 */
                                refreshSeconds: number;
                                /** @default 600 */
                                retrySeconds: number;
                            };
                            /**
                             * @default {
                             *       "secondaries": []
                             *     }
                             */
                            transfer: {
                                /** @default [] */
                                secondaries: {
                                    address: string;
                                    /** @default 53 */
                                    port: number;
                                }[];
                                tsigKey?: string;
                            };
                            /** @default 3600 */
                            ttlSeconds: number;
                        };
                        status: {
                            /** @default 0 */
                            changeCount: number;
                            /** @default [] */
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectZonesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "flashdns/v1";
                        /** @constant */
                        kind: "Zone";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            dnsName: string;
                            hostmaster?: string;
                            /**
                             * @default [
                             *       "ns1.flashdns.invalid."
                             *     ]
                             */
                            nameservers: string[];
                            /**
                             * @default {
                             *       "expireSeconds": 1209600,
                             *       "minimumSeconds": 300,
                             *       "refreshSeconds": 3600,
                             *       "retrySeconds": 600
                             *     }
                             */
                            soa: {
                                /** @default 1209600 */
                                expireSeconds: number;
                                /** @default 300 */
                                minimumSeconds: number;
                                /** @default 3600 */
                                refreshSeconds: number;
                                /** @default 600 */
                                retrySeconds: number;
                            };
                            /**
                             * @default {
                             *       "secondaries": []
                             *     }
                             */
                            transfer: {
                                /** @default [] */
                                secondaries: {
                                    address: string;
                                    /** @default 53 */
                                    port: number;
                                }[];
                                tsigKey?: string;
                            };
                            /** @default 3600 */
                            ttlSeconds: number;
                        };
                        status: {
                            /** @default 0 */
                            changeCount: number;
                            /** @default [] */
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1ProjectsProjectZonesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "flashdns/v1";
                    /** @constant */
                    kind?: "Zone";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        dnsName: string;
                        hostmaster?: string;
                        /**
                         * @default [
                         *       "ns1.flashdns.invalid."
                         *     ]
                         */
                        nameservers?: string[];
                        /**
                         * @default {
                         *       "expireSeconds": 1209600,
                         *       "minimumSeconds": 300,
                         *       "refreshSeconds": 3600,
                         *       "retrySeconds": 600
                         *     }
                         */
                        soa?: {
                            /** @default 1209600 */
                            expireSeconds?: number;
                            /** @default 300 */
                            minimumSeconds?: number;
                            /** @default 3600 */
                            refreshSeconds?: number;
                            /** @default 600 */
                            retrySeconds?: number;
                        };
                        /**
                         * @default {
                         *       "secondaries": []
                         *     }
                         */
                        transfer?: {
                            /** @default [] */
                            secondaries?: {
                                address: string;
                                /** @default 53 */
                                port?: number;
                            }[];
                            tsigKey?: string;
                        };
                        /** @default 3600 */
                        ttlSeconds?: number;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "flashdns/v1";
                        /** @constant */
                        kind: "Zone";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            dnsName: string;
                            hostmaster?: string;
                            /**
                             * @default [
                             *       "ns1.flashdns.invalid."
                             *     ]
                             */
                            nameservers: string[];
                            /**
                             * @default {
                             *       "expireSeconds": 1209600,
                             *       "minimumSeconds": 300,
                             *       "refreshSeconds": 3600,
                             *       "retrySeconds": 600
                             *     }
                             */
                            soa: {
                                /** @default 1209600 */
                                expireSeconds: number;
                                /** @default 300 */
                                minimumSeconds: number;
                                /** @default 3600 */
                                refreshSeconds: number;
                                /** @default 600 */
                                retrySeconds: number;
                            };
                            /**
                             * @default {
                             *       "secondaries": []
                             *     }
                             */
                            transfer: {
                                /** @default [] */
                                secondaries: {
                                    address: string;
                                    /** @default 53 */
                                    port: number;
                                }[];
                                tsigKey?: string;
                            };
                            /** @default 3600 */
                            ttlSeconds: number;
                        };
                        status: {
                            /** @default 0 */
                            changeCount: number;
                            /** @default [] */
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1ProjectsProjectZonesName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "flashdns/v1";
                        /** @constant */
                        kind: "Zone";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            dnsName: string;
                            hostmaster?: string;
                            /**
                             * @default [
                             *       "ns1.flashdns.invalid."
                             *     ]
                             */
                            nameservers: string[];
                            /**
                             * @default {
                             *       "expireSeconds": 1209600,
                             *       "minimumSeconds": 300,
                             *       "refreshSeconds": 3600,
                             *       "retrySeconds": 600
                             *     }
                             */
                            soa: {
                                /** @default 1209600 */
                                expireSeconds: number;
                                /** @default 300 */
                                minimumSeconds: number;
                                /** @default 3600 */
                                refreshSeconds: number;
                                /** @default 600 */
                                retrySeconds: number;
                            };
                            /**
                             * @default {
                             *       "secondaries": []
                             *     }
                             */
                            transfer: {
                                /** @default [] */
                                secondaries: {
                                    address: string;
                                    /** @default 53 */
                                    port: number;
                                }[];
                                tsigKey?: string;
                            };
                            /** @default 3600 */
                            ttlSeconds: number;
                        };
                        status: {
                            /** @default 0 */
                            changeCount: number;
                            /** @default [] */
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1ProjectsProjectZonesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "flashdns/v1";
                        /** @constant */
                        kind: "Zone";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            dnsName: string;
                            hostmaster?: string;
                            /**
                             * @default [
                             *       "ns1.flashdns.invalid."
                             *     ]
                             */
                            nameservers: string[];
                            /**
                             * @default {
                             *       "expireSeconds": 1209600,
                             *       "minimumSeconds": 300,
                             *       "refreshSeconds": 3600,
                             *       "retrySeconds": 600
                             *     }
                             */
                            soa: {
                                /** @default 1209600 */
                                expireSeconds: number;
                                /** @default 300 */
                                minimumSeconds: number;
                                /** @default 3600 */
                                refreshSeconds: number;
                                /** @default 600 */
                                retrySeconds: number;
                            };
                            /**
                             * @default {
                             *       "secondaries": []
                             *     }
                             */
                            transfer: {
                                /** @default [] */
                                secondaries: {
                                    address: string;
                                    /** @default 53 */
                                    port: number;
                                }[];
                                tsigKey?: string;
                            };
                            /** @default 3600 */
                            ttlSeconds: number;
                        };
                        status: {
                            /** @default 0 */
                            changeCount: number;
                            /** @default [] */
                            conditions: {
                                lastTransitionTime: string;
                                message: string;
                                observedRevision?: number;
                                reason: string;
                                /** @enum {string} */
                                status: "True" | "False" | "Unknown";
                                type: string;
                            }[];
                        };
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1ProjectsProjectZonesNameExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        serial: number;
                        text: string;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1ProjectsProjectZonesNameImport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    replace?: boolean;
                    text: string;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created: number;
                        deleted: number;
                        unchanged: number;
                        updated: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Ratecards: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "creditservice/v1";
                            /** @constant */
                            kind: "RateCard";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                ratesMilliPerHour: {
                                    [key: string]: number;
                                };
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1Ratecards: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "creditservice/v1";
                    /** @constant */
                    kind?: "RateCard";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        ratesMilliPerHour: {
                            [key: string]: number;
                        };
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "RateCard";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            ratesMilliPerHour: {
                                [key: string]: number;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1RatecardsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "RateCard";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            ratesMilliPerHour: {
                                [key: string]: number;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1RatecardsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "creditservice/v1";
                    /** @constant */
                    kind?: "RateCard";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        ratesMilliPerHour: {
                            [key: string]: number;
                        };
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "RateCard";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            ratesMilliPerHour: {
                                [key: string]: number;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1RatecardsName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "RateCard";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            ratesMilliPerHour: {
                                [key: string]: number;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1RatecardsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "creditservice/v1";
                        /** @constant */
                        kind: "RateCard";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            ratesMilliPerHour: {
                                [key: string]: number;
                            };
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Revocations: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "iam/v1";
                            /** @constant */
                            kind: "Revocation";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                expiresAt: number;
                                issuedBeforeMs?: number;
                                /** @enum {string} */
                                type: "token" | "session" | "subject";
                                value: string;
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1RevocationsName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Revocation";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            expiresAt: number;
                            issuedBeforeMs?: number;
                            /** @enum {string} */
                            type: "token" | "session" | "subject";
                            value: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Roles: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "iam/v1";
                            /** @constant */
                            kind: "Role";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @default  */
                                description: string;
                                /** @default [] */
                                excluded: string[];
                                permissions: string[];
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1Roles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "Role";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default  */
                        description?: string;
                        /** @default [] */
                        excluded?: string[];
                        permissions: string[];
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Role";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default [] */
                            excluded: string[];
                            permissions: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1RolesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Role";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default [] */
                            excluded: string[];
                            permissions: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1RolesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "Role";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default  */
                        description?: string;
                        /** @default [] */
                        excluded?: string[];
                        permissions: string[];
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Role";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default [] */
                            excluded: string[];
                            permissions: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1RolesName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Role";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default [] */
                            excluded: string[];
                            permissions: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1RolesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "Role";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default  */
                            description: string;
                            /** @default [] */
                            excluded: string[];
                            permissions: string[];
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Self: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1SelfPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1SigningkeysRotate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Storage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1StorageScrub: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1Users: {
        parameters: {
            query?: {
                limit?: number;
                continue?: string;
                labelSelector?: string;
                watch?: "0" | "1" | "true" | "false";
                revision?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        continue?: string;
                        items: {
                            /** @constant */
                            apiVersion: "iam/v1";
                            /** @constant */
                            kind: "User";
                            metadata: {
                                annotations: {
                                    [key: string]: string;
                                };
                                createdAt: string;
                                deletionTimestamp?: string;
                                finalizers?: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                name: string;
                                project?: string;
                                revision: number;
                                uid: string;
                                updatedAt: string;
                            };
                            spec: {
                                /** @default false */
                                disabled: boolean;
                                /** @default  */
                                displayName: string;
                                email?: string;
                            };
                            status: Record<string, never>;
                        }[];
                        revision: number;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1Users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "User";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default false */
                        disabled?: boolean;
                        /** @default  */
                        displayName?: string;
                        email?: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "User";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            disabled: boolean;
                            /** @default  */
                            displayName: string;
                            email?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1UsersName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "User";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            disabled: boolean;
                            /** @default  */
                            displayName: string;
                            email?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1UsersName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    apiVersion?: "iam/v1";
                    /** @constant */
                    kind?: "User";
                    metadata: {
                        annotations?: {
                            [key: string]: string;
                        };
                        createdAt?: string;
                        deletionTimestamp?: string;
                        finalizers?: string[];
                        labels?: {
                            [key: string]: string;
                        };
                        name: string;
                        project?: string;
                        revision?: number;
                        uid?: string;
                        updatedAt?: string;
                    };
                    spec: {
                        /** @default false */
                        disabled?: boolean;
                        /** @default  */
                        displayName?: string;
                        email?: string;
                    };
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "User";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            disabled: boolean;
                            /** @default  */
                            displayName: string;
                            email?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteV1UsersName: {
        parameters: {
            query?: {
                revision?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "User";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            disabled: boolean;
                            /** @default  */
                            displayName: string;
                            email?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchV1UsersName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata?: {
                        annotations?: {
                            [key: string]: string | null;
                        };
                        labels?: {
                            [key: string]: string | null;
                        };
                        revision?: number;
                    };
                    spec?: unknown;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        apiVersion: "iam/v1";
                        /** @constant */
                        kind: "User";
                        metadata: {
                            annotations: {
                                [key: string]: string;
                            };
                            createdAt: string;
                            deletionTimestamp?: string;
                            finalizers?: string[];
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                            project?: string;
                            revision: number;
                            uid: string;
                            updatedAt: string;
                        };
                        spec: {
                            /** @default false */
                            disabled: boolean;
                            /** @default  */
                            displayName: string;
                            email?: string;
                        };
                        status: Record<string, never>;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    putV1UsersNamePassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                };
            };
        };
        responses: {
            /** @description success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getV1VmsProjectNameConsole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        bytes: number;
                        text: string;
                    };
                };
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    postV1VmsProjectNameReboot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    hard?: boolean;
                };
            };
        };
        responses: {
            /** @description success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            details?: Record<string, never>;
                            message: string;
                        };
                    };
                };
            };
        };
    };
}
