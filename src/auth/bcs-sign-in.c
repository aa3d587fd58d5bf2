/* bcs-sign-in.c — the two sign-in flows end to end, and the sign-out */
#define G_LOG_DOMAIN "bcs-auth"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-loopback-redirect.h"
#include "bcs-sign-in.h"
#include "bcs-token-manager.h"

#define DEFAULT_POLL_INTERVAL 5.0
/* The service says when a device code expires; keep polling a little past
 * that so its own expired_token answer decides */
#define DEVICE_DEADLINE_GRACE_SECONDS 10

struct _BcsSignIn
{
  GObject parent_instance;

  BcsProfile *profile;
  BcsTokenStore *store;
  BcsHttp *http;
  double poll_interval;      /* 0: the service's */
};

G_DEFINE_FINAL_TYPE (BcsSignIn, bcs_sign_in, G_TYPE_OBJECT)

typedef struct {
  BcsLoopbackRedirect *redirect;
  char *verifier;
  BcsOAuthDeviceCode *device;
  double interval;
  gint64 deadline;           /* monotonic, µs */
  BcsOAuthTokens *tokens;
  BcsHttp *me_http;
  BcsTokenManager *me_manager;
  BcsHttpRequest *me_request;
  guint n_cleared;
} Flow;

static void
flow_free (gpointer data)
{
  Flow *flow = data;

  g_clear_object (&flow->redirect);
  if (flow->verifier != NULL)
    memset (flow->verifier, 0, strlen (flow->verifier));
  g_free (flow->verifier);
  g_clear_pointer (&flow->device, bcs_oauth_device_code_free);
  g_clear_pointer (&flow->tokens, bcs_oauth_tokens_free);
  g_clear_object (&flow->me_request);
  g_clear_object (&flow->me_http);
  g_clear_object (&flow->me_manager);
  g_free (flow);
}

BcsSignIn *
bcs_sign_in_new (BcsProfile    *profile,
                 BcsTokenStore *store,
                 BcsHttp       *http)
{
  BcsSignIn *self;

  g_return_val_if_fail (BCS_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (BCS_IS_TOKEN_STORE (store), NULL);
  g_return_val_if_fail (BCS_IS_HTTP (http), NULL);

  self = g_object_new (BCS_TYPE_SIGN_IN, NULL);
  self->profile = g_object_ref (profile);
  self->store = g_object_ref (store);
  self->http = g_object_ref (http);

  if (bcs_http_get_base_url (http, BCS_SERVICE_LOGIN) == NULL)
    {
      g_autofree char *authority = bcs_profile_dup_authority (profile);

      bcs_http_set_base_url (http, BCS_SERVICE_LOGIN, authority);
    }

  return self;
}

void
bcs_sign_in_set_poll_interval (BcsSignIn *self,
                               double     seconds)
{
  g_return_if_fail (BCS_IS_SIGN_IN (self));
  self->poll_interval = MAX (seconds, 0);
}

/* ---- after the tokens: keyring, /me, the account setting ---- */

static void
on_me (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonObject *me;
  const char *account;

  if (!bcs_http_send_finish (BCS_HTTP (object), result, &error))
    {
      g_prefix_error (&error, "%s", _("Signed in, but the account could not be read: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  me = bcs_http_request_get_response_object (flow->me_request);
  account = bcs_json_get_string (me, "mail");
  if (account == NULL || *account == '\0')
    account = bcs_json_get_string (me, "userPrincipalName");
  if (account == NULL || *account == '\0')
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                               _("Signed in, but Microsoft 365 did not say which account it is. Try again."));
      return;
    }

  g_settings_set_string (bcs_profile_get_settings (self->profile), "account", account);
  g_task_return_pointer (task, g_strdup (account), g_free);
}

static void
read_me (GTask *task)
{
  BcsSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  g_autofree char *graph_url = bcs_profile_dup_graph_url (self->profile);

  /* A session of its own, with the fresh Graph token as its provider */
  flow->me_http = bcs_http_new ();
  bcs_http_set_base_url (flow->me_http, BCS_SERVICE_LOGIN, bcs_http_get_base_url (self->http, BCS_SERVICE_LOGIN));
  bcs_http_set_base_url (flow->me_http, BCS_SERVICE_GRAPH, graph_url);
  flow->me_manager = bcs_token_manager_new (self->profile, self->store, flow->me_http);
  bcs_token_manager_set_access_token (flow->me_manager, BCS_SERVICE_GRAPH,
                                      flow->tokens->access_token, flow->tokens->expires_at);
  bcs_http_set_token_provider (flow->me_http, BCS_SERVICE_GRAPH, BCS_TOKEN_PROVIDER (flow->me_manager));

  flow->me_request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/me");
  bcs_http_send_async (flow->me_http, flow->me_request, g_task_get_cancellable (task), on_me, task);
}

static void
on_refresh_token_stored (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bcs_token_store_store_finish (BCS_TOKEN_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  read_me (task);
}

/* A new sign-in replaces the previous account's access tokens (the
 * on-premises web service key stays: it is not the account's) */
static const char * const replaced_kinds[] = {
  BCS_TOKEN_KIND_ACCESS_GRAPH,
  BCS_TOKEN_KIND_ACCESS_BC,
};

static void
on_old_item_cleared (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Flow *flow = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bcs_token_store_clear_finish (BCS_TOKEN_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (++flow->n_cleared < G_N_ELEMENTS (replaced_kinds))
    {
      bcs_token_store_clear_async (BCS_TOKEN_STORE (object), replaced_kinds[flow->n_cleared],
                                   g_task_get_cancellable (task), on_old_item_cleared, task);
      return;
    }

  /* Storing replaces the old refresh token */
  bcs_token_store_store_async (BCS_TOKEN_STORE (object), BCS_TOKEN_KIND_REFRESH, flow->tokens->refresh_token,
                               g_task_get_cancellable (task), on_refresh_token_stored, task);
}

/* Takes TOKENS */
static void
signed_in (GTask          *task,
           BcsOAuthTokens *tokens)
{
  BcsSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);

  flow->tokens = tokens;
  if (tokens->refresh_token == NULL)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_AUTH_DENIED,
                               _("The sign-in did not allow Contact Sync to stay signed in (offline access). "
                                 "Sign in again and accept all the permissions asked for."));
      g_object_unref (task);
      return;
    }

  bcs_token_store_clear_async (self->store, replaced_kinds[0], g_task_get_cancellable (task),
                               on_old_item_cleared, task);
}

/* ---- browser: authorization code with PKCE ---- */

static void
on_code_redeemed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  BcsOAuthTokens *tokens;

  tokens = bcs_oauth_tokens_finish (result, NULL, &error);
  if (tokens == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  signed_in (task, tokens);
}

static void
on_redirect (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  BcsSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *client_id = NULL;

  code = bcs_loopback_redirect_wait_finish (BCS_LOOPBACK_REDIRECT (object), result, &error);
  if (code == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  client_id = bcs_profile_dup_client_id (self->profile);
  bcs_oauth_redeem_code_async (self->http, client_id, code, bcs_loopback_redirect_get_uri (flow->redirect),
                               flow->verifier, BCS_OAUTH_GRAPH_SCOPE, g_task_get_cancellable (task),
                               on_code_redeemed, task);
  memset (code, 0, strlen (code));
}

void
bcs_sign_in_browser_async (BcsSignIn            *self,
                           BcsSignInShowUriFunc  show_uri,
                           gpointer              show_data,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  GTask *task;
  Flow *flow;
  GError *error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *account = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (BCS_IS_SIGN_IN (self));
  g_return_if_fail (show_uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_sign_in_browser_async);
  flow = g_new0 (Flow, 1);
  g_task_set_task_data (task, flow, flow_free);

  flow->verifier = bcs_oauth_pkce_verifier (&error);
  state = flow->verifier != NULL ? bcs_oauth_new_state (&error) : NULL;
  if (state == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  flow->redirect = bcs_loopback_redirect_new (state, &error);
  if (flow->redirect == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  challenge = bcs_oauth_pkce_challenge (flow->verifier);
  authority = g_strdup (bcs_http_get_base_url (self->http, BCS_SERVICE_LOGIN));
  client_id = bcs_profile_dup_client_id (self->profile);
  account = g_settings_get_string (bcs_profile_get_settings (self->profile), "account");
  uri = bcs_oauth_build_authorize_url (authority, client_id, bcs_loopback_redirect_get_uri (flow->redirect),
                                       BCS_OAUTH_SIGN_IN_SCOPE, state, challenge, account);

  bcs_loopback_redirect_wait_async (flow->redirect, cancellable, on_redirect, task);
  show_uri (uri, show_data);
}

/* One error domain for callers: GIO's cancellation becomes BCS_ERROR_CANCELLED */
static char *
propagate_account (GTask   *task,
                   GError **error)
{
  g_autoptr(GError) local = NULL;
  char *account = g_task_propagate_pointer (task, &local);

  if (local != NULL && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_CANCELLED, _("The sign-in was cancelled."));
      return NULL;
    }
  if (local != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return account;
}

char *
bcs_sign_in_browser_finish (BcsSignIn     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return propagate_account (G_TASK (result), error);
}

/* ---- device code ---- */

static void schedule_poll (GTask *task);

static void
on_polled (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Flow *flow = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *oauth_error = NULL;
  BcsOAuthTokens *tokens;

  tokens = bcs_oauth_tokens_finish (result, &oauth_error, &error);
  if (tokens != NULL)
    {
      signed_in (task, tokens);
      return;
    }

  if (g_strcmp0 (oauth_error, "authorization_pending") == 0 || g_strcmp0 (oauth_error, "slow_down") == 0)
    {
      flow->interval = bcs_oauth_next_poll_interval (flow->interval, oauth_error, 0);
      if (g_strcmp0 (oauth_error, "slow_down") == 0)
        g_debug ("asked to poll more slowly: every %.1f s now", flow->interval);
      schedule_poll (task);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static gboolean
poll_cb (gpointer user_data)
{
  GTask *task = user_data;
  BcsSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  g_autofree char *client_id = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  if (g_get_monotonic_time () > flow->deadline)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED,
                               _("The sign-in code expired before it was used. Start the sign-in again."));
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  client_id = bcs_profile_dup_client_id (self->profile);
  bcs_oauth_device_poll_async (self->http, client_id, flow->device->device_code, BCS_OAUTH_GRAPH_SCOPE,
                               g_task_get_cancellable (task), on_polled, task);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  Flow *flow = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GSource *source = g_timeout_source_new ((guint) (flow->interval * 1000));

  /* Cancelling wakes the wait up at once */
  if (cancellable != NULL)
    {
      GSource *cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
      g_source_unref (cancel_source);
    }

  g_source_set_callback (source, poll_cb, task, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

typedef struct {
  BcsSignInShowCodeFunc show_code;
  gpointer show_data;
} ShowCode;

static void
on_device_code (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  BcsSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  ShowCode *show = g_object_get_data (G_OBJECT (task), "show-code");
  g_autoptr(GError) error = NULL;

  flow->device = bcs_oauth_device_start_finish (result, &error);
  if (flow->device == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (self->poll_interval > 0)
    flow->interval = self->poll_interval;
  else
    flow->interval = flow->device->interval > 0 ? flow->device->interval : DEFAULT_POLL_INTERVAL;
  flow->deadline = g_get_monotonic_time () +
                   (gint64) (flow->device->expires_in + DEVICE_DEADLINE_GRACE_SECONDS) * G_USEC_PER_SEC;

  show->show_code (flow->device, show->show_data);
  schedule_poll (task);
}

void
bcs_sign_in_device_async (BcsSignIn             *self,
                          BcsSignInShowCodeFunc  show_code,
                          gpointer               show_data,
                          GCancellable          *cancellable,
                          GAsyncReadyCallback    callback,
                          gpointer               user_data)
{
  GTask *task;
  ShowCode *show;
  g_autofree char *client_id = NULL;

  g_return_if_fail (BCS_IS_SIGN_IN (self));
  g_return_if_fail (show_code != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_sign_in_device_async);
  g_task_set_task_data (task, g_new0 (Flow, 1), flow_free);
  show = g_new0 (ShowCode, 1);
  show->show_code = show_code;
  show->show_data = show_data;
  g_object_set_data_full (G_OBJECT (task), "show-code", show, g_free);

  client_id = bcs_profile_dup_client_id (self->profile);
  bcs_oauth_device_start_async (self->http, client_id, BCS_OAUTH_SIGN_IN_SCOPE, cancellable,
                                on_device_code, task);
}

char *
bcs_sign_in_device_finish (BcsSignIn     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return propagate_account (G_TASK (result), error);
}

/* ---- sign-out ---- */

static void
on_signed_out (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsProfile *profile = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bcs_token_store_clear_finish (BCS_TOKEN_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_settings_set_string (bcs_profile_get_settings (profile), "account", "");
  g_task_return_boolean (task, TRUE);
}

void
bcs_sign_out_async (BcsProfile          *profile,
                    BcsTokenStore       *store,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BCS_IS_PROFILE (profile));
  g_return_if_fail (BCS_IS_TOKEN_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_sign_out_async);
  g_task_set_task_data (task, g_object_ref (profile), g_object_unref);
  bcs_token_store_clear_async (store, NULL, cancellable, on_signed_out, task);
}

gboolean
bcs_sign_out_finish (GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
bcs_sign_in_finalize (GObject *object)
{
  BcsSignIn *self = BCS_SIGN_IN (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->store);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (bcs_sign_in_parent_class)->finalize (object);
}

static void
bcs_sign_in_class_init (BcsSignInClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_sign_in_finalize;
}

static void
bcs_sign_in_init (BcsSignIn *self)
{
}
