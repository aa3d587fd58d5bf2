/* test-token-store.c — the keyring store, the token manager and the
 * on-premises Basic provider (needs D-Bus and an unlocked gnome-keyring) */
#include "config.h"

#include <string.h>

#include "auth-test-support.h"
#include "bcs-basic-auth-provider.h"
#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-oauth.h"
#include "bcs-sign-in.h"
#include "bcs-token-manager.h"

/* ---- the store ---- */

static void
test_store_schema (void)
{
  const SecretSchema *schema = bcs_token_store_get_schema ();

  g_assert_cmpstr (schema->name, ==, "io.github.bccontactsync.ContactSync.Token");
  g_assert_cmpstr (schema->attributes[0].name, ==, "profile");
  g_assert_cmpstr (schema->attributes[1].name, ==, "kind");
  g_assert_null (schema->attributes[2].name);
  g_assert_true (bcs_token_store_kind_is_valid ("refresh-token"));
  g_assert_true (bcs_token_store_kind_is_valid ("access-token-graph"));
  g_assert_true (bcs_token_store_kind_is_valid ("access-token-bc"));
  g_assert_true (bcs_token_store_kind_is_valid ("web-service-key"));
  g_assert_false (bcs_token_store_kind_is_valid ("password"));
}

static void
test_store_round_trip (void)
{
  g_autoptr(BcsTokenStore) store = bcs_token_store_new ("round-trip");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *missing = NULL;

  auth_test_store (store, BCS_TOKEN_KIND_REFRESH, "refresh-one-ÄÖ");
  first = auth_test_lookup (store, BCS_TOKEN_KIND_REFRESH);
  g_assert_cmpstr (first, ==, "refresh-one-ÄÖ");

  /* One item per profile and kind: storing again replaces it */
  auth_test_store (store, BCS_TOKEN_KIND_REFRESH, "refresh-two");
  second = auth_test_lookup (store, BCS_TOKEN_KIND_REFRESH);
  g_assert_cmpstr (second, ==, "refresh-two");

  missing = auth_test_lookup (store, BCS_TOKEN_KIND_ACCESS_BC);
  g_assert_null (missing);

  auth_test_clear (store, BCS_TOKEN_KIND_REFRESH);
  g_free (second);
  second = auth_test_lookup (store, BCS_TOKEN_KIND_REFRESH);
  g_assert_null (second);
  /* Clearing what is not there is fine */
  auth_test_clear (store, BCS_TOKEN_KIND_REFRESH);
}

static void
test_store_isolation (void)
{
  g_autoptr(BcsTokenStore) a = bcs_token_store_new ("alpha");
  g_autoptr(BcsTokenStore) b = bcs_token_store_new ("beta");
  g_autofree char *b_before = NULL;
  g_autofree char *a_value = NULL;
  g_autofree char *b_value = NULL;
  g_autofree char *a_after = NULL;

  auth_test_clear (a, NULL);
  auth_test_clear (b, NULL);
  auth_test_store (a, BCS_TOKEN_KIND_REFRESH, "alpha-secret");
  b_before = auth_test_lookup (b, BCS_TOKEN_KIND_REFRESH);
  g_assert_null (b_before);

  auth_test_store (b, BCS_TOKEN_KIND_REFRESH, "beta-secret");
  a_value = auth_test_lookup (a, BCS_TOKEN_KIND_REFRESH);
  b_value = auth_test_lookup (b, BCS_TOKEN_KIND_REFRESH);
  g_assert_cmpstr (a_value, ==, "alpha-secret");
  g_assert_cmpstr (b_value, ==, "beta-secret");

  /* Removing B's items leaves A's */
  auth_test_clear (b, NULL);
  a_after = auth_test_lookup (a, BCS_TOKEN_KIND_REFRESH);
  g_assert_cmpstr (a_after, ==, "alpha-secret");
}

/* A profile run against a sandbox never sees the real profile's tokens of
 * the same name, nor the other way round */
static void
test_store_sandbox_apart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsProfile) real = bcs_profile_new ("apart", NULL, &error);
  g_autoptr(BcsProfile) sandbox = bcs_profile_new ("apart", "http://127.0.0.1:1", &error);
  g_autoptr(BcsTokenStore) real_store = bcs_token_store_new_for_profile (real);
  g_autoptr(BcsTokenStore) sandbox_store = bcs_token_store_new_for_profile (sandbox);
  g_autofree char *from_sandbox = NULL;
  g_autofree char *from_real = NULL;
  g_autofree char *sandbox_value = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (bcs_token_store_get_profile (real_store), ==, "apart");
  g_assert_cmpstr (bcs_token_store_get_profile (sandbox_store), ==, "sandbox:apart");
  auth_test_clear (real_store, NULL);
  auth_test_clear (sandbox_store, NULL);

  auth_test_store (real_store, BCS_TOKEN_KIND_REFRESH, "real-secret");
  from_sandbox = auth_test_lookup (sandbox_store, BCS_TOKEN_KIND_REFRESH);
  g_assert_null (from_sandbox);

  auth_test_store (sandbox_store, BCS_TOKEN_KIND_REFRESH, "sandbox-secret");
  auth_test_clear (real_store, NULL);
  from_real = auth_test_lookup (real_store, BCS_TOKEN_KIND_REFRESH);
  sandbox_value = auth_test_lookup (sandbox_store, BCS_TOKEN_KIND_REFRESH);
  g_assert_null (from_real);
  g_assert_cmpstr (sandbox_value, ==, "sandbox-secret");
  auth_test_clear (sandbox_store, NULL);
}

static void
test_store_sign_out (void)
{
  g_autoptr(BcsTokenStore) store = bcs_token_store_new ("leaving");
  g_autoptr(BcsTokenStore) other = bcs_token_store_new ("staying");
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsProfile) profile = bcs_profile_new ("leaving", NULL, &error);
  const char *kinds[] = { BCS_TOKEN_KIND_REFRESH, BCS_TOKEN_KIND_ACCESS_GRAPH,
                          BCS_TOKEN_KIND_ACCESS_BC, BCS_TOKEN_KIND_WEB_SERVICE_KEY };
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autofree char *account = NULL;
  g_autofree char *kept = NULL;

  g_assert_no_error (error);
  g_settings_set_string (bcs_profile_get_settings (profile), "account", "anna@example.com");
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    auth_test_store (store, kinds[i], "secret-of-leaving");
  auth_test_store (other, BCS_TOKEN_KIND_REFRESH, "secret-of-staying");

  bcs_sign_out_async (profile, store, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  g_assert_true (bcs_sign_out_finish (done, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *gone = auth_test_lookup (store, kinds[i]);

      g_assert_null (gone);
    }
  account = g_settings_get_string (bcs_profile_get_settings (profile), "account");
  g_assert_cmpstr (account, ==, "");
  kept = auth_test_lookup (other, BCS_TOKEN_KIND_REFRESH);
  g_assert_cmpstr (kept, ==, "secret-of-staying");
}

/* ---- the token manager ---- */

typedef struct {
  BcsSandbox *sandbox;
  BcsProfile *profile;
  BcsTokenStore *store;
  BcsHttp *http;
  BcsTokenManager *manager;
  char *first_refresh;
} Env;

/* Signs in through the device code flow (auto-approve) and stores the refresh token */
static void
env_sign_in (Env *env)
{
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GAsyncResult) polled = NULL;
  g_autoptr(BcsOAuthDeviceCode) code = NULL;
  g_autoptr(BcsOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  bcs_oauth_device_start_async (env->http, "sandbox", BCS_OAUTH_SIGN_IN_SCOPE, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  code = bcs_oauth_device_start_finish (done, &error);
  g_assert_no_error (error);

  bcs_oauth_device_poll_async (env->http, "sandbox", code->device_code, BCS_OAUTH_GRAPH_SCOPE, NULL,
                               net_test_store_result, &result);
  polled = net_test_wait_result (&result);
  tokens = bcs_oauth_tokens_finish (polled, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens->refresh_token);

  auth_test_clear (env->store, NULL);
  auth_test_store (env->store, BCS_TOKEN_KIND_REFRESH, tokens->refresh_token);
  env->first_refresh = g_strdup (tokens->refresh_token);
}

static Env *
env_new (guint    token_lifetime,
         gboolean sign_in)
{
  Env *env = g_new0 (Env, 1);
  BcsSandboxOptions options;

  bcs_sandbox_options_init (&options);
  options.auto_approve = TRUE;
  options.token_lifetime = token_lifetime;
  env->sandbox = net_test_sandbox_start (&options);
  bcs_sandbox_options_clear (&options);

  env->profile = auth_test_profile ("manager", env->sandbox);
  env->store = bcs_token_store_new ("manager");
  env->http = auth_test_http (env->sandbox);
  env->manager = bcs_token_manager_new (env->profile, env->store, env->http);
  bcs_http_set_token_provider (env->http, BCS_SERVICE_GRAPH, BCS_TOKEN_PROVIDER (env->manager));
  bcs_http_set_token_provider (env->http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (env->manager));
  if (sign_in)
    env_sign_in (env);
  else
    auth_test_clear (env->store, NULL);
  bcs_http_reset_request_counts (env->http);
  return env;
}

static void
env_free (Env *env)
{
  g_clear_object (&env->manager);
  g_clear_object (&env->http);
  g_clear_object (&env->store);
  g_clear_object (&env->profile);
  g_clear_pointer (&env->sandbox, bcs_sandbox_free);
  g_free (env->first_refresh);
  g_free (env);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Env, env_free)

static char *
get_authorization (Env         *env,
                   BcsService   service,
                   gboolean     force,
                   GError     **error)
{
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  bcs_token_provider_get_authorization_async (BCS_TOKEN_PROVIDER (env->manager), service, force, NULL,
                                              net_test_store_result, &result);
  done = net_test_wait_result (&result);
  return bcs_token_provider_get_authorization_finish (BCS_TOKEN_PROVIDER (env->manager), done, error);
}

static guint
login_count (Env *env)
{
  return bcs_http_get_request_count (env->http, BCS_SERVICE_LOGIN);
}

static void
test_manager_rotation (void)
{
  g_autoptr(Env) env = env_new (0, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *graph = get_authorization (env, BCS_SERVICE_GRAPH, FALSE, &error);
  g_autofree char *after_graph = NULL;
  g_autofree char *bc = NULL;
  g_autofree char *after_bc = NULL;
  g_autofree char *cached = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (graph, "Bearer sbx-at-"));
  g_assert_cmpuint (login_count (env), ==, 1);

  /* The keyring holds the new refresh token as soon as the access token is handed out */
  after_graph = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);
  g_assert_nonnull (after_graph);
  g_assert_cmpstr (after_graph, !=, env->first_refresh);

  bc = get_authorization (env, BCS_SERVICE_BC, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bc, "Bearer sbx-at-"));
  g_assert_cmpstr (bc, !=, graph);
  g_assert_cmpuint (login_count (env), ==, 2);
  after_bc = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);
  g_assert_cmpstr (after_bc, !=, after_graph);

  /* The access tokens are kept with their expiry, in memory and in the keyring */
  cached = auth_test_lookup (env->store, BCS_TOKEN_KIND_ACCESS_GRAPH);
  g_assert_nonnull (strstr (cached, graph + strlen ("Bearer ")));
  g_assert_nonnull (strstr (cached, "expires_at"));
}

static void
test_manager_cached (void)
{
  g_autoptr(Env) env = env_new (0, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = get_authorization (env, BCS_SERVICE_GRAPH, FALSE, &error);
  g_autofree char *second = get_authorization (env, BCS_SERVICE_GRAPH, FALSE, &error);
  g_autoptr(BcsTokenManager) fresh = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autofree char *from_keyring = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpuint (login_count (env), ==, 1);

  /* A new manager (the next run) takes the access token from the keyring */
  fresh = bcs_token_manager_new (env->profile, env->store, env->http);
  bcs_token_provider_get_authorization_async (BCS_TOKEN_PROVIDER (fresh), BCS_SERVICE_GRAPH, FALSE, NULL,
                                              net_test_store_result, &result);
  done = net_test_wait_result (&result);
  from_keyring = bcs_token_provider_get_authorization_finish (BCS_TOKEN_PROVIDER (fresh), done, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_keyring, ==, first);
  g_assert_cmpuint (login_count (env), ==, 1);
}

typedef struct {
  guint pending;
  GPtrArray *answers;
  GError *error;
} Many;

static void
on_many (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Many *many = user_data;
  g_autoptr(GError) error = NULL;
  char *answer = bcs_token_provider_get_authorization_finish (BCS_TOKEN_PROVIDER (object), result, &error);

  if (answer != NULL)
    g_ptr_array_add (many->answers, answer);
  else if (many->error == NULL)
    many->error = g_steal_pointer (&error);
  many->pending--;
}

static void
test_manager_shared_refresh (void)
{
  g_autoptr(Env) env = env_new (0, TRUE);
  Many many = { 0 };
  const BcsService services[] = { BCS_SERVICE_GRAPH, BCS_SERVICE_BC, BCS_SERVICE_GRAPH,
                                  BCS_SERVICE_BC, BCS_SERVICE_GRAPH };

  many.answers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      many.pending++;
      bcs_token_provider_get_authorization_async (BCS_TOKEN_PROVIDER (env->manager), services[i], FALSE, NULL,
                                                  on_many, &many);
    }
  while (many.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  /* One refresh per resource, one after the other (each rotates the refresh token) */
  g_assert_no_error (many.error);
  g_assert_cmpuint (many.answers->len, ==, 5);
  g_assert_cmpuint (login_count (env), ==, 2);
  g_ptr_array_unref (many.answers);
}

static void
test_manager_early_refresh (void)
{
  /* 60 s tokens are within the 5-minute margin: each use refreshes first */
  g_autoptr(Env) env = env_new (60, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = get_authorization (env, BCS_SERVICE_GRAPH, FALSE, &error);
  g_autofree char *rotated_once = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);
  g_autofree char *second = get_authorization (env, BCS_SERVICE_GRAPH, FALSE, &error);
  g_autofree char *rotated_twice = auth_test_lookup (env->store, BCS_TOKEN_KIND_REFRESH);

  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, second);
  g_assert_cmpuint (login_count (env), ==, 2);
  g_assert_cmpstr (rotated_once, !=, env->first_refresh);
  g_assert_cmpstr (rotated_twice, !=, rotated_once);
}

static void
test_manager_expired_mid_run (void)
{
  g_autoptr(Env) env = env_new (0, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpRequest) first = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/me");
  g_autoptr(BcsHttpRequest) second = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/me");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (net_test_send (env->http, first, &error));
  g_assert_no_error (error);
  before = get_authorization (env, BCS_SERVICE_GRAPH, FALSE, &error);
  g_assert_cmpuint (login_count (env), ==, 1);

  /* The access token expires on the server while the run goes on */
  net_test_sandbox_fault (env->sandbox, "{\"service\": \"graph\", \"path\": \"/me\", \"kind\": \"expire-token\", \"count\": 1}");
  g_assert_true (net_test_send (env->http, second, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bcs_json_get_string (bcs_http_request_get_response_object (second), "mail"), ==,
                   "demo@sandbox.example");

  after = get_authorization (env, BCS_SERVICE_GRAPH, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, !=, before);
  g_assert_cmpuint (login_count (env), ==, 2);
}

static void
test_manager_revoked (void)
{
  g_autoptr(Env) env = env_new (0, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = get_authorization (env, BCS_SERVICE_GRAPH, FALSE, &error);
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  auth_test_revoke_all (env->sandbox);

  second = get_authorization (env, BCS_SERVICE_GRAPH, TRUE, &error);
  g_assert_null (second);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED);
  g_assert_cmpstr (error->message, ==, "Your sign-in has expired. Sign in again.");
}

static void
test_manager_not_signed_in (void)
{
  g_autoptr(Env) env = env_new (0, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = get_authorization (env, BCS_SERVICE_BC, FALSE, &error);

  g_assert_null (answer);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED);
  g_assert_nonnull (strstr (error->message, "manager"));
  g_assert_cmpuint (login_count (env), ==, 0);
}

/* ---- on premises ---- */

static char *
provider_get (BcsTokenProvider  *provider,
              BcsService         service,
              GError           **error)
{
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  bcs_token_provider_get_authorization_async (provider, service, FALSE, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  return bcs_token_provider_get_authorization_finish (provider, done, error);
}

static void
test_basic_auth (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsProfile) profile = bcs_profile_new ("onprem", NULL, &error);
  g_autoptr(BcsTokenStore) store = bcs_token_store_new ("onprem");
  g_autoptr(NetTestTokenProvider) graph = net_test_token_provider_new_fixed ();
  g_autoptr(BcsBasicAuthProvider) provider = NULL;
  g_autofree char *no_user = NULL;
  g_autofree char *no_key = NULL;
  g_autofree char *bc = NULL;
  g_autofree char *graph_header = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *encoded = g_base64_encode ((const guchar *) "ANNA:k3y/with:colon", strlen ("ANNA:k3y/with:colon"));

  g_assert_no_error (error);
  auth_test_clear (store, NULL);
  provider = bcs_basic_auth_provider_new (profile, store, BCS_TOKEN_PROVIDER (graph));

  no_user = provider_get (BCS_TOKEN_PROVIDER (provider), BCS_SERVICE_BC, &error);
  g_assert_null (no_user);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);

  g_settings_set_string (bcs_profile_get_settings (profile), "bc-onprem-user", "ANNA");
  no_key = provider_get (BCS_TOKEN_PROVIDER (provider), BCS_SERVICE_BC, &error);
  g_assert_null (no_key);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED);
  g_clear_error (&error);

  auth_test_store (store, BCS_TOKEN_KIND_WEB_SERVICE_KEY, "k3y/with:colon");
  bc = provider_get (BCS_TOKEN_PROVIDER (provider), BCS_SERVICE_BC, &error);
  g_assert_no_error (error);
  expected = g_strconcat ("Basic ", encoded, NULL);
  g_assert_cmpstr (bc, ==, expected);

  /* Outlook stays in Microsoft 365: Graph asks the OAuth provider */
  graph_header = provider_get (BCS_TOKEN_PROVIDER (provider), BCS_SERVICE_GRAPH, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (graph_header, "Bearer "));
  g_assert_cmpuint (net_test_token_provider_get_calls (graph), ==, 1);
}

static void
test_provider_for_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsProfile) online = bcs_profile_new ("factory-online", NULL, &error);
  g_autoptr(BcsProfile) onprem = bcs_profile_new ("factory-onprem", NULL, &error);
  g_autoptr(BcsTokenStore) store = bcs_token_store_new ("factory");
  g_autoptr(BcsHttp) online_http = bcs_http_new ();
  g_autoptr(BcsHttp) onprem_http = bcs_http_new ();
  g_autoptr(BcsTokenProvider) online_provider = NULL;
  g_autoptr(BcsTokenProvider) onprem_provider = NULL;
  g_autofree char *authority = NULL;

  g_assert_no_error (error);
  g_settings_set_enum (bcs_profile_get_settings (onprem), "deployment", BCS_DEPLOYMENT_ON_PREMISES);

  online_provider = bcs_auth_provider_new_for_profile (online, store, online_http);
  g_assert_true (BCS_IS_TOKEN_MANAGER (online_provider));
  authority = bcs_profile_dup_authority (online);
  g_assert_cmpstr (bcs_http_get_base_url (online_http, BCS_SERVICE_LOGIN), ==, authority);

  onprem_provider = bcs_auth_provider_new_for_profile (onprem, store, onprem_http);
  g_assert_true (BCS_IS_BASIC_AUTH_PROVIDER (onprem_provider));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/token-store/schema", test_store_schema);
  g_test_add_func ("/token-store/round-trip", test_store_round_trip);
  g_test_add_func ("/token-store/profile-isolation", test_store_isolation);
  g_test_add_func ("/token-store/sandbox-apart", test_store_sandbox_apart);
  g_test_add_func ("/token-store/sign-out-removes-all", test_store_sign_out);
  g_test_add_func ("/token-manager/refresh-rotation-stored", test_manager_rotation);
  g_test_add_func ("/token-manager/cached", test_manager_cached);
  g_test_add_func ("/token-manager/shared-refresh", test_manager_shared_refresh);
  g_test_add_func ("/token-manager/early-refresh", test_manager_early_refresh);
  g_test_add_func ("/token-manager/expired-mid-run", test_manager_expired_mid_run);
  g_test_add_func ("/token-manager/revoked", test_manager_revoked);
  g_test_add_func ("/token-manager/not-signed-in", test_manager_not_signed_in);
  g_test_add_func ("/basic-auth/on-premises", test_basic_auth);
  g_test_add_func ("/basic-auth/provider-for-profile", test_provider_for_profile);

  return g_test_run ();
}
