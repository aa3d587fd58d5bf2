/* bcs-sign-in.h — the two sign-in flows end to end, and the sign-out
 *
 * Browser: authorization code with PKCE S256 and state; the authorize URL
 * is handed to SHOW_URI (the GUI calls gtk_show_uri with it, the CLI
 * prints it) and the answer comes back to a one-shot listener on
 * 127.0.0.1. Device code: SHOW_CODE gets the code to show; the token
 * endpoint is polled until the user has signed in elsewhere.
 *
 * Both ask for consent to Microsoft Graph and Business Central at once,
 * redeem for Graph, store the refresh token in the keyring, read /me and
 * record the account's e-mail address in the profile setting "account".
 * The finish functions return that address. */
#pragma once

#include <gio/gio.h>

#include "bcs-http.h"
#include "bcs-oauth.h"
#include "bcs-profile.h"
#include "bcs-token-store.h"

G_BEGIN_DECLS

typedef void (*BcsSignInShowUriFunc)  (const char               *uri,
                                       gpointer                  user_data);
typedef void (*BcsSignInShowCodeFunc) (const BcsOAuthDeviceCode *code,
                                       gpointer                  user_data);

#define BCS_TYPE_SIGN_IN (bcs_sign_in_get_type ())
G_DECLARE_FINAL_TYPE (BcsSignIn, bcs_sign_in, BCS, SIGN_IN, GObject)

/* HTTP: where the identity platform's requests are sent and counted (its
 * login base URL is set to the profile's authority when it has none) */
BcsSignIn *bcs_sign_in_new                (BcsProfile            *profile,
                                           BcsTokenStore         *store,
                                           BcsHttp               *http);
/* Tests: poll the device code flow every SECONDS instead of the service's
 * interval (slow_down still adds 5 s); 0 restores the service's */
void       bcs_sign_in_set_poll_interval  (BcsSignIn             *self,
                                           double                 seconds);

void       bcs_sign_in_browser_async      (BcsSignIn             *self,
                                           BcsSignInShowUriFunc   show_uri,
                                           gpointer               show_data,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
char      *bcs_sign_in_browser_finish     (BcsSignIn             *self,
                                           GAsyncResult          *result,
                                           GError               **error);

void       bcs_sign_in_device_async       (BcsSignIn             *self,
                                           BcsSignInShowCodeFunc  show_code,
                                           gpointer               show_data,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
char      *bcs_sign_in_device_finish      (BcsSignIn             *self,
                                           GAsyncResult          *result,
                                           GError               **error);

/* Removes every keyring item of the profile and forgets the account */
void       bcs_sign_out_async             (BcsProfile            *profile,
                                           BcsTokenStore         *store,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
gboolean   bcs_sign_out_finish            (GAsyncResult          *result,
                                           GError               **error);

G_END_DECLS
