/* test-sandbox-login.c — the sandbox's identity platform, over HTTP:
 * discovery, authorize and the code grant (refresh tokens, scopes, device
 * code, access tokens and state are in test-sandbox-login-flows.c) */
#define G_LOG_DOMAIN "bcs-test"

#include "config.h"

#include <string.h>

#include "test-sandbox-login-util.h"

/* ---- discovery ---- */

static void
test_discovery (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  const char *url = bcs_sandbox_get_url (env->sandbox);
  g_autoptr(Reply) reply = http_send (env, "GET", "/login/sandbox/v2.0/.well-known/openid-configuration", NULL, NULL);
  g_autoptr(Reply) common = http_send (env, "GET", "/login/common/v2.0/.well-known/openid-configuration", NULL, NULL);
  g_autofree char *authorize = g_strconcat (url, "/login/sandbox/oauth2/v2.0/authorize", NULL);
  g_autofree char *token = g_strconcat (url, "/login/sandbox/oauth2/v2.0/token", NULL);
  g_autofree char *devicecode = g_strconcat (url, "/login/sandbox/oauth2/v2.0/devicecode", NULL);
  g_autofree char *issuer_prefix = g_strconcat (url, "/login/", NULL);
  JsonObject *object;
  JsonArray *scopes;
  gboolean offline = FALSE;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (member_string (reply, "authorization_endpoint"), ==, authorize);
  g_assert_cmpstr (member_string (reply, "token_endpoint"), ==, token);
  g_assert_cmpstr (member_string (reply, "device_authorization_endpoint"), ==, devicecode);
  g_assert_true (g_str_has_prefix (member_string (reply, "issuer"), issuer_prefix));
  g_assert_true (g_str_has_suffix (member_string (reply, "issuer"), "/v2.0"));
  object = json_node_get_object (reply->json);
  scopes = json_object_get_array_member (object, "scopes_supported");
  for (guint i = 0; i < json_array_get_length (scopes); i++)
    offline |= g_str_equal (json_array_get_string_element (scopes, i), "offline_access");
  g_assert_true (offline);
  g_assert_true (json_object_has_member (object, "response_types_supported"));
  g_assert_true (json_object_has_member (object, "jwks_uri"));

  g_assert_cmpuint (common->status, ==, 200);
  g_assert_true (g_str_has_suffix (member_string (common, "token_endpoint"), "/login/common/oauth2/v2.0/token"));
  g_assert_nonnull (strstr (member_string (common, "issuer"), "{tenantid}"));
}

static void
test_unknown_tenant (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(Reply) discovery = http_send (env, "GET", "/login/contoso/v2.0/.well-known/openid-configuration", NULL, NULL);
  g_autofree char *path = authorize_path_full ("contoso", "sandbox", REDIRECT, ALL_SCOPES, CHALLENGE, "S256");
  g_autoptr(Reply) authorize = http_send (env, "GET", path, NULL, NULL);
  g_autofree char *form = form_encode ("client_id", "sandbox", "grant_type", "refresh_token",
                                       "refresh_token", "x", NULL);
  g_autoptr(Reply) token = http_send (env, "POST", "/login/consumers/oauth2/v2.0/token", form, NULL);
  g_autoptr(Reply) organizations = http_send (env, "GET", "/login/organizations/v2.0/.well-known/openid-configuration",
                                         NULL, NULL);

  assert_oauth_error (discovery, 400, "invalid_request", 90002);
  g_assert_cmpuint (authorize->status, ==, 400);
  g_assert_null (authorize->location);
  g_assert_cmpstr (authorize->content_type, ==, "text/html");
  g_assert_nonnull (strstr (authorize->body, "AADSTS90002"));
  assert_oauth_error (token, 400, "invalid_request", 90002);
  g_assert_cmpuint (organizations->status, ==, 200);
}

/* ---- authorize ---- */

static void
test_authorize_page (void)
{
  g_autoptr(Env) env = env_new_full (FALSE, 0, "anna.schmidt@sandbox.example");
  g_autofree char *path = authorize_path (ALL_SCOPES);
  g_autoptr(Reply) page = http_send (env, "GET", path, NULL, NULL);
  g_autofree char *pending = NULL;
  g_autofree char *form = NULL;
  g_autoptr(Reply) approved = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) tokens = NULL;
  g_autofree char *code = NULL;
  g_autofree char *state = NULL;
  g_autoptr(JsonObject) claims = NULL;

  g_assert_cmpuint (page->status, ==, 200);
  g_assert_null (page->location);
  g_assert_cmpstr (page->content_type, ==, "text/html");
  g_assert_nonnull (strstr (page->body, "anna.schmidt@sandbox.example"));
  g_assert_nonnull (strstr (page->body, ">Sign in<"));
  g_assert_nonnull (strstr (page->body, ">Cancel<"));
  g_assert_null (strstr (page->body, CHALLENGE));

  pending = page_pending_id (page);
  form = form_encode ("pending", pending, "action", "approve", NULL);
  approved = http_send (env, "POST", path, form, NULL);
  g_assert_cmpuint (approved->status, ==, 302);
  g_assert_true (g_str_has_prefix (approved->location, REDIRECT "?"));
  code = location_param (approved, "code");
  state = location_param (approved, "state");
  g_assert_nonnull (code);
  g_assert_cmpstr (state, ==, "st-42");

  /* The pending request is answered once */
  again = http_send (env, "POST", path, form, NULL);
  g_assert_cmpuint (again->status, ==, 400);
  g_assert_null (again->location);

  tokens = redeem (env, code, VERIFIER, REDIRECT, "User.Read");
  g_assert_cmpuint (tokens->status, ==, 200);
  claims = id_token_payload (member_string (tokens, "id_token"));
  g_assert_cmpstr (json_object_get_string_member (claims, "preferred_username"), ==, "anna.schmidt@sandbox.example");
}

static void
test_authorize_cancel (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autofree char *path = authorize_path (ALL_SCOPES);
  g_autoptr(Reply) page = http_send (env, "GET", path, NULL, NULL);
  g_autofree char *pending = page_pending_id (page);
  g_autofree char *form = form_encode ("pending", pending, "action", "cancel", NULL);
  g_autoptr(Reply) cancelled = http_send (env, "POST", path, form, NULL);
  g_autofree char *error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *state = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpuint (cancelled->status, ==, 302);
  g_assert_true (g_str_has_prefix (cancelled->location, REDIRECT "?"));
  error = location_param (cancelled, "error");
  description = location_param (cancelled, "error_description");
  state = location_param (cancelled, "state");
  code = location_param (cancelled, "code");
  g_assert_cmpstr (error, ==, "access_denied");
  g_assert_true (g_str_has_prefix (description, "AADSTS65004: "));
  g_assert_cmpstr (state, ==, "st-42");
  g_assert_null (code);
}

static void
test_authorize_auto_approve (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *path = authorize_path (ALL_SCOPES);
  g_autoptr(Reply) reply = http_send (env, "GET", path, NULL, NULL);
  g_autofree char *code = location_param (reply, "code");
  g_autofree char *state = location_param (reply, "state");
  g_autofree char *error = location_param (reply, "error");

  g_assert_cmpuint (reply->status, ==, 302);
  g_assert_true (g_str_has_prefix (reply->location, REDIRECT "?"));
  g_assert_nonnull (code);
  g_assert_cmpstr (state, ==, "st-42");
  g_assert_null (error);
}

static void
test_authorize_redirect_uri (void)
{
  static const char * const allowed[] = {
    "http://localhost", "http://127.0.0.1:53123/", "http://localhost:1234/auth/done",
  };
  static const char * const refused[] = {
    "https://localhost:8400/callback", "http://example.com/callback", "http://localhost.evil.example/",
    "http://user@localhost:8400/", "http://10.0.0.1:8400/", "localhost:8400", "",
  };
  g_autoptr(Env) env = env_new (TRUE);

  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autofree char *path = authorize_path_full ("sandbox", "sandbox", allowed[i], ALL_SCOPES, CHALLENGE, "S256");
      g_autoptr(Reply) reply = http_send (env, "GET", path, NULL, NULL);
      g_autofree char *code = NULL;

      g_assert_cmpuint (reply->status, ==, 302);
      g_assert_true (g_str_has_prefix (reply->location, allowed[i]));
      code = location_param (reply, "code");
      g_assert_nonnull (code);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *path = authorize_path_full ("sandbox", "sandbox", refused[i], ALL_SCOPES, CHALLENGE, "S256");
      g_autoptr(Reply) reply = http_send (env, "GET", path, NULL, NULL);

      g_assert_cmpuint (reply->status, ==, 400);
      g_assert_null (reply->location);
      g_assert_cmpstr (reply->content_type, ==, "text/html");
      g_assert_nonnull (strstr (reply->body, "AADSTS50011"));
    }
}

static void
assert_redirect_error (Env        *env,
                       const char *path,
                       const char *error,
                       const char *aadsts)
{
  g_autoptr(Reply) reply = http_send (env, "GET", path, NULL, NULL);
  g_autofree char *code = location_param (reply, "code");
  g_autofree char *got_error = location_param (reply, "error");
  g_autofree char *description = location_param (reply, "error_description");
  g_autofree char *state = location_param (reply, "state");

  g_assert_cmpuint (reply->status, ==, 302);
  g_assert_null (code);
  g_assert_cmpstr (got_error, ==, error);
  g_assert_true (g_str_has_prefix (description, aadsts));
  g_assert_cmpstr (state, ==, "st-42");
}

static void
test_authorize_pkce_required (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *missing = authorize_path_full ("sandbox", "sandbox", REDIRECT, ALL_SCOPES, NULL, NULL);
  g_autofree char *plain = authorize_path_full ("sandbox", "sandbox", REDIRECT, ALL_SCOPES, VERIFIER, "plain");
  g_autofree char *no_method = authorize_path_full ("sandbox", "sandbox", REDIRECT, ALL_SCOPES, CHALLENGE, NULL);
  g_autofree char *short_challenge = authorize_path_full ("sandbox", "sandbox", REDIRECT, ALL_SCOPES, "abc", "S256");
  g_autofree char *no_scope = authorize_path_full ("sandbox", "sandbox", REDIRECT, NULL, CHALLENGE, "S256");
  g_autofree char *odd_scope = authorize_path_full ("sandbox", "sandbox", REDIRECT,
                                                    "https://outlook.office.com/Contacts.Read", CHALLENGE, "S256");

  assert_redirect_error (env, missing, "invalid_request", "AADSTS9002325: ");
  assert_redirect_error (env, plain, "invalid_request", "AADSTS5000751: ");
  assert_redirect_error (env, no_method, "invalid_request", "AADSTS5000751: ");
  assert_redirect_error (env, short_challenge, "invalid_request", "AADSTS501491: ");
  assert_redirect_error (env, no_scope, "invalid_request", "AADSTS900144: ");
  assert_redirect_error (env, odd_scope, "invalid_resource", "AADSTS500011: ");
}

static void
test_authorize_unknown_client (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *wrong = authorize_path_full ("sandbox", "another-app", REDIRECT, ALL_SCOPES, CHALLENGE, "S256");
  g_autofree char *missing = authorize_path_full ("sandbox", NULL, REDIRECT, ALL_SCOPES, CHALLENGE, "S256");
  g_autoptr(Reply) reply = http_send (env, "GET", wrong, NULL, NULL);
  g_autoptr(Reply) reply2 = http_send (env, "GET", missing, NULL, NULL);

  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_null (reply->location);
  g_assert_nonnull (strstr (reply->body, "AADSTS700016"));
  g_assert_cmpuint (reply2->status, ==, 400);
  g_assert_null (reply2->location);
  g_assert_nonnull (strstr (reply2->body, "AADSTS900144"));
}

/* ---- the code grant ---- */

static void
test_code_exchange (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *code = sign_in (env, ALL_SCOPES);
  g_autoptr(Reply) reply = redeem (env, code, VERIFIER, REDIRECT, "User.Read Contacts.ReadWrite");
  g_autoptr(JsonObject) claims = NULL;
  g_auto(Check) check = { 0 };
  const char *access_token;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (member_string (reply, "token_type"), ==, "Bearer");
  g_assert_cmpint (member_int (reply, "expires_in"), ==, 3599);
  g_assert_cmpint (member_int (reply, "ext_expires_in"), ==, 3599);
  access_token = member_string (reply, "access_token");
  g_assert_true (g_str_has_prefix (access_token, "sbx-at-"));
  g_assert_null (strchr (access_token, '.'));   /* opaque, nothing a client could decode */
  g_assert_true (g_str_has_prefix (member_string (reply, "refresh_token"), "sbx-rt-"));
  g_assert_nonnull (strstr (member_string (reply, "scope"), "Contacts.ReadWrite"));
  g_assert_null (strstr (member_string (reply, "scope"), "businesscentral"));

  claims = id_token_payload (member_string (reply, "id_token"));
  g_assert_cmpstr (json_object_get_string_member (claims, "preferred_username"), ==, "demo@sandbox.example");
  g_assert_nonnull (json_object_get_string_member (claims, "name"));
  g_assert_nonnull (json_object_get_string_member (claims, "oid"));
  g_assert_nonnull (json_object_get_string_member (claims, "tid"));

  check_bearer (env, access_token, "graph", &check);
  g_assert_true (check.ok);
  g_assert_cmpstr (check.user, ==, "demo@sandbox.example");
}

static void
test_code_wrong_verifier (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *code1 = sign_in (env, ALL_SCOPES);
  g_autofree char *code2 = sign_in (env, ALL_SCOPES);
  g_autofree char *code3 = sign_in (env, ALL_SCOPES);
  /* A well-formed verifier, but not the one of the challenge */
  g_autoptr(Reply) wrong = redeem (env, code1, "aBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", REDIRECT, NULL);
  g_autoptr(Reply) missing = redeem (env, code2, NULL, REDIRECT, NULL);
  /* The challenge itself is not the verifier ("plain" is not accepted) */
  g_autoptr(Reply) challenge = redeem (env, code3, CHALLENGE, REDIRECT, NULL);

  assert_oauth_error (wrong, 400, "invalid_grant", 501481);
  assert_oauth_error (missing, 400, "invalid_grant", 501481);
  assert_oauth_error (challenge, 400, "invalid_grant", 501481);
}

static void
test_code_single_use (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *code = sign_in (env, ALL_SCOPES);
  g_autofree char *code2 = sign_in (env, ALL_SCOPES);
  g_autoptr(Reply) first = redeem (env, code, VERIFIER, REDIRECT, NULL);
  g_autoptr(Reply) second = redeem (env, code, VERIFIER, REDIRECT, NULL);
  g_autoptr(Reply) failed = redeem (env, code2, "aBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", REDIRECT, NULL);
  g_autoptr(Reply) retry = redeem (env, code2, VERIFIER, REDIRECT, NULL);
  g_autoptr(Reply) unknown = redeem (env, "sbx-code-made-up", VERIFIER, REDIRECT, NULL);

  g_assert_cmpuint (first->status, ==, 200);
  assert_oauth_error (second, 400, "invalid_grant", 54005);
  /* A failed redemption spends the code as well */
  assert_oauth_error (failed, 400, "invalid_grant", 501481);
  assert_oauth_error (retry, 400, "invalid_grant", 54005);
  assert_oauth_error (unknown, 400, "invalid_grant", 70000);
}

static void
test_code_redirect_mismatch (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *code1 = sign_in (env, ALL_SCOPES);
  g_autofree char *code2 = sign_in (env, ALL_SCOPES);
  g_autofree char *code3 = sign_in (env, ALL_SCOPES);
  g_autoptr(Reply) path = redeem (env, code1, VERIFIER, "http://localhost:8400/other", NULL);
  g_autoptr(Reply) port = redeem (env, code2, VERIFIER, "http://localhost:8401/callback", NULL);
  g_autoptr(Reply) missing = redeem (env, code3, VERIFIER, NULL, NULL);

  assert_oauth_error (path, 400, "invalid_grant", 50011);
  assert_oauth_error (port, 400, "invalid_grant", 50011);
  assert_oauth_error (missing, 400, "invalid_grant", 50011);
}

static void
test_token_request_errors (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *code = sign_in (env, ALL_SCOPES);
  g_autofree char *wrong_client = form_encode ("client_id", "another-app", "grant_type", "authorization_code",
                                               "code", code, "redirect_uri", REDIRECT,
                                               "code_verifier", VERIFIER, NULL);
  g_autofree char *no_client = form_encode ("grant_type", "authorization_code", "code", code, NULL);
  g_autofree char *no_grant = form_encode ("client_id", "sandbox", "code", code, NULL);
  g_autofree char *password = form_encode ("client_id", "sandbox", "grant_type", "password",
                                           "username", "demo@sandbox.example", NULL);
  g_autoptr(Reply) r1 = http_send (env, "POST", "/login/sandbox/oauth2/v2.0/token", wrong_client, NULL);
  g_autoptr(Reply) r2 = http_send (env, "POST", "/login/sandbox/oauth2/v2.0/token", no_client, NULL);
  g_autoptr(Reply) r3 = http_send (env, "POST", "/login/sandbox/oauth2/v2.0/token", no_grant, NULL);
  g_autoptr(Reply) r4 = http_send (env, "POST", "/login/sandbox/oauth2/v2.0/token", password, NULL);
  g_autoptr(Reply) r5 = http_send (env, "GET", "/login/sandbox/oauth2/v2.0/token", NULL, NULL);
  g_autoptr(Reply) ok = redeem (env, code, VERIFIER, REDIRECT, NULL);

  assert_oauth_error (r1, 400, "unauthorized_client", 700016);
  assert_oauth_error (r2, 400, "invalid_request", 900144);
  assert_oauth_error (r3, 400, "invalid_request", 900144);
  assert_oauth_error (r4, 400, "unsupported_grant_type", 70003);
  assert_oauth_error (r5, 400, "invalid_request", 900561);
  /* None of those touched the code */
  g_assert_cmpuint (ok->status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox-login/discovery", test_discovery);
  g_test_add_func ("/sandbox-login/unknown-tenant", test_unknown_tenant);
  g_test_add_func ("/sandbox-login/authorize/page", test_authorize_page);
  g_test_add_func ("/sandbox-login/authorize/cancel", test_authorize_cancel);
  g_test_add_func ("/sandbox-login/authorize/auto-approve", test_authorize_auto_approve);
  g_test_add_func ("/sandbox-login/authorize/redirect-uri", test_authorize_redirect_uri);
  g_test_add_func ("/sandbox-login/authorize/pkce-required", test_authorize_pkce_required);
  g_test_add_func ("/sandbox-login/authorize/unknown-client", test_authorize_unknown_client);
  g_test_add_func ("/sandbox-login/code/exchange", test_code_exchange);
  g_test_add_func ("/sandbox-login/code/wrong-verifier", test_code_wrong_verifier);
  g_test_add_func ("/sandbox-login/code/single-use", test_code_single_use);
  g_test_add_func ("/sandbox-login/code/redirect-mismatch", test_code_redirect_mismatch);
  g_test_add_func ("/sandbox-login/token/request-errors", test_token_request_errors);
  add_flow_tests ();

  return g_test_run ();
}
