/* bcs-sync-sandbox-auth.c — device code sign-in against an auto-approving sandbox */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include "bcs-error.h"
#include "bcs-oauth.h"
#include "bcs-sync-sandbox-auth.h"

struct _BcsSyncSandboxAuth
{
  GObject parent_instance;

  GWeakRef http;
  char *client_id;
  char *refresh_token;
  char *access_token[BCS_N_SERVICES];
  guint generation[BCS_N_SERVICES];
  GQueue pending;            /* GTask, served one at a time */
  gboolean busy;
  gboolean signing_in;
};

typedef struct {
  BcsService service;
  gboolean force;
  guint generation;          /* of the service's token when asked */
} Ask;

static void bcs_sync_sandbox_auth_iface_init (BcsTokenProviderInterface *iface);
static void serve_next (BcsSyncSandboxAuth *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (BcsSyncSandboxAuth, bcs_sync_sandbox_auth, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BCS_TYPE_TOKEN_PROVIDER,
                                                      bcs_sync_sandbox_auth_iface_init))

static const char *
scope_for (BcsService service)
{
  return service == BCS_SERVICE_BC ? BCS_OAUTH_BC_SCOPE : BCS_OAUTH_GRAPH_SCOPE;
}

static void
finish_current (BcsSyncSandboxAuth *self,
                GError             *error)
{
  g_autoptr(GTask) task = g_queue_pop_head (&self->pending);
  Ask *ask = g_task_get_task_data (task);

  self->busy = FALSE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_strconcat ("Bearer ", self->access_token[ask->service], NULL),
                           g_free);
  serve_next (self);
}

static void
on_tokens (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BcsSyncSandboxAuth) self = user_data;
  g_autoptr(BcsOAuthTokens) tokens = NULL;
  g_autofree char *oauth_error = NULL;
  GError *error = NULL;
  GTask *task = g_queue_peek_head (&self->pending);
  Ask *ask = g_task_get_task_data (task);

  tokens = bcs_oauth_tokens_finish (result, &oauth_error, &error);
  if (tokens == NULL)
    {
      self->signing_in = FALSE;
      finish_current (self, error);
      return;
    }

  if (tokens->refresh_token != NULL)
    {
      g_free (self->refresh_token);
      self->refresh_token = g_strdup (tokens->refresh_token);
    }
  if (self->signing_in)
    {
      /* A device code sign-in answers for Graph, the first resource consented */
      self->signing_in = FALSE;
      g_free (self->access_token[BCS_SERVICE_GRAPH]);
      self->access_token[BCS_SERVICE_GRAPH] = g_strdup (tokens->access_token);
      self->generation[BCS_SERVICE_GRAPH]++;
      if (ask->service != BCS_SERVICE_GRAPH)
        {
          serve_next (self);  /* now a refresh for Business Central */
          return;
        }
      finish_current (self, NULL);
      return;
    }

  g_free (self->access_token[ask->service]);
  self->access_token[ask->service] = g_strdup (tokens->access_token);
  self->generation[ask->service]++;
  finish_current (self, NULL);
}

static void
on_device_code (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BcsSyncSandboxAuth) self = user_data;
  g_autoptr(BcsOAuthDeviceCode) code = NULL;
  g_autoptr(BcsHttp) http = g_weak_ref_get (&self->http);
  GTask *task = g_queue_peek_head (&self->pending);
  GError *error = NULL;

  code = bcs_oauth_device_start_finish (result, &error);
  if (code == NULL || http == NULL)
    {
      self->signing_in = FALSE;
      if (error == NULL)
        error = g_error_new_literal (BCS_ERROR, BCS_ERROR_CANCELLED, "The sync was stopped.");
      finish_current (self, error);
      return;
    }

  /* The sandbox approves at once: the first poll answers */
  bcs_oauth_device_poll_async (http, self->client_id, code->device_code,
                               BCS_OAUTH_GRAPH_SCOPE, g_task_get_cancellable (task),
                               on_tokens, g_object_ref (self));
}

/* Serves the head of the queue; SELF->busy while a request is out */
static void
serve_next (BcsSyncSandboxAuth *self)
{
  g_autoptr(BcsHttp) http = NULL;
  GTask *task;
  Ask *ask;

  while ((task = g_queue_peek_head (&self->pending)) != NULL)
    {
      ask = g_task_get_task_data (task);
      if (self->access_token[ask->service] != NULL &&
          (!ask->force || self->generation[ask->service] != ask->generation))
        {
          finish_current (self, NULL);
          return;
        }
      break;
    }
  if (task == NULL)
    return;

  http = g_weak_ref_get (&self->http);
  if (http == NULL)
    {
      finish_current (self, g_error_new_literal (BCS_ERROR, BCS_ERROR_CANCELLED,
                                                 "The sync was stopped."));
      return;
    }

  self->busy = TRUE;
  self->signing_in = self->refresh_token == NULL;
  if (self->refresh_token == NULL)
    bcs_oauth_device_start_async (http, self->client_id, BCS_OAUTH_SIGN_IN_SCOPE,
                                  g_task_get_cancellable (task), on_device_code,
                                  g_object_ref (self));
  else
    bcs_oauth_refresh_async (http, self->client_id, self->refresh_token,
                             scope_for (ask->service), g_task_get_cancellable (task),
                             on_tokens, g_object_ref (self));
}

static void
get_authorization_async (BcsTokenProvider    *provider,
                         BcsService           service,
                         gboolean             force_refresh,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  BcsSyncSandboxAuth *self = BCS_SYNC_SANDBOX_AUTH (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Ask *ask = g_new0 (Ask, 1);

  ask->service = service;
  ask->force = force_refresh;
  ask->generation = self->generation[service];
  g_task_set_task_data (task, ask, g_free);
  g_task_set_source_tag (task, get_authorization_async);

  if (!force_refresh && self->access_token[service] != NULL && !self->busy)
    {
      g_task_return_pointer (task, g_strconcat ("Bearer ", self->access_token[service], NULL),
                             g_free);
      g_object_unref (task);
      return;
    }

  g_queue_push_tail (&self->pending, task);
  if (!self->busy)
    serve_next (self);
}

static char *
get_authorization_finish (BcsTokenProvider  *provider,
                          GAsyncResult      *result,
                          GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bcs_sync_sandbox_auth_iface_init (BcsTokenProviderInterface *iface)
{
  iface->get_authorization_async = get_authorization_async;
  iface->get_authorization_finish = get_authorization_finish;
}

static void
bcs_sync_sandbox_auth_finalize (GObject *object)
{
  BcsSyncSandboxAuth *self = BCS_SYNC_SANDBOX_AUTH (object);

  g_weak_ref_clear (&self->http);
  g_free (self->client_id);
  g_free (self->refresh_token);
  for (guint i = 0; i < BCS_N_SERVICES; i++)
    g_free (self->access_token[i]);
  g_queue_clear_full (&self->pending, g_object_unref);

  G_OBJECT_CLASS (bcs_sync_sandbox_auth_parent_class)->finalize (object);
}

static void
bcs_sync_sandbox_auth_class_init (BcsSyncSandboxAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_sync_sandbox_auth_finalize;
}

static void
bcs_sync_sandbox_auth_init (BcsSyncSandboxAuth *self)
{
  g_weak_ref_init (&self->http, NULL);
  g_queue_init (&self->pending);
}

BcsSyncSandboxAuth *
bcs_sync_sandbox_auth_new (BcsHttp    *http,
                           const char *client_id)
{
  BcsSyncSandboxAuth *self = g_object_new (BCS_TYPE_SYNC_SANDBOX_AUTH, NULL);

  g_weak_ref_set (&self->http, http);
  self->client_id = g_strdup (client_id);
  return self;
}
