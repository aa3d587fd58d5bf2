/* bcs-basic-auth-provider.h — Business Central on premises: Basic auth
 *
 * The user name comes from the profile setting "bc-onprem-user", the web
 * service access key from the token store (kind "web-service-key"). For
 * Business Central it answers "Basic base64(user:key)"; for Microsoft Graph
 * (Outlook stays in Microsoft 365) it asks the OAuth provider it wraps. */
#pragma once

#include <gio/gio.h>

#include "bcs-http.h"
#include "bcs-profile.h"
#include "bcs-token-provider.h"
#include "bcs-token-store.h"

G_BEGIN_DECLS

#define BCS_TYPE_BASIC_AUTH_PROVIDER (bcs_basic_auth_provider_get_type ())
G_DECLARE_FINAL_TYPE (BcsBasicAuthProvider, bcs_basic_auth_provider, BCS, BASIC_AUTH_PROVIDER, GObject)

/* GRAPH_PROVIDER: the OAuth token manager (may be NULL: then Graph fails
 * with BCS_ERROR_AUTH_REQUIRED) */
BcsBasicAuthProvider *bcs_basic_auth_provider_new (BcsProfile       *profile,
                                                   BcsTokenStore    *store,
                                                   BcsTokenProvider *graph_provider);

/* The provider for PROFILE's runs: a BcsTokenManager online, or on premises
 * a BcsBasicAuthProvider for Business Central around one for Graph. Sets
 * HTTP's login base URL to the profile's authority when it has none, and
 * installs the provider for Graph and Business Central on HTTP. Returns a
 * new reference. */
BcsTokenProvider     *bcs_auth_provider_new_for_profile (BcsProfile    *profile,
                                                         BcsTokenStore *store,
                                                         BcsHttp       *http);

G_END_DECLS
