/* test-exchange-sync-setup-state.c — what Exchange Sync. Setup shows, without a display */
#include "config.h"

#include "bcs-exchange-sync-setup-state.h"

#define ON BCS_DEPLOYMENT_ONLINE
#define OP BCS_DEPLOYMENT_ON_PREMISES

/* An online setup signed in with a company chosen, lists loaded */
static BcsExchangeSetupInput
ready_online (void)
{
  BcsExchangeSetupInput input = {
    .auth = BCS_SETUP_AUTH_SIGNED_IN,
    .account = "demo@sandbox.example",
    .registration_filled = TRUE,
    .deployment = ON,
    .environments = BCS_SETUP_LIST_LOADED,
    .companies = BCS_SETUP_LIST_LOADED,
    .environment_chosen = TRUE,
    .company_chosen = TRUE,
  };

  return input;
}

typedef struct {
  const char *what;
  BcsSetupAuth auth;
  gboolean registration_filled;
  const char *account_subtitle;
  gboolean sign_in_visible;
  gboolean sign_in_sensitive;
  gboolean sign_out_visible;
  gboolean waiting_visible;
  gboolean code_visible;
  gboolean validate_sensitive;
  const char *summary;
} AuthRow;

static void
test_auth_table (void)
{
  static const AuthRow rows[] = {
    { "signed out", BCS_SETUP_AUTH_SIGNED_OUT, TRUE, "Not signed in",
      TRUE, TRUE, FALSE, FALSE, FALSE, FALSE, "Sign in with your Microsoft 365 account to begin" },
    { "no client id", BCS_SETUP_AUTH_SIGNED_OUT, FALSE, "Not signed in",
      TRUE, FALSE, FALSE, FALSE, FALSE, FALSE, "Fill in the app registration’s client id, then sign in" },
    { "browser", BCS_SETUP_AUTH_WAITING_BROWSER, TRUE, "Not signed in",
      FALSE, TRUE, FALSE, TRUE, FALSE, FALSE, "Finish signing in in your web browser" },
    { "asking for a code", BCS_SETUP_AUTH_REQUESTING_CODE, TRUE, "Not signed in",
      FALSE, TRUE, FALSE, TRUE, FALSE, FALSE, "Asking Microsoft 365 for a sign-in code…" },
    { "device code", BCS_SETUP_AUTH_WAITING_CODE, TRUE, "Not signed in",
      FALSE, TRUE, FALSE, TRUE, TRUE, FALSE, "Enter the code on the sign-in page, then come back here" },
    { "signed in", BCS_SETUP_AUTH_SIGNED_IN, TRUE, "demo@sandbox.example",
      FALSE, TRUE, TRUE, FALSE, FALSE, TRUE, "Ready: validate the connection" },
    { "signing out", BCS_SETUP_AUTH_SIGNING_OUT, TRUE, "Not signed in",
      FALSE, TRUE, TRUE, FALSE, FALSE, FALSE, "Signing out…" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      BcsExchangeSetupInput input = ready_online ();
      BcsExchangeSetupView view = { 0 };

      g_test_message ("%s", rows[i].what);
      input.auth = rows[i].auth;
      input.registration_filled = rows[i].registration_filled;
      bcs_exchange_setup_compute (&input, &view);

      g_assert_cmpstr (view.account_subtitle, ==, rows[i].account_subtitle);
      g_assert_cmpint (view.sign_in_visible, ==, rows[i].sign_in_visible);
      g_assert_cmpint (view.sign_in_sensitive, ==, rows[i].sign_in_sensitive);
      g_assert_cmpint (view.sign_out_visible, ==, rows[i].sign_out_visible);
      g_assert_cmpint (view.waiting_visible, ==, rows[i].waiting_visible);
      g_assert_cmpint (view.code_visible, ==, rows[i].code_visible);
      g_assert_cmpint (view.validate_sensitive, ==, rows[i].validate_sensitive);
      g_assert_cmpstr (view.summary, ==, rows[i].summary);
      /* Contact Sync. Setup is offered only after checks that passed */
      g_assert_false (view.next_visible);
      bcs_exchange_setup_view_clear (&view);
    }
}

typedef struct {
  const char *what;
  BcsSetupList environments;
  BcsSetupList companies;
  gboolean environment_chosen;
  gboolean company_chosen;
  gboolean sandbox;
  gboolean environment_sensitive;
  gboolean company_sensitive;
  gboolean bc_loading;
  gboolean bc_retry_visible;
  const char *summary;
} OnlineRow;

static void
test_online_table (void)
{
  static const OnlineRow rows[] = {
    { "loading environments", BCS_SETUP_LIST_LOADING, BCS_SETUP_LIST_EMPTY, FALSE, FALSE, FALSE,
      FALSE, FALSE, TRUE, FALSE, "Loading the environments and companies…" },
    { "loading companies", BCS_SETUP_LIST_LOADED, BCS_SETUP_LIST_LOADING, TRUE, FALSE, FALSE,
      TRUE, FALSE, TRUE, FALSE, "Loading the environments and companies…" },
    { "environments failed", BCS_SETUP_LIST_FAILED, BCS_SETUP_LIST_EMPTY, FALSE, FALSE, FALSE,
      FALSE, FALSE, FALSE, TRUE, "Business Central could not be read: see the message above" },
    { "companies failed", BCS_SETUP_LIST_LOADED, BCS_SETUP_LIST_FAILED, TRUE, FALSE, FALSE,
      TRUE, FALSE, FALSE, TRUE, "Business Central could not be read: see the message above" },
    { "no environment", BCS_SETUP_LIST_LOADED, BCS_SETUP_LIST_EMPTY, FALSE, FALSE, FALSE,
      TRUE, FALSE, FALSE, FALSE, "Choose the Business Central environment" },
    { "no company", BCS_SETUP_LIST_LOADED, BCS_SETUP_LIST_LOADED, TRUE, FALSE, FALSE,
      TRUE, TRUE, FALSE, FALSE, "Choose the Business Central company to sync" },
    { "no company, sandbox", BCS_SETUP_LIST_LOADED, BCS_SETUP_LIST_LOADED, TRUE, FALSE, TRUE,
      TRUE, TRUE, FALSE, FALSE, "Choose a company, or validate to use the sandbox’s first one" },
    { "ready", BCS_SETUP_LIST_LOADED, BCS_SETUP_LIST_LOADED, TRUE, TRUE, FALSE,
      TRUE, TRUE, FALSE, FALSE, "Ready: validate the connection" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      BcsExchangeSetupInput input = ready_online ();
      BcsExchangeSetupView view = { 0 };

      g_test_message ("%s", rows[i].what);
      input.environments = rows[i].environments;
      input.companies = rows[i].companies;
      input.environment_chosen = rows[i].environment_chosen;
      input.company_chosen = rows[i].company_chosen;
      input.sandbox = rows[i].sandbox;
      bcs_exchange_setup_compute (&input, &view);

      g_assert_true (view.online_rows_visible);
      g_assert_false (view.onprem_rows_visible);
      g_assert_cmpint (view.deployment_sensitive, ==, !rows[i].sandbox);
      g_assert_cmpint (view.registration_sensitive, ==, !rows[i].sandbox);
      g_assert_cmpint (view.environment_sensitive, ==, rows[i].environment_sensitive);
      g_assert_cmpint (view.company_sensitive, ==, rows[i].company_sensitive);
      g_assert_cmpint (view.bc_loading, ==, rows[i].bc_loading);
      g_assert_cmpint (view.bc_retry_visible, ==, rows[i].bc_retry_visible);
      g_assert_cmpstr (view.summary, ==, rows[i].summary);
      /* the checks say themselves what is missing: Validate is always possible online */
      g_assert_true (view.validate_sensitive);
      bcs_exchange_setup_view_clear (&view);
    }
}

typedef struct {
  gboolean url, user, key;
  gboolean validate_sensitive;
} OnpremRow;

static void
test_onprem_table (void)
{
  static const OnpremRow rows[] = {
    { FALSE, FALSE, FALSE, FALSE },
    { TRUE, FALSE, FALSE, FALSE },
    { TRUE, TRUE, FALSE, FALSE },
    { TRUE, FALSE, TRUE, FALSE },
    { FALSE, TRUE, TRUE, FALSE },
    { TRUE, TRUE, TRUE, TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      BcsExchangeSetupInput input = ready_online ();
      BcsExchangeSetupView view = { 0 };

      input.deployment = OP;
      input.environments = BCS_SETUP_LIST_EMPTY;
      input.environment_chosen = FALSE;
      input.onprem_url_set = rows[i].url;
      input.onprem_user_set = rows[i].user;
      input.onprem_key_saved = rows[i].key;
      bcs_exchange_setup_compute (&input, &view);

      g_assert_false (view.online_rows_visible);
      g_assert_true (view.onprem_rows_visible);
      g_assert_false (view.environment_sensitive);
      g_assert_cmpint (view.validate_sensitive, ==, rows[i].validate_sensitive);
      if (rows[i].validate_sensitive)
        g_assert_cmpstr (view.summary, ==, "Ready: validate the connection");
      else
        g_assert_cmpstr (view.summary, ==,
                         "Fill in the server address, user name and web service access key");
      bcs_exchange_setup_view_clear (&view);
    }
}

typedef struct {
  const char *what;
  BcsSetupChecks checks;
  guint n_checks, n_failed, n_warnings;
  const char *validate_label;
  gboolean validate_sensitive;
  gboolean checks_visible;
  gboolean next_visible;
  gboolean sign_out_sensitive;
  gboolean company_sensitive;
  const char *summary;
} ChecksRow;

static void
test_checks_table (void)
{
  static const ChecksRow rows[] = {
    { "none", BCS_SETUP_CHECKS_NONE, 0, 0, 0, "_Validate Connection", TRUE, FALSE, FALSE, TRUE, TRUE,
      "Ready: validate the connection" },
    { "running", BCS_SETUP_CHECKS_RUNNING, 0, 0, 0, "Validating…", FALSE, TRUE, FALSE, FALSE, FALSE,
      "Checking the connection…" },
    { "all passed", BCS_SETUP_CHECKS_DONE, 7, 0, 0, "_Validate Again", TRUE, TRUE, TRUE, TRUE, TRUE,
      "The connection works. Next, choose which contacts to sync." },
    { "one warning", BCS_SETUP_CHECKS_DONE, 7, 0, 1, "_Validate Again", TRUE, TRUE, TRUE, TRUE, TRUE,
      "The connection works; 1 check needs a look" },
    { "two warnings", BCS_SETUP_CHECKS_DONE, 7, 0, 2, "_Validate Again", TRUE, TRUE, TRUE, TRUE, TRUE,
      "The connection works; 2 checks need a look" },
    { "one failed", BCS_SETUP_CHECKS_DONE, 7, 1, 2, "_Validate Again", TRUE, TRUE, FALSE, TRUE, TRUE,
      "1 check failed: see what to do below" },
    { "three failed", BCS_SETUP_CHECKS_DONE, 7, 3, 0, "_Validate Again", TRUE, TRUE, FALSE, TRUE, TRUE,
      "3 checks failed: see what to do below" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      BcsExchangeSetupInput input = ready_online ();
      BcsExchangeSetupView view = { 0 };

      g_test_message ("%s", rows[i].what);
      input.checks = rows[i].checks;
      input.n_checks = rows[i].n_checks;
      input.n_failed = rows[i].n_failed;
      input.n_warnings = rows[i].n_warnings;
      bcs_exchange_setup_compute (&input, &view);

      g_assert_cmpstr (view.validate_label, ==, rows[i].validate_label);
      g_assert_cmpint (view.validate_sensitive, ==, rows[i].validate_sensitive);
      g_assert_cmpint (view.checks_visible, ==, rows[i].checks_visible);
      g_assert_cmpint (view.next_visible, ==, rows[i].next_visible);
      g_assert_cmpint (view.sign_out_sensitive, ==, rows[i].sign_out_sensitive);
      g_assert_cmpint (view.company_sensitive, ==, rows[i].company_sensitive);
      g_assert_cmpint (view.deployment_sensitive, ==, rows[i].checks != BCS_SETUP_CHECKS_RUNNING);
      g_assert_cmpstr (view.summary, ==, rows[i].summary);
      bcs_exchange_setup_view_clear (&view);
    }
}

/* Checks that passed while signed in do not offer the next step once signed out */
static void
test_next_needs_sign_in (void)
{
  BcsExchangeSetupInput input = ready_online ();
  BcsExchangeSetupView view = { 0 };

  input.checks = BCS_SETUP_CHECKS_DONE;
  input.n_checks = 7;
  input.auth = BCS_SETUP_AUTH_SIGNED_OUT;
  bcs_exchange_setup_compute (&input, &view);
  g_assert_false (view.next_visible);
  g_assert_false (view.validate_sensitive);
  g_assert_false (view.environment_sensitive);
  g_assert_false (view.company_sensitive);

  /* computing again into the same view replaces its strings (no leak, no stale text) */
  input.auth = BCS_SETUP_AUTH_SIGNED_IN;
  bcs_exchange_setup_compute (&input, &view);
  g_assert_true (view.next_visible);
  g_assert_cmpstr (view.account_subtitle, ==, "demo@sandbox.example");
  bcs_exchange_setup_view_clear (&view);
  g_assert_null (view.summary);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/exchange-sync-setup-state/auth", test_auth_table);
  g_test_add_func ("/exchange-sync-setup-state/online", test_online_table);
  g_test_add_func ("/exchange-sync-setup-state/on-premises", test_onprem_table);
  g_test_add_func ("/exchange-sync-setup-state/checks", test_checks_table);
  g_test_add_func ("/exchange-sync-setup-state/next-needs-sign-in", test_next_needs_sign_in);

  return g_test_run ();
}
