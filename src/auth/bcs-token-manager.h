/* bcs-token-manager.h — bearer tokens per resource from one refresh token
 *
 * Implements BcsTokenProvider for Microsoft Graph and Business Central
 * online. Access tokens are kept in memory and in the keyring with their
 * expiry and refreshed 5 minutes before it; a refresh for a resource that
 * is already being refreshed is shared; refreshes run one at a time (each
 * one rotates the refresh token, which is stored at once). invalid_grant →
 * BCS_ERROR_AUTH_REQUIRED. Used on the thread-default main context it was
 * created on, like the BcsHttp it sends its token requests through. */
#pragma once

#include <gio/gio.h>

#include "bcs-http.h"
#include "bcs-profile.h"
#include "bcs-token-provider.h"
#include "bcs-token-store.h"

G_BEGIN_DECLS

/* An access token this close to its expiry is refreshed first */
#define BCS_TOKEN_MANAGER_EARLY_REFRESH_SECONDS (5 * 60)

#define BCS_TYPE_TOKEN_MANAGER (bcs_token_manager_get_type ())
G_DECLARE_FINAL_TYPE (BcsTokenManager, bcs_token_manager, BCS, TOKEN_MANAGER, GObject)

/* HTTP (its BCS_SERVICE_LOGIN base URL set to the profile's authority) is
 * held weakly: it usually holds the manager as its token provider. */
BcsTokenManager *bcs_token_manager_new              (BcsProfile      *profile,
                                                     BcsTokenStore   *store,
                                                     BcsHttp         *http);
BcsTokenStore   *bcs_token_manager_get_store        (BcsTokenManager *self);
/* An access token already in hand (after a sign-in); EXPIRES_AT real time, µs */
void             bcs_token_manager_set_access_token (BcsTokenManager *self,
                                                     BcsService       service,
                                                     const char      *access_token,
                                                     gint64           expires_at);
/* Drops the tokens held in memory (after a sign-out) */
void             bcs_token_manager_forget           (BcsTokenManager *self);

G_END_DECLS
