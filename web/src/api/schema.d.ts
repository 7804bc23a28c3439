// Generated from the gateway's OpenAPI document by `npm run api:generate`: do not edit.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Healthz */
        get: operations["healthz_healthz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readyz */
        get: operations["readyz_readyz_get"];
        put?: never;
        post?: never;
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
        /**
         * Audit Log
         * @description Who did what in the organization, newest first.
         */
        get: operations["audit_log_v1_audit_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Callback
         * @description The provider sends the browser back here: a session starts (cookies).
         */
        get: operations["callback_v1_auth_callback_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Config */
        get: operations["config_v1_auth_config_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept
         * @description Join the organization an invitation is for (signed in, with its token).
         */
        post: operations["accept_v1_auth_invitations_accept_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Login
         * @description Start signing in: the browser goes to the OIDC provider.
         */
        get: operations["login_v1_auth_login_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Logout
         * @description End the session of this browser.
         */
        post: operations["logout_v1_auth_logout_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Invitations
         * @description The organization's invitations, newest first (their tokens are never shown again).
         */
        get: operations["list_invitations_v1_invitations_get"];
        put?: never;
        /**
         * Invite
         * @description Invite someone by email to a role; they accept after signing in (POST
         *     /v1/auth/invitations/accept with the token).
         */
        post: operations["invite_v1_invitations_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invitations/{invitation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Withdraw Invitation */
        delete: operations["withdraw_invitation_v1_invitations__invitation_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Keys */
        get: operations["list_keys_v1_keys_get"];
        put?: never;
        /**
         * Create Key
         * @description A new API key: the whole key is in this answer only.
         */
        post: operations["create_key_v1_keys_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke Key
         * @description Revoke a key: refused at once by this gateway, within seconds by the others.
         */
        delete: operations["revoke_key_v1_keys__key_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Me
         * @description Who the credentials belong to, in which organization and project.
         */
        get: operations["me_v1_me_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Members
         * @description The organization's members by name.
         */
        get: operations["list_members_v1_members_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove Member */
        delete: operations["remove_member_v1_members__user_id__delete"];
        options?: never;
        head?: never;
        /** Change Member */
        patch: operations["change_member_v1_members__user_id__patch"];
        trace?: never;
    };
    "/v1/operation-kinds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Kinds */
        get: operations["list_kinds_v1_operation_kinds_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operation-kinds/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Kind */
        get: operations["get_kind_v1_operation_kinds__name__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Operations
         * @description The project's operations in name order; ``next_after`` continues the listing.
         */
        get: operations["list_operations_v1_operations_get"];
        put?: never;
        /**
         * Create Operation
         * @description Define a project operation (YAML or JSON), used in workflows as ``op/<name>``.
         */
        post: operations["create_operation_v1_operations_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operations/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Operation */
        get: operations["get_operation_v1_operations__name__get"];
        /**
         * Put Operation
         * @description Create or replace; each change makes a new version, an identical body changes nothing.
         *
         *     Workflow versions already stored keep the version they were stored with.
         */
        put: operations["put_operation_v1_operations__name__put"];
        post?: never;
        /**
         * Delete Operation
         * @description Workflow versions stored with it keep their snapshot; new ones can no longer use it.
         */
        delete: operations["delete_operation_v1_operations__name__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organization": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Organization */
        get: operations["get_organization_v1_organization_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Rename Organization */
        patch: operations["rename_organization_v1_organization_patch"];
        trace?: never;
    };
    "/v1/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My Organizations
         * @description The organizations the signed-in person belongs to, with their role in each (name one
         *     in the Raikoo-Organization header to act in it).
         */
        get: operations["my_organizations_v1_organizations_get"];
        put?: never;
        /**
         * Create Organization
         * @description A new organization, with a default project, owned by the signed-in person.
         */
        post: operations["create_organization_v1_organizations_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Projects
         * @description The organization's projects by slug (a project-bound key sees its own).
         */
        get: operations["list_projects_v1_projects_get"];
        put?: never;
        /** Create Project */
        post: operations["create_project_v1_projects_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Runs
         * @description The project's runs, newest first.
         */
        get: operations["list_runs_v1_runs_get"];
        put?: never;
        /**
         * Create Run
         * @description Start a run of a stored workflow or an inline definition.
         *
         *     With an idempotency key (body or ``Idempotency-Key`` header), repeating the request
         *     returns the run it created (200); reusing the key for different inputs is a 409.
         */
        post: operations["create_run_v1_runs_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Run */
        get: operations["get_run_v1_runs__run_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Approvals
         * @description The run's operations waiting for a decision, with what they ask.
         */
        get: operations["list_approvals_v1_runs__run_id__approvals_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/approvals/{op_key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide
         * @description Approve or reject an open approval; the run goes on once the scheduler applies it.
         */
        post: operations["decide_v1_runs__run_id__approvals__op_key__post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/artifacts/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download
         * @description Stream an artifact of the run. ``path`` is the part of its key after the run
         *     (``<operation>/<name>``), or the whole key of a reference.
         */
        get: operations["download_v1_runs__run_id__artifacts__path__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel Run
         * @description Ask the run to stop: queued operations never start, running ones are cut. Answers
         *     the run as it was when asked.
         */
        post: operations["cancel_run_v1_runs__run_id__cancel_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream Events
         * @description Server-sent events: run and operation state changes, replayed then live.
         *
         *     Each event's ``id`` is its sequence number; reconnecting with ``Last-Event-ID``
         *     resumes without gaps or repeats. The stream ends after the run's final state.
         */
        get: operations["stream_events_v1_runs__run_id__events_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/operations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Operations
         * @description Operation runs in plan order, a loop's body runs in item order.
         */
        get: operations["get_operations_v1_runs__run_id__operations_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Secrets
         * @description The secrets of one scope, by name (templates read them as ``secrets.NAME``).
         */
        get: operations["list_secrets_v1_secrets_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/secrets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Put Secret
         * @description Write a secret (recorded in the audit log as ``secret.written``, without its value).
         */
        put: operations["put_secret_v1_secrets__name__put"];
        post?: never;
        /**
         * Delete Secret
         * @description Remove a secret of one scope (recorded in the audit log as ``secret.deleted``).
         */
        delete: operations["delete_secret_v1_secrets__name__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List All
         * @description The project's workflows in name order, each with its latest version.
         */
        get: operations["list_all_v1_workflows_get"];
        put?: never;
        /**
         * Create Version
         * @description Store a definition (YAML or JSON) as a new immutable version of its workflow.
         *
         *     Posting a definition identical to the latest version stores nothing and answers 200.
         */
        post: operations["create_version_v1_workflows_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Validate
         * @description Check a definition (YAML or JSON) as storing it would, storing nothing: every
         *     problem is in the 422 answer with its path (and line, for text). The web console asks
         *     this while a workflow is edited.
         */
        post: operations["validate_v1_workflows_validate_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Latest */
        get: operations["get_latest_v1_workflows__name__get"];
        /**
         * Apply
         * @description Make ``name``'s latest version this definition (YAML or JSON): a new version only
         *     when it differs from the latest (201), else nothing changes (200), so applying the same
         *     files again is idempotent. The definition's ``name`` may be left out; if given it must
         *     be ``name``.
         */
        put: operations["apply_v1_workflows__name__put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Diff
         * @description What changed between two versions of the workflow.
         */
        get: operations["diff_v1_workflows__name__diff_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export
         * @description The definition as a file to keep in git (YAML; JSON when asked with ``Accept``),
         *     defaults left out. Storing it again (``PUT``) makes no new version.
         */
        get: operations["export_v1_workflows__name__export_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Versions
         * @description The workflow's versions, newest first (without their definitions).
         */
        get: operations["versions_v1_workflows__name__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Version */
        get: operations["get_version_v1_workflows__name__versions__version__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AcceptBody */
        AcceptBody: {
            /** Token */
            token: string;
        };
        /** Accepted */
        Accepted: {
            /** Organization Id */
            organization_id: string;
        };
        /** AuditEvent */
        AuditEvent: {
            /** Action */
            action: string;
            /** Actor */
            actor: string;
            /** Actor Id */
            actor_id: string;
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Details */
            details: {
                [key: string]: unknown;
            } | null;
            /** Id */
            id: number;
            /** Project Id */
            project_id: string | null;
            /** Target */
            target: string | null;
        };
        /** AuthConfig */
        AuthConfig: {
            /** Login Url */
            login_url: string | null;
            /**
             * Oidc
             * @description Whether sign-in through OIDC is configured
             */
            oidc: boolean;
        };
        /**
         * CancelBody
         * @example {
         *       "reason": "wrong inputs"
         *     }
         */
        CancelBody: {
            /**
             * Reason
             * @default cancelled by request
             */
            reason?: string;
        };
        /**
         * DecisionBody
         * @example {
         *       "comment": "Checked the totals",
         *       "decision": "approve"
         *     }
         */
        DecisionBody: {
            /** Comment */
            comment?: string | null;
            /**
             * Decision
             * @enum {string}
             */
            decision: "approve" | "reject";
        };
        /**
         * Failure
         * @description Why a run or an operation failed.
         */
        Failure: {
            /**
             * Kind
             * @description One of the error kinds (docs/operations.md): timeout, …
             */
            kind: string;
            /** Message */
            message: string;
            /**
             * Retryable
             * @default true
             */
            retryable?: boolean;
            /**
             * Where
             * @description The operation or field it names
             */
            where?: string | null;
        };
        /** Invitation */
        Invitation: {
            /** Accepted At */
            accepted_at: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Email */
            email: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Invited By */
            invited_by: string;
            /**
             * Role
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
        };
        /** InvitationCreated */
        InvitationCreated: {
            /** Accepted At */
            accepted_at: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Email */
            email: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Invited By */
            invited_by: string;
            /**
             * Role
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
            /**
             * Token
             * @description Shown once: the invitee accepts with it after signing in
             */
            token: string;
        };
        /**
         * InvitationIn
         * @example {
         *       "email": "ada@example.com",
         *       "role": "editor"
         *     }
         */
        InvitationIn: {
            /** Email */
            email: string;
            /**
             * Role
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
        };
        /** Key */
        Key: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: string;
            /** Expires At */
            expires_at: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            /**
             * Prefix
             * @description The visible start of the key, to recognise it
             */
            prefix: string;
            /** Project */
            project: string | null;
            /** Revoked At */
            revoked_at: string | null;
            /**
             * Role
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
        };
        /** KeyCreated */
        KeyCreated: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: string;
            /** Expires At */
            expires_at: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Key
             * @description The whole key: shown once, stored only as a hash
             */
            key: string;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            /**
             * Prefix
             * @description The visible start of the key, to recognise it
             */
            prefix: string;
            /** Project */
            project: string | null;
            /** Revoked At */
            revoked_at: string | null;
            /**
             * Role
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
        };
        /**
         * KeyIn
         * @example {
         *       "expires_at": "2027-06-30T00:00:00Z",
         *       "name": "ci-deploy",
         *       "project": "billing",
         *       "role": "editor"
         *     }
         */
        KeyIn: {
            /** Expires At */
            expires_at?: string | null;
            /** Name */
            name: string;
            /**
             * Project
             * @description Bind the key to this project (slug)
             */
            project?: string | null;
            /**
             * Role
             * @description At most the creator's own role
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
        };
        /** LoopProgress */
        LoopProgress: {
            /** Active */
            active: number;
            /** Done */
            done: number;
            /** Failed */
            failed: number;
            /** Key */
            key: string;
            /** Kind */
            kind: string;
            /** Max Iterations */
            max_iterations: number | null;
            state: components["schemas"]["OpState"];
            /**
             * Total
             * @description Body runs it launches; null for while/until
             */
            total: number | null;
        };
        /** Me */
        Me: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Kind
             * @description key or user
             */
            kind: string;
            /** Name */
            name: string;
            /** Organization */
            organization: string;
            /**
             * Project
             * Format: uuid
             */
            project: string;
            /**
             * Project Bound
             * @description Whether this caller acts in this project only
             */
            project_bound: boolean;
            /**
             * Role
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
        };
        /** Member */
        Member: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Email */
            email: string | null;
            /** Name */
            name: string;
            /**
             * Role
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
            /**
             * User Id
             * Format: uuid
             */
            user_id: string;
        };
        /**
         * MemberPatch
         * @example {
         *       "role": "admin"
         *     }
         */
        MemberPatch: {
            /**
             * Role
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
        };
        /** Membership */
        Membership: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /**
             * Role
             * @description The signed-in person's role in it
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin" | "owner";
            /** Slug */
            slug: string;
        };
        /**
         * OpState
         * @enum {string}
         */
        OpState: "pending" | "ready" | "running" | "retrying" | "waiting" | "succeeded" | "failed" | "skipped" | "cancelled";
        /** OperationCounts */
        OperationCounts: {
            /** Active */
            active: number;
            /** Failed */
            failed: number;
            /** Finished */
            finished: number;
            /** Total */
            total: number;
        };
        /** OperationRun */
        OperationRun: {
            /** Attempt */
            attempt: number;
            error: components["schemas"]["Failure"] | null;
            /** Finished At */
            finished_at: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Item Index
             * @description The item of its loop, for a loop's body run
             */
            item_index: number | null;
            /** Key */
            key: string;
            /** Kind */
            kind: string;
            /**
             * Next Attempt At
             * @description When a retrying operation tries again
             */
            next_attempt_at: string | null;
            /** Output */
            output: unknown;
            /** Ready At */
            ready_at: string | null;
            /** Started At */
            started_at: string | null;
            state: components["schemas"]["OpState"];
        };
        /** Organization */
        Organization: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Slug */
            slug: string;
        };
        /**
         * OrganizationIn
         * @example {
         *       "name": "Acme Corp",
         *       "slug": "acme"
         *     }
         */
        OrganizationIn: {
            /** Name */
            name: string;
            /**
             * Slug
             * @description lowercase letters, digits, -
             */
            slug: string;
        };
        /**
         * OrganizationPatch
         * @example {
         *       "name": "Acme Corporation"
         *     }
         */
        OrganizationPatch: {
            /** Name */
            name: string;
        };
        /** PageOut[AuditEvent] */
        PageOut_AuditEvent_: {
            /** Items */
            items: components["schemas"]["AuditEvent"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Invitation] */
        PageOut_Invitation_: {
            /** Items */
            items: components["schemas"]["Invitation"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Key] */
        PageOut_Key_: {
            /** Items */
            items: components["schemas"]["Key"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Member] */
        PageOut_Member_: {
            /** Items */
            items: components["schemas"]["Member"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Membership] */
        PageOut_Membership_: {
            /** Items */
            items: components["schemas"]["Membership"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[OperationRun] */
        PageOut_OperationRun_: {
            /** Items */
            items: components["schemas"]["OperationRun"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Project] */
        PageOut_Project_: {
            /** Items */
            items: components["schemas"]["Project"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[RunSummary] */
        PageOut_RunSummary_: {
            /** Items */
            items: components["schemas"]["RunSummary"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Secret] */
        PageOut_Secret_: {
            /** Items */
            items: components["schemas"]["Secret"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[WorkflowSummary] */
        PageOut_WorkflowSummary_: {
            /** Items */
            items: components["schemas"]["WorkflowSummary"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[WorkflowVersion] */
        PageOut_WorkflowVersion_: {
            /** Items */
            items: components["schemas"]["WorkflowVersion"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /**
         * ParentRef
         * @description The run and operation (a ``workflow.call``) that started this run.
         */
        ParentRef: {
            /**
             * Op Run Id
             * Format: uuid
             */
            op_run_id: string;
            /**
             * Run Id
             * Format: uuid
             */
            run_id: string;
        };
        /**
         * ProblemDocument
         * @description What every answer that is not a success carries (RFC 9457), and some members of
         *     their own (``errors``, ``required_role``, …).
         */
        Problem: {
            /**
             * Detail
             * @description What went wrong with this request, and where
             */
            detail: string;
            /**
             * Instance
             * @description The path of the request
             */
            instance: string;
            /** Status */
            status: number;
            /** Title */
            title: string;
            /**
             * Type
             * @description A URI naming the kind of problem: …/problems/<slug>
             */
            type: string;
        } & {
            [key: string]: unknown;
        };
        /** Project */
        Project: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Slug */
            slug: string;
        };
        /**
         * ProjectIn
         * @example {
         *       "name": "Billing automations",
         *       "slug": "billing"
         *     }
         */
        ProjectIn: {
            /** Name */
            name: string;
            /** Slug */
            slug: string;
        };
        /** Run */
        Run: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            error: components["schemas"]["Failure"] | null;
            /** Finished At */
            finished_at: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Idempotency Key */
            idempotency_key: string | null;
            /** Inputs */
            inputs: {
                [key: string]: unknown;
            };
            /**
             * Loops
             * @description The progress of each loop operation, in plan order
             */
            loops: components["schemas"]["LoopProgress"][];
            operations: components["schemas"]["OperationCounts"];
            /** Outputs */
            outputs: {
                [key: string]: unknown;
            } | null;
            parent: components["schemas"]["ParentRef"] | null;
            /** Started At */
            started_at: string | null;
            state: components["schemas"]["RunState"];
            /** Trigger */
            trigger: string;
            workflow: components["schemas"]["WorkflowRef"];
        };
        /**
         * RunCreate
         * @example {
         *       "idempotency_key": "n-42",
         *       "inputs": {
         *         "rows": 100
         *       },
         *       "workflow": "csv-enrichment"
         *     }
         * @example {
         *       "definition": {
         *         "inputs": {
         *           "who": {
         *             "default": "world",
         *             "type": "string"
         *           }
         *         },
         *         "name": "hello",
         *         "operations": {
         *           "greet": {
         *             "uses": "set",
         *             "with": {
         *               "text": "Hello, {{ inputs.who }}!"
         *             }
         *           }
         *         },
         *         "outputs": {
         *           "text": "{{ ops.greet.output.text }}"
         *         }
         *       },
         *       "inputs": {
         *         "who": "Ada"
         *       }
         *     }
         */
        RunCreate: {
            /**
             * Definition
             * @description An inline definition (object, or YAML/JSON text)
             */
            definition?: {
                [key: string]: unknown;
            } | string | null;
            /** Idempotency Key */
            idempotency_key?: string | null;
            /** Inputs */
            inputs?: {
                [key: string]: unknown;
            };
            /**
             * Trigger
             * @default api
             */
            trigger?: string;
            /**
             * Version
             * @description Default: the latest version
             */
            version?: number | null;
            /**
             * Workflow
             * @description Name of a stored workflow
             */
            workflow?: string | null;
        };
        /**
         * RunState
         * @enum {string}
         */
        RunState: "queued" | "running" | "waiting" | "succeeded" | "failed" | "cancelled";
        /** RunSummary */
        RunSummary: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            error: components["schemas"]["Failure"] | null;
            /** Finished At */
            finished_at: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Idempotency Key */
            idempotency_key: string | null;
            /** Inputs */
            inputs: {
                [key: string]: unknown;
            };
            operations: components["schemas"]["OperationCounts"];
            /** Outputs */
            outputs: {
                [key: string]: unknown;
            } | null;
            parent: components["schemas"]["ParentRef"] | null;
            /** Started At */
            started_at: string | null;
            state: components["schemas"]["RunState"];
            /** Trigger */
            trigger: string;
            workflow: components["schemas"]["WorkflowRef"];
        };
        /**
         * Secret
         * @description A secret as the API shows it: never its value.
         */
        Secret: {
            /**
             * Name
             * @description Templates read it as secrets.NAME
             */
            name: string;
            /**
             * Project
             * @description The project's slug; null when organization-wide
             */
            project: string | null;
            /**
             * Scope
             * @enum {string}
             */
            scope: "organization" | "project";
            /**
             * Updated At
             * @description When its value was last written; null if written before Raikoo kept it
             */
            updated_at: string | null;
        };
        /**
         * SecretBody
         * @example {
         *       "value": "sk-live-1f2e3d4c5b6a"
         *     }
         */
        SecretBody: {
            /**
             * Value
             * @description At least 8 characters. Never returned by the API.
             */
            value: string;
        };
        /** VersionDiff */
        VersionDiff: {
            /** Added Operations */
            added_operations: string[];
            /**
             * Changed Fields
             * @description Top-level fields other than operations
             */
            changed_fields: string[];
            /** Changed Operations */
            changed_operations: string[];
            /** From Version */
            from_version: number;
            /** Identical */
            identical: boolean;
            /** Name */
            name: string;
            /**
             * Pinned Operations Changed
             * @description Project operations pinned at another version
             */
            pinned_operations_changed: string[];
            /** Removed Operations */
            removed_operations: string[];
            /** To Version */
            to_version: number;
            /**
             * Unified
             * @description A unified diff of the two definitions as YAML
             */
            unified: string;
        };
        /** WorkflowRef */
        WorkflowRef: {
            /** Name */
            name: string;
            /** Version */
            version: number;
        };
        /** WorkflowSummary */
        WorkflowSummary: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Latest Version */
            latest_version: number;
            /** Name */
            name: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** WorkflowValidation */
        WorkflowValidation: {
            /** Name */
            name: string;
            /**
             * Operations
             * @description The definition's operation keys
             */
            operations: string[];
            /**
             * Project Operations
             * @description The project operations it would pin
             */
            project_operations: string[];
            /**
             * Valid
             * @description Always true: an invalid definition is a 422 problem
             */
            valid: boolean;
        };
        /** WorkflowVersion */
        WorkflowVersion: {
            /**
             * Created
             * @description Whether this request stored it; false: the latest version was the same
             */
            created: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Digest
             * @description SHA-256 of the canonical definition and pinned operations
             */
            digest: string;
            /**
             * Id
             * Format: uuid
             * @description The workflow's id (the same for all its versions)
             */
            id: string;
            /** Name */
            name: string;
            /** Version */
            version: number;
            /**
             * Version Id
             * Format: uuid
             */
            version_id: string;
        };
        /** WorkflowVersionDetail */
        WorkflowVersionDetail: {
            /**
             * Created
             * @description Whether this request stored it; false: the latest version was the same
             */
            created: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Definition
             * @description The canonical definition (defaults spelled)
             */
            definition: {
                [key: string]: unknown;
            };
            /**
             * Digest
             * @description SHA-256 of the canonical definition and pinned operations
             */
            digest: string;
            /**
             * Id
             * Format: uuid
             * @description The workflow's id (the same for all its versions)
             */
            id: string;
            /** Name */
            name: string;
            /**
             * Operations
             * @description The project operations it pins, by name
             */
            operations?: {
                [key: string]: unknown;
            } | null;
            /** Version */
            version: number;
            /**
             * Version Id
             * Format: uuid
             */
            version_id: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    healthz_healthz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    readyz_readyz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    audit_log_v1_audit_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
                action?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_AuditEvent_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    callback_v1_auth_callback_get: {
        parameters: {
            query?: {
                code?: string | null;
                state?: string | null;
                error?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    config_v1_auth_config_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthConfig"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    accept_v1_auth_invitations_accept_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AcceptBody"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Accepted"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    login_v1_auth_login_get: {
        parameters: {
            query?: {
                next?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    logout_v1_auth_logout_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_invitations_v1_invitations_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_Invitation_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    invite_v1_invitations_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationCreated"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    withdraw_invitation_v1_invitations__invitation_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                invitation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_keys_v1_keys_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_Key_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_key_v1_keys_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["KeyIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyCreated"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revoke_key_v1_keys__key_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    me_v1_me_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_members_v1_members_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_Member_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    remove_member_v1_members__user_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    change_member_v1_members__user_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberPatch"];
            };
        };
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_kinds_v1_operation_kinds_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_kind_v1_operation_kinds__name__get: {
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
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_operations_v1_operations_get: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Only names after this one */
                after?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_operation_v1_operations_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "inputs": {
                 *         "who": {
                 *           "default": "world",
                 *           "type": "string"
                 *         }
                 *       },
                 *       "name": "hello",
                 *       "operations": {
                 *         "greet": {
                 *           "uses": "set",
                 *           "with": {
                 *             "text": "Hello, {{ inputs.who }}!"
                 *           }
                 *         }
                 *       },
                 *       "outputs": {
                 *         "text": "{{ ops.greet.output.text }}"
                 *       }
                 *     }
                 */
                "application/json": Record<string, never>;
                /**
                 * @example name: hello
                 *     inputs:
                 *       who: {type: string, default: world}
                 *     operations:
                 *       greet:
                 *         uses: set
                 *         with: {text: 'Hello, {{ inputs.who }}!'}
                 *     outputs: {text: '{{ ops.greet.output.text }}'}
                 */
                "application/yaml": string;
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_operation_v1_operations__name__get: {
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
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    put_operation_v1_operations__name__put: {
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
                /**
                 * @example {
                 *       "inputs": {
                 *         "who": {
                 *           "default": "world",
                 *           "type": "string"
                 *         }
                 *       },
                 *       "name": "hello",
                 *       "operations": {
                 *         "greet": {
                 *           "uses": "set",
                 *           "with": {
                 *             "text": "Hello, {{ inputs.who }}!"
                 *           }
                 *         }
                 *       },
                 *       "outputs": {
                 *         "text": "{{ ops.greet.output.text }}"
                 *       }
                 *     }
                 */
                "application/json": Record<string, never>;
                /**
                 * @example name: hello
                 *     inputs:
                 *       who: {type: string, default: world}
                 *     operations:
                 *       greet:
                 *         uses: set
                 *         with: {text: 'Hello, {{ inputs.who }}!'}
                 *     outputs: {text: '{{ ops.greet.output.text }}'}
                 */
                "application/yaml": string;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_operation_v1_operations__name__delete: {
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
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_organization_v1_organization_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rename_organization_v1_organization_patch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationPatch"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    my_organizations_v1_organizations_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_Membership_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_organization_v1_organizations_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_projects_v1_projects_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_Project_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_project_v1_projects_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProjectIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_runs_v1_runs_get: {
        parameters: {
            query?: {
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
                /** @description Only runs in this state */
                state?: components["schemas"]["RunState"] | null;
                /** @description Only runs of this workflow */
                workflow?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_RunSummary_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_run_v1_runs_post: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCreate"];
            };
        };
        responses: {
            /** @description The run this idempotency key started */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_run_v1_runs__run_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_approvals_v1_runs__run_id__approvals_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    decide_v1_runs__run_id__approvals__op_key__post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
                op_key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DecisionBody"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    download_v1_runs__run_id__artifacts__path__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancel_run_v1_runs__run_id__cancel_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CancelBody"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    stream_events_v1_runs__run_id__events_get: {
        parameters: {
            query?: {
                /** @description Replay events after this seq */
                after?: number;
            };
            header?: {
                "last-event-id"?: number | null;
            };
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_operations_v1_runs__run_id__operations_get: {
        parameters: {
            query?: {
                /** @description Only the body runs of this loop operation */
                loop?: string | null;
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_OperationRun_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_secrets_v1_secrets_get: {
        parameters: {
            query?: {
                /** @description organization: the organization-wide secrets; project: the request's project's own (Raikoo-Project header, or the key's project), which override an organization-wide secret of the same name in that project's runs */
                scope?: "organization" | "project";
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_Secret_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    put_secret_v1_secrets__name__put: {
        parameters: {
            query?: {
                /** @description organization: the organization-wide secrets; project: the request's project's own (Raikoo-Project header, or the key's project), which override an organization-wide secret of the same name in that project's runs */
                scope?: "organization" | "project";
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecretBody"];
            };
        };
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_secret_v1_secrets__name__delete: {
        parameters: {
            query?: {
                /** @description organization: the organization-wide secrets; project: the request's project's own (Raikoo-Project header, or the key's project), which override an organization-wide secret of the same name in that project's runs */
                scope?: "organization" | "project";
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_all_v1_workflows_get: {
        parameters: {
            query?: {
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
                /** @description Names starting so */
                prefix?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_WorkflowSummary_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_version_v1_workflows_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "inputs": {
                 *         "who": {
                 *           "default": "world",
                 *           "type": "string"
                 *         }
                 *       },
                 *       "name": "hello",
                 *       "operations": {
                 *         "greet": {
                 *           "uses": "set",
                 *           "with": {
                 *             "text": "Hello, {{ inputs.who }}!"
                 *           }
                 *         }
                 *       },
                 *       "outputs": {
                 *         "text": "{{ ops.greet.output.text }}"
                 *       }
                 *     }
                 */
                "application/json": Record<string, never>;
                /**
                 * @example name: hello
                 *     inputs:
                 *       who: {type: string, default: world}
                 *     operations:
                 *       greet:
                 *         uses: set
                 *         with: {text: 'Hello, {{ inputs.who }}!'}
                 *     outputs: {text: '{{ ops.greet.output.text }}'}
                 */
                "application/yaml": string;
            };
        };
        responses: {
            /** @description The same as the latest version: nothing stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowVersion"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowVersion"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    validate_v1_workflows_validate_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "inputs": {
                 *         "who": {
                 *           "default": "world",
                 *           "type": "string"
                 *         }
                 *       },
                 *       "name": "hello",
                 *       "operations": {
                 *         "greet": {
                 *           "uses": "set",
                 *           "with": {
                 *             "text": "Hello, {{ inputs.who }}!"
                 *           }
                 *         }
                 *       },
                 *       "outputs": {
                 *         "text": "{{ ops.greet.output.text }}"
                 *       }
                 *     }
                 */
                "application/json": Record<string, never>;
                /**
                 * @example name: hello
                 *     inputs:
                 *       who: {type: string, default: world}
                 *     operations:
                 *       greet:
                 *         uses: set
                 *         with: {text: 'Hello, {{ inputs.who }}!'}
                 *     outputs: {text: '{{ ops.greet.output.text }}'}
                 */
                "application/yaml": string;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowValidation"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_latest_v1_workflows__name__get: {
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
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowVersionDetail"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    apply_v1_workflows__name__put: {
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
                /**
                 * @example {
                 *       "inputs": {
                 *         "who": {
                 *           "default": "world",
                 *           "type": "string"
                 *         }
                 *       },
                 *       "name": "hello",
                 *       "operations": {
                 *         "greet": {
                 *           "uses": "set",
                 *           "with": {
                 *             "text": "Hello, {{ inputs.who }}!"
                 *           }
                 *         }
                 *       },
                 *       "outputs": {
                 *         "text": "{{ ops.greet.output.text }}"
                 *       }
                 *     }
                 */
                "application/json": Record<string, never>;
                /**
                 * @example name: hello
                 *     inputs:
                 *       who: {type: string, default: world}
                 *     operations:
                 *       greet:
                 *         uses: set
                 *         with: {text: 'Hello, {{ inputs.who }}!'}
                 *     outputs: {text: '{{ ops.greet.output.text }}'}
                 */
                "application/yaml": string;
            };
        };
        responses: {
            /** @description The same as the latest version: nothing stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowVersion"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowVersion"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    diff_v1_workflows__name__diff_get: {
        parameters: {
            query: {
                /** @description The older version */
                from: number;
                /** @description Default: the latest */
                to?: number | null;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDiff"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    export_v1_workflows__name__export_get: {
        parameters: {
            query?: {
                /** @description Default: the latest */
                version?: number | null;
            };
            header?: {
                accept?: string | null;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The definition (a YAML document; JSON when asked) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                    "application/yaml": Record<string, never>;
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    versions_v1_workflows__name__versions_get: {
        parameters: {
            query?: {
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageOut_WorkflowVersion_"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_version_v1_workflows__name__versions__version__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowVersionDetail"];
                };
            };
            /** @description A problem (RFC 9457): every answer that is not a success */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
