/* bcs-token-provider.h — where BcsHttp gets its Authorization header from
 *
 * Implemented by the OAuth token manager (bearer tokens per resource, refreshed
 * from one refresh token) and by the on-premises provider (Basic auth with a
 * web service access key). Called on the thread-default main context of the
 * caller (the sync worker's, or the main one). */
#pragma once

#include <gio/gio.h>

#include "bcs-service.h"

G_BEGIN_DECLS

#define BCS_TYPE_TOKEN_PROVIDER (bcs_token_provider_get_type ())
G_DECLARE_INTERFACE (BcsTokenProvider, bcs_token_provider, BCS, TOKEN_PROVIDER, GObject)

struct _BcsTokenProviderInterface
{
  GTypeInterface parent_iface;

  /* The full header value ("Bearer …" or "Basic …") for SERVICE. With
   * FORCE_REFRESH, a cached access token is not reused (after a 401). Fails
   * with BCS_ERROR_AUTH_REQUIRED when the user must sign in again. */
  void   (*get_authorization_async)  (BcsTokenProvider    *self,
                                      BcsService           service,
                                      gboolean             force_refresh,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
  char * (*get_authorization_finish) (BcsTokenProvider    *self,
                                      GAsyncResult        *result,
                                      GError             **error);
};

void  bcs_token_provider_get_authorization_async  (BcsTokenProvider    *self,
                                                   BcsService           service,
                                                   gboolean             force_refresh,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char *bcs_token_provider_get_authorization_finish (BcsTokenProvider    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
