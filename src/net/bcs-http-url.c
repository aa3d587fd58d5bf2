/* bcs-http-url.c — where a request may go
 *
 * https everywhere, plain http only to this computer (the sandbox, an
 * on-premises test server); absolute URLs (nextLinks, deltaLinks) only to
 * the scheme, host and port of the service's base URL, so that credentials
 * are never sent anywhere else. */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-http-private.h"

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         effective_port (a) == effective_port (b);
}

GUri *
bcs_http_parse_url (BcsService   service,
                    const char  *base_url,
                    GUri        *base_uri,
                    const char  *path,
                    GError     **error)
{
  const char *name = bcs_http_service_display_name (service);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (base_uri == NULL)
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED,
                   _("No address is set up for %s."), name);
      return NULL;
    }

  if (g_uri_peek_scheme (path) != NULL)
    {
      uri = g_uri_parse (path, BCS_HTTP_URI_FLAGS, NULL);
      if (uri == NULL || g_uri_get_host (uri) == NULL ||
          !same_origin (uri, base_uri))
        {
          /* Never send the credentials of SERVICE anywhere else */
          g_set_error (error, BCS_ERROR, BCS_ERROR_INSECURE,
                       _("%s sent a link to another server; it was not followed."), name);
          return NULL;
        }
    }
  else
    {
      g_autofree char *url = g_strconcat (base_url,
                                          path[0] == '/' ? "" : "/", path, NULL);

      uri = g_uri_parse (url, BCS_HTTP_URI_FLAGS, NULL);
      if (uri == NULL || g_uri_get_host (uri) == NULL)
        {
          g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                       _("The address for %s is not valid."), name);
          return NULL;
        }
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (g_uri_get_host (uri))))
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_INSECURE,
                   _("The address for %s must start with https://; plain http is only allowed to this computer."),
                   name);
      return NULL;
    }

  return g_steal_pointer (&uri);
}
