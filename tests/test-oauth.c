/* test-oauth.c — PKCE, state, the authorize URL, the loopback listener and
 * the token endpoint calls */
#include "config.h"

#include <string.h>

#include "auth-test-support.h"
#include "bcs-error.h"
#include "bcs-loopback-redirect.h"
#include "bcs-oauth.h"

static gboolean
is_base64url (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
test_pkce_rfc7636 (void)
{
  /* RFC 7636, appendix B */
  g_autofree char *challenge = bcs_oauth_pkce_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_pkce_verifier (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = bcs_oauth_pkce_verifier (&error);
  g_autofree char *second = bcs_oauth_pkce_verifier (&error);
  g_autofree char *challenge = NULL;

  g_assert_no_error (error);
  /* RFC 7636: 43 to 128 unreserved characters */
  g_assert_cmpuint (strlen (first), >=, 43);
  g_assert_cmpuint (strlen (first), <=, 128);
  g_assert_true (is_base64url (first));
  g_assert_cmpstr (first, !=, second);

  challenge = bcs_oauth_pkce_challenge (first);
  g_assert_cmpuint (strlen (challenge), ==, 43);
  g_assert_true (is_base64url (challenge));
  g_assert_cmpstr (challenge, !=, first);
}

static void
test_state_random (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      char *state = bcs_oauth_new_state (&error);

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (state), >=, 32);
      g_assert_true (is_base64url (state));
      g_assert_true (g_hash_table_add (seen, state));
    }
}

static GHashTable *
url_params (const char  *url,
            char       **path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  GHashTable *params;

  g_assert_no_error (error);
  *path = g_strdup_printf ("%s://%s:%d%s", g_uri_get_scheme (uri), g_uri_get_host (uri),
                           g_uri_get_port (uri), g_uri_get_path (uri));
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  return params;
}

static void
test_authorize_url (void)
{
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *with_hint = NULL;
  g_autofree char *hint_path = NULL;
  g_autoptr(GHashTable) hint_params = NULL;

  url = bcs_oauth_build_authorize_url ("https://login.example.com:443/organizations", "client-1",
                                       "http://localhost:4711", BCS_OAUTH_SIGN_IN_SCOPE, "st&ate=1",
                                       "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", NULL);
  params = url_params (url, &path);
  g_assert_cmpstr (path, ==, "https://login.example.com:443/organizations/oauth2/v2.0/authorize");
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, "client-1");
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, "http://localhost:4711");
  g_assert_cmpstr (g_hash_table_lookup (params, "response_mode"), ==, "query");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "st&ate=1");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (params, "prompt"), ==, "select_account");
  g_assert_null (g_hash_table_lookup (params, "login_hint"));
  g_assert_null (g_hash_table_lookup (params, "code_verifier"));
  /* Both resources are consented at once, with offline access */
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, BCS_OAUTH_SIGN_IN_SCOPE);
  g_assert_nonnull (strstr (BCS_OAUTH_SIGN_IN_SCOPE, "offline_access"));
  g_assert_nonnull (strstr (BCS_OAUTH_SIGN_IN_SCOPE, "https://graph.microsoft.com/Contacts.ReadWrite"));
  g_assert_nonnull (strstr (BCS_OAUTH_SIGN_IN_SCOPE, "https://api.businesscentral.dynamics.com/Financials.ReadWrite.All"));

  with_hint = bcs_oauth_build_authorize_url ("https://login.example.com:443/common", "c", "http://localhost:1",
                                             "openid", "s", "c", "anna@example.com");
  hint_params = url_params (with_hint, &hint_path);
  g_assert_cmpstr (g_hash_table_lookup (hint_params, "login_hint"), ==, "anna@example.com");
  g_assert_null (g_hash_table_lookup (hint_params, "prompt"));
}

static void
test_poll_interval (void)
{
  g_assert_cmpfloat (bcs_oauth_next_poll_interval (5, "slow_down", 0), ==, 10);
  g_assert_cmpfloat (bcs_oauth_next_poll_interval (10, "slow_down", 0), ==, 15);
  g_assert_cmpfloat (bcs_oauth_next_poll_interval (5, "authorization_pending", 0), ==, 5);
  g_assert_cmpfloat (bcs_oauth_next_poll_interval (0.5, "slow_down", 1), ==, 1.5);
}

/* ---- the loopback listener ---- */

static BcsLoopbackRedirect *
new_redirect (const char *state)
{
  g_autoptr(GError) error = NULL;
  BcsLoopbackRedirect *redirect = bcs_loopback_redirect_new (state, &error);

  g_assert_no_error (error);
  g_assert_nonnull (redirect);
  return redirect;
}

static char *
redirect_url (BcsLoopbackRedirect *redirect,
              const char          *query)
{
  return g_strdup_printf ("%s/?%s", bcs_loopback_redirect_get_uri (redirect), query);
}

static char *
wait_code (BcsLoopbackRedirect  *redirect,
           GError              **error)
{
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  bcs_loopback_redirect_wait_async (redirect, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  return bcs_loopback_redirect_wait_finish (redirect, done, error);
}

static void
test_loopback_bound (void)
{
  g_autoptr(BcsLoopbackRedirect) redirect = new_redirect ("abc");
  g_autofree char *expected = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;
  guint port = bcs_loopback_redirect_get_port (redirect);

  g_assert_cmpuint (port, >, 0);
  g_assert_true (bcs_loopback_redirect_is_listening (redirect));
  expected = g_strdup_printf ("http://localhost:%u", port);
  g_assert_cmpstr (bcs_loopback_redirect_get_uri (redirect), ==, expected);

  /* It answers on 127.0.0.1 … */
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  remote = g_socket_connection_get_remote_address (connection, &error);
  g_assert_no_error (error);
  g_assert_true (g_inet_address_get_is_loopback (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote))));
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  /* … and not on IPv6's loopback: the listener is not a wildcard socket */
  {
    g_autoptr(GSocketConnection) v6 = g_socket_client_connect_to_host (client, "[::1]", port, NULL, &error);

    g_assert_null (v6);
    g_assert_nonnull (error);
  }
}

static void
test_loopback_code (void)
{
  g_autoptr(BcsLoopbackRedirect) redirect = new_redirect ("the-state");
  g_autofree char *url = redirect_url (redirect, "code=the-code&state=the-state");
  g_autoptr(AuthTestPage) page = auth_test_browser (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "close this tab"));
  g_assert_null (strstr (page->body, "the-code"));
  code = wait_code (redirect, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "the-code");

  /* It stops listening once it has its answer */
  while (bcs_loopback_redirect_is_listening (redirect))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_loopback_wrong_state (void)
{
  g_autoptr(BcsLoopbackRedirect) redirect = new_redirect ("the-state");
  g_autofree char *wrong = redirect_url (redirect, "code=evil-code&state=other-state");
  g_autofree char *right = redirect_url (redirect, "code=good-code&state=the-state");
  g_autoptr(AuthTestPage) refused = auth_test_browser (wrong, NULL);
  g_autoptr(AuthTestPage) late = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpuint (refused->status, ==, 400);
  g_assert_nonnull (strstr (refused->body, "refused"));

  /* Nothing is accepted after that, not even the right state */
  late = auth_test_browser (right, NULL);
  g_assert_cmpuint (late->status, !=, 200);

  code = wait_code (redirect, &error);
  g_assert_null (code);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_DENIED);
  g_assert_null (strstr (error->message, "evil-code"));
}

static void
test_loopback_missing_state (void)
{
  g_autoptr(BcsLoopbackRedirect) redirect = new_redirect ("the-state");
  g_autofree char *url = redirect_url (redirect, "code=a-code");
  g_autoptr(AuthTestPage) refused = auth_test_browser (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpuint (refused->status, ==, 400);
  code = wait_code (redirect, &error);
  g_assert_null (code);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_DENIED);
}

static void
test_loopback_twice (void)
{
  g_autoptr(BcsLoopbackRedirect) redirect = new_redirect ("s1");
  g_autofree char *first_url = redirect_url (redirect, "code=first&state=s1");
  g_autofree char *second_url = redirect_url (redirect, "code=second&state=s1");
  g_autoptr(AuthTestPage) first = auth_test_browser (first_url, NULL);
  g_autoptr(AuthTestPage) second = auth_test_browser (second_url, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpuint (first->status, ==, 200);
  /* Refused with a page, or not listening any more */
  g_assert_cmpuint (second->status, !=, 200);
  if (second->status != 0)
    g_assert_nonnull (strstr (second->body, "already finished"));

  code = wait_code (redirect, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "first");
}

static void
test_loopback_other_paths (void)
{
  g_autoptr(BcsLoopbackRedirect) redirect = new_redirect ("s2");
  g_autofree char *icon = g_strconcat (bcs_loopback_redirect_get_uri (redirect), "/favicon.ico", NULL);
  g_autofree char *url = redirect_url (redirect, "code=c2&state=s2");
  g_autoptr(AuthTestPage) not_found = auth_test_browser (icon, NULL);
  g_autoptr(AuthTestPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpuint (not_found->status, ==, 404);
  page = auth_test_browser (url, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  code = wait_code (redirect, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "c2");
}

static void
test_loopback_access_denied (void)
{
  g_autoptr(BcsLoopbackRedirect) redirect = new_redirect ("s3");
  g_autofree char *url = redirect_url (redirect, "error=access_denied&error_description=AADSTS65004&state=s3");
  g_autoptr(AuthTestPage) page = auth_test_browser (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "not completed"));
  code = wait_code (redirect, &error);
  g_assert_null (code);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_DENIED);
}

static void
test_loopback_cancel (void)
{
  g_autoptr(BcsLoopbackRedirect) redirect = new_redirect ("s4");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  bcs_loopback_redirect_wait_async (redirect, cancellable, net_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  done = net_test_wait_result (&result);
  code = bcs_loopback_redirect_wait_finish (redirect, done, &error);
  g_assert_null (code);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_CANCELLED);
}

/* ---- token endpoint ---- */

static void
test_refresh_invalid_grant (void)
{
  g_autoptr(BcsSandbox) sandbox = net_test_sandbox_start (NULL);
  g_autoptr(BcsHttp) http = auth_test_http (sandbox);
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *oauth_error = NULL;
  g_autoptr(BcsOAuthTokens) tokens = NULL;

  bcs_oauth_refresh_async (http, "sandbox", "sbx-rt-not-a-real-one", BCS_OAUTH_GRAPH_SCOPE, NULL,
                           net_test_store_result, &result);
  done = net_test_wait_result (&result);
  tokens = bcs_oauth_tokens_finish (done, &oauth_error, &error);
  g_assert_null (tokens);
  g_assert_cmpstr (oauth_error, ==, "invalid_grant");
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED);
  g_assert_null (strstr (error->message, "sbx-rt-not-a-real-one"));
  /* Sent through BcsHttp: counted as a login request */
  g_assert_cmpuint (bcs_http_get_request_count (http, BCS_SERVICE_LOGIN), ==, 1);
  g_assert_cmpuint (net_test_sandbox_count (sandbox, "login"), ==, 1);
}

static void
test_device_start (void)
{
  g_autoptr(BcsSandbox) sandbox = net_test_sandbox_start (NULL);
  g_autoptr(BcsHttp) http = auth_test_http (sandbox);
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsOAuthDeviceCode) code = NULL;

  bcs_oauth_device_start_async (http, "sandbox", BCS_OAUTH_SIGN_IN_SCOPE, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  code = bcs_oauth_device_start_finish (done, &error);
  g_assert_no_error (error);
  g_assert_nonnull (code->device_code);
  g_assert_nonnull (code->user_code);
  g_assert_true (g_str_has_prefix (code->verification_uri, bcs_sandbox_get_url (sandbox)));
  g_assert_nonnull (strstr (code->message, code->user_code));
  g_assert_cmpuint (code->interval, ==, 5);
  g_assert_cmpuint (code->expires_in, ==, 900);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/oauth/pkce/rfc7636-vector", test_pkce_rfc7636);
  g_test_add_func ("/oauth/pkce/verifier", test_pkce_verifier);
  g_test_add_func ("/oauth/state/random", test_state_random);
  g_test_add_func ("/oauth/authorize-url", test_authorize_url);
  g_test_add_func ("/oauth/poll-interval", test_poll_interval);
  g_test_add_func ("/oauth/loopback/bound-to-127.0.0.1", test_loopback_bound);
  g_test_add_func ("/oauth/loopback/code", test_loopback_code);
  g_test_add_func ("/oauth/loopback/wrong-state", test_loopback_wrong_state);
  g_test_add_func ("/oauth/loopback/missing-state", test_loopback_missing_state);
  g_test_add_func ("/oauth/loopback/twice", test_loopback_twice);
  g_test_add_func ("/oauth/loopback/other-paths", test_loopback_other_paths);
  g_test_add_func ("/oauth/loopback/access-denied", test_loopback_access_denied);
  g_test_add_func ("/oauth/loopback/cancel", test_loopback_cancel);
  g_test_add_func ("/oauth/token/refresh-invalid-grant", test_refresh_invalid_grant);
  g_test_add_func ("/oauth/token/device-start", test_device_start);

  return g_test_run ();
}
