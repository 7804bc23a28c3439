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
    "/v1/budgets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Budgets
         * @description The budgets the request's project's AI calls count against: the organization's and
         *     the project's own, each monthly one with this month's figures.
         */
        get: operations["list_budgets_v1_budgets_get"];
        /**
         * Put Budget
         * @description Set a budget (one per scope, period and unit; setting it again changes its limit).
         *     Recorded in the audit log as ``budget.set``. A call that would exceed it is never made:
         *     its operation fails with ``budget_exceeded``.
         */
        put: operations["put_budget_v1_budgets_put"];
        post?: never;
        /**
         * Delete Budget
         * @description Remove a budget and its figures (recorded in the audit log as ``budget.deleted``).
         */
        delete: operations["delete_budget_v1_budgets_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Chats
         * @description The caller's chats in the project, the most recently active first.
         */
        get: operations["list_chats_v1_chats_get"];
        put?: never;
        /**
         * Open Chat
         * @description Open a thread with a persona (its chat workflow is generated and stored, once per
         *     persona and settings) or with a chat workflow of the project.
         */
        post: operations["open_chat_v1_chats_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats/{chat_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Chat */
        get: operations["get_chat_v1_chats__chat_id__get"];
        put?: never;
        post?: never;
        /**
         * Delete Chat
         * @description Forget the thread and its messages (the runs that answered stay, as runs do).
         */
        delete: operations["delete_chat_v1_chats__chat_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats/{chat_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Messages
         * @description The thread, oldest first: each message with its answer (or where its run stands).
         */
        get: operations["list_messages_v1_chats__chat_id__messages_get"];
        put?: never;
        /**
         * Post Message
         * @description Send a message; a run answers it with the conversation so far. One message at a
         *     time: while the previous one is being answered, a new one is a 409.
         */
        post: operations["post_message_v1_chats__chat_id__messages_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats/{chat_id}/messages/{message_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Message
         * @description One message, with its answer once its run has one (or where its run stands).
         */
        get: operations["get_message_v1_chats__chat_id__messages__message_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embed-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Embed Tokens
         * @description The project's embed tokens, newest first (their secrets are never shown again).
         */
        get: operations["list_embed_tokens_v1_embed_tokens_get"];
        put?: never;
        /**
         * Create Embed Token
         * @description A token for the run widget: it starts runs of ``workflow`` and reads those runs, from
         *     pages of ``origins``. The whole token is in this answer only.
         */
        post: operations["create_embed_token_v1_embed_tokens_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embed-tokens/{token_id}": {
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
         * Revoke Embed Token
         * @description Revoke a token: refused at once by this gateway, within seconds by the others.
         */
        delete: operations["revoke_embed_token_v1_embed_tokens__token_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embed/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start Embedded Run
         * @description Start a run of the token's workflow (its pinned version, or the latest).
         */
        post: operations["start_embedded_run_v1_embed_runs_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embed/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Embedded Run
         * @description A run this token started: its state, counts and outputs.
         */
        get: operations["get_embedded_run_v1_embed_runs__run_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embed/runs/{run_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream Embedded Run
         * @description A run this token started, as server-sent events (as ``GET /v1/runs/{id}/events``).
         */
        get: operations["stream_embedded_run_v1_embed_runs__run_id__events_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embed/workflow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Embedded Workflow
         * @description The token's workflow as a run started now would run it: its inputs (for the form),
         *     its operations and the names of its outputs.
         */
        get: operations["embedded_workflow_v1_embed_workflow_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/hooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Hooks
         * @description The project's hooks, by name (never their secrets).
         */
        get: operations["list_hooks_v1_hooks_get"];
        put?: never;
        /**
         * Create Hook
         * @description A hook of a stored workflow; its secret is in this answer only.
         */
        post: operations["create_hook_v1_hooks_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/hooks/{hook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Hook */
        get: operations["get_hook_v1_hooks__hook_id__get"];
        put?: never;
        /**
         * Call Hook
         * @description Start a run of the hook's workflow. Signed with the Standard Webhooks headers
         *     (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``); a message id is taken
         *     once. Answers 202 with the run id, or 200 with its outputs when it finished within
         *     ``wait`` seconds.
         */
        post: operations["call_hook_v1_hooks__hook_id__post"];
        /** Delete Hook */
        delete: operations["delete_hook_v1_hooks__hook_id__delete"];
        options?: never;
        head?: never;
        /**
         * Update Hook
         * @description Change a hook (``enabled: false`` stops it answering: calls get 404).
         */
        patch: operations["update_hook_v1_hooks__hook_id__patch"];
        trace?: never;
    };
    "/v1/hooks/{hook_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate Hook Secret
         * @description A new secret, shown this once; the replaced one stays valid for
         *     ``RAIKOO_HOOK_PREVIOUS_SECRET_SECONDS`` (a day by default).
         */
        post: operations["rotate_hook_secret_v1_hooks__hook_id__rotate_secret_post"];
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
        /**
         * List Kinds
         * @description Every kind a workflow may use, with the JSON Schemas of its config and output.
         */
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
         * @description The project's operations in name order.
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
    "/v1/personas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Personas
         * @description The project's personas, by name.
         */
        get: operations["list_personas_v1_personas_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/personas/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Persona */
        get: operations["get_persona_v1_personas__name__get"];
        /**
         * Put Persona
         * @description Create or replace: each change is a new version (``persona.written`` in the audit
         *     log); workflow versions stored before keep the version they pinned.
         */
        put: operations["put_persona_v1_personas__name__put"];
        post?: never;
        /**
         * Delete Persona
         * @description Workflow versions that pinned it keep their copy and still run.
         */
        delete: operations["delete_persona_v1_personas__name__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/personas/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Persona Versions
         * @description Every version, newest first (a workflow may name any: ``{name, version}``).
         */
        get: operations["list_persona_versions_v1_personas__name__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/personas/{name}/versions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Persona Version */
        get: operations["get_persona_version_v1_personas__name__versions__number__get"];
        put?: never;
        post?: never;
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
    "/v1/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Providers
         * @description The connections of one scope (default: the organization's), by name.
         */
        get: operations["list_providers_v1_providers_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/providers/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Provider
         * @description Without ``scope``: the project's own connection of that name, else the organization's
         *     (the one a workflow stored in this project would pin).
         */
        get: operations["get_provider_v1_providers__name__get"];
        /**
         * Put Provider
         * @description Create or replace (a new version; recorded in the audit log as ``provider.written``).
         *     A base URL the outbound-HTTP guard would refuse is refused here.
         */
        put: operations["put_provider_v1_providers__name__put"];
        post?: never;
        /**
         * Delete Provider
         * @description Workflow versions that pinned it keep their copy and still run.
         */
        delete: operations["delete_provider_v1_providers__name__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/providers/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Provider Versions
         * @description Every version, newest first.
         */
        get: operations["list_provider_versions_v1_providers__name__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/providers/{name}/versions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Provider Version */
        get: operations["get_provider_version_v1_providers__name__versions__number__get"];
        put?: never;
        post?: never;
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
         * @description The run's operations waiting for a decision, with what they ask, in plan order (a
         *     loop's in item order); ``next_cursor`` continues.
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
    "/v1/runs/{run_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry Run
         * @description Start a new run of a failed (or cancelled) run's workflow version and inputs that
         *     reuses the results of the operations that succeeded and runs again what failed, was
         *     cancelled or never ran, and everything that depends on it. The new run's ``retry_of``
         *     names the original; the original's ``retries`` lists it.
         */
        post: operations["retry_run_v1_runs__run_id__retry_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Schedules
         * @description The project's schedules, newest first.
         */
        get: operations["list_schedules_v1_schedules_get"];
        put?: never;
        /**
         * Create Schedule
         * @description Run a stored workflow on a cron schedule, in a time zone, with fixed inputs.
         */
        post: operations["create_schedule_v1_schedules_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{schedule_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Schedule */
        get: operations["get_schedule_v1_schedules__schedule_id__get"];
        put?: never;
        post?: never;
        /** Delete Schedule */
        delete: operations["delete_schedule_v1_schedules__schedule_id__delete"];
        options?: never;
        head?: never;
        /**
         * Change Schedule
         * @description Change some of a schedule's fields. A new cron expression or time zone counts its
         *     ticks from now.
         */
        patch: operations["change_schedule_v1_schedules__schedule_id__patch"];
        trace?: never;
    };
    "/v1/schedules/{schedule_id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause Schedule
         * @description Stop firing until resumed.
         */
        post: operations["pause_schedule_v1_schedules__schedule_id__pause_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{schedule_id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume Schedule
         * @description Fire again from the next tick after now: ticks that fell while paused do not fire.
         */
        post: operations["resume_schedule_v1_schedules__schedule_id__resume_post"];
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
    "/v1/tools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Tools
         * @description The project's tools, by name.
         */
        get: operations["list_tools_v1_tools_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tools/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Tool */
        get: operations["get_tool_v1_tools__name__get"];
        /**
         * Put Tool
         * @description Create or replace: each change is a new version (``tool.written`` in the audit
         *     log); workflow versions stored before keep the version they pinned. The body's
         *     ``name`` (what the model calls it) is the path's.
         */
        put: operations["put_tool_v1_tools__name__put"];
        post?: never;
        /**
         * Delete Tool
         * @description Workflow versions that pinned it keep their copy and still run.
         */
        delete: operations["delete_tool_v1_tools__name__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tools/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Tool Versions
         * @description Every version, newest first (a workflow may name any: ``{name, version}``).
         */
        get: operations["list_tool_versions_v1_tools__name__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tools/{name}/versions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Tool Version */
        get: operations["get_tool_version_v1_tools__name__versions__number__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Subscriptions */
        get: operations["list_subscriptions_v1_webhooks_get"];
        put?: never;
        /**
         * Create Subscription
         * @description Send the project's events to ``url``; the secret is in this answer only.
         */
        post: operations["create_subscription_v1_webhooks_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{subscription_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Subscription */
        get: operations["get_subscription_v1_webhooks__subscription_id__get"];
        put?: never;
        post?: never;
        /**
         * Delete Subscription
         * @description Stop sending, and forget its deliveries.
         */
        delete: operations["delete_subscription_v1_webhooks__subscription_id__delete"];
        options?: never;
        head?: never;
        /** Update Subscription */
        patch: operations["update_subscription_v1_webhooks__subscription_id__patch"];
        trace?: never;
    };
    "/v1/webhooks/{subscription_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Deliveries
         * @description The delivery log, newest first: state, attempts, the last answer's status and
         *     latency.
         */
        get: operations["list_deliveries_v1_webhooks__subscription_id__deliveries_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{subscription_id}/deliveries/{delivery_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeliver
         * @description Send a delivery again now (same webhook-id, a fresh set of retries).
         */
        post: operations["redeliver_v1_webhooks__subscription_id__deliveries__delivery_id__redeliver_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{subscription_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate Subscription Secret
         * @description A new secret, shown this once; deliveries carry a signature with each secret until
         *     the replaced one expires (``RAIKOO_HOOK_PREVIOUS_SECRET_SECONDS``).
         */
        post: operations["rotate_subscription_secret_v1_webhooks__subscription_id__rotate_secret_post"];
        delete?: never;
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
        /** Alignment */
        Alignment: {
            /** @description Checked on what is sent. */
            input?: components["schemas"]["Guardrails"] | null;
            judge?: components["schemas"]["Judge"] | null;
            moderation?: components["schemas"]["Moderation"] | null;
            /**
             * On Violation
             * @description An output rule that fails: fail the operation naming the rule, or ask the model again quoting it (up to the prompt's max_repairs). Input rules always fail.
             * @default fail
             * @enum {string}
             */
            on_violation?: "fail" | "repair";
            /** @description Checked on the answer. */
            output?: components["schemas"]["Guardrails"] | null;
            /** @description Masks PII before sending. */
            pii?: components["schemas"]["PiiMasking"] | null;
        };
        /**
         * Approval
         * @description An operation waiting for a decision, with what it asks (``wait.approval``'s config).
         */
        Approval: {
            /**
             * Message
             * @default
             */
            message?: string;
            /** Op Key */
            op_key: string;
            /**
             * Op Run Id
             * Format: uuid
             */
            op_run_id: string;
            /**
             * Required Role
             * @description The least role that decides
             */
            required_role?: ("viewer" | "editor" | "admin" | "owner") | null;
            /**
             * Timeout At
             * @description When the wait times out
             */
            timeout_at?: string | null;
            /** Waiting Since */
            waiting_since: string | null;
        } & {
            [key: string]: unknown;
        };
        /** Approvals */
        Approvals: {
            /** Items */
            items: components["schemas"]["Approval"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
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
        /** Budget */
        Budget: {
            /** Limit */
            limit: number;
            /**
             * Month
             * @description The month the figures are of (monthly budgets)
             */
            month: string | null;
            /**
             * Period
             * @description run: each run on its own; month: per calendar month (UTC)
             * @enum {string}
             */
            period: "run" | "month";
            /**
             * Project
             * @description The project's slug; null for the organization's
             */
            project: string | null;
            /**
             * Reserved
             * @description Held this month for calls under way
             */
            reserved: number | null;
            /**
             * Scope
             * @enum {string}
             */
            scope: "organization" | "project";
            /**
             * Unit
             * @description tokens (prompt + completion), or usd (from the price table)
             * @enum {string}
             */
            unit: "tokens" | "usd";
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * Used
             * @description Spent this month by calls that finished
             */
            used: number | null;
        };
        /**
         * BudgetBody
         * @example {
         *       "limit": 2000000,
         *       "period": "month",
         *       "scope": "project",
         *       "unit": "tokens"
         *     }
         * @example {
         *       "limit": 250,
         *       "period": "month",
         *       "scope": "organization",
         *       "unit": "usd"
         *     }
         * @example {
         *       "limit": 0.5,
         *       "period": "run",
         *       "scope": "project",
         *       "unit": "usd"
         *     }
         */
        BudgetBody: {
            /**
             * Limit
             * @description In the unit: tokens, or US dollars
             */
            limit: number;
            /**
             * Period
             * @description run: each run on its own; month: per calendar month (UTC)
             * @enum {string}
             */
            period: "run" | "month";
            /**
             * Scope
             * @default project
             * @enum {string}
             */
            scope?: "organization" | "project";
            /**
             * Unit
             * @description tokens (prompt + completion), or usd (from the price table)
             * @enum {string}
             */
            unit: "tokens" | "usd";
        };
        /** Budgets */
        Budgets: {
            /** Items */
            items: components["schemas"]["Budget"][];
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
        /** Chat */
        Chat: {
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
            /**
             * Messages
             * @description How many messages the caller sent
             */
            messages: number;
            /** Persona */
            persona?: {
                [key: string]: unknown;
            } | string | null;
            /** Title */
            title: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** @description The workflow that answers (generated for a persona) */
            workflow: components["schemas"]["WorkflowRef"];
        };
        /**
         * ChatCreate
         * @example {
         *       "persona": {
         *         "instructions": "You answer billing questions briefly.",
         *         "temperature": 0.2
         *       },
         *       "title": "Billing questions"
         *     }
         * @example {
         *       "workflow": "support-bot"
         *     }
         */
        ChatCreate: {
            /**
             * Persona
             * @description The persona to talk to: as ai.prompt's `persona` takes it.
             */
            persona?: {
                [key: string]: unknown;
            } | string | null;
            /**
             * Settings
             * @description More fields of the persona's ai.prompt (model, tools, alignment, provider …); with `persona` only.
             */
            settings?: {
                [key: string]: unknown;
            };
            /** Title */
            title?: string | null;
            /**
             * Version
             * @description The workflow's version (default: latest)
             */
            version?: number | null;
            /**
             * Workflow
             * @description A chat workflow: takes `message` (and `history`), gives `answer`.
             */
            workflow?: string | null;
        };
        /** ChatMessage */
        ChatMessage: {
            /**
             * Answer
             * @description The reply, once the run succeeded
             */
            answer?: string | null;
            /**
             * Content
             * @description What the caller wrote
             */
            content: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            error?: components["schemas"]["Failure"] | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Run Id
             * Format: uuid
             * @description The run that answers it
             */
            run_id: string;
            /**
             * Seq
             * @description 1 for the chat's first message
             */
            seq: number;
            state: components["schemas"]["RunState"];
        };
        /** Decision */
        Decision: {
            /** Decided By */
            decided_by: string;
            /**
             * Decision
             * @enum {string}
             */
            decision: "approve" | "reject";
            /** Op Key */
            op_key: string;
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
        /** Delivery */
        Delivery: {
            /** Attempts */
            attempts: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Delivered At */
            delivered_at: string | null;
            /** Event Type */
            event_type: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Last Attempt At */
            last_attempt_at: string | null;
            /** Last Error */
            last_error: string | null;
            /** Last Latency Ms */
            last_latency_ms: number | null;
            /**
             * Last Status
             * @description The receiver's HTTP status; null: no answer
             */
            last_status: number | null;
            /** Next Attempt At */
            next_attempt_at: string | null;
            /**
             * Run Id
             * Format: uuid
             */
            run_id: string;
            /**
             * State
             * @enum {string}
             */
            state: "pending" | "succeeded" | "failed";
            /**
             * Webhook Id
             * @description The webhook-id header every attempt carries
             */
            webhook_id: string;
        };
        /** EmbedOperation */
        EmbedOperation: {
            /** Key */
            key: string;
            /** Uses */
            uses: string;
        };
        /**
         * EmbedRunCreate
         * @example {
         *       "inputs": {
         *         "who": "Ada"
         *       }
         *     }
         */
        EmbedRunCreate: {
            /** Inputs */
            inputs?: {
                [key: string]: unknown;
            };
        };
        /** EmbedToken */
        EmbedToken: {
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
            /** Name */
            name: string;
            /**
             * Origins
             * @description The page origins that may use it and frame the widget
             */
            origins: string[];
            /**
             * Prefix
             * @description The visible start of the token, to recognise it
             */
            prefix: string;
            /** Revoked At */
            revoked_at: string | null;
            /**
             * Version
             * @description The pinned version; null: the latest at each start
             */
            version: number | null;
            /**
             * Workflow
             * @description The one workflow it starts
             */
            workflow: string;
        };
        /** EmbedTokenCreated */
        EmbedTokenCreated: {
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
            /** Name */
            name: string;
            /**
             * Origins
             * @description The page origins that may use it and frame the widget
             */
            origins: string[];
            /**
             * Prefix
             * @description The visible start of the token, to recognise it
             */
            prefix: string;
            /** Revoked At */
            revoked_at: string | null;
            /**
             * Token
             * @description The whole token: shown once, stored only as a hash
             */
            token: string;
            /**
             * Version
             * @description The pinned version; null: the latest at each start
             */
            version: number | null;
            /**
             * Workflow
             * @description The one workflow it starts
             */
            workflow: string;
        };
        /**
         * EmbedTokenIn
         * @example {
         *       "expires_at": "2027-06-30T00:00:00Z",
         *       "name": "pricing page",
         *       "origins": [
         *         "https://www.example.com"
         *       ],
         *       "workflow": "quote"
         *     }
         */
        EmbedTokenIn: {
            /** Expires At */
            expires_at?: string | null;
            /** Name */
            name: string;
            /**
             * Origins
             * @description The origins (https://host[:port]) whose pages may embed the widget
             */
            origins: string[];
            /**
             * Version
             * @description Pin a version; default: the latest at each run
             */
            version?: number | null;
            /**
             * Workflow
             * @description The one workflow it starts
             */
            workflow: string;
        };
        /**
         * EmbedWorkflow
         * @description What the widget shows before a run: the form of the workflow's inputs.
         */
        EmbedWorkflow: {
            /** Description */
            description: string | null;
            /** Inputs */
            inputs: {
                [key: string]: components["schemas"]["InputSpec"];
            };
            /** Name */
            name: string;
            /**
             * Operations
             * @description Its operations, to show progress
             */
            operations: components["schemas"]["EmbedOperation"][];
            /**
             * Outputs
             * @description The names of its outputs
             */
            outputs: string[];
            /**
             * Version
             * @description The version a run started now would run
             */
            version: number;
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
        /** Guardrails */
        Guardrails: {
            /**
             * Deny
             * @description Text matching any of these fails.
             */
            deny?: components["schemas"]["Pattern"][];
            /**
             * Max Chars
             * @description Longest text allowed (characters).
             */
            max_chars?: number | null;
            /**
             * Require
             * @description Text must match each of these.
             */
            require?: components["schemas"]["Pattern"][];
        };
        /** Hook */
        Hook: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: string;
            /** Enabled */
            enabled: boolean;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Mapping */
            mapping: {
                [key: string]: unknown;
            } | null;
            /** Name */
            name: string;
            /**
             * Previous Secret Expires At
             * @description Until when the secret a rotation replaced is still accepted
             */
            previous_secret_expires_at: string | null;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * Url
             * @description Where senders POST, relative to the API's base URL
             */
            url: string;
            /** Version */
            version: number | null;
            /** Workflow */
            workflow: string;
        };
        /**
         * HookCreate
         * @example {
         *       "mapping": {
         *         "repo": "{{ body.repository.full_name }}"
         *       },
         *       "name": "github-push",
         *       "workflow": "triage-feedback"
         *     }
         */
        HookCreate: {
            /**
             * Mapping
             * @description Run inputs as templates of the workflow language over `body` (parsed JSON, a form's fields, or text), `headers` (lower-case names) and `query`; null: a JSON object body is the inputs as it is
             */
            mapping?: {
                [key: string]: unknown;
            } | null;
            /** Name */
            name: string;
            /**
             * Version
             * @description Pinned version; null: the latest at each call
             */
            version?: number | null;
            /**
             * Workflow
             * @description A stored workflow of the project
             */
            workflow: string;
        };
        /**
         * HookRun
         * @description The run a call started: its outcome when the call waited for it to finish.
         */
        HookRun: {
            error: components["schemas"]["Failure"] | null;
            /** Outputs */
            outputs: {
                [key: string]: unknown;
            } | null;
            /**
             * Run Id
             * Format: uuid
             */
            run_id: string;
            state: components["schemas"]["RunState"];
        };
        /**
         * HookUpdate
         * @example {
         *       "enabled": false
         *     }
         */
        HookUpdate: {
            /** Enabled */
            enabled?: boolean | null;
            /**
             * Mapping
             * @description Run inputs as templates of the workflow language over `body` (parsed JSON, a form's fields, or text), `headers` (lower-case names) and `query`; null: a JSON object body is the inputs as it is
             */
            mapping?: {
                [key: string]: unknown;
            } | null;
            /** Name */
            name?: string | null;
            /** Version */
            version?: number | null;
            /** Workflow */
            workflow?: string | null;
        };
        /** HookWithSecret */
        HookWithSecret: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: string;
            /** Enabled */
            enabled: boolean;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Mapping */
            mapping: {
                [key: string]: unknown;
            } | null;
            /** Name */
            name: string;
            /**
             * Previous Secret Expires At
             * @description Until when the secret a rotation replaced is still accepted
             */
            previous_secret_expires_at: string | null;
            /**
             * Secret
             * @description whsec_…: shown this once; senders sign with it
             */
            secret: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * Url
             * @description Where senders POST, relative to the API's base URL
             */
            url: string;
            /** Version */
            version: number | null;
            /** Workflow */
            workflow: string;
        };
        /**
         * HttpTool
         * @description Calls an HTTP endpoint with the model's arguments, through the SSRF guard.
         */
        HttpTool: {
            /**
             * Body
             * @description Body template over `args`; one `{{ expression }}` sends its value as JSON. Default: the arguments as a JSON body (POST, PUT, PATCH), or as query parameters (GET, DELETE) when the URL and query use none of them.
             */
            body?: string | null;
            /**
             * Description
             * @description Told to the model.
             * @default
             */
            description?: string;
            /**
             * Headers
             * @description Request headers, rendered when the operation is dispatched (never with the model's arguments); values may be secrets.
             */
            headers?: {
                [key: string]: string;
            };
            /**
             * Max Response Bytes
             * @description Largest response body read.
             * @default 1048576
             */
            max_response_bytes?: number;
            /**
             * Max Result Chars
             * @description Longest result handed back to the model (the rest is cut, and it is told).
             * @default 20000
             */
            max_result_chars?: number;
            /**
             * Method
             * @default POST
             * @enum {string}
             */
            method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
            /**
             * Mock
             * @description What the tool returns in a dry run (null: a note that it was not called).
             */
            mock?: unknown;
            /**
             * Name
             * @description The name the model calls the tool by.
             */
            name: string;
            /**
             * Parameters
             * @description JSON Schema of the arguments; the model's arguments are checked against it.
             */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * Query
             * @description Query parameters; values are templates over `args`.
             */
            query?: {
                [key: string]: string;
            };
            /**
             * Timeout
             * @description Seconds one call may take.
             * @default 30
             */
            timeout?: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "http";
            /**
             * Url
             * @description URL template, rendered by the runner with the arguments as `args` (`https://api.example.com/cities/{{ args.city | urlencode }}`).
             */
            url: string;
        };
        /** InputSpec */
        InputSpec: {
            /** Default */
            default?: unknown;
            /** Description */
            description?: string | null;
            /** Required */
            required?: boolean | null;
            /**
             * Type
             * @default any
             * @enum {string}
             */
            type?: "string" | "number" | "integer" | "boolean" | "object" | "array" | "any";
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
        /**
         * Judge
         * @description A second model call that must approve the answer against a rubric.
         */
        Judge: {
            /**
             * Instructions
             * @description The judge persona's system prompt.
             */
            instructions?: string | null;
            /**
             * Model
             * @description Default: the prompt's.
             */
            model?: string | null;
            /** Rubric */
            rubric: string;
            /**
             * Temperature
             * @default 0
             */
            temperature?: number | null;
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
        /**
         * McpTool
         * @description The tools of an MCP server: streamable HTTP at ``url``, or a server the operator
         *     lists by ``server`` name (RAIKOO_AI_MCP_STDIO_SERVERS).
         */
        McpTool: {
            /**
             * Allow
             * @description The server's tools offered to the model (default: all it lists).
             */
            allow?: string[] | null;
            /**
             * Headers
             * @description Request headers (HTTP); values may be secrets.
             */
            headers?: {
                [key: string]: string;
            };
            /**
             * Max Result Chars
             * @default 20000
             */
            max_result_chars?: number;
            /**
             * Mock
             * @description What the tool returns in a dry run (null: a note that it was not called).
             */
            mock?: unknown;
            /**
             * Name
             * @description Names this server in records and errors.
             */
            name: string;
            /**
             * Server
             * @description A stdio server the operator configured, by name.
             */
            server?: string | null;
            /**
             * Timeout
             * @description Seconds one call may take.
             * @default 30
             */
            timeout?: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "mcp";
            /**
             * Url
             * @description Streamable-HTTP endpoint of the server, e.g. https://mcp.example.com/mcp.
             */
            url?: string | null;
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
         * MessageCreate
         * @example {
         *       "content": "Why was I charged twice?"
         *     }
         */
        MessageCreate: {
            /** Content */
            content: string;
        };
        /** Moderation */
        Moderation: {
            /**
             * Input
             * @description Check the prompt before the call.
             * @default false
             */
            input?: boolean;
            /**
             * Model
             * @default omni-moderation-latest
             */
            model?: string;
            /**
             * Output
             * @description Check the answer.
             * @default true
             */
            output?: boolean;
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
        /** OperationKind */
        OperationKind: {
            /**
             * Config Schema
             * @description JSON Schema of its `with:`
             */
            config_schema: {
                [key: string]: unknown;
            };
            /**
             * Family
             * @description Who runs it: the op-runner, the ai-runner, or the scheduler itself
             * @enum {string}
             */
            family: "programmatic" | "ai" | "control";
            /**
             * Name
             * @description What `uses:` names, e.g. http.request
             */
            name: string;
            /**
             * Output Schema
             * @description JSON Schema of its output
             */
            output_schema: {
                [key: string]: unknown;
            };
            /** Summary */
            summary: string;
        };
        /** OperationKinds */
        OperationKinds: {
            /** Items */
            items: components["schemas"]["OperationKind"][];
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
            /**
             * Reused From
             * @description In a retry: the operation run of an earlier run whose result this one took instead of running
             */
            reused_from?: string | null;
            /** Started At */
            started_at: string | null;
            state: components["schemas"]["OpState"];
            /** @description What an AI operation spent, per model and in all attempts */
            usage?: components["schemas"]["OperationUsage"] | null;
        };
        /**
         * OperationUsage
         * @description An AI operation's usage, reported on its result (succeeded or failed) so that the
         *     scheduler can account it against budgets; a failed operation reports what it spent.
         */
        OperationUsage: {
            /** By Model */
            by_model?: {
                [key: string]: components["schemas"]["TokenUsage"];
            };
            /**
             * Cached Tokens
             * @description Prompt tokens served from cache.
             * @default 0
             */
            cached_tokens?: number;
            /**
             * Calls
             * @description Provider calls made (embeddings included).
             * @default 0
             */
            calls?: number;
            /**
             * Completion Tokens
             * @default 0
             */
            completion_tokens?: number;
            /**
             * Cost
             * @description In US dollars; null when a model's price is unknown.
             */
            cost?: number | null;
            /**
             * Prompt Tokens
             * @default 0
             */
            prompt_tokens?: number;
            /**
             * Reasoning Tokens
             * @description Completion tokens the model spent reasoning.
             * @default 0
             */
            reasoning_tokens?: number;
            /**
             * Total Tokens
             * @default 0
             */
            total_tokens?: number;
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
        /** PageOut[ChatMessage] */
        PageOut_ChatMessage_: {
            /** Items */
            items: components["schemas"]["ChatMessage"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Chat] */
        PageOut_Chat_: {
            /** Items */
            items: components["schemas"]["Chat"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Delivery] */
        PageOut_Delivery_: {
            /** Items */
            items: components["schemas"]["Delivery"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[EmbedToken] */
        PageOut_EmbedToken_: {
            /** Items */
            items: components["schemas"]["EmbedToken"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Hook] */
        PageOut_Hook_: {
            /** Items */
            items: components["schemas"]["Hook"][];
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
        /** PageOut[Persona] */
        PageOut_Persona_: {
            /** Items */
            items: components["schemas"]["Persona"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[ProjectTool] */
        PageOut_ProjectTool_: {
            /** Items */
            items: components["schemas"]["ProjectTool"][];
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
        /** PageOut[ProviderConnection] */
        PageOut_ProviderConnection_: {
            /** Items */
            items: components["schemas"]["ProviderConnection"][];
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
        /** PageOut[Schedule] */
        PageOut_Schedule_: {
            /** Items */
            items: components["schemas"]["Schedule"][];
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
        /** PageOut[StoredOperationView] */
        PageOut_StoredOperationView_: {
            /** Items */
            items: components["schemas"]["StoredOperationView"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null on the last page
             */
            next_cursor?: string | null;
        };
        /** PageOut[Subscription] */
        PageOut_Subscription_: {
            /** Items */
            items: components["schemas"]["Subscription"][];
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
        /** Pattern */
        Pattern: {
            /**
             * Ignore Case
             * @default false
             */
            ignore_case?: boolean;
            /**
             * Name
             * @description Named in errors and records.
             */
            name: string;
            /**
             * Regex
             * @description A Python regular expression.
             */
            regex: string;
        };
        /** Persona */
        Persona: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string | null;
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Scope
             * @enum {string}
             */
            scope: "organization" | "project";
            spec: components["schemas"]["PersonaSpec"];
            /**
             * Updated At
             * Format: date-time
             * @description When this version was written
             */
            updated_at: string;
            /**
             * Version
             * @description Raised on every change; workflow versions pin one
             */
            version: number;
        };
        /**
         * PersonaSpec
         * @description A persona: instructions (a template, rendered when the operation is dispatched, with
         *     what its ``with`` reads), a provider connection by name, model and sampling defaults,
         *     default tools and alignment. An operation naming it overrides any of these.
         * @example {
         *       "alignment": {
         *         "pii": {
         *           "kinds": [
         *             "email",
         *             "phone"
         *           ]
         *         }
         *       },
         *       "instructions": "You triage support tickets. Answer precisely.",
         *       "model": "gpt-4o-mini",
         *       "provider": "openai",
         *       "temperature": 0,
         *       "tools": [
         *         "kb-search"
         *       ]
         *     }
         */
        PersonaSpec: {
            alignment?: components["schemas"]["Alignment"] | null;
            /** Description */
            description?: string | null;
            /**
             * Instructions
             * @description The system prompt (a template).
             */
            instructions?: string | null;
            /**
             * Max Tokens
             * @description Most tokens the answer may have (per call).
             */
            max_tokens?: number | null;
            /**
             * Model
             * @description Model (Azure: the deployment's model).
             */
            model?: string | null;
            /** Provider */
            provider?: string | null;
            /**
             * Reasoning Effort
             * @description Reasoning models only (o-series, gpt-5).
             */
            reasoning_effort?: ("minimal" | "low" | "medium" | "high") | null;
            /** Seed */
            seed?: number | null;
            /** Stop */
            stop?: string[] | null;
            /** Temperature */
            temperature?: number | null;
            /** Tools */
            tools?: ((components["schemas"]["HttpTool"] | components["schemas"]["McpTool"] | components["schemas"]["WorkflowTool"]) | string)[];
            /** Top P */
            top_p?: number | null;
        };
        /** PiiMasking */
        PiiMasking: {
            /**
             * Kinds
             * @description What is masked before text leaves for the provider.
             */
            kinds?: ("email" | "phone" | "card" | "iban")[];
            /**
             * Restore
             * @description Put the original values back where the answer quotes their placeholders.
             * @default false
             */
            restore?: boolean;
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
        /** ProjectTool */
        ProjectTool: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string | null;
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Scope
             * @enum {string}
             */
            scope: "organization" | "project";
            /** Spec */
            spec: components["schemas"]["HttpTool"] | components["schemas"]["McpTool"] | components["schemas"]["WorkflowTool"];
            /**
             * Updated At
             * Format: date-time
             * @description When this version was written
             */
            updated_at: string;
            /**
             * Version
             * @description Raised on every change; workflow versions pin one
             */
            version: number;
        };
        /** ProviderConnection */
        ProviderConnection: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string | null;
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Scope
             * @enum {string}
             */
            scope: "organization" | "project";
            spec: components["schemas"]["ProviderSpec"];
            /**
             * Updated At
             * Format: date-time
             * @description When this version was written
             */
            updated_at: string;
            /**
             * Version
             * @description Raised on every change; workflow versions pin one
             */
            version: number;
        };
        /**
         * ProviderSpec
         * @description A provider connection: the inline ``provider`` of an AI operation, with a default
         *     model and the models it may be used with. Its key is a secret reference, never a
         *     value.
         * @example {
         *       "allowed_models": [
         *         "gpt-4o-mini",
         *         "gpt-4o"
         *       ],
         *       "api_key": "{{ secrets.OPENAI_KEY }}",
         *       "default_model": "gpt-4o-mini",
         *       "kind": "openai"
         *     }
         */
        ProviderSpec: {
            /**
             * Allowed Models
             * @description The models operations may use with it; empty: any.
             */
            allowed_models?: string[];
            /**
             * Api Key
             * @description API key; may be a secret ({{ secrets.OPENAI_KEY }}). Optional for compatible.
             */
            api_key?: string | null;
            /**
             * Api Version
             * @description Azure: the API version, e.g. 2024-10-21.
             */
            api_version?: string | null;
            /**
             * Auth
             * @description Azure: 'key' (api_key) or 'entra' (the runner's own Entra ID identity, only for endpoints the operator lists in RAIKOO_AI_ENTRA_ENDPOINTS).
             * @default key
             * @enum {string}
             */
            auth?: "key" | "entra";
            /**
             * Azure Endpoint
             * @description Azure: https://<resource>.openai.azure.com
             */
            azure_endpoint?: string | null;
            /**
             * Base Url
             * @description Base URL of the API, e.g. http://127.0.0.1:11434/v1 (compatible: required).
             */
            base_url?: string | null;
            /**
             * Default Model
             * @description Used when neither operation nor persona names one.
             */
            default_model?: string | null;
            /**
             * Deployment
             * @description Azure: the deployment to call.
             */
            deployment?: string | null;
            /** Description */
            description?: string | null;
            /**
             * Embedding Batch
             * @description Most texts per embeddings request (default 2048, compatible 64).
             */
            embedding_batch?: number | null;
            /**
             * Headers
             * @description More request headers (a gateway's own key); values may be secrets.
             */
            headers?: {
                [key: string]: string;
            };
            /**
             * Kind
             * @description openai (api.openai.com unless base_url says otherwise), azure (Azure OpenAI), or compatible (any OpenAI-compatible server: Ollama, vLLM, LM Studio, LiteLLM).
             * @default openai
             * @enum {string}
             */
            kind?: "openai" | "azure" | "compatible";
            /** Organization */
            organization?: string | null;
            /** Project */
            project?: string | null;
            /**
             * Stream Usage
             * @description Ask for usage at the end of a streamed answer (stream_options).
             * @default true
             */
            stream_usage?: boolean;
            /**
             * Structured Outputs
             * @description Whether the server enforces output_schema itself (response_format json_schema). Default: yes for openai and azure, no for compatible (the schema then goes into the instructions and the answer is validated).
             */
            structured_outputs?: boolean | null;
        };
        /** Readiness */
        Readiness: {
            /**
             * Checks
             * @description Each check: ok, starting, or error: <what>
             */
            checks: {
                [key: string]: string;
            };
            /**
             * Status
             * @enum {string}
             */
            status: "ok" | "unavailable";
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
            /**
             * Retries
             * @description The runs that retried this one, oldest first
             */
            retries?: string[];
            /**
             * Retry Of
             * @description The failed run this run retries (POST /v1/runs/{id}/retry)
             */
            retry_of?: string | null;
            /** Started At */
            started_at: string | null;
            state: components["schemas"]["RunState"];
            /** Trigger */
            trigger: string;
            /** @description What the run's AI operations spent (tokens, calls, cost), all attempts */
            usage?: components["schemas"]["OperationUsage"] | null;
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
            /**
             * Dry Run
             * @description AI operations return their configured mock (or one made from their output schema) and tools their mocks: no provider or tool is called
             * @default false
             */
            dry_run?: boolean;
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
            /**
             * Retry Of
             * @description The failed run this run retries (POST /v1/runs/{id}/retry)
             */
            retry_of?: string | null;
            /** Started At */
            started_at: string | null;
            state: components["schemas"]["RunState"];
            /** Trigger */
            trigger: string;
            /** @description What the run's AI operations spent (tokens, calls, cost), all attempts */
            usage?: components["schemas"]["OperationUsage"] | null;
            workflow: components["schemas"]["WorkflowRef"];
        };
        /** Schedule */
        Schedule: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: string;
            /** Cron */
            cron: string;
            /** Description */
            description: string | null;
            /**
             * Enabled
             * @description false while paused
             */
            enabled: boolean;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Inputs */
            inputs: {
                [key: string]: unknown;
            };
            /**
             * Last Error
             * @description Why the last tick could not start a run
             */
            last_error: string | null;
            /**
             * Last Fired At
             * @description The last tick fired
             */
            last_fired_at: string | null;
            /**
             * Last Run Id
             * @description The run the last tick started
             */
            last_run_id: string | null;
            /** Max Catch Up */
            max_catch_up: number;
            /**
             * Missed
             * @enum {string}
             */
            missed: "skip" | "catch_up";
            /**
             * Next Fire At
             * @description The next tick, in UTC; null while paused
             */
            next_fire_at: string | null;
            /** Timezone */
            timezone: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            workflow: components["schemas"]["ScheduledWorkflow"];
        };
        /**
         * ScheduleChange
         * @description Only the fields given change.
         * @example {
         *       "cron": "0 7 * * 1-5"
         *     }
         */
        ScheduleChange: {
            /** Cron */
            cron?: string | null;
            /** Description */
            description?: string | null;
            /** Enabled */
            enabled?: boolean | null;
            /** Inputs */
            inputs?: {
                [key: string]: unknown;
            } | null;
            /** Max Catch Up */
            max_catch_up?: number | null;
            /** Missed */
            missed?: ("skip" | "catch_up") | null;
            /** Timezone */
            timezone?: string | null;
            /** Version */
            version?: number | null;
            /** Workflow */
            workflow?: string | null;
        };
        /**
         * ScheduleCreate
         * @example {
         *       "cron": "0 6 * * 1-5",
         *       "inputs": {
         *         "region": "eu"
         *       },
         *       "max_catch_up": 3,
         *       "missed": "catch_up",
         *       "timezone": "Europe/Paris",
         *       "workflow": "nightly-report"
         *     }
         */
        ScheduleCreate: {
            /**
             * Cron
             * @description 5 fields: minute hour day-of-month month day-of-week
             */
            cron: string;
            /** Description */
            description?: string | null;
            /**
             * Enabled
             * @default true
             */
            enabled?: boolean;
            /** Inputs */
            inputs?: {
                [key: string]: unknown;
            };
            /**
             * Max Catch Up
             * @default 10
             */
            max_catch_up?: number;
            /**
             * Missed
             * @description Ticks missed while no ticker ran: skip them, or catch up (the most recent max_catch_up of them)
             * @default skip
             * @enum {string}
             */
            missed?: "skip" | "catch_up";
            /**
             * Timezone
             * @description An IANA time zone name
             * @default UTC
             */
            timezone?: string;
            /**
             * Version
             * @description Default: the latest version at each tick
             */
            version?: number | null;
            /**
             * Workflow
             * @description Name of a stored workflow
             */
            workflow: string;
        };
        /** ScheduledWorkflow */
        ScheduledWorkflow: {
            /** Name */
            name: string;
            /**
             * Version
             * @description null: the latest version at each tick
             */
            version: number | null;
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
        /** StoredOperationView */
        StoredOperationView: {
            /**
             * Config
             * @description The kind's config; templates read `inputs`
             */
            config: {
                [key: string]: unknown;
            };
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
            /** Inputs */
            inputs: {
                [key: string]: components["schemas"]["InputSpec"];
            };
            /**
             * Kind
             * @description The built-in kind it wraps
             */
            kind: string;
            /** Name */
            name: string;
            /**
             * Outputs
             * @description Its output mapped from the kind's `output`; empty: the kind's output
             */
            outputs: {
                [key: string]: unknown;
            };
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * Uses
             * @description How workflows use it: `op/<name>`
             */
            uses: string;
            /**
             * Version
             * @description 1 when created, one more on each change
             */
            version: number;
        };
        /** Subscription */
        Subscription: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: string;
            /** Disabled Reason */
            disabled_reason: string | null;
            /** Enabled */
            enabled: boolean;
            /** Event Types */
            event_types: string[];
            /**
             * Failing Since
             * @description Since when every attempt has failed; null after a success
             */
            failing_since: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /**
             * Previous Secret Expires At
             * @description Until when deliveries are signed with the replaced secret as well
             */
            previous_secret_expires_at: string | null;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Url */
            url: string;
            /** Workflows */
            workflows: string[];
        };
        /**
         * SubscriptionCreate
         * @example {
         *       "event_types": [
         *         "run.failed",
         *         "run.succeeded"
         *       ],
         *       "name": "ops-alerts",
         *       "url": "https://hooks.example.com/raikoo",
         *       "workflows": [
         *         "triage-feedback"
         *       ]
         *     }
         */
        SubscriptionCreate: {
            /**
             * Event Types
             * @description run.<state> or operation.<state> (run.succeeded, operation.failed, …), run.* or operation.*; empty: every event
             */
            event_types?: string[];
            /** Name */
            name: string;
            /**
             * Url
             * @description http(s); checked by the SSRF guard
             */
            url: string;
            /**
             * Workflows
             * @description Workflow names; empty: every workflow
             */
            workflows?: string[];
        };
        /**
         * SubscriptionUpdate
         * @example {
         *       "enabled": true
         *     }
         */
        SubscriptionUpdate: {
            /**
             * Enabled
             * @description true re-enables a subscription disabled after failures
             */
            enabled?: boolean | null;
            /**
             * Event Types
             * @description run.<state> or operation.<state> (run.succeeded, operation.failed, …), run.* or operation.*; empty: every event
             */
            event_types?: string[] | null;
            /** Name */
            name?: string | null;
            /** Url */
            url?: string | null;
            /** Workflows */
            workflows?: string[] | null;
        };
        /** SubscriptionWithSecret */
        SubscriptionWithSecret: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: string;
            /** Disabled Reason */
            disabled_reason: string | null;
            /** Enabled */
            enabled: boolean;
            /** Event Types */
            event_types: string[];
            /**
             * Failing Since
             * @description Since when every attempt has failed; null after a success
             */
            failing_since: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /**
             * Previous Secret Expires At
             * @description Until when deliveries are signed with the replaced secret as well
             */
            previous_secret_expires_at: string | null;
            /**
             * Secret
             * @description whsec_…: shown this once; verify deliveries with it
             */
            secret: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Url */
            url: string;
            /** Workflows */
            workflows: string[];
        };
        /**
         * TokenUsage
         * @description What model calls spent: tokens, calls and, when every model's price is known, cost.
         */
        TokenUsage: {
            /**
             * Cached Tokens
             * @description Prompt tokens served from cache.
             * @default 0
             */
            cached_tokens?: number;
            /**
             * Calls
             * @description Provider calls made (embeddings included).
             * @default 0
             */
            calls?: number;
            /**
             * Completion Tokens
             * @default 0
             */
            completion_tokens?: number;
            /**
             * Cost
             * @description In US dollars; null when a model's price is unknown.
             */
            cost?: number | null;
            /**
             * Prompt Tokens
             * @default 0
             */
            prompt_tokens?: number;
            /**
             * Reasoning Tokens
             * @description Completion tokens the model spent reasoning.
             * @default 0
             */
            reasoning_tokens?: number;
            /**
             * Total Tokens
             * @default 0
             */
            total_tokens?: number;
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
        /**
         * WorkflowTool
         * @description Runs a workflow of the project as a child run; its outputs are the result.
         */
        WorkflowTool: {
            /**
             * Description
             * @description Told to the model.
             * @default
             */
            description?: string;
            /**
             * Inputs
             * @description The child's inputs, as templates over `args` (default: the arguments).
             */
            inputs?: {
                [key: string]: string;
            };
            /**
             * Mock
             * @description What the tool returns in a dry run (null: a note that it was not called).
             */
            mock?: unknown;
            /**
             * Name
             * @description The name the model calls the tool by.
             */
            name: string;
            /**
             * Parameters
             * @description JSON Schema of the arguments; the model's arguments are checked against it.
             */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * Timeout
             * @description Seconds one call may take.
             * @default 30
             */
            timeout?: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "workflow";
            /**
             * Version
             * @description Default: the latest.
             */
            version?: number | null;
            /**
             * Workflow
             * @description The workflow's name.
             */
            workflow: string;
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
             * Ai Objects
             * @description The provider connections, personas and tools it pins: {providers|personas|tools: {name: {version, scope, spec}}}
             */
            ai_objects?: {
                [key: string]: unknown;
            } | null;
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
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Starting, or the database is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
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
    list_budgets_v1_budgets_get: {
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
                    "application/json": components["schemas"]["Budgets"];
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
    put_budget_v1_budgets_put: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BudgetBody"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Budget"];
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
    delete_budget_v1_budgets_delete: {
        parameters: {
            query: {
                period: "run" | "month";
                unit: "tokens" | "usd";
                /** @description project: the request's project's own budget; organization: the organization's, which all its projects' calls count against together */
                scope?: "organization" | "project";
            };
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
    list_chats_v1_chats_get: {
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
                    "application/json": components["schemas"]["PageOut_Chat_"];
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
    open_chat_v1_chats_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Chat"];
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
    get_chat_v1_chats__chat_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                chat_id: string;
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
                    "application/json": components["schemas"]["Chat"];
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
    delete_chat_v1_chats__chat_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                chat_id: string;
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
    list_messages_v1_chats__chat_id__messages_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path: {
                chat_id: string;
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
                    "application/json": components["schemas"]["PageOut_ChatMessage_"];
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
    post_message_v1_chats__chat_id__messages_post: {
        parameters: {
            query?: {
                /** @description Stream the answer (SSE); false: 201 with the message */
                stream?: boolean;
            };
            header?: never;
            path: {
                chat_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MessageCreate"];
            };
        };
        responses: {
            /** @description With `stream` (the default): server-sent events — `message` (the message as stored), `delta` (answer text as it is written: `{op_key, text}`), then `answer` (the message with its answer, or its run's error) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": unknown;
                };
            };
            /** @description Successful Response */
            201: {
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
    get_message_v1_chats__chat_id__messages__message_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                chat_id: string;
                message_id: string;
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
                    "application/json": components["schemas"]["ChatMessage"];
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
    list_embed_tokens_v1_embed_tokens_get: {
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
                    "application/json": components["schemas"]["PageOut_EmbedToken_"];
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
    create_embed_token_v1_embed_tokens_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmbedTokenIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmbedTokenCreated"];
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
    revoke_embed_token_v1_embed_tokens__token_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token_id: string;
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
    start_embedded_run_v1_embed_runs_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmbedRunCreate"];
            };
        };
        responses: {
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
    get_embedded_run_v1_embed_runs__run_id__get: {
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
    stream_embedded_run_v1_embed_runs__run_id__events_get: {
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
    embedded_workflow_v1_embed_workflow_get: {
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
                    "application/json": components["schemas"]["EmbedWorkflow"];
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
    list_hooks_v1_hooks_get: {
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
                    "application/json": components["schemas"]["PageOut_Hook_"];
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
    create_hook_v1_hooks_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HookCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HookWithSecret"];
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
    get_hook_v1_hooks__hook_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                hook_id: string;
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
                    "application/json": components["schemas"]["Hook"];
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
    call_hook_v1_hooks__hook_id__post: {
        parameters: {
            query?: {
                /** @description Seconds to wait for the run's outputs (capped by RAIKOO_HOOK_MAX_WAIT_SECONDS); 0: answer 202 at once */
                wait?: number;
            };
            header: {
                /** @description The message's id: a call with an id seen before is a 409 */
                "webhook-id": string;
                /** @description Seconds since the Unix epoch, within 5 minutes of now */
                "webhook-timestamp": string;
                /** @description v1,<base64 HMAC-SHA256 of id.timestamp.body>, space-separated when several */
                "webhook-signature": string;
            };
            path: {
                hook_id: string;
            };
            cookie?: never;
        };
        /** @description Any body: JSON, a form (application/x-www-form-urlencoded) or text */
        requestBody?: {
            content: {
                "application/json": unknown;
                "application/x-www-form-urlencoded": unknown;
                "text/plain": unknown;
            };
        };
        responses: {
            /** @description The run finished within `wait` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HookRun"];
                };
            };
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HookRun"];
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
    delete_hook_v1_hooks__hook_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                hook_id: string;
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
    update_hook_v1_hooks__hook_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                hook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HookUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Hook"];
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
    rotate_hook_secret_v1_hooks__hook_id__rotate_secret_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                hook_id: string;
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
                    "application/json": components["schemas"]["HookWithSecret"];
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
                    "application/json": components["schemas"]["OperationKinds"];
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
                    "application/json": components["schemas"]["OperationKind"];
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
                    "application/json": components["schemas"]["PageOut_StoredOperationView_"];
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
                    "application/json": components["schemas"]["StoredOperationView"];
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
                    "application/json": components["schemas"]["StoredOperationView"];
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
                    "application/json": components["schemas"]["StoredOperationView"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoredOperationView"];
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
    list_personas_v1_personas_get: {
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
                    "application/json": components["schemas"]["PageOut_Persona_"];
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
    get_persona_v1_personas__name__get: {
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
                    "application/json": components["schemas"]["Persona"];
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
    put_persona_v1_personas__name__put: {
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
                "application/json": components["schemas"]["PersonaSpec"];
            };
        };
        responses: {
            /** @description Replaced, or unchanged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Persona"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Persona"];
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
    delete_persona_v1_personas__name__delete: {
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
    list_persona_versions_v1_personas__name__versions_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
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
                    "application/json": components["schemas"]["PageOut_Persona_"];
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
    get_persona_version_v1_personas__name__versions__number__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                number: number;
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
                    "application/json": components["schemas"]["Persona"];
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
    list_providers_v1_providers_get: {
        parameters: {
            query?: {
                /** @description organization: the organization-wide connections; project: the request's project's own, which override one of the same name there. Reads without it find the project's, else the organization's; writes without it act on the organization's */
                scope?: ("organization" | "project") | null;
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
                    "application/json": components["schemas"]["PageOut_ProviderConnection_"];
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
    get_provider_v1_providers__name__get: {
        parameters: {
            query?: {
                /** @description organization: the organization-wide connections; project: the request's project's own, which override one of the same name there. Reads without it find the project's, else the organization's; writes without it act on the organization's */
                scope?: ("organization" | "project") | null;
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
                    "application/json": components["schemas"]["ProviderConnection"];
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
    put_provider_v1_providers__name__put: {
        parameters: {
            query?: {
                /** @description organization: the organization-wide connections; project: the request's project's own, which override one of the same name there. Reads without it find the project's, else the organization's; writes without it act on the organization's */
                scope?: ("organization" | "project") | null;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProviderSpec"];
            };
        };
        responses: {
            /** @description Replaced, or unchanged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderConnection"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderConnection"];
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
    delete_provider_v1_providers__name__delete: {
        parameters: {
            query?: {
                /** @description organization: the organization-wide connections; project: the request's project's own, which override one of the same name there. Reads without it find the project's, else the organization's; writes without it act on the organization's */
                scope?: ("organization" | "project") | null;
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
    list_provider_versions_v1_providers__name__versions_get: {
        parameters: {
            query?: {
                /** @description organization: the organization-wide connections; project: the request's project's own, which override one of the same name there. Reads without it find the project's, else the organization's; writes without it act on the organization's */
                scope?: ("organization" | "project") | null;
                /** @description At most this many items */
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
                    "application/json": components["schemas"]["PageOut_ProviderConnection_"];
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
    get_provider_version_v1_providers__name__versions__number__get: {
        parameters: {
            query?: {
                /** @description organization: the organization-wide connections; project: the request's project's own, which override one of the same name there. Reads without it find the project's, else the organization's; writes without it act on the organization's */
                scope?: ("organization" | "project") | null;
            };
            header?: never;
            path: {
                name: string;
                number: number;
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
                    "application/json": components["schemas"]["ProviderConnection"];
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
            query?: {
                /** @description At most this many items */
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
                    "application/json": components["schemas"]["Approvals"];
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
                    "application/json": components["schemas"]["Decision"];
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
    retry_run_v1_runs__run_id__retry_post: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string | null;
            };
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The retry this idempotency key started */
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
            /** @description The run did not fail (it is queued, running or succeeded) */
            409: {
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
    list_schedules_v1_schedules_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
                /** @description Only this workflow's schedules */
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
                    "application/json": components["schemas"]["PageOut_Schedule_"];
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
    create_schedule_v1_schedules_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScheduleCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
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
    get_schedule_v1_schedules__schedule_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                schedule_id: string;
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
                    "application/json": components["schemas"]["Schedule"];
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
    delete_schedule_v1_schedules__schedule_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                schedule_id: string;
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
    change_schedule_v1_schedules__schedule_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                schedule_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScheduleChange"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
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
    pause_schedule_v1_schedules__schedule_id__pause_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                schedule_id: string;
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
                    "application/json": components["schemas"]["Schedule"];
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
    resume_schedule_v1_schedules__schedule_id__resume_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                schedule_id: string;
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
                    "application/json": components["schemas"]["Schedule"];
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
    list_tools_v1_tools_get: {
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
                    "application/json": components["schemas"]["PageOut_ProjectTool_"];
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
    get_tool_v1_tools__name__get: {
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
                    "application/json": components["schemas"]["ProjectTool"];
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
    put_tool_v1_tools__name__put: {
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
                "application/json": components["schemas"]["HttpTool"] | components["schemas"]["McpTool"] | components["schemas"]["WorkflowTool"];
            };
        };
        responses: {
            /** @description Replaced, or unchanged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectTool"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectTool"];
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
    delete_tool_v1_tools__name__delete: {
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
    list_tool_versions_v1_tools__name__versions_get: {
        parameters: {
            query?: {
                /** @description At most this many items */
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
                    "application/json": components["schemas"]["PageOut_ProjectTool_"];
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
    get_tool_version_v1_tools__name__versions__number__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                number: number;
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
                    "application/json": components["schemas"]["ProjectTool"];
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
    list_subscriptions_v1_webhooks_get: {
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
                    "application/json": components["schemas"]["PageOut_Subscription_"];
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
    create_subscription_v1_webhooks_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubscriptionCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriptionWithSecret"];
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
    get_subscription_v1_webhooks__subscription_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subscription_id: string;
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
                    "application/json": components["schemas"]["Subscription"];
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
    delete_subscription_v1_webhooks__subscription_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subscription_id: string;
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
    update_subscription_v1_webhooks__subscription_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subscription_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubscriptionUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"];
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
    list_deliveries_v1_webhooks__subscription_id__deliveries_get: {
        parameters: {
            query?: {
                /** @description Only deliveries in this state */
                state?: ("pending" | "succeeded" | "failed") | null;
                /** @description At most this many items */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string | null;
            };
            header?: never;
            path: {
                subscription_id: string;
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
                    "application/json": components["schemas"]["PageOut_Delivery_"];
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
    redeliver_v1_webhooks__subscription_id__deliveries__delivery_id__redeliver_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subscription_id: string;
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
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
    rotate_subscription_secret_v1_webhooks__subscription_id__rotate_secret_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subscription_id: string;
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
                    "application/json": components["schemas"]["SubscriptionWithSecret"];
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
