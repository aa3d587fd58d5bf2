/* bcs-sync-sandbox-auth.h — tokens from a bcs-sandbox, without a keyring
 *
 * A BcsTokenProvider for runs against a local bcs-sandbox started with
 * --auto-approve (tests, the crash test's subprocesses, a demo run before
 * --sign-in): it signs in with the device code flow, whose first poll the
 * sandbox approves, keeps the tokens in memory only, and refreshes per
 * resource. Never used against Microsoft's services. Lives on the
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
