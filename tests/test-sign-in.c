/* test-sign-in.c — both sign-in flows end to end against the sandbox, the
 * CLI's --sign-in and --sign-out, and no token in any file under HOME
 * (needs D-Bus and an unlocked gnome-keyring) */
#include "config.h"

#include <string.h>

#include "auth-test-support.h"
#include "bcs-error.h"
#include "bcs-sign-in.h"
#include "bcs-token-manager.h"

typedef struct {
  BcsSandbox *sandbox;
  BcsProfile *profile;
  BcsTokenStore *store;
  BcsHttp *http;
  BcsSignIn *sign_in;
  char *uri;                   /* shown by the browser flow */
  BcsOAuthDeviceCode *code;    /* shown by the device flow */
  GAsyncResult *result;
} Env;

static Env *
env_new (gboolean auto_approve)
{
  Env *env = g_new0 (Env, 1);
  BcsSandboxOptions options;

  bcs_sandbox_options_init (&options);
  options.auto_approve = auto_approve;
  env->sandbox = net_test_sandbox_start (&options);
  bcs_sandbox_options_clear (&options);

  env->profile = auth_test_profile ("signing", env->sandbox);
  g_settings_set_string (bcs_profile_get_settings (env->profile), "account", "");
  env->store = bcs_token_store_new ("signing");
  auth_test_clear (env->store, NULL);
  env->http = bcs_http_new ();
  env->sign_in = bcs_sign_in_new (env->profile, env->store, env->http);
  return env;
}

static void
env_free (Env *env)
{
  g_clear_object (&env->sign_in);
  g_clear_object (&env->http);
  g_clear_object (&env->store);
  g_clear_object (&env->profile);
  g_clear_pointer (&env->sandbox, bcs_sandbox_free);
  g_free (env->uri);
  g_clear_pointer (&env->code, bcs_oauth_device_code_free);
  g_clear_object (&env->result);
  g_free (env);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Env, env_free)

static void
show_uri (const char *uri,
          gpointer    user_data)
{
  Env *env = user_data;

  g_free (env->uri);
  env->uri = g_strdup (uri);
}

static void
show_code (const BcsOAuthDeviceCode *code,
           gpointer                  user_data)
{
  Env *env = user_data;

  g_clear_pointer (&env->code, bcs_oauth_device_code_free);
  env->code = g_new0 (BcsOAuthDeviceCode, 1);
  env->code->device_code = g_strdup (code->device_code);
  env->code->user_code = g_strdup (code->user_code);
  env->code->verification_uri = g_strdup (code->verification_uri);
  env->code->message = g_strdup (code->message);
}

static char *
browser_finish (Env     *env,
                GError **error)
{
  g_autoptr(GAsyncResult) done = net_test_wait_result (&env->result);

  return bcs_sign_in_browser_finish (env->sign_in, done, error);
}

static char *
device_finish (Env     *env,
               GError **error)
{
  g_autoptr(GAsyncResult) done = net_test_wait_result (&env->result);

  return bcs_sign_in_device_finish (env->sign_in, done, error);
}

/* The authorize page, as the browser opens it: with auto-approve, a redirect */
static char *
authorize_redirect (Env *env)
{
  g_autoptr(AuthTestPage) page = NULL;

  g_assert_nonnull (env->uri);
  g_assert_true (g_str_has_prefix (env->uri, bcs_sandbox_get_url (env->sandbox)));
  page = auth_test_browser (env->uri, NULL);
  g_assert_cmpuint (page->status, ==, 302);
  g_assert_true (g_str_has_prefix (page->location, "http://localhost:"));
  g_assert_nonnull (strstr (page->location, "code="));
  g_assert_nonnull (strstr (page->location, "state="));
  return g_steal_pointer (&page->location);
}

/* Every file under HOME is free of the secrets of the sign-in */
static void
assert_home_clean (Env *env)
{
  g_autofree char *refresh = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);
  g_autoptr(BcsTokenManager) manager = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *rotated = NULL;
  const char *needles[4] = { NULL };

  g_assert_nonnull (refresh);
  bcs_http_set_base_url (env->http, BCS_SERVICE_LOGIN, NULL);
  manager = bcs_token_manager_new (env->profile, env->store, env->http);
  {
    g_autofree char *authority = bcs_profile_dup_authority (env->profile);

    bcs_http_set_base_url (env->http, BCS_SERVICE_LOGIN, authority);
  }
  bcs_token_provider_get_authorization_async (BCS_TOKEN_PROVIDER (manager), BCS_SERVICE_GRAPH, FALSE, NULL,
                                              net_test_store_result, &result);
  done = net_test_wait_result (&result);
  authorization = bcs_token_provider_get_authorization_finish (BCS_TOKEN_PROVIDER (manager), done, &error);
  g_assert_no_error (error);
  rotated = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);

  needles[0] = refresh;
  needles[1] = authorization + strlen ("Bearer ");
  needles[2] = rotated;
  auth_test_assert_no_file_contains (g_get_home_dir (), needles);
}

static void
test_browser_auto_approve (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autoptr(AuthTestPage) page = NULL;
  g_autofree char *account = NULL;
  g_autofree char *setting = NULL;
  g_autofree char *refresh = NULL;

  bcs_sign_in_browser_async (env->sign_in, show_uri, env, NULL, net_test_store_result, &env->result);
  g_assert_nonnull (strstr (env->uri, "code_challenge_method=S256"));
  location = authorize_redirect (env);
  page = auth_test_browser (location, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "close this tab"));

  account = browser_finish (env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, "demo@sandbox.example");
  setting = g_settings_get_string (bcs_profile_get_settings (env->profile), "account");
  g_assert_cmpstr (setting, ==, "demo@sandbox.example");
  refresh = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);
  g_assert_true (g_str_has_prefix (refresh, "sbx-rt-"));
  /* The code was redeemed through the caller's BcsHttp: counted */
  g_assert_cmpuint (bcs_http_get_request_count (env->http, BCS_SERVICE_LOGIN), ==, 1);

  assert_home_clean (env);
}

static void
test_browser_wrong_state (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *forged = NULL;
  g_autoptr(AuthTestPage) page = NULL;
  g_autofree char *account = NULL;
  g_autofree char *refresh = NULL;
  char *state;

  bcs_sign_in_browser_async (env->sign_in, show_uri, env, NULL, net_test_store_result, &env->result);
  location = authorize_redirect (env);
  state = strstr (location, "state=");
  forged = g_strdup_printf ("%.*sstate=forged-by-someone-else", (int) (state - location), location);

  page = auth_test_browser (forged, NULL);
  g_assert_cmpuint (page->status, ==, 400);
  account = browser_finish (env, &error);
  g_assert_null (account);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_DENIED);
  refresh = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);
  g_assert_null (refresh);
  g_assert_cmpuint (bcs_http_get_request_count (env->http, BCS_SERVICE_LOGIN), ==, 0);
}

static void
test_browser_twice (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autoptr(AuthTestPage) first = NULL;
  g_autoptr(AuthTestPage) second = NULL;
  g_autofree char *account = NULL;

  bcs_sign_in_browser_async (env->sign_in, show_uri, env, NULL, net_test_store_result, &env->result);
  location = authorize_redirect (env);
  first = auth_test_browser (location, NULL);
  second = auth_test_browser (location, NULL);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (second->status, !=, 200);

  account = browser_finish (env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, "demo@sandbox.example");
  /* The code was redeemed once */
  g_assert_cmpuint (bcs_http_get_request_count (env->http, BCS_SERVICE_LOGIN), ==, 1);
}

static void
test_browser_access_denied (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuthTestPage) consent = NULL;
  g_autoptr(AuthTestPage) decision = NULL;
  g_autoptr(AuthTestPage) back = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *form = NULL;
  g_autofree char *action = NULL;
  g_autofree char *account = NULL;

  bcs_sign_in_browser_async (env->sign_in, show_uri, env, NULL, net_test_store_result, &env->result);
  consent = auth_test_browser (env->uri, NULL);
  g_assert_cmpuint (consent->status, ==, 200);
  pending = auth_test_pending_id (consent->body);

  /* The user presses Cancel on the consent page */
  action = g_strndup (env->uri, strchr (env->uri, '?') - env->uri);
  form = g_strdup_printf ("pending=%s&action=cancel", pending);
  decision = auth_test_browser (action, form);
  g_assert_cmpuint (decision->status, ==, 302);
  g_assert_nonnull (strstr (decision->location, "error=access_denied"));
  back = auth_test_browser (decision->location, NULL);
  g_assert_cmpuint (back->status, ==, 200);

  account = browser_finish (env, &error);
  g_assert_null (account);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_DENIED);
}

static void
test_browser_cancel (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;

  bcs_sign_in_browser_async (env->sign_in, show_uri, env, cancellable, net_test_store_result, &env->result);
  g_cancellable_cancel (cancellable);
  account = browser_finish (env, &error);
  g_assert_null (account);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_CANCELLED);
}

/* ---- device code ---- */

static guint
login_requests (Env *env)
{
  return bcs_http_get_request_count (env->http, BCS_SERVICE_LOGIN);
}

static gboolean
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_until_login_requests (Env   *env,
                              guint  n)
{
  gboolean waited = FALSE;
  GSource *source;

  while (login_requests (env) < n)
    g_main_context_iteration (NULL, TRUE);

  /* … and its answer (a local sandbox answers well within 300 ms) */
  source = g_timeout_source_new (300);
  g_source_set_callback (source, set_true, &waited, NULL);
  g_source_attach (source, NULL);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  g_source_unref (source);
}

static void
decide (Env        *env,
        const char *action)
{
  g_autofree char *form = g_strdup_printf ("user_code=%s&action=%s", env->code->user_code, action);
  g_autoptr(AuthTestPage) page = auth_test_browser (env->code->verification_uri, form);

  g_assert_cmpuint (page->status, ==, 200);
}

static void
test_device_auto_approve (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *key = NULL;

  /* What a previous sign-in and the on-premises setup left */
  auth_test_store (env->store, BCS_TOKEN_KIND_ACCESS_GRAPH, "{\"access_token\": \"old-account\", \"expires_at\": 4000000000}");
  auth_test_store (env->store, BCS_TOKEN_KIND_WEB_SERVICE_KEY, "on-premises-key");

  bcs_sign_in_set_poll_interval (env->sign_in, 0.1);
  bcs_sign_in_device_async (env->sign_in, show_code, env, NULL, net_test_store_result, &env->result);
  account = device_finish (env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, "demo@sandbox.example");
  stale = auth_test_lookup (env->store, BCS_TOKEN_KIND_ACCESS_GRAPH);
  g_assert_null (stale);
  key = auth_test_lookup (env->store, BCS_TOKEN_KIND_WEB_SERVICE_KEY);
  g_assert_cmpstr (key, ==, "on-premises-key");
  g_assert_nonnull (env->code);
  g_assert_nonnull (strstr (env->code->message, env->code->user_code));
  g_assert_nonnull (strstr (env->code->message, env->code->verification_uri));
  refresh = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);
  g_assert_true (g_str_has_prefix (refresh, "sbx-rt-"));
  /* devicecode, one poll */
  g_assert_cmpuint (login_requests (env), ==, 2);

  assert_home_clean (env);
}

static void
test_device_pending_then_approved (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;

  auth_test_device_timing (env->sandbox, 0, 900);
  bcs_sign_in_set_poll_interval (env->sign_in, 0.1);
  bcs_sign_in_device_async (env->sign_in, show_code, env, NULL, net_test_store_result, &env->result);

  /* devicecode and three polls answered authorization_pending */
  iterate_until_login_requests (env, 4);
  g_assert_null (env->result);
  decide (env, "approve");

  account = device_finish (env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, "demo@sandbox.example");
  /* devicecode, at least three pending polls, the one that got the tokens */
  g_assert_cmpuint (login_requests (env), >=, 5);
}

static void
test_device_slow_down (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  gint64 approved_at;
  double waited;

  /* The service wants 1 s between polls; the client starts at 0.2 s */
  auth_test_device_timing (env->sandbox, 1, 900);
  bcs_sign_in_set_poll_interval (env->sign_in, 0.2);
  bcs_sign_in_device_async (env->sign_in, show_code, env, NULL, net_test_store_result, &env->result);

  /* devicecode, a first poll (pending) and a second one too soon (slow_down) */
  iterate_until_login_requests (env, 3);
  g_assert_null (env->result);
  decide (env, "approve");
  approved_at = g_get_monotonic_time ();

  account = device_finish (env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, "demo@sandbox.example");

  /* The next poll waited the interval plus 5 s, and was the only one */
  waited = (g_get_monotonic_time () - approved_at) / (double) G_USEC_PER_SEC;
  g_assert_cmpfloat (waited, >=, 4.0);
  g_assert_cmpuint (login_requests (env), ==, 4);
}

static void
test_device_expired (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *refresh = NULL;

  auth_test_device_timing (env->sandbox, 0, 1);
  bcs_sign_in_set_poll_interval (env->sign_in, 0.3);
  bcs_sign_in_device_async (env->sign_in, show_code, env, NULL, net_test_store_result, &env->result);
  account = device_finish (env, &error);
  g_assert_null (account);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_assert_null (strstr (error->message, env->code->device_code));
  refresh = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);
  g_assert_null (refresh);
}

static void
test_device_declined (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;

  auth_test_device_timing (env->sandbox, 0, 900);
  bcs_sign_in_set_poll_interval (env->sign_in, 0.1);
  bcs_sign_in_device_async (env->sign_in, show_code, env, NULL, net_test_store_result, &env->result);
  iterate_until_login_requests (env, 2);
  decide (env, "cancel");

  account = device_finish (env, &error);
  g_assert_null (account);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_DENIED);
}

static void
test_device_cancel (void)
{
  g_autoptr(Env) env = env_new (FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  gint64 start;

  /* The service's 5 s interval: cancelling must not wait for it */
  bcs_sign_in_device_async (env->sign_in, show_code, env, cancellable, net_test_store_result, &env->result);
  iterate_until_login_requests (env, 1);
  while (env->code == NULL)
    g_main_context_iteration (NULL, TRUE);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  account = device_finish (env, &error);
  g_assert_null (account);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

/* ---- the command line ---- */

static int
run_app (const char  *sandbox_url,
         const char  *profile,
         const char  *command,
         char       **out,
         char       **err)
{
  const char *app = g_getenv ("BCS_TEST_APP");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (app);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              app, "--sandbox", sandbox_url, "--profile", profile, command, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_cli (void)
{
  g_autoptr(Env) env = env_new (TRUE);
  /* --sandbox: kept as "sandbox:cli", apart from a real profile "cli" */
  g_autoptr(BcsTokenStore) store = bcs_token_store_new ("sandbox:cli");
  g_autoptr(BcsTokenStore) real = bcs_token_store_new ("cli");
  g_autofree char *real_refresh = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *gone = NULL;
  const char *needles[2] = { NULL };
  int status;

  /* Polls every second instead of five */
  auth_test_device_timing (env->sandbox, 1, 900);
  auth_test_clear (store, NULL);

  status = run_app (bcs_sandbox_get_url (env->sandbox), "cli", "--sign-in", &out, &err);
  g_test_message ("--sign-in: %s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "/login/sandbox/oauth2/deviceauth"));
  g_assert_nonnull (strstr (out, "enter the code"));
  g_assert_nonnull (strstr (out, "Signed in as demo@sandbox.example."));

  refresh = auth_test_lookup (store, BCS_TOKEN_KIND_REFRESH);
  g_assert_true (g_str_has_prefix (refresh, "sbx-rt-"));
  real_refresh = auth_test_lookup (real, BCS_TOKEN_KIND_REFRESH);
  g_assert_null (real_refresh);
  g_assert_null (strstr (out, refresh));
  g_assert_null (strstr (err, refresh));
  needles[0] = refresh;
  auth_test_assert_no_file_contains (g_get_home_dir (), needles);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_app (bcs_sandbox_get_url (env->sandbox), "cli", "--sign-out", &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Signed out"));
  g_assert_nonnull (strstr (out, "cli"));
  gone = auth_test_lookup (store, BCS_TOKEN_KIND_REFRESH);
  g_assert_null (gone);
}

static void
test_cli_errors (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *closed_url = NULL;
  guint16 port;
  int status;

  status = run_app ("http://127.0.0.1:1", "not valid!", "--sign-in", &out, &err);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "not a valid profile name"));

  /* Nobody listens on a port that was just free */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_app (closed_url, "cli", "--sign-in", &out, &err);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "Sign-in failed:"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sign-in/browser/auto-approve", test_browser_auto_approve);
  g_test_add_func ("/sign-in/browser/wrong-state", test_browser_wrong_state);
  g_test_add_func ("/sign-in/browser/redirect-twice", test_browser_twice);
  g_test_add_func ("/sign-in/browser/access-denied", test_browser_access_denied);
  g_test_add_func ("/sign-in/browser/cancel", test_browser_cancel);
  g_test_add_func ("/sign-in/device/auto-approve", test_device_auto_approve);
  g_test_add_func ("/sign-in/device/pending-then-approved", test_device_pending_then_approved);
  g_test_add_func ("/sign-in/device/slow-down", test_device_slow_down);
  g_test_add_func ("/sign-in/device/expired", test_device_expired);
  g_test_add_func ("/sign-in/device/declined", test_device_declined);
  g_test_add_func ("/sign-in/device/cancel", test_device_cancel);
  g_test_add_func ("/sign-in/cli/sign-in-and-out", test_cli);
  g_test_add_func ("/sign-in/cli/errors", test_cli_errors);

  return g_test_run ();
}
