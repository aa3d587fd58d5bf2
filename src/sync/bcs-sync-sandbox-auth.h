/* bcs-sync-sandbox-auth.h — tokens from a bcs-sandbox, without a keyring
 *
 * A BcsTokenProvider for tests that run against an in-process bcs-sandbox
 * started with --auto-approve, without a keyring: it signs in with the
 * device code flow, whose first poll the sandbox approves, keeps the tokens
 * in memory only, and refreshes per resource. The application never uses
 * it: a --sandbox profile signs in as a real one (Exchange Sync. Setup or
 * --sign-in) and keeps its tokens in the keyring. Lives on the
 * thread-default main context of the BcsHttp it sends through. */
#pragma once

#include <gio/gio.h>

#include "bcs-http.h"
#include "bcs-token-provider.h"

G_BEGIN_DECLS

#define BCS_TYPE_SYNC_SANDBOX_AUTH (bcs_sync_sandbox_auth_get_type ())
G_DECLARE_FINAL_TYPE (BcsSyncSandboxAuth, bcs_sync_sandbox_auth, BCS, SYNC_SANDBOX_AUTH, GObject)

/* HTTP (held weakly: it usually holds the provider) must have its login
 * base URL set to the sandbox's authority (URL/login/sandbox) */
BcsSyncSandboxAuth *bcs_sync_sandbox_auth_new (BcsHttp    *http,
                                               const char *client_id);

G_END_DECLS
