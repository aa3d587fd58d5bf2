/* bcs-token-manager.c — bearer tokens per resource from one refresh token */
#define G_LOG_DOMAIN "bcs-auth"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-oauth.h"
#include "bcs-token-manager.h"

typedef struct {
  char *token;              /* the access token, or NULL */
  gint64 expires_at;        /* real time, µs */
  gboolean loaded;          /* the keyring's copy has been read */
  gboolean force;           /* a waiter asked for a new token (after a 401) */
  gboolean queued;          /* in refresh_order or being refreshed */
  GQueue waiters;           /* GTask */
} Resource;

struct _BcsTokenManager
{
  GObject parent_instance;

  BcsProfile *profile;
  BcsTokenStore *store;
  GWeakRef http;

  Resource resources[BCS_N_SERVICES];
  GQueue refresh_order;     /* BcsService (GINT_TO_POINTER), waiting for a refresh */
  gboolean busy;            /* a refresh is running */
  int current;              /* the service being refreshed */
};

static void bcs_token_manager_provider_init (BcsTokenProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BcsTokenManager, bcs_token_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BCS_TYPE_TOKEN_PROVIDER,
                                                      bcs_token_manager_provider_init))

static void start_next (BcsTokenManager *self);

static void
wipe_string (char **text)
{
  if (*text != NULL)
    memset (*text, 0, strlen (*text));
  g_clear_pointer (text, g_free);
}

static const char *
access_kind (BcsService service)
{
  return service == BCS_SERVICE_BC ? BCS_TOKEN_KIND_ACCESS_BC : BCS_TOKEN_KIND_ACCESS_GRAPH;
}

static const char *
scope_for (BcsService service)
{
  return service == BCS_SERVICE_BC ? BCS_OAUTH_BC_SCOPE : BCS_OAUTH_GRAPH_SCOPE;
}

static gboolean
is_fresh (Resource *resource)
{
  return resource->token != NULL &&
         resource->expires_at - g_get_real_time () >
           (gint64) BCS_TOKEN_MANAGER_EARLY_REFRESH_SECONDS * G_USEC_PER_SEC;
}

static void
set_token (Resource   *resource,
           const char *token,
           gint64      expires_at)
{
  wipe_string (&resource->token);
  resource->token = g_strdup (token);
  resource->expires_at = expires_at;
}

BcsTokenManager *
bcs_token_manager_new (BcsProfile    *profile,
                       BcsTokenStore *store,
                       BcsHttp       *http)
{
  BcsTokenManager *self;

  g_return_val_if_fail (BCS_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (BCS_IS_TOKEN_STORE (store), NULL);
  g_return_val_if_fail (BCS_IS_HTTP (http), NULL);

  self = g_object_new (BCS_TYPE_TOKEN_MANAGER, NULL);
  self->profile = g_object_ref (profile);
  self->store = g_object_ref (store);
  g_weak_ref_set (&self->http, http);
  return self;
}

BcsTokenStore *
bcs_token_manager_get_store (BcsTokenManager *self)
{
  g_return_val_if_fail (BCS_IS_TOKEN_MANAGER (self), NULL);
  return self->store;
}

void
bcs_token_manager_set_access_token (BcsTokenManager *self,
                                    BcsService       service,
                                    const char      *access_token,
                                    gint64           expires_at)
{
  g_return_if_fail (BCS_IS_TOKEN_MANAGER (self));
  g_return_if_fail (service == BCS_SERVICE_GRAPH || service == BCS_SERVICE_BC);

  set_token (&self->resources[service], access_token, expires_at);
  self->resources[service].loaded = TRUE;
}

void
bcs_token_manager_forget (BcsTokenManager *self)
{
  g_return_if_fail (BCS_IS_TOKEN_MANAGER (self));

  for (guint i = 0; i < BCS_N_SERVICES; i++)
    {
      wipe_string (&self->resources[i].token);
      self->resources[i].loaded = FALSE;
    }
}

/* ---- one refresh at a time ---- */

static void
finish_job (BcsTokenManager *self,
            const GError    *error)
{
  Resource *resource = &self->resources[self->current];
  GTask *task;

  while ((task = g_queue_pop_head (&resource->waiters)) != NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strconcat ("Bearer ", resource->token, NULL), g_free);
      g_object_unref (task);
    }

  resource->queued = FALSE;
  resource->force = FALSE;
  self->busy = FALSE;
  start_next (self);
  g_object_unref (self);     /* the job's reference */
}

static void
on_access_stored (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BcsTokenManager *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Only a cache: a failure costs a refresh next time */
  if (!bcs_token_store_store_finish (BCS_TOKEN_STORE (object), result, &error))
    g_debug ("The access token was not kept in the keyring: %s", error->message);

  finish_job (self, NULL);
}

static void
store_access_token (BcsTokenManager *self)
{
  Resource *resource = &self->resources[self->current];
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, resource->token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, resource->expires_at / G_USEC_PER_SEC);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = json_to_string (node, FALSE);

  bcs_token_store_store_async (self->store, access_kind (self->current), text, NULL,
                               on_access_stored, self);
  wipe_string (&text);
}

static void
on_refresh_token_stored (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  BcsTokenManager *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bcs_token_store_store_finish (BCS_TOKEN_STORE (object), result, &error))
    {
      finish_job (self, error);
      return;
    }

  store_access_token (self);
}

static void
on_refreshed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BcsTokenManager *self = user_data;
  Resource *resource = &self->resources[self->current];
  g_autoptr(BcsOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *oauth_error = NULL;

  tokens = bcs_oauth_tokens_finish (result, &oauth_error, &error);
  if (tokens == NULL)
    {
      if (g_strcmp0 (oauth_error, "invalid_grant") == 0 ||
          g_strcmp0 (oauth_error, "interaction_required") == 0)
        {
          g_autoptr(GError) expired = g_error_new_literal (BCS_ERROR, BCS_ERROR_AUTH_REQUIRED,
                                                           _("Your sign-in has expired. Sign in again."));

          bcs_token_manager_forget (self);
          finish_job (self, expired);
        }
      else
        {
          finish_job (self, error);
        }
      return;
    }

  set_token (resource, tokens->access_token, tokens->expires_at);
  resource->loaded = TRUE;

  /* Rotation: the old refresh token is spent; keep the new one at once */
  if (tokens->refresh_token != NULL)
    bcs_token_store_store_async (self->store, BCS_TOKEN_KIND_REFRESH, tokens->refresh_token, NULL,
                                 on_refresh_token_stored, self);
  else
    store_access_token (self);
}

static void
on_refresh_token_loaded (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  BcsTokenManager *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *refresh_token = NULL;
  g_autofree char *client_id = NULL;
  g_autoptr(BcsHttp) http = NULL;

  refresh_token = bcs_token_store_lookup_finish (BCS_TOKEN_STORE (object), result, &error);
  if (error != NULL)
    {
      finish_job (self, error);
      return;
    }
  if (refresh_token == NULL)
    {
      g_autoptr(GError) missing = NULL;

      /* TRANSLATORS: %s is a profile name */
      missing = g_error_new (BCS_ERROR, BCS_ERROR_AUTH_REQUIRED,
                             _("Profile “%s” is not signed in. Sign in first."),
                             bcs_profile_get_name (self->profile));
      finish_job (self, missing);
      return;
    }

  http = g_weak_ref_get (&self->http);
  if (http == NULL)
    {
      g_autoptr(GError) gone = g_error_new_literal (BCS_ERROR, BCS_ERROR_CANCELLED, _("Cancelled."));

      wipe_string (&refresh_token);
      finish_job (self, gone);
      return;
    }

  client_id = bcs_profile_dup_client_id (self->profile);
  g_debug ("refreshing the %s access token", bcs_service_to_string (self->current));
  bcs_oauth_refresh_async (http, client_id, refresh_token, scope_for (self->current), NULL,
                           on_refreshed, self);
  wipe_string (&refresh_token);
}

static void
load_refresh_token (BcsTokenManager *self)
{
  bcs_token_store_lookup_async (self->store, BCS_TOKEN_KIND_REFRESH, NULL, on_refresh_token_loaded, self);
}

static void
on_access_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BcsTokenManager *self = user_data;
  Resource *resource = &self->resources[self->current];
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = bcs_token_store_lookup_finish (BCS_TOKEN_STORE (object), result, &error);
  resource->loaded = TRUE;
  if (text != NULL && !resource->force)
    {
      g_autoptr(JsonNode) node = json_from_string (text, NULL);
      JsonObject *object_json = bcs_json_node_get_object (node);
      const char *token = bcs_json_get_string (object_json, "access_token");
      gint64 expires_at = bcs_json_get_int (object_json, "expires_at", 0);

      if (token != NULL && expires_at > 0)
        set_token (resource, token, expires_at * G_USEC_PER_SEC);
      wipe_string (&text);
    }

  if (is_fresh (resource) && !resource->force)
    finish_job (self, NULL);
  else
    load_refresh_token (self);
}

static void
start_next (BcsTokenManager *self)
{
  Resource *resource;

  if (self->busy || g_queue_is_empty (&self->refresh_order))
    return;

  self->current = GPOINTER_TO_INT (g_queue_pop_head (&self->refresh_order));
  self->busy = TRUE;
  g_object_ref (self);       /* released by finish_job */
  resource = &self->resources[self->current];

  if (!resource->force && is_fresh (resource))
    finish_job (self, NULL);
  else if (!resource->loaded && !resource->force)
    bcs_token_store_lookup_async (self->store, access_kind (self->current), NULL, on_access_loaded, self);
  else
    load_refresh_token (self);
}

/* ---- BcsTokenProvider ---- */

static void
bcs_token_manager_get_authorization_async (BcsTokenProvider    *provider,
                                           BcsService           service,
                                           gboolean             force_refresh,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  BcsTokenManager *self = BCS_TOKEN_MANAGER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Resource *resource;

  g_task_set_source_tag (task, bcs_token_manager_get_authorization_async);

  if (service != BCS_SERVICE_GRAPH && service != BCS_SERVICE_BC)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_FAILED,
                               "No credentials for the %s service", bcs_service_to_string (service));
      return;
    }

  resource = &self->resources[service];
  if (!force_refresh && !resource->queued && is_fresh (resource))
    {
      g_task_return_pointer (task, g_strconcat ("Bearer ", resource->token, NULL), g_free);
      return;
    }

  /* A 401 on the token in hand: do not hand it out again. A refresh that is
   * already running for this resource is shared. */
  if (force_refresh && !(self->busy && self->current == (int) service))
    resource->force = TRUE;

  g_queue_push_tail (&resource->waiters, g_steal_pointer (&task));
  if (!resource->queued)
    {
      resource->queued = TRUE;
      g_queue_push_tail (&self->refresh_order, GINT_TO_POINTER (service));
      start_next (self);
    }
}

static char *
bcs_token_manager_get_authorization_finish (BcsTokenProvider  *provider,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bcs_token_manager_provider_init (BcsTokenProviderInterface *iface)
{
  iface->get_authorization_async = bcs_token_manager_get_authorization_async;
  iface->get_authorization_finish = bcs_token_manager_get_authorization_finish;
}

static void
bcs_token_manager_finalize (GObject *object)
{
  BcsTokenManager *self = BCS_TOKEN_MANAGER (object);

  for (guint i = 0; i < BCS_N_SERVICES; i++)
    wipe_string (&self->resources[i].token);
  g_queue_clear (&self->refresh_order);
  g_weak_ref_clear (&self->http);
  g_clear_object (&self->profile);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bcs_token_manager_parent_class)->finalize (object);
}

static void
bcs_token_manager_class_init (BcsTokenManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_token_manager_finalize;
}

static void
bcs_token_manager_init (BcsTokenManager *self)
{
  g_weak_ref_init (&self->http, NULL);
  for (guint i = 0; i < BCS_N_SERVICES; i++)
    g_queue_init (&self->resources[i].waiters);
  g_queue_init (&self->refresh_order);
}
