/* bcs-token-provider.c — where BcsHttp gets its Authorization header from */
#define G_LOG_DOMAIN "bcs-auth"

#include "config.h"

#include "bcs-token-provider.h"

G_DEFINE_INTERFACE (BcsTokenProvider, bcs_token_provider, G_TYPE_OBJECT)

static void
bcs_token_provider_default_init (BcsTokenProviderInterface *iface)
{
}

void
bcs_token_provider_get_authorization_async (BcsTokenProvider    *self,
                                            BcsService           service,
                                            gboolean             force_refresh,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (BCS_IS_TOKEN_PROVIDER (self));

  BCS_TOKEN_PROVIDER_GET_IFACE (self)->get_authorization_async (self, service, force_refresh,
                                                                cancellable, callback, user_data);
}

char *
bcs_token_provider_get_authorization_finish (BcsTokenProvider  *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  g_return_val_if_fail (BCS_IS_TOKEN_PROVIDER (self), NULL);

  return BCS_TOKEN_PROVIDER_GET_IFACE (self)->get_authorization_finish (self, result, error);
}
