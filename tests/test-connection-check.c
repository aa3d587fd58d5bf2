/* test-connection-check.c — Exchange Sync. Setup's connection checks against
 * the in-process sandbox, and --validate end to end (the last test needs
 * D-Bus and an unlocked gnome-keyring, as the sign-in tests do) */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "bcs-cli-validate.h"
#include "bcs-connection-check.h"
#include "bcs-connection-check-private.h"
#include "bcs-error.h"
#include "bcs-json.h"
#include "net-test-support.h"

#define ONPREM_KEY "sandbox-web-service-key"

/* ---- a provider for a profile nobody signed in to ---- */

#define TEST_TYPE_SIGNED_OUT (test_signed_out_get_type ())
G_DECLARE_FINAL_TYPE (TestSignedOut, test_signed_out, TEST, SIGNED_OUT, GObject)

struct _TestSignedOut
{
  GObject parent_instance;
};

static void
signed_out_get_async (BcsTokenProvider    *provider,
                      BcsService           service,
                      gboolean             force_refresh,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  /* What the token manager answers without a refresh token in the keyring */
  g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED,
                           "Profile “checks” is not signed in. Sign in first.");
}

static char *
signed_out_get_finish (BcsTokenProvider  *provider,
                       GAsyncResult      *result,
                       GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
signed_out_iface_init (BcsTokenProviderInterface *iface)
{
  iface->get_authorization_async = signed_out_get_async;
  iface->get_authorization_finish = signed_out_get_finish;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSignedOut, test_signed_out, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BCS_TYPE_TOKEN_PROVIDER, signed_out_iface_init))

static void
test_signed_out_class_init (TestSignedOutClass *klass)
{
}

static void
test_signed_out_init (TestSignedOut *self)
{
}

/* ---- fixture ---- */

typedef struct {
  BcsSandbox *sandbox;
  BcsHttp *http;
  BcsProfile *profile;
  char *first_company_id;
} Env;

static void
env_free (Env *env)
{
  g_clear_object (&env->profile);
  g_clear_object (&env->http);
  g_clear_pointer (&env->sandbox, bcs_sandbox_free);
  g_free (env->first_company_id);
  g_free (env);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Env, env_free)

static JsonObject *
sandbox_state (Env *env)
{
  guint status = 0;
  JsonNode *node = bcs_sandbox_request (env->sandbox, "GET", "/_sandbox/state", NULL, &status);
  JsonObject *object;

  g_assert_cmpuint (status, ==, 200);
  object = json_object_ref (bcs_json_node_get_object (node));
  json_node_unref (node);
  return object;
}

static void
settings_reset (GSettings *settings)
{
  const char *keys[] = { "company-id", "company-name", "folder-name", "environment", "deployment",
                         "bc-onprem-base-url", "bc-onprem-user", "graph-base-url" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

/* USER: the signed-in account (NULL: demo); OUTLOOK: seeded Outlook
 * contacts (> 0 creates the folder "Business Central") */
static Env *
env_new (const char *user,
         guint       outlook)
{
  Env *env = g_new0 (Env, 1);
  BcsSandboxOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = NULL;
  JsonArray *companies;

  bcs_sandbox_options_init (&options);
  options.auto_approve = TRUE;
  options.bc_contacts = 5;
  options.outlook_contacts = outlook;
  if (user != NULL)
    {
      g_free (options.user);
      options.user = g_strdup (user);
    }
  env->sandbox = net_test_sandbox_start (&options);
  bcs_sandbox_options_clear (&options);

  env->http = net_test_sandbox_http (env->sandbox);
  env->profile = bcs_profile_new ("checks", bcs_sandbox_get_url (env->sandbox), &error);
  g_assert_no_error (error);
  settings_reset (bcs_profile_get_settings (env->profile));

  state = sandbox_state (env);
  companies = json_object_get_array_member (json_object_get_object_member (state, "bc"), "companies");
  env->first_company_id = g_strdup (json_object_get_string_member (json_array_get_object_element (companies, 0),
                                                                   "id"));
  g_settings_set_string (bcs_profile_get_settings (env->profile), "company-id", env->first_company_id);
  return env;
}

static GPtrArray *
run_check_full (Env      *env,
                gboolean  first_company,
                GError  **error)
{
  g_autoptr(BcsConnectionCheck) check = bcs_connection_check_new (env->profile, env->http);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;

  bcs_connection_check_set_default_company (check, first_company);
  bcs_connection_check_run_async (check, NULL, net_test_store_result, &pending);
  result = net_test_wait_result (&pending);
  return bcs_connection_check_run_finish (check, result, error);
}

static GPtrArray *
run_check (Env *env)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *results = run_check_full (env, FALSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  for (guint i = 0; i < results->len; i++)
    {
      BcsConnectionCheckResult *result = results->pdata[i];

      g_test_message ("%s [%d] %s — %s%s%s", bcs_connection_check_id_to_string (result->id), result->status,
                      result->title, result->message, result->hint ? " → " : "", result->hint ? result->hint : "");
      g_assert_nonnull (result->title);
      g_assert_nonnull (result->message);
    }
  return results;
}

static BcsConnectionCheckResult *
get (GPtrArray            *results,
     BcsConnectionCheckId  id)
{
  for (guint i = 0; i < results->len; i++)
    if (((BcsConnectionCheckResult *) results->pdata[i])->id == id)
      return results->pdata[i];

  g_assert_not_reached ();
  return NULL;
}

static void
assert_status (GPtrArray            *results,
               BcsConnectionCheckId  id,
               BcsCheckStatus        status)
{
  BcsConnectionCheckResult *result = get (results, id);

  if (result->status != status)
    g_error ("check %s: status %d, expected %d (%s)", bcs_connection_check_id_to_string (id),
             result->status, status, result->message);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” does not contain “%s”", text ? text : "(null)", needle);
}

static void
assert_all_after_skipped (GPtrArray            *results,
                          BcsConnectionCheckId  failed,
                          const char           *reason)
{
  gboolean after = FALSE;

  for (guint i = 0; i < results->len; i++)
    {
      BcsConnectionCheckResult *result = results->pdata[i];

      if (after)
        {
          assert_status (results, result->id, BCS_CHECK_STATUS_SKIPPED);
          assert_contains (result->message, reason);
        }
      after = after || result->id == failed;
    }
  g_assert_true (after);
}

/* ---- online ---- */

static void
test_all_pass (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) results = run_check (env);
  const BcsConnectionCheckId order[] = {
    BCS_CONNECTION_CHECK_SIGNED_IN, BCS_CONNECTION_CHECK_BC_USER, BCS_CONNECTION_CHECK_ENVIRONMENT,
    BCS_CONNECTION_CHECK_COMPANY, BCS_CONNECTION_CHECK_MAILBOX, BCS_CONNECTION_CHECK_FOLDER,
    BCS_CONNECTION_CHECK_USER_MAPPING,
  };

  g_assert_cmpuint (results->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      BcsConnectionCheckResult *result = results->pdata[i];

      g_assert_cmpint (result->id, ==, order[i]);
      g_assert_cmpint (result->status, ==, BCS_CHECK_STATUS_PASS);
      g_assert_null (result->hint);
    }
  g_assert_true (bcs_connection_check_results_passed (results));
  assert_contains (get (results, BCS_CONNECTION_CHECK_SIGNED_IN)->message, "Demo User (demo@sandbox.example)");
  assert_contains (get (results, BCS_CONNECTION_CHECK_BC_USER)->message, "demo@sandbox.example");
  assert_contains (get (results, BCS_CONNECTION_CHECK_ENVIRONMENT)->message, "“production”");
  assert_contains (get (results, BCS_CONNECTION_CHECK_COMPANY)->message, "CRONUS International Ltd.");
  assert_contains (get (results, BCS_CONNECTION_CHECK_FOLDER)->message, "“Business Central” found");
  assert_contains (get (results, BCS_CONNECTION_CHECK_USER_MAPPING)->message, "DEMO");
}

static void
test_not_a_bc_user (void)
{
  g_autoptr(Env) env = env_new ("outsider@sandbox.example", 0);
  g_autoptr(GPtrArray) results = run_check (env);
  BcsConnectionCheckResult *bc;

  /* The outsider has no mail attribute: the user principal name stands in */
  assert_status (results, BCS_CONNECTION_CHECK_SIGNED_IN, BCS_CHECK_STATUS_PASS);
  assert_contains (get (results, BCS_CONNECTION_CHECK_SIGNED_IN)->message, "outsider@sandbox.example");
  bc = get (results, BCS_CONNECTION_CHECK_BC_USER);
  g_assert_cmpint (bc->status, ==, BCS_CHECK_STATUS_FAIL);
  g_assert_cmpstr (bc->message, ==, "Your Microsoft 365 account outsider@sandbox.example is not a Business Central user.");
  g_assert_cmpstr (bc->hint, ==, "Ask your Business Central administrator to enter this account as the "
                                 "Authentication Email in the Microsoft 365 section of your user card.");
  assert_all_after_skipped (results, BCS_CONNECTION_CHECK_BC_USER, "Business Central must accept your account");
  g_assert_false (bcs_connection_check_results_passed (results));
}

static void
test_not_signed_in (void)
{
  g_autoptr(Env) env = env_new (NULL, 0);
  g_autoptr(TestSignedOut) provider = g_object_new (TEST_TYPE_SIGNED_OUT, NULL);
  g_autoptr(GPtrArray) results = NULL;
  BcsConnectionCheckResult *first;
  guint bc_before = net_test_sandbox_count (env->sandbox, "bc");

  bcs_http_set_token_provider (env->http, BCS_SERVICE_GRAPH, BCS_TOKEN_PROVIDER (provider));
  bcs_http_set_token_provider (env->http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (provider));
  results = run_check (env);

  first = results->pdata[0];
  g_assert_cmpint (first->id, ==, BCS_CONNECTION_CHECK_SIGNED_IN);
  g_assert_cmpint (first->status, ==, BCS_CHECK_STATUS_FAIL);
  assert_contains (first->message, "not signed in");
  assert_contains (first->hint, "Microsoft 365 account of your Business Central user card");
  assert_contains (first->hint, "bc-contact-sync --sign-in");
  assert_all_after_skipped (results, BCS_CONNECTION_CHECK_SIGNED_IN, "Skipped: sign in first");
  g_assert_false (bcs_connection_check_results_passed (results));
  /* Nothing was asked of Business Central without a sign-in */
  g_assert_cmpuint (net_test_sandbox_count (env->sandbox, "bc"), ==, bc_before);
}

static void
test_company_missing (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) results = NULL;
  BcsConnectionCheckResult *company;

  g_settings_set_string (bcs_profile_get_settings (env->profile), "company-id",
                         "0badc0de-0000-4000-8000-000000000000");
  g_settings_set_string (bcs_profile_get_settings (env->profile), "company-name", "Gone Ltd.");
  results = run_check (env);

  company = get (results, BCS_CONNECTION_CHECK_COMPANY);
  g_assert_cmpint (company->status, ==, BCS_CHECK_STATUS_FAIL);
  assert_contains (company->message, "“Gone Ltd.”");
  assert_contains (company->message, "0badc0de-0000-4000-8000-000000000000");
  assert_contains (company->message, "“CRONUS International Ltd.”, “CRONUS Demo Two”");
  assert_contains (company->hint, "Choose one of these companies");
  /* The mailbox does not depend on the company */
  assert_status (results, BCS_CONNECTION_CHECK_MAILBOX, BCS_CHECK_STATUS_PASS);
  assert_status (results, BCS_CONNECTION_CHECK_FOLDER, BCS_CHECK_STATUS_PASS);
  g_assert_false (bcs_connection_check_results_passed (results));
}

static void
test_company_not_chosen (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) with_default = NULL;
  g_autoptr(GPtrArray) without = NULL;
  g_autoptr(GError) error = NULL;
  BcsConnectionCheckResult *company;

  g_settings_set_string (bcs_profile_get_settings (env->profile), "company-id", "");

  /* --sandbox: the sync takes the first company, and says so */
  with_default = run_check_full (env, TRUE, &error);
  g_assert_no_error (error);
  company = get (with_default, BCS_CONNECTION_CHECK_COMPANY);
  g_assert_cmpint (company->status, ==, BCS_CHECK_STATUS_WARNING);
  assert_contains (company->message, "the first one, “CRONUS International Ltd.”, will be used");
  g_assert_nonnull (company->hint);
  g_assert_true (bcs_connection_check_results_passed (with_default));
  assert_status (with_default, BCS_CONNECTION_CHECK_USER_MAPPING, BCS_CHECK_STATUS_PASS);

  /* Otherwise the sync would stop: a failure with the names to choose from */
  without = run_check_full (env, FALSE, &error);
  g_assert_no_error (error);
  company = get (without, BCS_CONNECTION_CHECK_COMPANY);
  g_assert_cmpint (company->status, ==, BCS_CHECK_STATUS_FAIL);
  assert_contains (company->message, "No company is chosen");
  assert_contains (company->message, "“CRONUS Demo Two”");
  g_assert_false (bcs_connection_check_results_passed (without));
}

static void
test_environment_missing (void)
{
  g_autoptr(Env) env = env_new (NULL, 0);
  g_autoptr(GPtrArray) results = NULL;
  BcsConnectionCheckResult *environment;

  g_settings_set_string (bcs_profile_get_settings (env->profile), "environment", "staging");
  results = run_check (env);
  assert_status (results, BCS_CONNECTION_CHECK_BC_USER, BCS_CHECK_STATUS_PASS);
  environment = get (results, BCS_CONNECTION_CHECK_ENVIRONMENT);
  g_assert_cmpint (environment->status, ==, BCS_CHECK_STATUS_FAIL);
  assert_contains (environment->message, "“staging”");
  assert_contains (environment->message, "“production”");
  assert_status (results, BCS_CONNECTION_CHECK_COMPANY, BCS_CHECK_STATUS_SKIPPED);
}

static void
test_folder_missing (void)
{
  g_autoptr(Env) env = env_new (NULL, 0);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonObject) state = NULL;
  BcsConnectionCheckResult *folder;
  JsonArray *folders;

  g_settings_set_string (bcs_profile_get_settings (env->profile), "folder-name", "Kunden BC");
  results = run_check (env);
  folder = get (results, BCS_CONNECTION_CHECK_FOLDER);
  g_assert_cmpint (folder->status, ==, BCS_CHECK_STATUS_PASS);
  assert_contains (folder->message, "“Kunden BC” does not exist yet");
  assert_contains (folder->message, "will be created");
  g_assert_true (bcs_connection_check_results_passed (results));

  /* Checking creates nothing */
  state = sandbox_state (env);
  folders = json_object_get_array_member (json_object_get_object_member (state, "outlook"), "folders");
  for (guint i = 0; i < json_array_get_length (folders); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (folders, i), "displayName"),
                     !=, "Kunden BC");
}

/* Replaces the sandbox's users with DEMO (signing in as demo@) whose
 * user card says CONTACT_EMAIL */
static void
set_demo_contact_email (Env        *env,
                        const char *contact_email)
{
  g_autofree char *body = g_strdup_printf (
    "{\"bc\": {\"users\": [{\"userSecurityId\": \"5f6a1e30-0000-4000-8000-000000000001\", "
    "\"userName\": \"DEMO\", \"displayName\": \"Demo User\", \"contactEmail\": \"%s\", "
    "\"authenticationEmail\": \"demo@sandbox.example\"}]}}", contact_email);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = bcs_sandbox_request (env->sandbox, "POST", "/_sandbox/state", body, &status);
  g_assert_cmpuint (status / 100, ==, 2);
}

static void
test_mailbox_mismatch (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  BcsConnectionCheckResult *mapping;

  set_demo_contact_email (env, "d.user@elsewhere.example");
  results = run_check (env);
  assert_status (results, BCS_CONNECTION_CHECK_BC_USER, BCS_CHECK_STATUS_PASS);
  mapping = get (results, BCS_CONNECTION_CHECK_USER_MAPPING);
  g_assert_cmpint (mapping->status, ==, BCS_CHECK_STATUS_WARNING);
  assert_contains (mapping->message, "DEMO");
  assert_contains (mapping->message, "d.user@elsewhere.example");
  assert_contains (mapping->message, "demo@sandbox.example");
  assert_contains (mapping->hint, "user card");
  /* A warning passes */
  g_assert_true (bcs_connection_check_results_passed (results));

  set_demo_contact_email (env, "");
  empty = run_check (env);
  mapping = get (empty, BCS_CONNECTION_CHECK_USER_MAPPING);
  g_assert_cmpint (mapping->status, ==, BCS_CHECK_STATUS_WARNING);
  assert_contains (mapping->message, "no contact e-mail");
  assert_contains (mapping->hint, "Confirm that the mailbox demo@sandbox.example");
}

static void
test_users_unreadable (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) results = NULL;
  BcsConnectionCheckResult *mapping;

  net_test_sandbox_fault (env->sandbox, "{\"service\": \"bc\", \"path\": \"/users\", \"status\": 403, \"count\": 5}");
  results = run_check (env);
  mapping = get (results, BCS_CONNECTION_CHECK_USER_MAPPING);
  g_assert_cmpint (mapping->status, ==, BCS_CHECK_STATUS_SKIPPED);
  assert_contains (mapping->message, "cannot be compared");
  g_assert_true (bcs_connection_check_results_passed (results));
}

static void
test_bc_unavailable_retried (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) results = NULL;
  guint before = net_test_sandbox_count (env->sandbox, "bc");
  guint used;

  net_test_sandbox_fault (env->sandbox, "{\"service\": \"bc\", \"path\": \"companies\", \"status\": 503, \"count\": 2}");
  results = run_check (env);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpint (((BcsConnectionCheckResult *) results->pdata[i])->status, ==, BCS_CHECK_STATUS_PASS);
  /* environments, companies ×3, users */
  used = net_test_sandbox_count (env->sandbox, "bc") - before;
  g_assert_cmpuint (used, >=, 5);
}

static void
test_me_malformed (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) results = NULL;
  BcsConnectionCheckResult *first;

  net_test_sandbox_fault (env->sandbox, "{\"service\": \"graph\", \"path\": \"/me\", \"kind\": \"malformed\", \"count\": 50}");
  results = run_check (env);
  first = get (results, BCS_CONNECTION_CHECK_SIGNED_IN);
  g_assert_cmpint (first->status, ==, BCS_CHECK_STATUS_FAIL);
  assert_contains (first->message, "Microsoft 365 could not say who is signed in");
  g_assert_nonnull (first->hint);
  assert_all_after_skipped (results, BCS_CONNECTION_CHECK_SIGNED_IN, "Skipped:");
}

static void
test_mailbox_unreadable (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) results = NULL;

  net_test_sandbox_fault (env->sandbox,
                          "{\"service\": \"graph\", \"path\": \"/me/contactFolders\", \"status\": 403, \"count\": 5}");
  results = run_check (env);
  assert_status (results, BCS_CONNECTION_CHECK_MAILBOX, BCS_CHECK_STATUS_FAIL);
  assert_contains (get (results, BCS_CONNECTION_CHECK_MAILBOX)->message, "demo@sandbox.example");
  assert_status (results, BCS_CONNECTION_CHECK_FOLDER, BCS_CHECK_STATUS_SKIPPED);
  /* Business Central's side is still told */
  assert_status (results, BCS_CONNECTION_CHECK_USER_MAPPING, BCS_CHECK_STATUS_PASS);
}

static void
test_cancel (void)
{
  g_autoptr(Env) env = env_new (NULL, 0);
  g_autoptr(BcsConnectionCheck) check = bcs_connection_check_new (env->profile, env->http);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  bcs_connection_check_run_async (check, cancellable, net_test_store_result, &pending);
  g_cancellable_cancel (cancellable);
  result = net_test_wait_result (&pending);
  results = bcs_connection_check_run_finish (check, result, &error);
  g_assert_null (results);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_CANCELLED);
}

/* ---- on premises ---- */

static void
make_onprem (Env        *env,
             const char *key)
{
  g_autofree char *graph = g_strconcat (bcs_sandbox_get_url (env->sandbox), "/graph/v1.0", NULL);
  g_autofree char *onprem = g_strconcat (bcs_sandbox_get_url (env->sandbox), "/bc/onprem", NULL);
  g_autoptr(NetTestTokenProvider) basic = net_test_token_provider_new_basic ("DEMO", key);
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  /* A sandbox URL makes a profile online: on premises is set up by hand */
  g_clear_object (&env->profile);
  env->profile = bcs_profile_new ("checks-onprem", NULL, &error);
  g_assert_no_error (error);
  settings = bcs_profile_get_settings (env->profile);
  settings_reset (settings);
  g_settings_set_string (settings, "deployment", "on-premises");
  g_settings_set_string (settings, "graph-base-url", graph);
  g_settings_set_string (settings, "bc-onprem-base-url", onprem);
  g_settings_set_string (settings, "bc-onprem-user", "DEMO");
  g_settings_set_string (settings, "company-id", env->first_company_id);
  g_assert_cmpint (bcs_profile_get_deployment (env->profile), ==, BCS_DEPLOYMENT_ON_PREMISES);

  bcs_http_set_token_provider (env->http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (basic));
}

static void
test_onprem_good (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) unconfirmed = NULL;
  BcsConnectionCheckResult *mapping;

  make_onprem (env, ONPREM_KEY);
  results = run_check (env);
  /* No environments on premises */
  g_assert_cmpuint (results->len, ==, 6);
  for (guint i = 0; i < results->len; i++)
    {
      BcsConnectionCheckResult *result = results->pdata[i];

      g_assert_cmpint (result->id, !=, BCS_CONNECTION_CHECK_ENVIRONMENT);
      g_assert_cmpint (result->status, ==, BCS_CHECK_STATUS_PASS);
    }
  assert_contains (get (results, BCS_CONNECTION_CHECK_BC_USER)->message, "DEMO");
  assert_contains (get (results, BCS_CONNECTION_CHECK_USER_MAPPING)->message, "demo@sandbox.example");

  /* The user card's contact e-mail is another address: the user confirms */
  set_demo_contact_email (env, "d.user@elsewhere.example");
  unconfirmed = run_check (env);
  mapping = get (unconfirmed, BCS_CONNECTION_CHECK_USER_MAPPING);
  g_assert_cmpint (mapping->status, ==, BCS_CHECK_STATUS_WARNING);
  assert_contains (mapping->message, "d.user@elsewhere.example");
  assert_contains (mapping->hint, "demo@sandbox.example");
}

static void
test_onprem_bad_key (void)
{
  g_autoptr(Env) env = env_new (NULL, 3);
  g_autoptr(GPtrArray) results = NULL;
  BcsConnectionCheckResult *bc;

  make_onprem (env, "not-the-key");
  results = run_check (env);
  assert_status (results, BCS_CONNECTION_CHECK_SIGNED_IN, BCS_CHECK_STATUS_PASS);
  bc = get (results, BCS_CONNECTION_CHECK_BC_USER);
  g_assert_cmpint (bc->status, ==, BCS_CHECK_STATUS_FAIL);
  assert_contains (bc->message, "web service access key");
  g_assert_null (strstr (bc->message, "not-the-key"));
  assert_contains (bc->hint, "web service access key");
  assert_all_after_skipped (results, BCS_CONNECTION_CHECK_BC_USER, "Business Central must answer first");
}

/* ---- judged without a network ---- */

static void
facts_init (BcsCheckFacts *facts,
            gboolean       online)
{
  memset (facts, 0, sizeof *facts);
  facts->online = online;
  facts->environment = g_strdup ("production");
  facts->company_id = g_strdup ("");
  facts->company_name = g_strdup ("");
  facts->folder_name = g_strdup ("Business Central");
  facts->onprem_base = g_strdup ("");
  facts->onprem_user = g_strdup ("");
}

static void
test_me_without_address (void)
{
  BcsCheckFacts facts;
  g_autoptr(GPtrArray) results = NULL;
  BcsConnectionCheckResult *first;

  /* /me answered 200 with neither mail nor userPrincipalName */
  facts_init (&facts, TRUE);
  facts.me = json_object_new ();
  json_object_set_string_member (facts.me, "displayName", "Somebody");
  json_object_set_null_member (facts.me, "mail");
  results = bcs_check_facts_judge (&facts);
  first = get (results, BCS_CONNECTION_CHECK_SIGNED_IN);
  g_assert_cmpint (first->status, ==, BCS_CHECK_STATUS_FAIL);
  assert_contains (first->message, "without the signed-in account");
  assert_status (results, BCS_CONNECTION_CHECK_BC_USER, BCS_CHECK_STATUS_SKIPPED);
  bcs_check_facts_clear (&facts);
}

static void
test_onprem_no_server (void)
{
  BcsCheckFacts facts;
  g_autoptr(GPtrArray) results = NULL;
  BcsConnectionCheckResult *bc;

  facts_init (&facts, FALSE);
  facts.me = json_object_new ();
  json_object_set_string_member (facts.me, "mail", "demo@sandbox.example");
  results = bcs_check_facts_judge (&facts);
  g_assert_cmpuint (results->len, ==, 6);
  assert_status (results, BCS_CONNECTION_CHECK_SIGNED_IN, BCS_CHECK_STATUS_PASS);
  bc = get (results, BCS_CONNECTION_CHECK_BC_USER);
  g_assert_cmpint (bc->status, ==, BCS_CHECK_STATUS_FAIL);
  assert_contains (bc->message, "No Business Central server");
  assert_contains (bc->hint, "in the setup");
  assert_all_after_skipped (results, BCS_CONNECTION_CHECK_BC_USER, "Business Central must answer first");
  bcs_check_facts_clear (&facts);
}

/* ---- the terminal ---- */

static GPtrArray *
sample_results (void)
{
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_connection_check_result_free);
  const struct { BcsCheckStatus status; const char *hint; } rows[] = {
    { BCS_CHECK_STATUS_PASS, NULL },
    { BCS_CHECK_STATUS_WARNING, "Choose it." },
    { BCS_CHECK_STATUS_FAIL, "Ask the administrator." },
    { BCS_CHECK_STATUS_SKIPPED, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      BcsConnectionCheckResult *result = g_new0 (BcsConnectionCheckResult, 1);

      result->id = (BcsConnectionCheckId) i;
      result->title = g_strdup_printf ("Title %u", i);
      result->status = rows[i].status;
      result->message = g_strdup_printf ("Message %u.", i);
      result->hint = g_strdup (rows[i].hint);
      g_ptr_array_add (results, result);
    }
  return results;
}

static void
test_format (void)
{
  g_autoptr(GPtrArray) results = sample_results ();
  g_autofree char *utf8 = bcs_cli_validate_format (results, TRUE);
  g_autofree char *ascii = NULL;

  g_assert_cmpstr (utf8, ==,
                   "✓ Title 0\n    Message 0.\n"
                   "! Title 1\n    Message 1.\n    → Choose it.\n"
                   "✗ Title 2\n    Message 2.\n    → Ask the administrator.\n"
                   "– Title 3\n    Message 3.\n"
                   "The connection is not ready: 1 check failed.\n");
  g_assert_cmpint (bcs_cli_validate_exit_code (results), ==, 2);

  ascii = bcs_cli_validate_format (results, FALSE);
  for (const char *p = ascii; *p; p++)
    g_assert_cmpuint ((guchar) *p, <, 128);
  assert_contains (ascii, "x Title 2\n");
  assert_contains (ascii, "    -> Ask the administrator.\n");

  /* Without the failure: warnings pass */
  g_ptr_array_remove_index (results, 2);
  g_clear_pointer (&utf8, g_free);
  utf8 = bcs_cli_validate_format (results, TRUE);
  assert_contains (utf8, "The connection is ready, with 1 warning to look at.\n");
  g_assert_cmpint (bcs_cli_validate_exit_code (results), ==, 0);
}

/* A failing test must not leave the sandbox process behind */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts `bcs-sandbox --port 0 --auto-approve` and reads its URL */
static GSubprocess *
start_sandbox_process (char **url)
{
  const char *exe = g_getenv ("BCS_TEST_SANDBOX");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;
  const char *at;

  g_assert_nonnull (exe);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, exe, "--port", "0", "--auto-approve",
                                         "--outlook-contacts", "0", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  at = strstr (line, "http://");
  g_assert_nonnull (at);
  *url = g_strdup (at);
  return process;
}

static int
run_app (const char  *url,
         const char  *profile,
         const char  *command,
         const char  *locale,
         char       **out,
         char       **err)
{
  const char *app = g_getenv ("BCS_TEST_APP");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (app);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", locale, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, app, "--sandbox", url, "--profile", profile,
                                         command, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("%s %s: %s%s", profile, command, *out, *err);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_cli (void)
{
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) sandbox = start_sandbox_process (&url);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autofree char *out3 = NULL, *err3 = NULL;
  g_autofree char *out4 = NULL, *err4 = NULL;
  g_autofree char *out5 = NULL, *err5 = NULL;

  g_assert_cmpint (run_app (url, "checks-cli", "--sign-in", "C.UTF-8", &out, &err), ==, 0);

  g_assert_cmpint (run_app (url, "checks-cli", "--validate", "C.UTF-8", &out2, &err2), ==, 0);
  assert_contains (out2, "✓ Signed in to Microsoft 365\n    Signed in as Demo User (demo@sandbox.example).\n");
  assert_contains (out2, "✓ Business Central user\n");
  /* --sandbox takes the first company, as --sync does */
  assert_contains (out2, "! Business Central company\n    No company is chosen: the first one, "
                         "“CRONUS International Ltd.”, will be used.");
  assert_contains (out2, "✓ Outlook folder\n    Folder “Business Central” does not exist yet");
  assert_contains (out2, "The connection is ready, with 1 warning to look at.\n");
  g_assert_null (strstr (out2, "sbx-"));

  /* Plain ASCII where the terminal is not UTF-8 */
  g_assert_cmpint (run_app (url, "checks-cli", "--validate", "C", &out3, &err3), ==, 0);
  assert_contains (out3, "+ Signed in to Microsoft 365\n");
  assert_contains (out3, "! Business Central company\n");
  g_assert_null (strstr (out3, "✓"));

  /* A profile nobody signed in to */
  g_assert_cmpint (run_app (url, "checks-nobody", "--validate", "C.UTF-8", &out4, &err4), ==, 2);
  assert_contains (out4, "✗ Signed in to Microsoft 365\n");
  assert_contains (out4, "    → Sign in with the Microsoft 365 account of your Business Central user card "
                         "(bc-contact-sync --sign-in).\n");
  assert_contains (out4, "– Business Central user\n    Skipped: sign in first.\n");
  assert_contains (out4, "The connection is not ready: 1 check failed.\n");

  g_assert_cmpint (run_app (url, "checks-cli", "--sign-out", "C.UTF-8", &out5, &err5), ==, 0);

  g_subprocess_send_signal (sandbox, SIGTERM);
  g_subprocess_wait (sandbox, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connection-check/all-pass", test_all_pass);
  g_test_add_func ("/connection-check/not-a-bc-user", test_not_a_bc_user);
  g_test_add_func ("/connection-check/not-signed-in", test_not_signed_in);
  g_test_add_func ("/connection-check/company-missing", test_company_missing);
  g_test_add_func ("/connection-check/company-not-chosen", test_company_not_chosen);
  g_test_add_func ("/connection-check/environment-missing", test_environment_missing);
  g_test_add_func ("/connection-check/folder-missing", test_folder_missing);
  g_test_add_func ("/connection-check/mailbox-mismatch", test_mailbox_mismatch);
  g_test_add_func ("/connection-check/users-unreadable", test_users_unreadable);
  g_test_add_func ("/connection-check/bc-unavailable-retried", test_bc_unavailable_retried);
  g_test_add_func ("/connection-check/me-malformed", test_me_malformed);
  g_test_add_func ("/connection-check/mailbox-unreadable", test_mailbox_unreadable);
  g_test_add_func ("/connection-check/cancel", test_cancel);
  g_test_add_func ("/connection-check/onprem/good", test_onprem_good);
  g_test_add_func ("/connection-check/onprem/bad-key", test_onprem_bad_key);
  g_test_add_func ("/connection-check/judge/me-without-address", test_me_without_address);
  g_test_add_func ("/connection-check/judge/onprem-no-server", test_onprem_no_server);
  g_test_add_func ("/connection-check/cli/format", test_format);
  g_test_add_func ("/connection-check/cli/validate", test_cli);

  return g_test_run ();
}
