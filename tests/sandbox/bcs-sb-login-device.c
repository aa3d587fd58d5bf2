/* bcs-sb-login-device.c — the device code flow: the devicecode endpoint, the
 * verification page where the user enters the code, and the polling grant */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-login-private.h"

/* Timer jitter must not turn a poll at the interval into slow_down */
#define POLL_TOLERANCE (200 * 1000)

/* Consonants only, so that no code spells a word */
static const char user_code_alphabet[] = "BCDFGHJKLMNPQRSTVWXZ";

static char *
new_user_code (BcsSbLogin *login)
{
  for (;;)
    {
      char code[10];
      g_autofree char *key = NULL;

      for (guint i = 0; i < 9; i++)
        code[i] = i == 4 ? '-' : user_code_alphabet[g_random_int_range (0, sizeof user_code_alphabet - 1)];
      code[9] = '\0';
      key = bcs_sb_login_normalize_user_code (code);
      if (!g_hash_table_contains (login->user_codes, key))
        return g_strdup (code);
    }
}

void
bcs_sb_login_devicecode (BcsSandbox    *sandbox,
                         BcsSbRequest  *request,
                         BcsSbResponse *response)
{
  BcsSbLogin *login = sandbox->login;
  g_autoptr(GHashTable) form = NULL;
  const char *scope;
  const char *error = NULL;
  guint code = 0;
  g_autofree char *message = NULL;
  g_autofree char *verification_uri = NULL;
  BcsSbLoginGrant *device;
  JsonObject *object;

  bcs_sb_login_purge (login);
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
  scope = g_hash_table_lookup (form, "scope");
  if (!bcs_sb_login_check_scope (scope, &error, &code, &message))
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, error, code, "%s", message);
      return;
    }

  device = bcs_sb_login_grant_new ();
  device->device_code = bcs_sb_login_secret ("sbx-dc-", 32);
  device->user_code = new_user_code (login);
  device->scope = g_strdup (scope);
  device->expires = device->issued + (gint64) login->device_lifetime * G_USEC_PER_SEC;
  device->interval = login->device_interval;
  device->status = BCS_SB_LOGIN_PENDING;
  if (sandbox->options.auto_approve)
    {
      device->user = g_strdup (bcs_sb_login_user (sandbox));
      device->status = BCS_SB_LOGIN_APPROVED;
    }
  g_hash_table_replace (login->devices, g_strdup (device->device_code), device);
  g_hash_table_replace (login->user_codes, bcs_sb_login_normalize_user_code (device->user_code), device);

  verification_uri = g_strdup_printf ("%s/%s/oauth2/deviceauth", request->base_url, BCS_SB_LOGIN_TENANT);
  object = json_object_new ();
  json_object_set_string_member (object, "user_code", device->user_code);
  json_object_set_string_member (object, "device_code", device->device_code);
  json_object_set_string_member (object, "verification_uri", verification_uri);
  json_object_set_int_member (object, "expires_in", login->device_lifetime);
  json_object_set_int_member (object, "interval", login->device_interval);
  bcs_sb_login_take_string (object, "message",
                                      g_strdup_printf ("To sign in, use a web browser to open the page "
                                                       "%s and enter the code %s to authenticate.",
                                                       verification_uri, device->user_code));
  bcs_sb_response_set_object (response, SOUP_STATUS_OK, object);
}

/* ---- the verification page ---- */

static void
show_code_form (BcsSandbox    *sandbox,
                BcsSbRequest  *request,
                BcsSbResponse *response,
                guint          status,
                const char    *notice,
                const char    *user_code)
{
  g_autofree char *account = g_markup_escape_text (bcs_sb_login_user (sandbox), -1);
  g_autofree char *action = g_markup_printf_escaped ("%s%s", request->base_url, request->path);
  g_autofree char *value = g_markup_escape_text (user_code ? user_code : "", -1);
  g_autofree char *notice_html = notice ? g_markup_printf_escaped ("<p><strong>%s</strong></p>\n", notice)
                                        : g_strdup ("");
  g_autofree char *body = NULL;

  body = g_strdup_printf ("%s"
                          "<p>Account: <span class=\"account\">%s</span></p>\n"
                          "<p>Enter the code displayed on your app or device to let "
                          BCS_SB_LOGIN_APP_NAME " sign in.</p>\n"
                          "<form method=\"post\" action=\"%s\">\n"
                          "<input type=\"text\" name=\"user_code\" value=\"%s\" autofocus>\n"
                          "<p><button type=\"submit\" name=\"action\" value=\"approve\">Sign in</button>\n"
                          "<button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button></p>\n"
                          "</form>",
                          notice_html, account, action, value);
  bcs_sb_login_page (response, status, "Enter code", body);
}

void
bcs_sb_login_device_page (BcsSandbox    *sandbox,
                          BcsSbRequest  *request,
                          BcsSbResponse *response)
{
  g_autoptr(GHashTable) form = NULL;
  const char *user_code;
  const char *action;
  g_autofree char *key = NULL;
  BcsSbLoginGrant *device;

  bcs_sb_login_purge (sandbox->login);
  if (!g_str_equal (request->method, "POST"))
    {
      user_code = bcs_sb_request_get_query (request, "user_code");
      if (user_code == NULL)
        user_code = bcs_sb_request_get_query (request, "otc");
      show_code_form (sandbox, request, response, SOUP_STATUS_OK, NULL, user_code);
      return;
    }

  form = bcs_sb_request_get_form (request);
  user_code = form ? g_hash_table_lookup (form, "user_code") : NULL;
  action = form ? g_hash_table_lookup (form, "action") : NULL;
  key = bcs_sb_login_normalize_user_code (user_code);
  device = g_hash_table_lookup (sandbox->login->user_codes, key);

  if (device == NULL)
    show_code_form (sandbox, request, response, SOUP_STATUS_BAD_REQUEST,
                    "That code wasn\xe2\x80\x99t recognised. Check the code and try again.", user_code);
  else if (device->expires <= bcs_sb_login_now ())
    show_code_form (sandbox, request, response, SOUP_STATUS_BAD_REQUEST,
                    "That code has expired. Go back to your app or device and start again.", NULL);
  else if (device->status != BCS_SB_LOGIN_PENDING)
    show_code_form (sandbox, request, response, SOUP_STATUS_BAD_REQUEST,
                    "That code has already been used. Go back to your app or device and start again.",
                    NULL);
  else if (g_strcmp0 (action, "approve") == 0)
    {
      device->user = g_strdup (bcs_sb_login_user (sandbox));
      device->status = BCS_SB_LOGIN_APPROVED;
      bcs_sb_login_page (response, SOUP_STATUS_OK, BCS_SB_LOGIN_APP_NAME,
                         "<p>You have signed in to " BCS_SB_LOGIN_APP_NAME " on your device. "
                         "You may now close this window.</p>");
    }
  else
    {
      device->status = BCS_SB_LOGIN_DECLINED;
      bcs_sb_login_page (response, SOUP_STATUS_OK, "Sign-in cancelled",
                         "<p>You declined to sign in to " BCS_SB_LOGIN_APP_NAME " on your device. "
                         "You may now close this window.</p>");
    }
}

/* ---- polling ---- */

void
bcs_sb_login_device_grant (BcsSandbox    *sandbox,
                           BcsSbRequest  *request,
                           BcsSbResponse *response,
                           GHashTable    *form)
{
  BcsSbLogin *login = sandbox->login;
  const char *device_code = g_hash_table_lookup (form, "device_code");
  BcsSbLoginGrant *device;
  gint64 now = bcs_sb_login_now ();
  g_autofree char *user = NULL;
  g_autofree char *scope = NULL;

  if (device_code == NULL || *device_code == '\0')
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                          "The request body must contain the following parameter: 'device_code'.");
      return;
    }
  device = g_hash_table_lookup (login->devices, device_code);
  if (device == NULL)
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "bad_verification_code", 70000,
                          "The provided value for the 'device_code' parameter is not valid.");
      return;
    }
  if (device->expires <= now)
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "expired_token", 70019,
                          "Verification code expired.");
      return;
    }
  if (device->status == BCS_SB_LOGIN_DECLINED)
    {
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "authorization_declined", 65004,
                          "User declined to consent to access the app.");
      return;
    }
  if (device->status != BCS_SB_LOGIN_APPROVED)
    {
      gint64 last = device->last_poll;

      device->last_poll = now;
      if (device->interval > 0 && last != 0
          && now - last < (gint64) device->interval * G_USEC_PER_SEC - POLL_TOLERANCE)
        {
          /* RFC 8628: the interval grows by 5 s for this and every later poll */
          device->interval += 5;
          bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "slow_down", 70016,
                              "OAuth 2.0 device flow error. Polling too fast: wait %u seconds "
                              "between requests.", device->interval);
          return;
        }
      bcs_sb_login_error (request, response, SOUP_STATUS_BAD_REQUEST, "authorization_pending", 70016,
                          "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
      return;
    }

  user = g_strdup (device->user);
  scope = g_strdup (device->scope);
  if (bcs_sb_login_issue_tokens (sandbox, request, response, user, scope,
                                 g_hash_table_lookup (form, "scope")))
    {
      g_autofree char *key = bcs_sb_login_normalize_user_code (device->user_code);

      g_hash_table_remove (login->user_codes, key);
      g_hash_table_remove (login->devices, device_code);
    }
}
