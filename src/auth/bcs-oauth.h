/* bcs-oauth.h — the OAuth 2.0 pieces of the Microsoft identity platform
 *
 * PKCE (RFC 7636, S256) and state from the kernel's CSPRNG, the authorize
 * URL, and the token endpoint calls (authorization code, refresh token,
 * device code start and poll). Every request goes through BcsHttp (service
 * BCS_SERVICE_LOGIN, whose base URL is the authority, ".../TENANT"), so it
 * is counted, retried and refused over plain http to other hosts. Nothing
 * here logs or puts a secret into an error message. */
#pragma once

#include <gio/gio.h>

#include "bcs-http.h"

G_BEGIN_DECLS

/* Refresh scopes, one resource each */
#define BCS_OAUTH_GRAPH_SCOPE \
  "https://graph.microsoft.com/User.Read https://graph.microsoft.com/Contacts.ReadWrite offline_access"
#define BCS_OAUTH_BC_SCOPE \
  "https://api.businesscentral.dynamics.com/Financials.ReadWrite.All offline_access"
/* The sign-in asks for consent to both resources at once */
#define BCS_OAUTH_SIGN_IN_SCOPE \
  "offline_access https://graph.microsoft.com/User.Read https://graph.microsoft.com/Contacts.ReadWrite " \
  "https://api.businesscentral.dynamics.com/Financials.ReadWrite.All"

#define BCS_OAUTH_DEVICE_CODE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

typedef struct {
  char *access_token;
  char *refresh_token;      /* NULL when the answer had none */
  char *scope;
  gint64 expires_at;        /* real time, µs */
} BcsOAuthTokens;

typedef struct {
  char *device_code;
  char *user_code;
  char *verification_uri;
  char *message;            /* the service's instructions, with code and URI */
  guint expires_in;         /* seconds */
  guint interval;           /* seconds between polls */
} BcsOAuthDeviceCode;

void                bcs_oauth_tokens_free          (BcsOAuthTokens     *tokens);
void                bcs_oauth_device_code_free     (BcsOAuthDeviceCode *code);

/* N_BYTES from the kernel's CSPRNG (getrandom), base64url without padding */
char               *bcs_oauth_random_string        (gsize               n_bytes,
                                                    GError            **error);
/* A 43-character code verifier (32 random bytes) */
char               *bcs_oauth_pkce_verifier        (GError            **error);
/* base64url (SHA-256 (VERIFIER)), no padding */
char               *bcs_oauth_pkce_challenge       (const char         *verifier);
char               *bcs_oauth_new_state            (GError            **error);
char               *bcs_oauth_build_authorize_url  (const char         *authority,
                                                    const char         *client_id,
                                                    const char         *redirect_uri,
                                                    const char         *scope,
                                                    const char         *state,
                                                    const char         *code_challenge,
                                                    const char         *login_hint);

/* The next device code polling interval after the service answered
 * OAUTH_ERROR (slow_down adds STEP seconds, RFC 8628; default step 5) */
double              bcs_oauth_next_poll_interval   (double              interval,
                                                    const char         *oauth_error,
                                                    double              slow_down_step);

/* Token endpoint calls. On failure, *OAUTH_ERROR (if not NULL) gets the
 * identity platform's "error" ("invalid_grant", "authorization_pending", …)
 * or NULL when the answer had none. */
void                bcs_oauth_redeem_code_async    (BcsHttp            *http,
                                                    const char         *client_id,
                                                    const char         *code,
                                                    const char         *redirect_uri,
                                                    const char         *code_verifier,
                                                    const char         *scope,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
void                bcs_oauth_refresh_async        (BcsHttp            *http,
                                                    const char         *client_id,
                                                    const char         *refresh_token,
                                                    const char         *scope,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
void                bcs_oauth_device_poll_async    (BcsHttp            *http,
                                                    const char         *client_id,
                                                    const char         *device_code,
                                                    const char         *scope,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
/* Finishes any of the three above */
BcsOAuthTokens     *bcs_oauth_tokens_finish        (GAsyncResult       *result,
                                                    char              **oauth_error,
                                                    GError            **error);

void                bcs_oauth_device_start_async   (BcsHttp            *http,
                                                    const char         *client_id,
                                                    const char         *scope,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
BcsOAuthDeviceCode *bcs_oauth_device_start_finish  (GAsyncResult       *result,
                                                    GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsOAuthTokens, bcs_oauth_tokens_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsOAuthDeviceCode, bcs_oauth_device_code_free)

G_END_DECLS
