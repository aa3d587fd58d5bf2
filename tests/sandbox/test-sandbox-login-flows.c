/* test-sandbox-login-flows.c — refresh tokens, scopes, the device code flow,
 * access tokens and the state JSON of the sandbox's identity platform */
#define G_LOG_DOMAIN "bcs-test"

#include "config.h"

#include <string.h>

#include "test-sandbox-login-util.h"
#include "bcs-sb-login-private.h"

/* ---- refresh tokens and scopes ---- */

static void
test_refresh_rotation (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(Reply) tokens = sign_in_tokens (env, "User.Read");
  const char *rt1 = member_string (tokens, "refresh_token");
  g_autoptr(Reply) second = refresh (env, rt1, "https://graph.microsoft.com/Contacts.ReadWrite");
  g_autoptr(Reply) reused = NULL;
  g_autoptr(Reply) third = NULL;
  const char *rt2;

  g_assert_cmpuint (second->status, ==, 200);
  rt2 = member_string (second, "refresh_token");
  g_assert_nonnull (rt2);
  g_assert_cmpstr (rt2, !=, rt1);
  g_assert_cmpstr (member_string (second, "access_token"), !=, member_string (tokens, "access_token"));

  reused = refresh (env, rt1, "User.Read");
  assert_oauth_error (reused, 400, "invalid_grant", 70008);
  third = refresh (env, rt2, "User.Read");
  g_assert_cmpuint (third->status, ==, 200);
  g_assert_cmpstr (member_string (third, "refresh_token"), !=, rt2);
}

static void
test_refresh_needs_offline_access (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *code = sign_in (env, "openid profile User.Read");
  g_autoptr(Reply) reply = redeem (env, code, VERIFIER, REDIRECT, "User.Read");
  g_autoptr(Reply) unknown = refresh (env, "sbx-rt-made-up", "User.Read");
  g_autoptr(Reply) missing = refresh (env, NULL, "User.Read");

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (member_string (reply, "access_token"));
  g_assert_null (member_string (reply, "refresh_token"));
  assert_oauth_error (unknown, 400, "invalid_grant", 70008);
  assert_oauth_error (missing, 400, "invalid_request", 900144);
}

static void
test_scope_selects_resource (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(Reply) graph = sign_in_tokens (env, "offline_access User.Read Contacts.ReadWrite");
  g_autoptr(Reply) bc = refresh (env, member_string (graph, "refresh_token"), BC_SCOPE);
  g_auto(Check) graph_on_graph = { 0 };
  g_auto(Check) graph_on_bc = { 0 };
  g_auto(Check) bc_on_graph = { 0 };
  g_auto(Check) bc_on_bc = { 0 };
  g_autoptr(Reply) back = NULL;

  g_assert_cmpuint (bc->status, ==, 200);
  g_assert_nonnull (strstr (member_string (bc, "scope"), "Financials.ReadWrite.All"));
  g_assert_null (strstr (member_string (bc, "scope"), "Contacts.ReadWrite"));

  check_bearer (env, member_string (graph, "access_token"), "graph", &graph_on_graph);
  check_bearer (env, member_string (graph, "access_token"), "bc", &graph_on_bc);
  check_bearer (env, member_string (bc, "access_token"), "graph", &bc_on_graph);
  check_bearer (env, member_string (bc, "access_token"), "bc", &bc_on_bc);
  g_assert_true (graph_on_graph.ok);
  g_assert_true (bc_on_bc.ok);
  g_assert_cmpstr (bc_on_bc.user, ==, "demo@sandbox.example");
  assert_unauthorized (&graph_on_bc, "bc", NULL);
  assert_unauthorized (&bc_on_graph, "graph", "Access token validation failure. Invalid audience.");

  /* One refresh token serves both resources, one at a time */
  back = refresh (env, member_string (bc, "refresh_token"), "https://graph.microsoft.com/.default");
  g_assert_cmpuint (back->status, ==, 200);
  g_assert_nonnull (strstr (member_string (back, "scope"), "Contacts.ReadWrite"));
}

static const char *
error_code (Reply *reply)
{
  JsonObject *object;

  g_assert_nonnull (reply->json);
  object = json_node_get_object (reply->json);
  g_assert_true (json_object_has_member (object, "error"));
  return json_object_get_string_member (json_object_get_object_member (object, "error"), "code");
}

/* The same, through the services' real endpoints */
static void
test_scope_endpoints (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(Reply) graph = sign_in_tokens (env, "User.Read");
  g_autoptr(Reply) bc = refresh (env, member_string (graph, "refresh_token"), BC_SCOPE);
  const char *graph_token = member_string (graph, "access_token");
  const char *bc_token = member_string (bc, "access_token");
  g_autoptr(Reply) me = http_send (env, "GET", "/graph/v1.0/me", NULL, graph_token);
  g_autoptr(Reply) me_bc = http_send (env, "GET", "/graph/v1.0/me", NULL, bc_token);
  g_autoptr(Reply) me_none = http_send (env, "GET", "/graph/v1.0/me", NULL, NULL);
  g_autoptr(Reply) environments = http_send (env, "GET", "/bc/environments/v1.2", NULL, bc_token);
  g_autoptr(Reply) environments_graph = http_send (env, "GET", "/bc/environments/v1.2", NULL, graph_token);
  g_autoptr(Reply) environments_none = http_send (env, "GET", "/bc/environments/v1.2", NULL, NULL);

  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpuint (environments->status, ==, 200);

  g_assert_cmpuint (me_bc->status, ==, 401);
  g_assert_cmpstr (error_code (me_bc), ==, "InvalidAuthenticationToken");
  g_assert_true (g_str_has_prefix (me_bc->www_authenticate, "Bearer "));
  g_assert_cmpuint (me_none->status, ==, 401);
  g_assert_cmpstr (error_code (me_none), ==, "InvalidAuthenticationToken");

  g_assert_cmpuint (environments_graph->status, ==, 401);
  g_assert_cmpstr (error_code (environments_graph), ==, "Authentication_InvalidCredentials");
  g_assert_true (g_str_has_prefix (environments_graph->www_authenticate, "Bearer "));
  g_assert_cmpuint (environments_none->status, ==, 401);
}

static void
test_scope_two_resources (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *code = sign_in (env, ALL_SCOPES);
  g_autoptr(Reply) redeemed = redeem (env, code, VERIFIER, REDIRECT, "User.Read " BC_SCOPE);
  g_autoptr(Reply) tokens = sign_in_tokens (env, "User.Read");
  const char *rt = member_string (tokens, "refresh_token");
  g_autoptr(Reply) refreshed = refresh (env, rt, "https://graph.microsoft.com/User.Read " BC_SCOPE);
  g_autoptr(Reply) still = refresh (env, rt, BC_SCOPE);

  assert_oauth_error (redeemed, 400, "invalid_scope", 28000);
  assert_oauth_error (refreshed, 400, "invalid_scope", 28000);
  /* A refused request does not spend the refresh token */
  g_assert_cmpuint (still->status, ==, 200);
}

static void
test_scope_not_consented (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *code = sign_in (env, "offline_access User.Read");
  g_autoptr(Reply) tokens = redeem (env, code, VERIFIER, REDIRECT, "User.Read");
  const char *rt = member_string (tokens, "refresh_token");
  g_autoptr(Reply) bc = refresh (env, rt, BC_SCOPE);
  g_autoptr(Reply) more = refresh (env, rt, "Contacts.ReadWrite");
  g_autoptr(Reply) unknown = refresh (env, rt, "https://outlook.office.com/Contacts.Read");
  g_autoptr(Reply) ok = refresh (env, rt, "https://graph.microsoft.com/User.Read");

  assert_oauth_error (bc, 400, "invalid_grant", 65001);
  assert_oauth_error (more, 400, "invalid_grant", 65001);
  assert_oauth_error (unknown, 400, "invalid_resource", 500011);
  g_assert_cmpuint (ok->status, ==, 200);
}

static void
test_refresh_revoked (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(Reply) tokens = sign_in_tokens (env, "User.Read");
  g_autoptr(Reply) revoked = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  /* As an administrator revoking the sessions would: through the control API */
  reply = bcs_sandbox_request (env->sandbox, "POST", "/_sandbox/login/revoke", NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  revoked = refresh (env, member_string (tokens, "refresh_token"), "User.Read");
  assert_oauth_error (revoked, 400, "invalid_grant", 70008);

  /* Signing in again works */
  again = sign_in_tokens (env, "User.Read");
  g_assert_nonnull (member_string (again, "refresh_token"));
}

/* Ages every grant of a login table as if its lifetime had passed */
typedef struct {
  GHashTable *table;
} Age;

static gboolean
age_cb (gpointer data)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, ((Age *) data)->table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((BcsSbLoginGrant *) value)->expires = g_get_real_time () - 1;
  return G_SOURCE_REMOVE;
}

/* Codes live 10 minutes, refresh tokens 90 days: past that they are refused */
static void
test_grants_expire (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autofree char *code = sign_in (env, ALL_SCOPES);
  g_autoptr(Reply) tokens = sign_in_tokens (env, "User.Read");
  g_autoptr(Reply) stale_code = NULL;
  g_autoptr(Reply) stale_refresh = NULL;
  g_autoptr(Reply) gone = NULL;
  Age codes = { env->sandbox->login->codes };
  Age refresh_tokens = { env->sandbox->login->refresh_tokens };
  const char *description;

  run_in_sandbox (env, age_cb, &codes);
  run_in_sandbox (env, age_cb, &refresh_tokens);
  stale_code = redeem (env, code, VERIFIER, REDIRECT, NULL);
  assert_oauth_error (stale_code, 400, "invalid_grant", 70008);
  stale_refresh = refresh (env, member_string (tokens, "refresh_token"), "User.Read");
  assert_oauth_error (stale_refresh, 400, "invalid_grant", 700082);
  description = member_string (stale_refresh, "error_description");
  g_assert_nonnull (strstr (description, "inactive for 90.00:00:00"));
  /* An expired refresh token is forgotten */
  gone = refresh (env, member_string (tokens, "refresh_token"), "User.Read");
  assert_oauth_error (gone, 400, "invalid_grant", 70008);
}

/* ---- device code ---- */

static void
test_device_pending_slow_down (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(Reply) start = device_start (env, ALL_SCOPES);
  g_autoptr(Reply) fast = NULL;
  g_autoptr(Reply) pending = NULL;
  g_autoptr(Reply) slow = NULL;
  g_autoptr(Reply) slower = NULL;
  g_autofree char *page = NULL;
  const char *user_code;

  /* The defaults */
  g_assert_cmpuint (start->status, ==, 200);
  g_assert_cmpint (member_int (start, "interval"), ==, 5);
  g_assert_cmpint (member_int (start, "expires_in"), ==, 900);
  user_code = member_string (start, "user_code");
  g_assert_true (g_regex_match_simple ("^[A-Z]{4}-[A-Z]{4}$", user_code, 0, 0));
  page = g_strconcat (bcs_sandbox_get_url (env->sandbox), "/login/sandbox/oauth2/deviceauth", NULL);
  g_assert_cmpstr (member_string (start, "verification_uri"), ==, page);
  g_assert_nonnull (strstr (member_string (start, "message"), user_code));
  g_assert_nonnull (strstr (member_string (start, "message"), page));
  g_assert_true (g_str_has_prefix (member_string (start, "device_code"), "sbx-dc-"));

  /* Polled twice within the interval: slow down */
  pending = device_poll (env, member_string (start, "device_code"));
  assert_oauth_error (pending, 400, "authorization_pending", 70016);
  slow = device_poll (env, member_string (start, "device_code"));
  g_assert_cmpstr (member_string (slow, "error"), ==, "slow_down");
  g_assert_cmpuint (slow->status, ==, 400);

  /* A short interval for tests: a poll after it is merely pending */
  set_device_timing (env, 1, 900);
  fast = device_start (env, "User.Read");
  g_assert_cmpint (member_int (fast, "interval"), ==, 1);
  g_clear_pointer (&pending, reply_free);
  pending = device_poll (env, member_string (fast, "device_code"));
  assert_oauth_error (pending, 400, "authorization_pending", 70016);
  g_usleep (G_USEC_PER_SEC * 11 / 10);
  g_clear_pointer (&pending, reply_free);
  pending = device_poll (env, member_string (fast, "device_code"));
  assert_oauth_error (pending, 400, "authorization_pending", 70016);
  slower = device_poll (env, member_string (fast, "device_code"));
  g_assert_cmpstr (member_string (slower, "error"), ==, "slow_down");
}

static void
test_device_approve (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(Reply) start = NULL;
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) prefilled = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) approved = NULL;
  g_autoptr(Reply) tokens = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) reuse = NULL;
  g_autofree char *prefill_url = NULL;
  g_autofree char *typed = NULL;
  g_auto(Check) check = { 0 };
  const char *user_code;

  set_device_timing (env, 0, 900);
  start = device_start (env, ALL_SCOPES);
  user_code = member_string (start, "user_code");

  page = http_send (env, "GET", member_string (start, "verification_uri"), NULL, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_cmpstr (page->content_type, ==, "text/html");
  g_assert_nonnull (strstr (page->body, "demo@sandbox.example"));
  g_assert_nonnull (strstr (page->body, "name=\"user_code\""));
  g_assert_nonnull (strstr (page->body, ">Sign in<"));
  g_assert_nonnull (strstr (page->body, ">Cancel<"));

  prefill_url = g_strconcat (member_string (start, "verification_uri"), "?user_code=", user_code, NULL);
  prefilled = http_send (env, "GET", prefill_url, NULL, NULL);
  g_assert_nonnull (strstr (prefilled->body, user_code));

  wrong = device_decide (env, "BBBB-CCCC", "approve");
  g_assert_cmpuint (wrong->status, ==, 400);

  /* Typed by a person: lower case, without the dash */
  typed = g_ascii_strdown (user_code, -1);
  memmove (typed + 4, typed + 5, strlen (typed + 5) + 1);
  approved = device_decide (env, typed, "approve");
  g_assert_cmpuint (approved->status, ==, 200);

  tokens = device_poll (env, member_string (start, "device_code"));
  g_assert_cmpuint (tokens->status, ==, 200);
  g_assert_nonnull (member_string (tokens, "refresh_token"));
  check_bearer (env, member_string (tokens, "access_token"), "graph", &check);
  g_assert_true (check.ok);
  g_assert_cmpstr (check.user, ==, "demo@sandbox.example");

  /* The device code is spent */
  again = device_poll (env, member_string (start, "device_code"));
  assert_oauth_error (again, 400, "bad_verification_code", 70000);
  reuse = device_decide (env, user_code, "approve");
  g_assert_cmpuint (reuse->status, ==, 400);
}

static void
test_device_auto_approve (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(Reply) start = device_start (env, ALL_SCOPES);
  g_autoptr(Reply) tokens = device_poll (env, member_string (start, "device_code"));
  g_autoptr(Reply) bc = NULL;

  g_assert_cmpuint (tokens->status, ==, 200);
  g_assert_true (g_str_has_prefix (member_string (tokens, "access_token"), "sbx-at-"));
  bc = refresh (env, member_string (tokens, "refresh_token"), BC_SCOPE);
  g_assert_cmpuint (bc->status, ==, 200);
}

static void
test_device_expired (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(Reply) start = NULL;
  g_autoptr(Reply) expired = NULL;
  g_autoptr(Reply) approve = NULL;

  set_device_timing (env, 0, 1);
  start = device_start (env, ALL_SCOPES);
  g_assert_cmpint (member_int (start, "expires_in"), ==, 1);
  g_usleep (G_USEC_PER_SEC * 12 / 10);
  expired = device_poll (env, member_string (start, "device_code"));
  assert_oauth_error (expired, 400, "expired_token", 70019);
  approve = device_decide (env, member_string (start, "user_code"), "approve");
  g_assert_cmpuint (approve->status, ==, 400);
  g_assert_nonnull (strstr (approve->body, "expired"));
}

static void
test_device_declined (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(Reply) start = NULL;
  g_autoptr(Reply) cancel = NULL;
  g_autoptr(Reply) declined = NULL;
  g_autoptr(Reply) unknown = NULL;
  g_autofree char *wrong_client = form_encode ("client_id", "another-app", "scope", "User.Read", NULL);
  g_autoptr(Reply) client = NULL;

  set_device_timing (env, 0, 900);
  start = device_start (env, ALL_SCOPES);
  cancel = device_decide (env, member_string (start, "user_code"), "cancel");
  g_assert_cmpuint (cancel->status, ==, 200);
  declined = device_poll (env, member_string (start, "device_code"));
  assert_oauth_error (declined, 400, "authorization_declined", 65004);

  unknown = device_poll (env, "sbx-dc-made-up");
  assert_oauth_error (unknown, 400, "bad_verification_code", 70000);
  client = http_send (env, "POST", "/login/sandbox/oauth2/v2.0/devicecode", wrong_client, NULL);
  assert_oauth_error (client, 400, "unauthorized_client", 700016);
}

/* ---- access tokens ---- */

typedef struct {
  Env *env;
  const char *token;
} Expire;

static gboolean
expire_cb (gpointer data)
{
  Expire *expire = data;
  g_autoptr(BcsSbRequest) request = bcs_sb_request_new (BCS_SB_GRAPH, "GET", "/me");
  g_autofree char *value = g_strconcat ("Bearer ", expire->token, NULL);

  soup_message_headers_replace (request->headers, "Authorization", value);
  bcs_sb_login_expire_token (expire->env->sandbox, request);
  return G_SOURCE_REMOVE;
}

static void
test_access_token_expired (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(Reply) graph = sign_in_tokens (env, "User.Read");
  g_autoptr(Reply) bc = refresh (env, member_string (graph, "refresh_token"), BC_SCOPE);
  Expire expire_graph = { env, member_string (graph, "access_token") };
  Expire expire_bc = { env, member_string (bc, "access_token") };
  g_auto(Check) before = { 0 };
  g_auto(Check) after = { 0 };
  g_auto(Check) bc_after = { 0 };
  g_auto(Check) empty = { 0 };
  g_auto(Check) garbage = { 0 };

  check_bearer (env, member_string (graph, "access_token"), "graph", &before);
  g_assert_true (before.ok);

  run_in_sandbox (env, expire_cb, &expire_graph);
  run_in_sandbox (env, expire_cb, &expire_bc);
  check_bearer (env, member_string (graph, "access_token"), "graph", &after);
  assert_unauthorized (&after, "graph", "Access token has expired or is not yet valid.");
  check_bearer (env, member_string (bc, "access_token"), "bc", &bc_after);
  assert_unauthorized (&bc_after, "bc", NULL);

  check_bearer (env, NULL, "graph", &empty);
  assert_unauthorized (&empty, "graph", "Access token is empty.");
  check_bearer (env, "sbx-at-made-up", "graph", &garbage);
  assert_unauthorized (&garbage, "graph", "IDX14100: JWT is not well formed, there are no dots (.).");
}

static void
test_access_token_lifetime (void)
{
  g_autoptr(Env) env = env_new_full (TRUE, 2, NULL);
  g_autoptr(Reply) tokens = sign_in_tokens (env, "User.Read");
  g_autoptr(Reply) refreshed = NULL;
  g_auto(Check) fresh = { 0 };
  g_auto(Check) stale = { 0 };
  g_auto(Check) renewed = { 0 };

  g_assert_cmpint (member_int (tokens, "expires_in"), ==, 2);
  check_bearer (env, member_string (tokens, "access_token"), "graph", &fresh);
  g_assert_true (fresh.ok);
  g_usleep (G_USEC_PER_SEC * 22 / 10);
  check_bearer (env, member_string (tokens, "access_token"), "graph", &stale);
  assert_unauthorized (&stale, "graph", "Access token has expired or is not yet valid.");

  /* The refresh token outlives it */
  refreshed = refresh (env, member_string (tokens, "refresh_token"), "User.Read");
  g_assert_cmpuint (refreshed->status, ==, 200);
  g_assert_cmpint (member_int (refreshed, "expires_in"), ==, 2);
  check_bearer (env, member_string (refreshed, "access_token"), "graph", &renewed);
  g_assert_true (renewed.ok);
}

/* ---- state ---- */

typedef struct {
  BcsSbLogin *login;
  JsonNode *node;
} StateCall;

static gboolean
save_cb (gpointer data)
{
  StateCall *call = data;

  call->node = bcs_sb_login_to_json (call->login);
  return G_SOURCE_REMOVE;
}

static gboolean
load_cb (gpointer data)
{
  StateCall *call = data;

  bcs_sb_login_load_json (call->login, call->node);
  return G_SOURCE_REMOVE;
}

static JsonNode *
save_login (Env *env)
{
  StateCall call = { env->sandbox->login, NULL };

  run_in_sandbox (env, save_cb, &call);
  g_assert_nonnull (call.node);
  return call.node;
}

static void
load_login (Env      *env,
            JsonNode *node)
{
  StateCall call = { env->sandbox->login, node };

  run_in_sandbox (env, load_cb, &call);
}

/* What to_json writes, load_json restores: sign-ins survive a restart */
static void
test_state_round_trip (void)
{
  g_autoptr(Env) first = env_new (TRUE);
  g_autoptr(Env) second = env_new (FALSE);
  g_autoptr(Reply) tokens = sign_in_tokens (first, "User.Read");
  g_autoptr(Reply) approved = device_start (first, ALL_SCOPES);
  g_autoptr(Reply) pending = NULL;
  g_autoptr(Reply) refreshed = NULL;
  g_autoptr(Reply) device_tokens = NULL;
  g_autoptr(Reply) still_pending = NULL;
  g_autoptr(Reply) decided = NULL;
  g_autoptr(Reply) pending_tokens = NULL;
  g_autoptr(JsonNode) first_state = NULL;
  g_autoptr(JsonNode) second_state = NULL;
  g_auto(Check) check = { 0 };

  set_device_timing (second, 0, 900);
  pending = device_start (second, ALL_SCOPES);
  first_state = save_login (first);
  second_state = save_login (second);
  load_login (second, first_state);
  load_login (first, second_state);

  /* The first sandbox's refresh token, access token and approved device code, in the second */
  refreshed = refresh (second, member_string (tokens, "refresh_token"), "User.Read");
  g_assert_cmpuint (refreshed->status, ==, 200);
  check_bearer (second, member_string (tokens, "access_token"), "graph", &check);
  g_assert_true (check.ok);
  g_assert_cmpstr (check.user, ==, "demo@sandbox.example");
  device_tokens = device_poll (second, member_string (approved, "device_code"));
  g_assert_cmpuint (device_tokens->status, ==, 200);

  /* The second's pending device code, in the first: still pending (its user code too) */
  still_pending = device_poll (first, member_string (pending, "device_code"));
  assert_oauth_error (still_pending, 400, "authorization_pending", 70016);
  decided = device_decide (first, member_string (pending, "user_code"), "approve");
  g_assert_cmpuint (decided->status, ==, 200);
  pending_tokens = device_poll (first, member_string (pending, "device_code"));
  g_assert_cmpuint (pending_tokens->status, ==, 200);
}

void
add_flow_tests (void)
{
  g_test_add_func ("/sandbox-login/refresh/rotation", test_refresh_rotation);
  g_test_add_func ("/sandbox-login/refresh/needs-offline-access", test_refresh_needs_offline_access);
  g_test_add_func ("/sandbox-login/refresh/revoked", test_refresh_revoked);
  g_test_add_func ("/sandbox-login/refresh/expiry", test_grants_expire);
  g_test_add_func ("/sandbox-login/scope/selects-resource", test_scope_selects_resource);
  g_test_add_func ("/sandbox-login/scope/endpoints", test_scope_endpoints);
  g_test_add_func ("/sandbox-login/scope/two-resources", test_scope_two_resources);
  g_test_add_func ("/sandbox-login/scope/not-consented", test_scope_not_consented);
  g_test_add_func ("/sandbox-login/device/pending-slow-down", test_device_pending_slow_down);
  g_test_add_func ("/sandbox-login/device/approve", test_device_approve);
  g_test_add_func ("/sandbox-login/device/auto-approve", test_device_auto_approve);
  g_test_add_func ("/sandbox-login/device/expired", test_device_expired);
  g_test_add_func ("/sandbox-login/device/declined", test_device_declined);
  g_test_add_func ("/sandbox-login/access-token/expired", test_access_token_expired);
  g_test_add_func ("/sandbox-login/access-token/lifetime", test_access_token_lifetime);
  g_test_add_func ("/sandbox-login/state/round-trip", test_state_round_trip);
}
