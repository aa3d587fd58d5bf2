/* bcs-sb-login-token.c — the token endpoint: authorization code (PKCE),
 * refresh token (rotating) and, through bcs-sb-login-device.c, device code */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-login-private.h"

#define DEFAULT_TOKEN_LIFETIME 3599

static guint
token_lifetime (BcsSandbox *sandbox)
{
  return sandbox->options.token_lifetime > 0 ? sandbox->options.token_lifetime : DEFAULT_TOKEN_LIFETIME;
}

static gboolean
is_default_scope (const char *scope)
{
  gsize length = strlen (scope);

  return length >= 9 && g_ascii_strcasecmp (scope + length - 9, "/.default") == 0;
}

/* The resource a token request is for: the one its scope names, else the
 * first one consented, else Graph. Fails on two resources or an unknown one. */
static gboolean
select_resource (BcsSbRequest       *request,
                 BcsSbResponse      *response,
                 char              **wanted,
                 char              **granted,
                 BcsSbLoginResource *out)
{
  BcsSbLoginResource resource = BCS_SB_LOGIN_RESOURCE_NONE;

  for (guint i = 0; wanted[i] != NULL; i++)
    {
      BcsSbLoginResource r;

      if (wanted[i][0] == '\0')
        continue;
      r = bcs_sb_login_scope_resource (wanted[i]);
      if (r == BCS_SB_LOGIN_RESOURCE_UNKNOWN)
        {
          bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_resource", 500011,
                              "The resource principal named %s was not found in the tenant named %s.",
                              wanted[i], BCS_SB_LOGIN_TENANT);
          return FALSE;
        }
      if (r == BCS_SB_LOGIN_RESOURCE_NONE)
        continue;
      if (resource != BCS_SB_LOGIN_RESOURCE_NONE && r != resource)
        {
          g_autofree char *all = g_strjoinv (" ", wanted);

          bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_scope", 28000,
                              "Provided value for the input parameter scope is not valid because it "
                              "contains more than one resource. Scope %s is not valid.", all);
          return FALSE;
        }
      resource = r;
    }

  for (guint i = 0; resource == BCS_SB_LOGIN_RESOURCE_NONE && granted[i] != NULL; i++)
    {
      BcsSbLoginResource r = granted[i][0] != '\0' ? bcs_sb_login_scope_resource (granted[i])
                                                   : BCS_SB_LOGIN_RESOURCE_NONE;

      if (r == BCS_SB_LOGIN_RESOURCE_GRAPH || r == BCS_SB_LOGIN_RESOURCE_BC)
        resource = r;
    }
  *out = resource != BCS_SB_LOGIN_RESOURCE_NONE ? resource : BCS_SB_LOGIN_RESOURCE_GRAPH;
  return TRUE;
}

static gboolean
resource_consented (char               **granted,
                    BcsSbLoginResource   resource)
{
  for (guint i = 0; granted[i] != NULL; i++)
    if (granted[i][0] != '\0' && bcs_sb_login_scope_resource (granted[i]) == resource)
      return TRUE;
  return FALSE;
}

gboolean
bcs_sb_login_issue_tokens (BcsSandbox    *sandbox,
                           BcsSbRequest  *request,
                           BcsSbResponse *response,
                           const char    *user,
                           const char    *consented,
                           const char    *requested)
{
  g_auto(GStrv) wanted = g_strsplit (requested ? requested : "", " ", -1);
  g_auto(GStrv) granted = g_strsplit (consented ? consented : "", " ", -1);
  BcsSbLoginResource resource;
  GString *scope;
  BcsSbLoginGrant *access;
  char *access_token;
  JsonObject *object;
  guint lifetime = token_lifetime (sandbox);

  if (!select_resource (request, response, wanted, granted, &resource))
    return FALSE;

  /* Every scope asked for must have been consented at sign-in */
  for (guint i = 0; wanted[i] != NULL; i++)
    {
      gboolean ok;

      if (wanted[i][0] == '\0' || bcs_sb_login_scope_resource (wanted[i]) != resource)
        continue;
      ok = is_default_scope (wanted[i]) ? resource_consented (granted, resource)
                                        : bcs_sb_login_scope_has (consented, wanted[i]);
      if (!ok)
        {
          bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 65001,
                              "The user or administrator has not consented to use the application "
                              "with ID '%s' named '%s' for the scope '%s'. Send an interactive "
                              "authorization request for this user and resource.",
                              BCS_SB_LOGIN_CLIENT_ID, BCS_SB_LOGIN_APP_NAME, wanted[i]);
          return FALSE;
        }
    }

  /* The token's scope: what was consented for its resource, plus the OpenID scopes */
  scope = g_string_new (NULL);
  for (guint i = 0; granted[i] != NULL; i++)
    {
      BcsSbLoginResource r;

      if (granted[i][0] == '\0' || g_ascii_strcasecmp (granted[i], "offline_access") == 0)
        continue;
      r = bcs_sb_login_scope_resource (granted[i]);
      if (r == resource || r == BCS_SB_LOGIN_RESOURCE_NONE)
        g_string_append_printf (scope, "%s%s", scope->len > 0 ? " " : "", granted[i]);
    }

  access = bcs_sb_login_grant_new ();
  access->user = g_strdup (user);
  access->resource = g_strdup (bcs_sb_login_resource_name (resource));
  access->scope = g_strdup (scope->str);
  access->expires = access->issued + (gint64) lifetime * G_USEC_PER_SEC;
  access_token = bcs_sb_login_secret ("sbx-at-", 32);
  g_hash_table_replace (sandbox->login->access_tokens, access_token, access);

  object = json_object_new ();
  json_object_set_string_member (object, "token_type", "Bearer");
  json_object_set_string_member (object, "scope", scope->str);
  json_object_set_int_member (object, "expires_in", lifetime);
  json_object_set_int_member (object, "ext_expires_in", lifetime);
  json_object_set_string_member (object, "access_token", access_token);

  if (bcs_sb_login_scope_has (consented, "offline_access"))
    {
      BcsSbLoginGrant *refresh = bcs_sb_login_grant_new ();
      char *refresh_token = bcs_sb_login_secret ("sbx-rt-", 48);

      refresh->user = g_strdup (user);
      refresh->scope = g_strdup (consented);
      refresh->expires = refresh->issued + (gint64) BCS_SB_LOGIN_REFRESH_LIFETIME * G_USEC_PER_SEC;
      g_hash_table_replace (sandbox->login->refresh_tokens, refresh_token, refresh);
      json_object_set_string_member (object, "refresh_token", refresh_token);
    }
  bcs_sb_login_take_string (object, "id_token",
                                      bcs_sb_login_id_token (request, user, lifetime));
  g_string_free (scope, TRUE);

  bcs_sb_response_set_object (response, SOUP_STATUS_OK, object);
  soup_message_headers_replace (response->headers, "Cache-Control", "no-store, no-cache");
  soup_message_headers_replace (response->headers, "Pragma", "no-cache");
  return TRUE;
}

static void
missing_parameter (BcsSbRequest  *request,
                   BcsSbResponse *response,
                   const char    *name)
{
  bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                      "The request body must contain the following parameter: '%s'.", name);
}

static void
code_grant (BcsSandbox    *sandbox,
            BcsSbRequest  *request,
            BcsSbResponse *response,
            GHashTable    *form)
{
  const char *code = g_hash_table_lookup (form, "code");
  const char *redirect_uri = g_hash_table_lookup (form, "redirect_uri");
  const char *verifier = g_hash_table_lookup (form, "code_verifier");
  BcsSbLoginGrant *grant;
  g_autofree char *challenge = NULL;

  if (code == NULL || *code == '\0')
    {
      missing_parameter (request, response, "code");
      return;
    }
  grant = g_hash_table_lookup (sandbox->login->codes, code);
  if (grant == NULL)
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70000,
                          "The provided value for the 'code' parameter is not valid.");
      return;
    }
  if (grant->status == BCS_SB_LOGIN_REDEEMED)
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 54005,
                          "OAuth2 Authorization code was already redeemed, please retry with a new "
                          "valid code or use an existing refresh token.");
      return;
    }
  if (grant->expires <= bcs_sb_login_now ())
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70008,
                          "The provided authorization code or refresh token has expired due to "
                          "inactivity. Send a new interactive authorization request for this user "
                          "and resource.");
      return;
    }
  /* Single use: a failed redemption spends the code too */
  grant->status = BCS_SB_LOGIN_REDEEMED;

  if (g_strcmp0 (redirect_uri, grant->redirect_uri) != 0)
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 50011,
                          "The redirect URI '%s' specified in the request does not match the "
                          "redirect URI used to obtain the authorization code.",
                          redirect_uri ? redirect_uri : "");
      return;
    }
  if (bcs_sb_login_verifier_valid (verifier))
    challenge = bcs_sb_login_s256 (verifier);
  if (challenge == NULL || g_strcmp0 (challenge, grant->challenge) != 0)
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 501481,
                          "The Code_Verifier does not match the code_challenge supplied in the "
                          "authorization request.");
      return;
    }

  bcs_sb_login_issue_tokens (sandbox, request, response, grant->user, grant->scope,
                             g_hash_table_lookup (form, "scope"));
}

static void
refresh_grant (BcsSandbox    *sandbox,
               BcsSbRequest  *request,
               BcsSbResponse *response,
               GHashTable    *form)
{
  const char *token = g_hash_table_lookup (form, "refresh_token");
  BcsSbLoginGrant *grant;
  g_autofree char *user = NULL;
  g_autofree char *scope = NULL;

  if (token == NULL || *token == '\0')
    {
      missing_parameter (request, response, "refresh_token");
      return;
    }
  grant = g_hash_table_lookup (sandbox->login->refresh_tokens, token);
  if (grant == NULL)
    {
      /* Unknown, already used (rotation) or revoked */
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70008,
                          "The provided authorization code or refresh token has expired or was "
                          "revoked. Send a new interactive authorization request for this user "
                          "and resource.");
      return;
    }
  if (grant->expires <= bcs_sb_login_now ())
    {
      g_autoptr(GDateTime) issued = g_date_time_new_from_unix_utc (grant->issued / G_USEC_PER_SEC);
      g_autofree char *date = g_date_time_format (issued, "%Y-%m-%dT%H:%M:%S.0000000Z");

      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 700082,
                          "The refresh token has expired due to inactivity. The token was issued "
                          "on %s and was inactive for 90.00:00:00.", date);
      g_hash_table_remove (sandbox->login->refresh_tokens, token);
      return;
    }

  user = g_strdup (grant->user);
  scope = g_strdup (grant->scope);
  /* Rotation: the used token is spent once a new one is issued */
  if (bcs_sb_login_issue_tokens (sandbox, request, response, user, scope,
                                 g_hash_table_lookup (form, "scope")))
    g_hash_table_remove (sandbox->login->refresh_tokens, token);
}

void
bcs_sb_login_token (BcsSandbox    *sandbox,
                    BcsSbRequest  *request,
                    BcsSbResponse *response)
{
  g_autoptr(GHashTable) form = NULL;
  const char *grant_type;

  bcs_sb_login_purge (sandbox->login);
  if (!g_str_equal (request->method, "POST"))
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900561,
                          "The endpoint only accepts POST, OPTIONS requests. Received a %s request.",
                          request->method);
      return;
    }
  form = bcs_sb_request_get_form (request);
  if (form == NULL)
    form = g_hash_table_new (g_str_hash, g_str_equal);
  if (!bcs_sb_login_check_client (request, response, g_hash_table_lookup (form, "client_id")))
    return;

  grant_type = g_hash_table_lookup (form, "grant_type");
  if (grant_type == NULL || *grant_type == '\0')
    missing_parameter (request, response, "grant_type");
  else if (g_str_equal (grant_type, "authorization_code"))
    code_grant (sandbox, request, response, form);
  else if (g_str_equal (grant_type, "refresh_token"))
    refresh_grant (sandbox, request, response, form);
  else if (g_str_equal (grant_type, "urn:ietf:params:oauth:grant-type:device_code"))
    bcs_sb_login_device_grant (sandbox, request, response, form);
  else
    bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", 70003,
                        "The app requested an unsupported grant type '%s'.", grant_type);
}
