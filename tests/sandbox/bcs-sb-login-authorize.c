/* bcs-sb-login-authorize.c — the authorize endpoint and its consent page */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-login-private.h"

static void
redirect_error (BcsSbResponse *response,
                const char    *redirect_uri,
                const char    *state,
                const char    *error,
                guint          code,
                const char    *message)
{
  g_autofree char *description = NULL;
  g_autofree char *trace_id = bcs_sb_login_guid ();
  g_autofree char *location = NULL;

  description = g_strdup_printf ("AADSTS%u: %s Trace ID: %s", code, message, trace_id);
  location = bcs_sb_login_add_query (redirect_uri,
                                     "error", error,
                                     "error_description", description,
                                     "state", state,
                                     NULL);
  bcs_sb_response_redirect (response, location);
}

/* Approves GRANT (a pending request) for the account: a single-use code */
static void
redirect_code (BcsSandbox      *sandbox,
               BcsSbResponse   *response,
               BcsSbLoginGrant *pending)
{
  BcsSbLoginGrant *code = bcs_sb_login_grant_new ();
  char *secret = bcs_sb_login_secret ("sbx-code-", 48);
  g_autofree char *location = NULL;

  code->user = g_strdup (bcs_sb_login_user (sandbox));
  code->scope = g_strdup (pending->scope);
  code->redirect_uri = g_strdup (pending->redirect_uri);
  code->challenge = g_strdup (pending->challenge);
  code->expires = code->issued + (gint64) BCS_SB_LOGIN_CODE_LIFETIME * G_USEC_PER_SEC;
  code->status = BCS_SB_LOGIN_APPROVED;
  g_hash_table_replace (sandbox->login->codes, secret, code);

  location = bcs_sb_login_add_query (pending->redirect_uri,
                                     "code", secret,
                                     "state", pending->state,
                                     NULL);
  bcs_sb_response_redirect (response, location);
}

static void
show_consent_page (BcsSandbox      *sandbox,
                   BcsSbRequest    *request,
                   BcsSbResponse   *response,
                   const char      *pending_id,
                   BcsSbLoginGrant *pending)
{
  g_autofree char *account = g_markup_escape_text (bcs_sb_login_user (sandbox), -1);
  g_autofree char *action = g_markup_printf_escaped ("%s%s", request->base_url, request->path);
  g_autofree char *id = g_markup_escape_text (pending_id, -1);
  g_autofree char *body = NULL;
  g_auto(GStrv) scopes = g_strsplit (pending->scope, " ", -1);
  GString *list = g_string_new (NULL);

  for (guint i = 0; scopes[i] != NULL; i++)
    if (scopes[i][0] != '\0')
      {
        g_autofree char *scope = g_markup_escape_text (scopes[i], -1);

        g_string_append_printf (list, "<li>%s</li>\n", scope);
      }

  body = g_strdup_printf ("<p>Account: <span class=\"account\">%s</span></p>\n"
                          "<p>" BCS_SB_LOGIN_APP_NAME " (client " BCS_SB_LOGIN_CLIENT_ID ") asks for:</p>\n"
                          "<ul>\n%s</ul>\n"
                          "<form method=\"post\" action=\"%s\">\n"
                          "<input type=\"hidden\" name=\"pending\" value=\"%s\">\n"
                          "<button type=\"submit\" name=\"action\" value=\"approve\">Sign in</button>\n"
                          "<button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>\n"
                          "</form>",
                          account, list->str, action, id);
  g_string_free (list, TRUE);
  bcs_sb_login_page (response, SOUP_STATUS_OK, "Sign in to your account", body);
}

/* The answer to the consent page's buttons */
static void
handle_decision (BcsSandbox    *sandbox,
                 BcsSbResponse *response,
                 const char    *pending_id,
                 const char    *action)
{
  g_autofree char *key = NULL;
  BcsSbLoginGrant *pending = NULL;

  if (!g_hash_table_steal_extended (sandbox->login->pending, pending_id,
                                    (gpointer *) &key, (gpointer *) &pending)
      || pending->expires < bcs_sb_login_now ())
    {
      bcs_sb_login_grant_free (pending);
      bcs_sb_login_error_page (response, 50058,
                               "This sign-in request is unknown or has expired. Start signing in "
                               "again from the application.");
      return;
    }

  if (g_strcmp0 (action, "approve") == 0)
    redirect_code (sandbox, response, pending);
  else
    redirect_error (response, pending->redirect_uri, pending->state, "access_denied", 65004,
                    "User declined to consent to access the app.");
  bcs_sb_login_grant_free (pending);
}

void
bcs_sb_login_authorize (BcsSandbox    *sandbox,
                        BcsSbRequest  *request,
                        BcsSbResponse *response)
{
  g_autoptr(GHashTable) form = NULL;
  const char *client_id, *redirect_uri, *response_type, *scope, *state;
  const char *challenge, *challenge_method, *pending_id;
  const char *error = NULL;
  guint code = 0;
  g_autofree char *message = NULL;
  BcsSbLoginGrant *pending;

  bcs_sb_login_purge (sandbox->login);
  if (g_str_equal (request->method, "POST"))
    form = bcs_sb_request_get_form (request);

  pending_id = bcs_sb_login_param (request, form, "pending");
  if (pending_id != NULL)
    {
      handle_decision (sandbox, response, pending_id, bcs_sb_login_param (request, form, "action"));
      return;
    }

  client_id = bcs_sb_login_param (request, form, "client_id");
  redirect_uri = bcs_sb_login_param (request, form, "redirect_uri");
  response_type = bcs_sb_login_param (request, form, "response_type");
  scope = bcs_sb_login_param (request, form, "scope");
  state = bcs_sb_login_param (request, form, "state");
  challenge = bcs_sb_login_param (request, form, "code_challenge");
  challenge_method = bcs_sb_login_param (request, form, "code_challenge_method");

  /* Without a trusted client and redirect URI there is nowhere to send an error */
  if (client_id == NULL || *client_id == '\0')
    {
      bcs_sb_login_error_page (response, 900144,
                               "The request body must contain the following parameter: 'client_id'.");
      return;
    }
  if (!g_str_equal (client_id, BCS_SB_LOGIN_CLIENT_ID))
    {
      bcs_sb_login_error_page (response, 700016,
                               "Application with identifier '%s' was not found in the directory '%s'.",
                               client_id, BCS_SB_LOGIN_TENANT);
      return;
    }
  if (!bcs_sb_login_redirect_uri_allowed (redirect_uri))
    {
      bcs_sb_login_error_page (response, 50011,
                               "The redirect URI '%s' specified in the request does not match the "
                               "redirect URIs configured for the application '%s'. Make sure the "
                               "redirect URI sent in the request matches one added to your "
                               "application in the Azure portal.",
                               redirect_uri ? redirect_uri : "", BCS_SB_LOGIN_CLIENT_ID);
      return;
    }

  /* From here on errors go back to the application */
  if (g_strcmp0 (response_type, "code") != 0)
    {
      redirect_error (response, redirect_uri, state, "unsupported_response_type", 700054,
                      "response_type must be 'code' for this application.");
      return;
    }
  if (!bcs_sb_login_check_scope (scope, &error, &code, &message))
    {
      redirect_error (response, redirect_uri, state, error, code, message);
      return;
    }
  if (challenge == NULL || *challenge == '\0')
    {
      redirect_error (response, redirect_uri, state, "invalid_request", 9002325,
                      "Proof Key for Code Exchange is required: send code_challenge and "
                      "code_challenge_method=S256.");
      return;
    }
  if (g_strcmp0 (challenge_method, "S256") != 0)
    {
      redirect_error (response, redirect_uri, state, "invalid_request", 5000751,
                      "The code_challenge_method must be 'S256'; 'plain' is not accepted.");
      return;
    }
  if (!bcs_sb_login_challenge_valid (challenge))
    {
      redirect_error (response, redirect_uri, state, "invalid_request", 501491,
                      "Invalid size of Code_Challenge parameter.");
      return;
    }

  pending = bcs_sb_login_grant_new ();
  pending->scope = g_strdup (scope);
  pending->redirect_uri = g_strdup (redirect_uri);
  pending->state = g_strdup (state);
  pending->challenge = g_strdup (challenge);
  pending->expires = pending->issued + (gint64) BCS_SB_LOGIN_CODE_LIFETIME * G_USEC_PER_SEC;

  if (sandbox->options.auto_approve)
    {
      redirect_code (sandbox, response, pending);
      bcs_sb_login_grant_free (pending);
    }
  else
    {
      char *id = bcs_sb_login_secret ("", 18);

      g_hash_table_replace (sandbox->login->pending, id, pending);
      show_consent_page (sandbox, request, response, id, pending);
    }
}
