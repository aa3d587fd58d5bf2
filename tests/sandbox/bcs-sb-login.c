/* bcs-sb-login.c — the identity platform under /login: state, routing,
 * discovery, bearer checks and the state JSON */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-login-private.h"

/* Expired codes, access tokens and device codes are kept a while so that a late
 * request hears "expired" rather than "unknown" */
#define EXPIRED_GRACE ((gint64) 60 * 60 * G_USEC_PER_SEC)

BcsSbLogin *
bcs_sb_login_new (BcsSandbox *sandbox)
{
  BcsSbLogin *login = g_new0 (BcsSbLogin, 1);

  login->sandbox = sandbox;
  login->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bcs_sb_login_grant_free);
  login->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bcs_sb_login_grant_free);
  login->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bcs_sb_login_grant_free);
  login->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bcs_sb_login_grant_free);
  login->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bcs_sb_login_grant_free);
  login->user_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  login->device_interval = BCS_SB_LOGIN_DEVICE_INTERVAL;
  login->device_lifetime = BCS_SB_LOGIN_DEVICE_LIFETIME;
  return login;
}

void
bcs_sb_login_free (BcsSbLogin *login)
{
  if (login == NULL)
    return;
  g_hash_table_unref (login->user_codes);
  g_hash_table_unref (login->devices);
  g_hash_table_unref (login->access_tokens);
  g_hash_table_unref (login->refresh_tokens);
  g_hash_table_unref (login->codes);
  g_hash_table_unref (login->pending);
  g_free (login);
}

void
bcs_sb_login_set_device_timing (BcsSbLogin *login,
                                guint       interval,
                                guint       lifetime)
{
  login->device_interval = interval;
  login->device_lifetime = lifetime;
}

void
bcs_sb_login_revoke_all (BcsSbLogin *login)
{
  g_hash_table_remove_all (login->refresh_tokens);
}

static void
purge_table (GHashTable *table,
             gint64      before)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((BcsSbLoginGrant *) value)->expires < before)
      g_hash_table_iter_remove (&iter);
}

void
bcs_sb_login_purge (BcsSbLogin *login)
{
  gint64 now = bcs_sb_login_now ();
  GHashTableIter iter;
  gpointer value;

  purge_table (login->pending, now);
  purge_table (login->codes, now - EXPIRED_GRACE);
  purge_table (login->access_tokens, now - EXPIRED_GRACE);
  g_hash_table_iter_init (&iter, login->devices);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BcsSbLoginGrant *device = value;
      g_autofree char *key = NULL;

      if (device->expires >= now - EXPIRED_GRACE)
        continue;
      key = bcs_sb_login_normalize_user_code (device->user_code);
      g_hash_table_remove (login->user_codes, key);
      g_hash_table_iter_remove (&iter);
    }
}

/* ---- discovery ---- */

static JsonArray *
string_array (const char * const *strings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strings[i] != NULL; i++)
    json_array_add_string_element (array, strings[i]);
  return array;
}

static void
handle_discovery (BcsSbRequest  *request,
                  BcsSbResponse *response,
                  const char    *tenant)
{
  static const char * const response_modes[] = { "query", "fragment", "form_post", NULL };
  static const char * const response_types[] = { "code", "id_token", "code id_token", "id_token token", NULL };
  static const char * const scopes[] = { "openid", "profile", "email", "offline_access", NULL };
  static const char * const subject_types[] = { "pairwise", NULL };
  static const char * const algorithms[] = { "RS256", NULL };
  static const char * const auth_methods[] = { "client_secret_post", "private_key_jwt", "client_secret_basic", NULL };
  static const char * const challenge_methods[] = { "S256", NULL };
  static const char * const grant_types[] = { "authorization_code", "refresh_token",
                                              "urn:ietf:params:oauth:grant-type:device_code", NULL };
  static const char * const claims[] = { "sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                                         "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat",
                                         "auth_time", "acr", "nonce", "preferred_username", "name", "tid",
                                         "ver", "at_hash", "c_hash", "email", NULL };
  JsonObject *object = json_object_new ();
  const char *base = request->base_url;
  /* The multi-tenant documents name no tenant in the issuer: Microsoft writes a placeholder */
  gboolean multi = g_str_equal (tenant, "common") || g_str_equal (tenant, "organizations");
  const char *issuer_tenant = multi ? "{tenantid}" : BCS_SB_LOGIN_TENANT_ID;

#define SET_URL(name, ...) \
  bcs_sb_login_take_string (object, name, g_strdup_printf (__VA_ARGS__))
  SET_URL ("token_endpoint", "%s/%s/oauth2/v2.0/token", base, tenant);
  json_object_set_array_member (object, "token_endpoint_auth_methods_supported", string_array (auth_methods));
  SET_URL ("jwks_uri", "%s/%s/discovery/v2.0/keys", base, tenant);
  json_object_set_array_member (object, "response_modes_supported", string_array (response_modes));
  json_object_set_array_member (object, "subject_types_supported", string_array (subject_types));
  json_object_set_array_member (object, "id_token_signing_alg_values_supported", string_array (algorithms));
  json_object_set_array_member (object, "response_types_supported", string_array (response_types));
  json_object_set_array_member (object, "scopes_supported", string_array (scopes));
  json_object_set_array_member (object, "grant_types_supported", string_array (grant_types));
  json_object_set_array_member (object, "code_challenge_methods_supported", string_array (challenge_methods));
  SET_URL ("issuer", "%s/%s/v2.0", base, issuer_tenant);
  json_object_set_boolean_member (object, "request_uri_parameter_supported", FALSE);
  SET_URL ("authorization_endpoint", "%s/%s/oauth2/v2.0/authorize", base, tenant);
  SET_URL ("device_authorization_endpoint", "%s/%s/oauth2/v2.0/devicecode", base, tenant);
  json_object_set_boolean_member (object, "http_logout_supported", TRUE);
  json_object_set_boolean_member (object, "frontchannel_logout_supported", TRUE);
  SET_URL ("end_session_endpoint", "%s/%s/oauth2/v2.0/logout", base, tenant);
  json_object_set_array_member (object, "claims_supported", string_array (claims));
  json_object_set_string_member (object, "tenant_region_scope", "EU");
  json_object_set_string_member (object, "cloud_instance_name", "sandbox.example");
  json_object_set_string_member (object, "cloud_graph_host_name", "graph.windows.net");
  json_object_set_string_member (object, "msgraph_host", "graph.microsoft.com");
  json_object_set_string_member (object, "rbac_url", "https://pas.windows.net");
#undef SET_URL
  bcs_sb_response_set_object (response, SOUP_STATUS_OK, object);
}

static void
handle_keys (BcsSbResponse *response)
{
  JsonObject *object = json_object_new ();

  /* id tokens are unsigned ("alg": "none"): there are no keys to publish */
  json_object_set_array_member (object, "keys", json_array_new ());
  bcs_sb_response_set_object (response, SOUP_STATUS_OK, object);
}

static void
handle_logout (BcsSbRequest  *request,
               BcsSbResponse *response)
{
  const char *redirect = bcs_sb_request_get_query (request, "post_logout_redirect_uri");

  if (bcs_sb_login_redirect_uri_allowed (redirect))
    bcs_sb_response_redirect (response, redirect);
  else
    bcs_sb_login_page (response, SOUP_STATUS_OK, "You signed out of your account",
                       "<p>It\xe2\x80\x99s a good idea to close all browser windows.</p>");
}

/* ---- routing ---- */

static gboolean
tenant_known (const char *tenant)
{
  return g_str_equal (tenant, BCS_SB_LOGIN_TENANT)
    || g_str_equal (tenant, "common")
    || g_str_equal (tenant, "organizations")
    || g_ascii_strcasecmp (tenant, BCS_SB_LOGIN_TENANT_ID) == 0;
}

void
bcs_sb_login_handle (BcsSandbox    *sandbox,
                     BcsSbRequest  *request,
                     BcsSbResponse *response)
{
  const char *path = request->path != NULL ? request->path : "";
  const char *slash;
  g_autofree char *tenant = NULL;
  const char *rest;

  while (*path == '/')
    path++;
  slash = strchr (path, '/');
  tenant = g_strndup (path, slash ? (gsize) (slash - path) : strlen (path));
  rest = slash ? slash + 1 : "";

  /* Pages a browser shows answer with a page */
  if (!tenant_known (tenant)
      && (g_str_equal (rest, "oauth2/v2.0/authorize") || g_str_equal (rest, "oauth2/deviceauth")))
    {
      bcs_sb_login_error_page (response, 90002, "Tenant '%s' not found. Check to make sure you have "
                               "the correct tenant ID and are signing into the correct cloud.", tenant);
      return;
    }
  if (!tenant_known (tenant))
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_request", 90002,
                          "Tenant '%s' not found. Check to make sure you have the correct tenant ID "
                          "and are signing into the correct cloud. Check with your subscription "
                          "administrator, this may happen if there are no active subscriptions "
                          "for the tenant.", tenant);
      return;
    }

  if (g_str_equal (rest, "v2.0/.well-known/openid-configuration"))
    handle_discovery (request, response, tenant);
  else if (g_str_equal (rest, "discovery/v2.0/keys"))
    handle_keys (response);
  else if (g_str_equal (rest, "oauth2/v2.0/authorize"))
    bcs_sb_login_authorize (sandbox, request, response);
  else if (g_str_equal (rest, "oauth2/v2.0/token"))
    bcs_sb_login_token (sandbox, request, response);
  else if (g_str_equal (rest, "oauth2/v2.0/devicecode"))
    bcs_sb_login_devicecode (sandbox, request, response);
  else if (g_str_equal (rest, "oauth2/deviceauth"))
    bcs_sb_login_device_page (sandbox, request, response);
  else if (g_str_equal (rest, "oauth2/v2.0/logout"))
    handle_logout (request, response);
  else
    bcs_sb_login_error (request, response, SOUP_STATUS_NOT_FOUND, "invalid_request", 900561,
                        "The endpoint '%s' does not exist.", rest);
}

/* ---- bearer tokens ---- */

static const char *
bearer_token (BcsSbRequest *request)
{
  const char *value = soup_message_headers_get_one (request->headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;
  return *value != '\0' ? value : NULL;
}

static void
unauthorized_graph (BcsSandbox    *sandbox,
                    BcsSbResponse *response,
                    BcsSbRequest  *request,
                    const char    *message)
{
  JsonObject *object = json_object_new ();
  JsonObject *error = json_object_new ();
  JsonObject *inner = json_object_new ();
  const char *client_request_id = soup_message_headers_get_one (request->headers, "client-request-id");
  g_autofree char *request_id = bcs_sb_login_guid ();
  g_autofree char *date = NULL;
  g_autofree char *authenticate = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  json_object_set_string_member (inner, "date", date);
  json_object_set_string_member (inner, "request-id", request_id);
  json_object_set_string_member (inner, "client-request-id",
                                 client_request_id ? client_request_id : request_id);
  json_object_set_string_member (error, "code", "InvalidAuthenticationToken");
  json_object_set_string_member (error, "message", message);
  json_object_set_object_member (error, "innerError", inner);
  json_object_set_object_member (object, "error", error);
  bcs_sb_response_set_object (response, SOUP_STATUS_UNAUTHORIZED, object);

  authenticate = g_strdup_printf ("Bearer realm=\"\", authorization_uri=\"%s/login/common/oauth2/authorize\", "
                                  "client_id=\"00000003-0000-0000-c000-000000000000\"",
                                  sandbox->url ? sandbox->url : "");
  soup_message_headers_replace (response->headers, "WWW-Authenticate", authenticate);
  soup_message_headers_replace (response->headers, "request-id", request_id);
}

static void
unauthorized_bc (BcsSandbox    *sandbox,
                 BcsSbResponse *response)
{
  g_autofree char *correlation_id = bcs_sb_login_guid ();
  g_autofree char *message = NULL;
  g_autofree char *authenticate = NULL;

  message = g_strdup_printf ("The server has rejected the client credentials.  CorrelationId:  %s.",
                             correlation_id);
  bcs_sb_response_set_error (response, SOUP_STATUS_UNAUTHORIZED, "Authentication_InvalidCredentials", message);
  authenticate = g_strdup_printf ("Bearer authorization_uri=\"%s/login/%s/oauth2/authorize\", "
                                  "resource_id=\"https://api.businesscentral.dynamics.com\"",
                                  sandbox->url ? sandbox->url : "", BCS_SB_LOGIN_TENANT);
  soup_message_headers_replace (response->headers, "WWW-Authenticate", authenticate);
}

gboolean
bcs_sb_login_check_bearer (BcsSandbox    *sandbox,
                           BcsSbRequest  *request,
                           const char    *resource,
                           BcsSbResponse *response)
{
  const char *token = bearer_token (request);
  BcsSbLoginGrant *grant = NULL;
  const char *message;

  if (token != NULL)
    grant = g_hash_table_lookup (sandbox->login->access_tokens, token);

  if (grant != NULL && g_strcmp0 (grant->resource, resource) == 0
      && grant->expires > bcs_sb_login_now ())
    {
      g_free (request->user);
      request->user = g_strdup (grant->user);
      return TRUE;
    }

  if (g_strcmp0 (resource, "bc") == 0)
    {
      unauthorized_bc (sandbox, response);
      return FALSE;
    }

  if (token == NULL)
    message = "Access token is empty.";
  else if (grant == NULL)
    message = "IDX14100: JWT is not well formed, there are no dots (.).";
  else if (g_strcmp0 (grant->resource, resource) != 0)
    message = "Access token validation failure. Invalid audience.";
  else
    message = "Access token has expired or is not yet valid.";
  unauthorized_graph (sandbox, response, request, message);
  return FALSE;
}

void
bcs_sb_login_expire_token (BcsSandbox   *sandbox,
                           BcsSbRequest *request)
{
  const char *token = bearer_token (request);
  BcsSbLoginGrant *grant = token ? g_hash_table_lookup (sandbox->login->access_tokens, token) : NULL;

  if (grant != NULL)
    grant->expires = MIN (grant->expires, bcs_sb_login_now () - 1);
}

/* ---- state ---- */

static const char *
status_name (BcsSbLoginStatus status)
{
  switch (status)
    {
    case BCS_SB_LOGIN_APPROVED:
      return "approved";
    case BCS_SB_LOGIN_DECLINED:
      return "declined";
    case BCS_SB_LOGIN_REDEEMED:
      return "redeemed";
    case BCS_SB_LOGIN_PENDING:
    default:
      return "pending";
    }
}

static BcsSbLoginStatus
status_from_name (const char *name)
{
  if (g_strcmp0 (name, "approved") == 0)
    return BCS_SB_LOGIN_APPROVED;
  if (g_strcmp0 (name, "declined") == 0)
    return BCS_SB_LOGIN_DECLINED;
  if (g_strcmp0 (name, "redeemed") == 0)
    return BCS_SB_LOGIN_REDEEMED;
  return BCS_SB_LOGIN_PENDING;
}

static void
set_optional_string (JsonObject *object,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
}

static JsonArray *
table_to_json (GHashTable *table,
               const char *key_name)
{
  JsonArray *array = json_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BcsSbLoginGrant *grant = value;
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, key_name, key);
      set_optional_string (object, "user", grant->user);
      set_optional_string (object, "scope", grant->scope);
      set_optional_string (object, "resource", grant->resource);
      set_optional_string (object, "user_code", grant->user_code);
      json_object_set_int_member (object, "issued_us", grant->issued);
      json_object_set_int_member (object, "expires_us", grant->expires);
      if (grant->device_code != NULL)
        {
          json_object_set_int_member (object, "interval", grant->interval);
          json_object_set_string_member (object, "status", status_name (grant->status));
        }
      json_array_add_object_element (array, object);
    }
  return array;
}

JsonNode *
bcs_sb_login_to_json (BcsSbLogin *login)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  bcs_sb_login_purge (login);
  json_object_set_array_member (object, "refresh_tokens", table_to_json (login->refresh_tokens, "token"));
  json_object_set_array_member (object, "access_tokens", table_to_json (login->access_tokens, "token"));
  json_object_set_array_member (object, "device_codes", table_to_json (login->devices, "device_code"));
  json_node_take_object (node, object);
  return node;
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static gint64
int_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

/* Reads ARRAY_NAME into TABLE; returns the grants of entries with a key */
static void
table_from_json (BcsSbLogin *login,
                 JsonObject *object,
                 const char *array_name,
                 GHashTable *table,
                 const char *key_name)
{
  JsonNode *member = json_object_get_member (object, array_name);
  JsonArray *array;

  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return;
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *item;
      BcsSbLoginGrant *grant;
      char *key;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      item = json_node_get_object (element);
      key = dup_member (item, key_name);
      if (key == NULL)
        continue;
      grant = bcs_sb_login_grant_new ();
      grant->user = dup_member (item, "user");
      grant->scope = dup_member (item, "scope");
      grant->resource = dup_member (item, "resource");
      grant->user_code = dup_member (item, "user_code");
      grant->issued = int_member (item, "issued_us");
      grant->expires = int_member (item, "expires_us");
      if (table == login->devices)
        {
          g_autofree char *status = dup_member (item, "status");

          grant->device_code = g_strdup (key);
          grant->interval = (guint) CLAMP (int_member (item, "interval"), 0, 3600);
          grant->status = status_from_name (status);
          if (grant->user_code != NULL)
            g_hash_table_replace (login->user_codes,
                                  bcs_sb_login_normalize_user_code (grant->user_code), grant);
        }
      g_hash_table_replace (table, key, grant);
    }
}

void
bcs_sb_login_load_json (BcsSbLogin *login,
                        JsonNode   *node)
{
  JsonObject *object;

  g_hash_table_remove_all (login->pending);
  g_hash_table_remove_all (login->codes);
  g_hash_table_remove_all (login->user_codes);
  g_hash_table_remove_all (login->devices);
  g_hash_table_remove_all (login->access_tokens);
  g_hash_table_remove_all (login->refresh_tokens);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  table_from_json (login, object, "refresh_tokens", login->refresh_tokens, "token");
  table_from_json (login, object, "access_tokens", login->access_tokens, "token");
  table_from_json (login, object, "device_codes", login->devices, "device_code");
}
