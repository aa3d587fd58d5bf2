/* bcs-oauth.c — the OAuth 2.0 pieces of the Microsoft identity platform */
#define G_LOG_DOMAIN "bcs-auth"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-oauth.h"

#define TOKEN_PATH "/oauth2/v2.0/token"
#define DEVICE_CODE_PATH "/oauth2/v2.0/devicecode"
#define DEFAULT_EXPIRES_IN 3599
#define DEFAULT_DEVICE_INTERVAL 5
#define DEFAULT_SLOW_DOWN_STEP 5.0

void
bcs_oauth_tokens_free (BcsOAuthTokens *tokens)
{
  if (tokens == NULL)
    return;

  /* Overwrite the secrets before giving the memory back */
  if (tokens->access_token != NULL)
    memset (tokens->access_token, 0, strlen (tokens->access_token));
  if (tokens->refresh_token != NULL)
    memset (tokens->refresh_token, 0, strlen (tokens->refresh_token));
  g_free (tokens->access_token);
  g_free (tokens->refresh_token);
  g_free (tokens->scope);
  g_free (tokens);
}

void
bcs_oauth_device_code_free (BcsOAuthDeviceCode *code)
{
  if (code == NULL)
    return;

  g_free (code->device_code);
  g_free (code->user_code);
  g_free (code->verification_uri);
  g_free (code->message);
  g_free (code);
}

static char *
base64url (const guint8 *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);
  gsize n = strlen (text);

  while (n > 0 && text[n - 1] == '=')
    text[--n] = '\0';
  for (char *p = text; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }

  return text;
}

char *
bcs_oauth_random_string (gsize    n_bytes,
                         GError **error)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  gsize filled = 0;
  char *text;

  while (filled < n_bytes)
    {
      ssize_t n = getrandom (bytes + filled, n_bytes - filled, 0);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, BCS_ERROR, BCS_ERROR_FAILED,
                       _("Could not get random numbers from the system to sign in securely: %s"),
                       g_strerror (saved));
          return NULL;
        }
      filled += (gsize) n;
    }

  text = base64url (bytes, n_bytes);
  memset (bytes, 0, n_bytes);
  return text;
}

char *
bcs_oauth_pkce_verifier (GError **error)
{
  return bcs_oauth_random_string (32, error);
}

char *
bcs_oauth_pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  return base64url (digest, length);
}

char *
bcs_oauth_new_state (GError **error)
{
  return bcs_oauth_random_string (24, error);
}

static void
append_param (GString    *query,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (query, "%s%s=%s", query->len > 0 ? "&" : "", name, escaped);
}

char *
bcs_oauth_build_authorize_url (const char *authority,
                               const char *client_id,
                               const char *redirect_uri,
                               const char *scope,
                               const char *state,
                               const char *code_challenge,
                               const char *login_hint)
{
  g_autoptr(GString) query = g_string_new (NULL);

  g_return_val_if_fail (authority != NULL, NULL);

  append_param (query, "client_id", client_id);
  append_param (query, "response_type", "code");
  append_param (query, "redirect_uri", redirect_uri);
  append_param (query, "response_mode", "query");
  append_param (query, "scope", scope);
  append_param (query, "state", state);
  append_param (query, "code_challenge", code_challenge);
  append_param (query, "code_challenge_method", "S256");
  if (login_hint != NULL && *login_hint != '\0')
    append_param (query, "login_hint", login_hint);
  else
    append_param (query, "prompt", "select_account");

  return g_strconcat (authority, "/oauth2/v2.0/authorize?", query->str, NULL);
}

double
bcs_oauth_next_poll_interval (double      interval,
                              const char *oauth_error,
                              double      slow_down_step)
{
  if (g_strcmp0 (oauth_error, "slow_down") == 0)
    return interval + (slow_down_step > 0 ? slow_down_step : DEFAULT_SLOW_DOWN_STEP);

  return interval;
}

/* ---- token endpoint ---- */

typedef struct {
  BcsHttpRequest *request;
  char *oauth_error;
} TokenCall;

static void
token_call_free (gpointer data)
{
  TokenCall *call = data;

  g_clear_object (&call->request);
  g_free (call->oauth_error);
  g_free (call);
}

static void
on_token_sent (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonObject *answer;
  BcsOAuthTokens *tokens;
  const char *access_token;
  gint64 expires_in;

  answer = bcs_http_request_get_response_object (call->request);
  if (!bcs_http_send_finish (BCS_HTTP (object), result, &error))
    {
      call->oauth_error = g_strdup (bcs_json_get_string (answer, "error"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  access_token = bcs_json_get_string (answer, "access_token");
  if (access_token == NULL || *access_token == '\0')
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                               _("The Microsoft sign-in service sent an answer without an access token. Try signing in again."));
      return;
    }

  expires_in = bcs_json_get_int (answer, "expires_in", DEFAULT_EXPIRES_IN);
  if (expires_in <= 0)
    expires_in = DEFAULT_EXPIRES_IN;

  tokens = g_new0 (BcsOAuthTokens, 1);
  tokens->access_token = g_strdup (access_token);
  tokens->refresh_token = g_strdup (bcs_json_get_string (answer, "refresh_token"));
  tokens->scope = g_strdup (bcs_json_get_string (answer, "scope"));
  tokens->expires_at = g_get_real_time () + expires_in * G_USEC_PER_SEC;
  g_task_return_pointer (task, tokens, (GDestroyNotify) bcs_oauth_tokens_free);
}

static void
send_token_request (BcsHttp             *http,
                    BcsHttpRequest      *request,
                    gpointer             source_tag,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (http, cancellable, callback, user_data);
  TokenCall *call = g_new0 (TokenCall, 1);

  g_task_set_source_tag (task, source_tag);
  call->request = g_object_ref (request);
  g_task_set_task_data (task, call, token_call_free);
  bcs_http_send_async (http, request, cancellable, on_token_sent, task);
}

void
bcs_oauth_redeem_code_async (BcsHttp             *http,
                             const char          *client_id,
                             const char          *code,
                             const char          *redirect_uri,
                             const char          *code_verifier,
                             const char          *scope,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_LOGIN, "POST", TOKEN_PATH);

  g_return_if_fail (BCS_IS_HTTP (http));

  bcs_http_request_set_form_body (request,
                                  "client_id", client_id,
                                  "grant_type", "authorization_code",
                                  "code", code,
                                  "redirect_uri", redirect_uri,
                                  "code_verifier", code_verifier,
                                  "scope", scope,
                                  NULL);
  send_token_request (http, request, bcs_oauth_redeem_code_async, cancellable, callback, user_data);
}

void
bcs_oauth_refresh_async (BcsHttp             *http,
                         const char          *client_id,
                         const char          *refresh_token,
                         const char          *scope,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_LOGIN, "POST", TOKEN_PATH);

  g_return_if_fail (BCS_IS_HTTP (http));

  bcs_http_request_set_form_body (request,
                                  "client_id", client_id,
                                  "grant_type", "refresh_token",
                                  "refresh_token", refresh_token,
                                  "scope", scope,
                                  NULL);
  send_token_request (http, request, bcs_oauth_refresh_async, cancellable, callback, user_data);
}

void
bcs_oauth_device_poll_async (BcsHttp             *http,
                             const char          *client_id,
                             const char          *device_code,
                             const char          *scope,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_LOGIN, "POST", TOKEN_PATH);

  g_return_if_fail (BCS_IS_HTTP (http));

  bcs_http_request_set_form_body (request,
                                  "client_id", client_id,
                                  "grant_type", BCS_OAUTH_DEVICE_CODE_GRANT,
                                  "device_code", device_code,
                                  "scope", scope,
                                  NULL);
  send_token_request (http, request, bcs_oauth_device_poll_async, cancellable, callback, user_data);
}

BcsOAuthTokens *
bcs_oauth_tokens_finish (GAsyncResult  *result,
                         char         **oauth_error,
                         GError       **error)
{
  GTask *task = G_TASK (result);
  TokenCall *call = g_task_get_task_data (task);

  if (oauth_error != NULL)
    *oauth_error = g_strdup (call->oauth_error);

  return g_task_propagate_pointer (task, error);
}

/* ---- device code ---- */

static void
on_device_code (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsHttpRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonObject *answer;
  BcsOAuthDeviceCode *code;
  const char *device_code, *user_code, *uri, *message;
  gint64 interval, expires_in;

  if (!bcs_http_send_finish (BCS_HTTP (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  answer = bcs_http_request_get_response_object (request);
  device_code = bcs_json_get_string (answer, "device_code");
  user_code = bcs_json_get_string (answer, "user_code");
  uri = bcs_json_get_string (answer, "verification_uri");
  message = bcs_json_get_string (answer, "message");
  if (device_code == NULL || user_code == NULL || uri == NULL)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                               _("The Microsoft sign-in service sent an incomplete sign-in code. Try again."));
      return;
    }

  interval = bcs_json_get_int (answer, "interval", DEFAULT_DEVICE_INTERVAL);
  expires_in = bcs_json_get_int (answer, "expires_in", 900);

  code = g_new0 (BcsOAuthDeviceCode, 1);
  code->device_code = g_strdup (device_code);
  code->user_code = g_strdup (user_code);
  code->verification_uri = g_strdup (uri);
  /* TRANSLATORS: the first %s is a web address, the second a code such as BCDF-GHJK */
  code->message = message != NULL ? g_strdup (message)
                                  : g_strdup_printf (_("To sign in, open %s in a web browser and enter the code %s."),
                                                     uri, user_code);
  code->interval = (guint) CLAMP (interval, 0, 300);
  code->expires_in = (guint) CLAMP (expires_in, 1, 24 * 3600);
  g_task_return_pointer (task, code, (GDestroyNotify) bcs_oauth_device_code_free);
}

void
bcs_oauth_device_start_async (BcsHttp             *http,
                              const char          *client_id,
                              const char          *scope,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  BcsHttpRequest *request = bcs_http_request_new (BCS_SERVICE_LOGIN, "POST", DEVICE_CODE_PATH);
  GTask *task = g_task_new (http, cancellable, callback, user_data);

  g_task_set_source_tag (task, bcs_oauth_device_start_async);
  bcs_http_request_set_form_body (request, "client_id", client_id, "scope", scope, NULL);
  g_task_set_task_data (task, request, g_object_unref);
  bcs_http_send_async (http, request, cancellable, on_device_code, task);
}

BcsOAuthDeviceCode *
bcs_oauth_device_start_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
