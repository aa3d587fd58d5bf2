/* bcs-basic-auth-provider.c — Business Central on premises: Basic auth */
#define G_LOG_DOMAIN "bcs-auth"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bcs-basic-auth-provider.h"
#include "bcs-error.h"
#include "bcs-token-manager.h"

struct _BcsBasicAuthProvider
{
  GObject parent_instance;

  BcsProfile *profile;
  BcsTokenStore *store;
  BcsTokenProvider *graph_provider;
};

static void bcs_basic_auth_provider_provider_init (BcsTokenProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BcsBasicAuthProvider, bcs_basic_auth_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BCS_TYPE_TOKEN_PROVIDER,
                                                      bcs_basic_auth_provider_provider_init))

BcsBasicAuthProvider *
bcs_basic_auth_provider_new (BcsProfile       *profile,
                             BcsTokenStore    *store,
                             BcsTokenProvider *graph_provider)
{
  BcsBasicAuthProvider *self;

  g_return_val_if_fail (BCS_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (BCS_IS_TOKEN_STORE (store), NULL);
  g_return_val_if_fail (graph_provider == NULL || BCS_IS_TOKEN_PROVIDER (graph_provider), NULL);

  self = g_object_new (BCS_TYPE_BASIC_AUTH_PROVIDER, NULL);
  self->profile = g_object_ref (profile);
  self->store = g_object_ref (store);
  if (graph_provider != NULL)
    self->graph_provider = g_object_ref (graph_provider);
  return self;
}

static void
on_graph_authorization (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *authorization;

  authorization = bcs_token_provider_get_authorization_finish (BCS_TOKEN_PROVIDER (object), result, &error);
  if (authorization == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, authorization, g_free);
}

static void
on_key_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsBasicAuthProvider *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *user = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;

  key = bcs_token_store_lookup_finish (BCS_TOKEN_STORE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (key == NULL || *key == '\0')
    {
      /* TRANSLATORS: %s is a profile name */
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED,
                               _("No Business Central web service access key is stored for profile “%s”. "
                                 "Enter it in the connection settings."),
                               bcs_profile_get_name (self->profile));
      return;
    }

  user = g_settings_get_string (bcs_profile_get_settings (self->profile), "bc-onprem-user");
  pair = g_strconcat (g_strstrip (user), ":", key, NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  memset (key, 0, strlen (key));
  memset (pair, 0, strlen (pair));
  g_task_return_pointer (task, g_strconcat ("Basic ", encoded, NULL), g_free);
  memset (encoded, 0, strlen (encoded));
}

static void
bcs_basic_auth_provider_get_authorization_async (BcsTokenProvider    *provider,
                                                 BcsService           service,
                                                 gboolean             force_refresh,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  BcsBasicAuthProvider *self = BCS_BASIC_AUTH_PROVIDER (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *user = NULL;

  g_task_set_source_tag (task, bcs_basic_auth_provider_get_authorization_async);

  if (service == BCS_SERVICE_GRAPH)
    {
      if (self->graph_provider == NULL)
        {
          g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED,
                                   _("Not signed in to Microsoft 365. Sign in first."));
          g_object_unref (task);
          return;
        }
      bcs_token_provider_get_authorization_async (self->graph_provider, service, force_refresh,
                                                  cancellable, on_graph_authorization, task);
      return;
    }

  if (service != BCS_SERVICE_BC)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_FAILED,
                               "No credentials for the %s service", bcs_service_to_string (service));
      g_object_unref (task);
      return;
    }

  user = g_settings_get_string (bcs_profile_get_settings (self->profile), "bc-onprem-user");
  if (*g_strstrip (user) == '\0')
    {
      /* TRANSLATORS: %s is a profile name */
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED,
                               _("No Business Central user name is set for profile “%s”. "
                                 "Enter it in the connection settings."),
                               bcs_profile_get_name (self->profile));
      g_object_unref (task);
      return;
    }

  /* A key is not refreshed: after a 401 the same one is all there is */
  bcs_token_store_lookup_async (self->store, BCS_TOKEN_KIND_WEB_SERVICE_KEY, cancellable,
                                on_key_loaded, task);
}

static char *
bcs_basic_auth_provider_get_authorization_finish (BcsTokenProvider  *provider,
                                                  GAsyncResult      *result,
                                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bcs_basic_auth_provider_provider_init (BcsTokenProviderInterface *iface)
{
  iface->get_authorization_async = bcs_basic_auth_provider_get_authorization_async;
  iface->get_authorization_finish = bcs_basic_auth_provider_get_authorization_finish;
}

BcsTokenProvider *
bcs_auth_provider_new_for_profile (BcsProfile    *profile,
                                   BcsTokenStore *store,
                                   BcsHttp       *http)
{
  g_autoptr(BcsTokenManager) manager = NULL;
  BcsTokenProvider *provider;

  g_return_val_if_fail (BCS_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (BCS_IS_TOKEN_STORE (store), NULL);
  g_return_val_if_fail (BCS_IS_HTTP (http), NULL);

  if (bcs_http_get_base_url (http, BCS_SERVICE_LOGIN) == NULL)
    {
      g_autofree char *authority = bcs_profile_dup_authority (profile);

      bcs_http_set_base_url (http, BCS_SERVICE_LOGIN, authority);
    }

  manager = bcs_token_manager_new (profile, store, http);
  if (bcs_profile_get_deployment (profile) == BCS_DEPLOYMENT_ON_PREMISES)
    provider = BCS_TOKEN_PROVIDER (bcs_basic_auth_provider_new (profile, store, BCS_TOKEN_PROVIDER (manager)));
  else
    provider = BCS_TOKEN_PROVIDER (g_steal_pointer (&manager));

  bcs_http_set_token_provider (http, BCS_SERVICE_GRAPH, provider);
  bcs_http_set_token_provider (http, BCS_SERVICE_BC, provider);
  return provider;
}

static void
bcs_basic_auth_provider_finalize (GObject *object)
{
  BcsBasicAuthProvider *self = BCS_BASIC_AUTH_PROVIDER (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->store);
  g_clear_object (&self->graph_provider);

  G_OBJECT_CLASS (bcs_basic_auth_provider_parent_class)->finalize (object);
}

static void
bcs_basic_auth_provider_class_init (BcsBasicAuthProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_basic_auth_provider_finalize;
}

static void
bcs_basic_auth_provider_init (BcsBasicAuthProvider *self)
{
}
