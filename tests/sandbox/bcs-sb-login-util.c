/* bcs-sb-login-util.c — the identity platform's errors, pages, scopes and secrets */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-login-private.h"

BcsSbLoginGrant *
bcs_sb_login_grant_new (void)
{
  BcsSbLoginGrant *grant = g_new0 (BcsSbLoginGrant, 1);

  grant->issued = bcs_sb_login_now ();
  return grant;
}

void
bcs_sb_login_grant_free (gpointer data)
{
  BcsSbLoginGrant *grant = data;

  if (grant == NULL)
    return;
  g_free (grant->user);
  g_free (grant->scope);
  g_free (grant->resource);
  g_free (grant->redirect_uri);
  g_free (grant->state);
  g_free (grant->challenge);
  g_free (grant->device_code);
  g_free (grant->user_code);
  g_free (grant);
}

gint64
bcs_sb_login_now (void)
{
  return g_get_real_time ();
}

const char *
bcs_sb_login_user (BcsSandbox *sandbox)
{
  const char *user = sandbox->options.user;

  return user != NULL && *user != '\0' ? user : "demo@sandbox.example";
}

void
bcs_sb_login_take_string (JsonObject *object,
                          const char *name,
                          char       *value)
{
  json_object_set_string_member (object, name, value);
  g_free (value);
}

/* ---- errors and pages ---- */

static char *
format_timestamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%d %H:%M:%SZ");
}

void
bcs_sb_login_error (BcsSbRequest  *request,
                    BcsSbResponse *response,
                    guint          status,
                    const char    *error,
                    guint          code,
                    const char    *format,
                    ...)
{
  JsonObject *object = json_object_new ();
  JsonArray *codes = json_array_new ();
  g_autofree char *message = NULL;
  g_autofree char *timestamp = format_timestamp ();
  g_autofree char *trace_id = bcs_sb_login_guid ();
  g_autofree char *correlation_id = NULL;
  g_autofree char *uri = NULL;
  const char *client_request_id;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Microsoft echoes the client's correlation id when it sends one */
  client_request_id = soup_message_headers_get_one (request->headers, "client-request-id");
  correlation_id = client_request_id != NULL ? g_strdup (client_request_id) : bcs_sb_login_guid ();
  uri = g_strdup_printf ("%s/error?code=%u", request->base_url ? request->base_url : "", code);

  json_array_add_int_element (codes, code);
  json_object_set_string_member (object, "error", error);
  bcs_sb_login_take_string (object, "error_description",
                                      g_strdup_printf ("AADSTS%u: %s Trace ID: %s Correlation ID: %s Timestamp: %s",
                                                       code, message, trace_id, correlation_id, timestamp));
  json_object_set_array_member (object, "error_codes", codes);
  json_object_set_string_member (object, "timestamp", timestamp);
  json_object_set_string_member (object, "trace_id", trace_id);
  json_object_set_string_member (object, "correlation_id", correlation_id);
  json_object_set_string_member (object, "error_uri", uri);
  bcs_sb_response_set_object (response, status, object);
  soup_message_headers_replace (response->headers, "Cache-Control", "no-store, no-cache");
}

void
bcs_sb_login_page (BcsSbResponse *response,
                   guint          status,
                   const char    *title,
                   const char    *body)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *html = NULL;

  html = g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width\">\n"
                          "<title>%s</title>\n"
                          "<style>body{font-family:sans-serif;background:#f2f2f2}"
                          "main{max-width:28em;margin:4em auto;background:#fff;padding:2em;"
                          "box-shadow:0 2px 6px rgba(0,0,0,.2)}button{margin-right:1em;"
                          "padding:.4em 1.6em}.account{font-weight:bold}.code{color:#666;"
                          "font-size:small}</style>\n"
                          "</head>\n<body>\n<main>\n<h1>%s</h1>\n%s\n</main>\n</body>\n</html>\n",
                          escaped_title, escaped_title, body);
  bcs_sb_response_set_raw (response, status, "text/html; charset=utf-8", html, -1);
  soup_message_headers_replace (response->headers, "Cache-Control", "no-store, no-cache");
}

void
bcs_sb_login_error_page (BcsSbResponse *response,
                         guint          code,
                         const char    *format,
                         ...)
{
  g_autofree char *message = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *body = NULL;
  g_autofree char *timestamp = format_timestamp ();
  g_autofree char *trace_id = bcs_sb_login_guid ();
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  escaped = g_markup_escape_text (message, -1);
  body = g_strdup_printf ("<p>AADSTS%u: %s</p>\n"
                          "<p class=\"code\">Trace ID: %s<br>Timestamp: %s</p>",
                          code, escaped, trace_id, timestamp);
  bcs_sb_login_page (response, SOUP_STATUS_BAD_REQUEST,
                     "Sorry, but we\xe2\x80\x99re having trouble signing you in.", body);
}

/* ---- secrets ---- */

char *
bcs_sb_login_base64url (const guint8 *data,
                        gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *out = text;

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '=')
        continue;
      *out++ = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    }
  *out = '\0';
  return text;
}

/* Credentials come from GLib's generator (seeded from the system), not the
 * sandbox's seeded GRand: a restarted sandbox with the same --seed and a state
 * file must never issue a token it has issued before. */
char *
bcs_sb_login_secret (const char *prefix,
                     gsize       n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  g_autofree char *text = NULL;

  for (gsize i = 0; i < n_bytes; i++)
    bytes[i] = (guint8) g_random_int_range (0, 256);
  text = bcs_sb_login_base64url (bytes, n_bytes);
  return g_strconcat (prefix ? prefix : "", text, NULL);
}

char *
bcs_sb_login_guid (void)
{
  return g_uuid_string_random ();
}

char *
bcs_sb_login_s256 (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  return bcs_sb_login_base64url (digest, length);
}

static gboolean
is_unreserved (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* RFC 7636: 43 to 128 unreserved characters */
gboolean
bcs_sb_login_verifier_valid (const char *verifier)
{
  gsize length = verifier != NULL ? strlen (verifier) : 0;

  return length >= 43 && length <= 128 && is_unreserved (verifier);
}

/* An S256 challenge is a SHA-256 digest in base64url: 43 characters */
gboolean
bcs_sb_login_challenge_valid (const char *challenge)
{
  return challenge != NULL && strlen (challenge) == 43 && is_unreserved (challenge);
}

/* ---- scopes ---- */

BcsSbLoginResource
bcs_sb_login_scope_resource (const char *scope)
{
  static const char * const bare[] = { "openid", "profile", "email", "offline_access" };

  for (gsize i = 0; i < G_N_ELEMENTS (bare); i++)
    if (g_ascii_strcasecmp (scope, bare[i]) == 0)
      return BCS_SB_LOGIN_RESOURCE_NONE;
  if (g_ascii_strncasecmp (scope, BCS_SB_LOGIN_GRAPH_PREFIX, strlen (BCS_SB_LOGIN_GRAPH_PREFIX)) == 0)
    return BCS_SB_LOGIN_RESOURCE_GRAPH;
  if (g_ascii_strncasecmp (scope, BCS_SB_LOGIN_BC_PREFIX, strlen (BCS_SB_LOGIN_BC_PREFIX)) == 0)
    return BCS_SB_LOGIN_RESOURCE_BC;
  /* Unqualified scopes (User.Read, Contacts.ReadWrite…) are Microsoft Graph's */
  if (strstr (scope, "://") == NULL && strchr (scope, '/') == NULL)
    return BCS_SB_LOGIN_RESOURCE_GRAPH;
  return BCS_SB_LOGIN_RESOURCE_UNKNOWN;
}

const char *
bcs_sb_login_resource_name (BcsSbLoginResource resource)
{
  switch (resource)
    {
    case BCS_SB_LOGIN_RESOURCE_GRAPH:
      return "graph";
    case BCS_SB_LOGIN_RESOURCE_BC:
      return "bc";
    case BCS_SB_LOGIN_RESOURCE_NONE:
    case BCS_SB_LOGIN_RESOURCE_UNKNOWN:
    default:
      return NULL;
    }
}

/* "https://graph.microsoft.com/User.Read" and "user.read" are the same scope */
static const char *
scope_short (const char *scope)
{
  if (g_ascii_strncasecmp (scope, BCS_SB_LOGIN_GRAPH_PREFIX, strlen (BCS_SB_LOGIN_GRAPH_PREFIX)) == 0)
    return scope + strlen (BCS_SB_LOGIN_GRAPH_PREFIX);
  return scope;
}

gboolean
bcs_sb_login_scope_has (const char *scopes,
                        const char *scope)
{
  g_auto(GStrv) list = g_strsplit (scopes ? scopes : "", " ", -1);

  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (scope_short (list[i]), scope_short (scope)) == 0)
      return TRUE;
  return FALSE;
}

gboolean
bcs_sb_login_check_scope (const char  *scope,
                          const char **error,
                          guint       *code,
                          char       **message)
{
  g_auto(GStrv) list = g_strsplit (scope ? scope : "", " ", -1);
  gboolean any = FALSE;

  for (guint i = 0; list[i] != NULL; i++)
    {
      if (list[i][0] == '\0')
        continue;
      any = TRUE;
      if (bcs_sb_login_scope_resource (list[i]) == BCS_SB_LOGIN_RESOURCE_UNKNOWN)
        {
          *error = "invalid_resource";
          *code = 500011;
          *message = g_strdup_printf ("The resource principal named %s was not found in the tenant "
                                      "named %s. This can happen if the application has not been "
                                      "installed by the administrator of the tenant or consented to "
                                      "by any user in the tenant.", list[i], BCS_SB_LOGIN_TENANT);
          return FALSE;
        }
    }
  if (!any)
    {
      *error = "invalid_request";
      *code = 900144;
      *message = g_strdup ("The request body must contain the following parameter: 'scope'.");
      return FALSE;
    }
  return TRUE;
}

/* ---- id tokens, URIs, parameters ---- */

static char *
encode_json_part (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  return bcs_sb_login_base64url ((const guint8 *) text, strlen (text));
}

/* A stable object id for an account, so the same user keeps the same "oid" */
static char *
user_object_id (const char *user)
{
  g_autofree char *lower = g_ascii_strdown (user, -1);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *hex;

  g_checksum_update (checksum, (const guchar *) lower, strlen (lower));
  hex = g_checksum_get_string (checksum);
  return g_strdup_printf ("%.8s-%.4s-4%.3s-a%.3s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* "anna.schmidt@…" → "Anna Schmidt" */
static char *
user_display_name (const char *user)
{
  const char *at = strchr (user, '@');
  g_autofree char *local = g_strndup (user, at ? (gsize) (at - user) : strlen (user));
  GString *name = g_string_new (NULL);
  gboolean start = TRUE;

  for (const char *p = local; *p != '\0'; p++)
    {
      if (*p == '.' || *p == '_' || *p == '-')
        {
          g_string_append_c (name, ' ');
          start = TRUE;
          continue;
        }
      g_string_append_c (name, start ? g_ascii_toupper (*p) : *p);
      start = FALSE;
    }
  return g_string_free (name, FALSE);
}

char *
bcs_sb_login_id_token (BcsSbRequest *request,
                       const char   *user,
                       guint         lifetime)
{
  g_autoptr(JsonObject) header = json_object_new ();
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *oid = user_object_id (user);
  g_autofree char *name = user_display_name (user);
  g_autofree char *header_text = NULL;
  g_autofree char *payload_text = NULL;
  gint64 now = bcs_sb_login_now () / G_USEC_PER_SEC;

  json_object_set_string_member (header, "typ", "JWT");
  json_object_set_string_member (header, "alg", "none");
  json_object_set_string_member (payload, "aud", BCS_SB_LOGIN_CLIENT_ID);
  bcs_sb_login_take_string (payload, "iss",
                                      g_strdup_printf ("%s/%s/v2.0", request->base_url,
                                                       BCS_SB_LOGIN_TENANT_ID));
  json_object_set_int_member (payload, "iat", now);
  json_object_set_int_member (payload, "nbf", now);
  json_object_set_int_member (payload, "exp", now + lifetime);
  json_object_set_string_member (payload, "name", name);
  json_object_set_string_member (payload, "preferred_username", user);
  json_object_set_string_member (payload, "oid", oid);
  json_object_set_string_member (payload, "sub", oid);
  json_object_set_string_member (payload, "tid", BCS_SB_LOGIN_TENANT_ID);
  json_object_set_string_member (payload, "ver", "2.0");
  header_text = encode_json_part (header);
  payload_text = encode_json_part (payload);
  /* Unsigned: the signature part is empty */
  return g_strdup_printf ("%s.%s.", header_text, payload_text);
}

char *
bcs_sb_login_add_query (const char *uri,
                        const char *first_name,
                        ...)
{
  GString *result = g_string_new (uri);
  gboolean has_query = strchr (uri, '?') != NULL;
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;
      g_string_append_c (result, has_query ? '&' : '?');
      has_query = TRUE;
      g_string_append_uri_escaped (result, name, NULL, FALSE);
      g_string_append_c (result, '=');
      g_string_append_uri_escaped (result, value, NULL, FALSE);
    }
  va_end (args);
  return g_string_free (result, FALSE);
}

/* Loopback redirect URIs only, as Microsoft allows plain http for them:
 * http://localhost[:port][/path] or http://127.0.0.1[:port][/path]. The port is
 * not compared (apps listen on any free port). */
gboolean
bcs_sb_login_redirect_uri_allowed (const char *redirect_uri)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (redirect_uri == NULL)
    return FALSE;
  uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;
  host = g_uri_get_host (uri);
  return g_strcmp0 (g_uri_get_scheme (uri), "http") == 0
    && host != NULL
    && (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_equal (host, "127.0.0.1"))
    && g_uri_get_userinfo (uri) == NULL
    && g_uri_get_fragment (uri) == NULL;
}

const char *
bcs_sb_login_param (BcsSbRequest *request,
                    GHashTable   *form,
                    const char   *name)
{
  const char *value = form != NULL ? g_hash_table_lookup (form, name) : NULL;

  return value != NULL ? value : bcs_sb_request_get_query (request, name);
}

gboolean
bcs_sb_login_check_client (BcsSbRequest  *request,
                           BcsSbResponse *response,
                           const char    *client_id)
{
  if (client_id == NULL || *client_id == '\0')
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                          "The request body must contain the following parameter: 'client_id'.");
      return FALSE;
    }
  if (g_strcmp0 (client_id, BCS_SB_LOGIN_CLIENT_ID) != 0)
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "unauthorized_client", 700016,
                          "Application with identifier '%s' was not found in the directory '%s'. "
                          "This can happen if the application has not been installed by the "
                          "administrator of the tenant or consented to by any user in the tenant. "
                          "You may have sent your authentication request to the wrong tenant.",
                          client_id, BCS_SB_LOGIN_TENANT);
      return FALSE;
    }
  return TRUE;
}

char *
bcs_sb_login_normalize_user_code (const char *user_code)
{
  GString *code = g_string_new (NULL);

  for (const char *p = user_code ? user_code : ""; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (code, g_ascii_toupper (*p));
  return g_string_free (code, FALSE);
}
