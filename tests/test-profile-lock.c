/* test-profile-lock.c — renaming and removing a profile hold its run lock
 * from the first change to the last: a sync started meanwhile (the
 * command line's, in another process) is refused as when another sync
 * runs; a failure on the way releases the lock and, for a rename, moves the
 * sign-in back to the old name.
 *
 * The worker is held or made to fail at its steps through the hook of
 * bcs-application-profiles-private.h. Needs an unlocked keyring (D-Bus
 * session, TESTING.md), as test-profiles. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "auth-test-support.h"
#include "bcs-application.h"
#include "bcs-application-profiles.h"
#include "bcs-application-profiles-private.h"
#include "bcs-error.h"
#include "bcs-profile.h"
#include "bcs-sync-store.h"

#define CLI_TIMEOUT_SECONDS 60

/* ---- the hook: where the worker is held or fails ---- */

typedef struct {
  GMutex mutex;
  GCond cond;
  const char * const *pause_at;  /* "STEP DETAIL", in order: the worker waits */
  guint pauses;                  /* at the first step reached of each… */
  guint resumes;                 /* …until resumed */
  const char *fail_at;           /* "STEP DETAIL": fails there, once */
  GString *steps;                /* "STEP DETAIL\n" of every step reached */
} Hook;

static Hook hook;

static gboolean
hook_cb (const char  *step,
         const char  *detail,
         gpointer     user_data,
         GError     **error)
{
  Hook *h = user_data;
  g_autofree char *key = g_strconcat (step, " ", detail, NULL);
  gboolean fail;

  g_mutex_lock (&h->mutex);
  g_string_append_printf (h->steps, "%s\n", key);
  if (h->pause_at != NULL && g_strcmp0 (h->pause_at[h->pauses], key) == 0)
    {
      h->pauses++;
      g_main_context_wakeup (NULL);
      while (h->resumes < h->pauses)
        g_cond_wait (&h->cond, &h->mutex);
    }
  fail = g_strcmp0 (h->fail_at, key) == 0;
  if (fail)
    h->fail_at = NULL;
  g_mutex_unlock (&h->mutex);

  if (fail)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "The test refused “%s”", key);
  return !fail;
}

static void
hook_set_up (const char * const *pause_at,
             const char         *fail_at)
{
  hook.pause_at = pause_at;
  hook.pauses = 0;
  hook.resumes = 0;
  hook.fail_at = fail_at;
  g_string_truncate (hook.steps, 0);
  bcs_application_profiles_set_op_hook (hook_cb, &hook);
}

static void
hook_tear_down (void)
{
  bcs_application_profiles_set_op_hook (NULL, NULL);
  hook.pause_at = NULL;
  hook.fail_at = NULL;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits until the worker is held at its Nth pause (without sleeping: the
 * hook wakes this context) */
static void
wait_paused (guint n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  for (;;)
    {
      gboolean reached;

      g_mutex_lock (&hook.mutex);
      reached = hook.pauses >= n;
      g_mutex_unlock (&hook.mutex);
      if (reached || timed_out)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  if (timed_out)
    g_error ("The rename or removal never reached pause %u; steps:\n%s", n, hook.steps->str);
  g_source_remove (id);
}

static void
resume (void)
{
  g_mutex_lock (&hook.mutex);
  hook.resumes++;
  g_cond_broadcast (&hook.cond);
  g_mutex_unlock (&hook.mutex);
}

static char *
steps_so_far (void)
{
  char *steps;

  g_mutex_lock (&hook.mutex);
  steps = g_strdup (hook.steps->str);
  g_mutex_unlock (&hook.mutex);
  return steps;
}

/* ---- profiles, their sign-in and their store ---- */

static GSettings *
main_settings (void)
{
  return g_settings_new (BASE_ID);
}

static char *
store_path (const char *name)
{
  g_autoptr (BcsProfile) profile = bcs_profile_new (name, NULL, NULL);

  return bcs_profile_dup_store_path (profile);
}

static gboolean
store_file_exists (const char *name,
                   const char *suffix)
{
  g_autofree char *path = store_path (name);
  g_autofree char *file = g_strconcat (path, suffix, NULL);

  return g_file_test (file, G_FILE_TEST_EXISTS);
}

static char *
lookup_token (const char *name,
              gboolean    sandbox,
              const char *kind)
{
  g_autofree char *key = bcs_token_store_dup_key (name, sandbox);
  g_autoptr (BcsTokenStore) store = bcs_token_store_new (key);

  return auth_test_lookup (store, kind);
}

static void
store_token (const char *name,
             gboolean    sandbox,
             const char *kind,
             const char *secret)
{
  g_autofree char *key = bcs_token_store_dup_key (name, sandbox);
  g_autoptr (BcsTokenStore) store = bcs_token_store_new (key);

  auth_test_store (store, kind, secret);
}

static void
assert_token (const char *name,
              gboolean    sandbox,
              const char *kind,
              const char *expected)
{
  g_autofree char *secret = lookup_token (name, sandbox, kind);

  g_assert_cmpstr (secret, ==, expected);
}

static char *
company_of (const char *name)
{
  g_autoptr (BcsProfile) profile = bcs_profile_new (name, NULL, NULL);

  return g_settings_get_string (bcs_profile_get_settings (profile), "company-name");
}

/* Profile NAME listed after "default", set up for COMPANY, signed in (real
 * and against a sandbox), with a store that knows a delta link */
static void
give_profile (const char *name,
              const char *company)
{
  g_autoptr (BcsProfile) profile = bcs_profile_new (name, NULL, NULL);
  g_autoptr (GSettings) settings = main_settings ();
  g_auto (GStrv) listed = g_settings_get_strv (settings, "profiles");
  g_autoptr (GStrvBuilder) with = g_strv_builder_new ();
  g_auto (GStrv) names = NULL;
  g_autofree char *path = bcs_profile_dup_store_path (profile);
  g_autoptr (BcsSyncStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *delta = g_strconcat ("delta-of-", name, NULL);
  g_autofree char *refresh = g_strconcat ("refresh-of-", name, NULL);
  g_autofree char *graph = g_strconcat ("graph-of-", name, NULL);
  g_autofree char *sandbox = g_strconcat ("sandbox-refresh-of-", name, NULL);

  if (!g_strv_contains ((const char * const *) listed, "default"))
    g_strv_builder_add (with, "default");
  g_strv_builder_addv (with, (const char **) listed);
  g_strv_builder_add (with, name);
  names = g_strv_builder_end (with);
  g_settings_set_strv (settings, "profiles", (const char * const *) names);
  g_settings_set_string (bcs_profile_get_settings (profile), "company-name", company);

  store_token (name, FALSE, BCS_TOKEN_KIND_REFRESH, refresh);
  store_token (name, FALSE, BCS_TOKEN_KIND_ACCESS_GRAPH, graph);
  store_token (name, TRUE, BCS_TOKEN_KIND_REFRESH, sandbox);

  store = bcs_sync_store_open_sync (path, name, &error);
  g_assert_no_error (error);
  g_assert_true (bcs_sync_store_set_meta_sync (store, BCS_SYNC_META_DELTA_LINK, delta, &error));
  g_assert_no_error (error);
}

/* Whether NAME is signed in as give_profile() left it */
static void
assert_signed_in (const char *name)
{
  g_autofree char *refresh = g_strconcat ("refresh-of-", name, NULL);
  g_autofree char *graph = g_strconcat ("graph-of-", name, NULL);
  g_autofree char *sandbox = g_strconcat ("sandbox-refresh-of-", name, NULL);

  assert_token (name, FALSE, BCS_TOKEN_KIND_REFRESH, refresh);
  assert_token (name, FALSE, BCS_TOKEN_KIND_ACCESS_GRAPH, graph);
  assert_token (name, TRUE, BCS_TOKEN_KIND_REFRESH, sandbox);
}

static void
assert_signed_out (const char *name)
{
  assert_token (name, FALSE, BCS_TOKEN_KIND_REFRESH, NULL);
  assert_token (name, FALSE, BCS_TOKEN_KIND_ACCESS_GRAPH, NULL);
  assert_token (name, TRUE, BCS_TOKEN_KIND_REFRESH, NULL);
}

/* The delta link in NAME's store (which must exist) */
static char *
delta_link_of (const char *name)
{
  g_autofree char *path = store_path (name);
  g_autoptr (BcsSyncStore) store = NULL;
  g_autoptr (GError) error = NULL;
  char *delta;

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  store = bcs_sync_store_open_sync (path, name, &error);
  g_assert_no_error (error);
  delta = bcs_sync_store_get_meta_sync (store, BCS_SYNC_META_DELTA_LINK, &error);
  g_assert_no_error (error);
  return delta;
}

static void
forget_profile (const char *name)
{
  g_autoptr (BcsProfile) profile = bcs_profile_new (name, NULL, NULL);

  for (guint sandbox = 0; sandbox < 2; sandbox++)
    {
      g_autofree char *key = bcs_token_store_dup_key (name, sandbox);
      g_autoptr (BcsTokenStore) store = bcs_token_store_new (key);

      auth_test_clear (store, NULL);
    }
  bcs_profile_reset_settings (profile);
  g_assert_true (bcs_profile_delete_store (profile, NULL));
}

static void
forget_list (void)
{
  g_autoptr (GSettings) settings = main_settings ();

  g_settings_reset (settings, "profiles");
  g_settings_reset (settings, "last-profile");
}

static gboolean
listed (const char *name)
{
  g_autoptr (GSettings) settings = main_settings ();
  g_auto (GStrv) names = g_settings_get_strv (settings, "profiles");

  return g_strv_contains ((const char * const *) names, name);
}

/* NAME still as give_profile() left it: listed, set up for COMPANY, signed
 * in, its store in place */
static void
assert_as_given (const char *name,
                 const char *company)
{
  g_autofree char *expected = g_strconcat ("delta-of-", name, NULL);
  g_autofree char *delta = delta_link_of (name);
  g_autofree char *set_up = company_of (name);

  g_assert_true (listed (name));
  g_assert_cmpstr (set_up, ==, company);
  assert_signed_in (name);
  g_assert_cmpstr (delta, ==, expected);
}

/* ---- taking the lock as a sync does ---- */

/* The engine's way (bcs_sync_engine_run_sync): the store at the profile's
 * path, then its lock. Returns the locked store, or NULL with ERROR. */
static BcsSyncStore *
lock_as_a_sync (const char  *name,
                GError     **error)
{
  g_autofree char *path = store_path (name);
  g_autoptr (BcsSyncStore) store = bcs_sync_store_open_sync (path, name, error);

  if (store == NULL || !bcs_sync_store_lock_sync (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

static void
assert_lock_taken (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsSyncStore) store = lock_as_a_sync (name, &error);
  g_autofree char *expected = g_strdup_printf ("Another sync of profile “%s” is running (process %d).",
                                               name, (int) getpid ());

  g_assert_null (store);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_BUSY);
  g_assert_true (g_str_has_prefix (error->message, expected));
}

static void
assert_lock_free (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsSyncStore) store = lock_as_a_sync (name, &error);

  g_assert_no_error (error);
  g_assert_true (bcs_sync_store_is_locked (store));
  bcs_sync_store_unlock (store);
}

typedef struct {
  gboolean done;
  char *out;
  char *err;
  GError *error;
} CliRun;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CliRun *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                        &run->error);
  run->done = TRUE;
}

/* `bc-contact-sync --sync --profile NAME` from a terminal, while the worker
 * is held: refused at the lock (before any sign-in or connection) with the
 * message and exit status of another sync running */
static void
assert_cli_refused (const char *name)
{
  const char *app = g_getenv ("BCS_TEST_APP");
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("Another sync of profile “%s” is running (process %d). "
                                               "Wait for it to finish, then try again.",
                                               name, (int) getpid ());
  CliRun run = { 0 };
  gboolean timed_out = FALSE;
  guint id;

  g_assert_nonnull (app);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawn (launcher, &error, app, "--sync", "--profile", name, NULL);
  g_assert_no_error (error);

  id = g_timeout_add_seconds (CLI_TIMEOUT_SECONDS, timeout_cb, &timed_out);
  g_subprocess_communicate_utf8_async (process, "", NULL, communicated_cb, &run);
  while (!run.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_subprocess_force_exit (process);
      g_error ("bc-contact-sync --sync --profile %s did not finish within %d s", name,
               CLI_TIMEOUT_SECONDS);
    }
  g_source_remove (id);

  g_assert_no_error (run.error);
  g_test_message ("--sync --profile %s: stdout: %s\nstderr: %s", name, run.out, run.err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_nonnull (strstr (run.err, expected));
  g_free (run.out);
  g_free (run.err);
}

/* ---- the tests ---- */

/* Renames FROM to TO (TO NULL: removes FROM) and waits for the outcome */
static gboolean
run_op (BcsApplication  *app,
        const char      *from,
        const char      *to,
        GError         **error)
{
  GAsyncResult *result = NULL;
  g_autoptr (GAsyncResult) done = NULL;

  if (to != NULL)
    bcs_application_rename_profile_async (app, from, to, net_test_store_result, &result);
  else
    bcs_application_remove_profile_async (app, from, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  return to != NULL ? bcs_application_rename_profile_finish (app, done, error)
                    : bcs_application_remove_profile_finish (app, done, error);
}

static void
test_rename_holds_lock (void)
{
  /* held half-way through the keyring (the first item under the new name),
   * and once everything is done but the lock is not yet released */
  const char *pauses[] = { "store-token lock-b", "unlocking lock-b", NULL };
  g_autoptr (BcsApplication) app = bcs_application_new ();
  GAsyncResult *result = NULL;
  g_autoptr (GAsyncResult) done = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *delta = NULL;
  g_autofree char *company = NULL;
  g_autofree char *old_company = NULL;

  give_profile ("lock-a", "Company A");
  give_profile ("lock-keep", "Company Keep");
  g_assert_true (bcs_application_set_profile (app, "lock-a", NULL));
  hook_set_up (pauses, NULL);

  bcs_application_rename_profile_async (app, "lock-a", "lock-b", net_test_store_result, &result);
  wait_paused (1);
  g_assert_true (bcs_application_profiles_is_busy (app));
  /* the lock came first, before any change */
  steps = steps_so_far ();
  g_assert_true (g_str_has_prefix (steps, "locked lock-a\n"));
  /* a sync of the profile, under its old name or its new one, is refused
   * by the lock: from the command line (another process) and here */
  assert_cli_refused ("lock-a");
  assert_cli_refused ("lock-b");
  assert_lock_taken ("lock-a");
  assert_lock_taken ("lock-b");
  /* so is another rename or removal meanwhile */
  g_assert_false (run_op (app, "lock-keep", NULL, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (listed ("lock-keep"));

  /* every change done (settings, list), the lock still held */
  resume ();
  wait_paused (2);
  g_assert_true (listed ("lock-b"));
  g_assert_false (listed ("lock-a"));
  company = company_of ("lock-b");
  g_assert_cmpstr (company, ==, "Company A");
  assert_lock_taken ("lock-b");
  g_assert_false (store_file_exists ("lock-a", ""));

  resume ();
  done = net_test_wait_result (&result);
  g_assert_true (bcs_application_rename_profile_finish (app, done, &error));
  g_assert_no_error (error);
  g_assert_false (bcs_application_profiles_is_busy (app));
  g_assert_cmpstr (bcs_application_get_profile (app), ==, "lock-b");

  /* released: a sync of the renamed profile may run */
  assert_lock_free ("lock-b");
  /* the same store under the new name only */
  delta = delta_link_of ("lock-b");
  g_assert_cmpstr (delta, ==, "delta-of-lock-a");
  g_assert_false (store_file_exists ("lock-a", ""));
  g_assert_false (store_file_exists ("lock-a", "-wal"));
  g_assert_false (store_file_exists ("lock-a", "-shm"));
  /* the sign-in and the settings went along */
  assert_token ("lock-b", FALSE, BCS_TOKEN_KIND_REFRESH, "refresh-of-lock-a");
  assert_token ("lock-b", FALSE, BCS_TOKEN_KIND_ACCESS_GRAPH, "graph-of-lock-a");
  assert_token ("lock-b", TRUE, BCS_TOKEN_KIND_REFRESH, "sandbox-refresh-of-lock-a");
  assert_signed_out ("lock-a");
  old_company = company_of ("lock-a");
  g_assert_cmpstr (old_company, ==, "");

  hook_tear_down ();
  forget_profile ("lock-b");
  forget_profile ("lock-keep");
  forget_list ();
}

static void
test_remove_holds_lock (void)
{
  const char *pauses[] = { "clear-tokens lock-r", NULL };
  g_autoptr (BcsApplication) app = bcs_application_new ();
  GAsyncResult *result = NULL;
  g_autoptr (GAsyncResult) done = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *steps = NULL;

  give_profile ("lock-r", "Company R");
  hook_set_up (pauses, NULL);

  bcs_application_remove_profile_async (app, "lock-r", net_test_store_result, &result);
  wait_paused (1);
  steps = steps_so_far ();
  g_assert_true (g_str_has_prefix (steps, "locked lock-r\n"));
  assert_cli_refused ("lock-r");
  assert_lock_taken ("lock-r");

  resume ();
  done = net_test_wait_result (&result);
  g_assert_true (bcs_application_remove_profile_finish (app, done, &error));
  g_assert_no_error (error);
  g_assert_false (bcs_application_profiles_is_busy (app));
  g_clear_pointer (&steps, g_free);
  steps = steps_so_far ();
  g_assert_true (g_str_has_suffix (steps, "unlocking lock-r\n"));

  /* gone, the lock with it */
  g_assert_false (store_file_exists ("lock-r", ""));
  g_assert_false (store_file_exists ("lock-r", "-wal"));
  g_assert_false (listed ("lock-r"));
  assert_signed_out ("lock-r");
  assert_lock_free ("lock-r");   /* (a new, empty store) */

  hook_tear_down ();
  forget_profile ("lock-r");
  forget_list ();
}

/* Another process's sync holds the lock: neither a rename nor a removal
 * starts, and nothing changes */
static void
test_refused_while_syncing (void)
{
  g_autoptr (BcsApplication) app = bcs_application_new ();
  g_autoptr (BcsSyncStore) running = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *steps = NULL;

  give_profile ("lock-s", "Company S");
  running = lock_as_a_sync ("lock-s", &error);
  g_assert_no_error (error);
  hook_set_up (NULL, NULL);

  g_assert_false (run_op (app, "lock-s", "lock-t", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_BUSY);
  g_assert_true (g_str_has_prefix (error->message, "Profile “lock-s” was not renamed: "
                                                   "Another sync of profile “lock-s” is running"));
  g_clear_error (&error);

  g_assert_false (run_op (app, "lock-s", NULL, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_BUSY);
  g_assert_true (g_str_has_prefix (error->message, "Profile “lock-s” was not removed: "
                                                   "Another sync of profile “lock-s” is running"));
  g_assert_false (bcs_application_profiles_is_busy (app));

  /* nothing was touched, and the sync still has its lock */
  steps = steps_so_far ();
  g_assert_cmpstr (steps, ==, "");
  g_assert_true (bcs_sync_store_is_locked (running));
  bcs_sync_store_unlock (running);
  g_clear_object (&running);
  assert_as_given ("lock-s", "Company S");
  assert_signed_out ("lock-t");
  g_assert_false (listed ("lock-t"));
  g_assert_false (store_file_exists ("lock-t", ""));

  hook_tear_down ();
  forget_profile ("lock-s");
  forget_list ();
}

/* The keyring fails half-way through a rename, after the old name's real
 * items were moved and removed: they go back to the old name, the new one
 * keeps nothing, and the lock is released */
static void
test_rename_keyring_failure (void)
{
  g_autoptr (BcsApplication) app = bcs_application_new ();
  g_autofree char *failing = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *new_company = NULL;
  g_autofree char *sandbox_key = bcs_token_store_dup_key ("lock-g", TRUE);

  give_profile ("lock-f", "Company F");
  g_assert_true (bcs_application_set_profile (app, "lock-f", NULL));
  failing = g_strconcat ("store-token ", sandbox_key, NULL);
  hook_set_up (NULL, failing);

  g_assert_false (run_op (app, "lock-f", "lock-g", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_true (g_str_has_prefix (error->message, "The keyring could not be changed: "));
  g_assert_false (bcs_application_profiles_is_busy (app));

  /* it failed after the old name had lost its real sign-in… */
  steps = steps_so_far ();
  g_assert_nonnull (strstr (steps, "store-token lock-g\nstore-token lock-g\nclear-tokens lock-f\n"));
  g_assert_nonnull (strstr (steps, failing));
  /* …which is back, as the rest; the new name has nothing */
  g_assert_null (strstr (steps, "unlocking"));
  assert_as_given ("lock-f", "Company F");
  g_assert_cmpstr (bcs_application_get_profile (app), ==, "lock-f");
  assert_signed_out ("lock-g");
  g_assert_false (listed ("lock-g"));
  new_company = company_of ("lock-g");
  g_assert_cmpstr (new_company, ==, "");
  g_assert_false (store_file_exists ("lock-g", ""));
  g_assert_false (store_file_exists ("lock-g", "-wal"));
  g_assert_false (store_file_exists ("lock-g", "-shm"));
  /* and the lock released */
  assert_lock_free ("lock-f");
  assert_lock_free ("lock-g");   /* (a new, empty store) */

  hook_tear_down ();
  forget_profile ("lock-f");
  forget_profile ("lock-g");
  forget_list ();
}

/* A removal whose keyring step fails releases the lock and keeps the profile */
static void
test_remove_failure (void)
{
  g_autoptr (BcsApplication) app = bcs_application_new ();
  g_autoptr (GError) error = NULL;

  give_profile ("lock-x", "Company X");
  hook_set_up (NULL, "clear-tokens lock-x");

  g_assert_false (run_op (app, "lock-x", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_false (bcs_application_profiles_is_busy (app));

  assert_lock_free ("lock-x");
  assert_as_given ("lock-x", "Company X");

  hook_tear_down ();
  forget_profile ("lock-x");
  forget_list ();
}

/* A failure right after the lock was taken releases it too */
static void
test_failure_after_locking (void)
{
  g_autoptr (BcsApplication) app = bcs_application_new ();
  g_autoptr (GError) error = NULL;

  give_profile ("lock-l", "Company L");
  hook_set_up (NULL, "locked lock-l");

  g_assert_false (run_op (app, "lock-l", "lock-m", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);

  assert_lock_free ("lock-l");
  assert_as_given ("lock-l", "Company L");
  assert_signed_out ("lock-m");
  g_assert_false (store_file_exists ("lock-m", ""));

  hook_tear_down ();
  forget_profile ("lock-l");
  forget_list ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("bcs-profile-lock-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (home, "state", NULL);
  g_autofree char *rm = NULL;
  int status;

  /* the stores go to a folder of this test; the command line finds them there */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("LC_ALL", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_mutex_init (&hook.mutex);
  g_cond_init (&hook.cond);
  hook.steps = g_string_new (NULL);

  g_test_add_func ("/profile-lock/rename-holds-lock", test_rename_holds_lock);
  g_test_add_func ("/profile-lock/remove-holds-lock", test_remove_holds_lock);
  g_test_add_func ("/profile-lock/refused-while-syncing", test_refused_while_syncing);
  g_test_add_func ("/profile-lock/rename-keyring-failure", test_rename_keyring_failure);
  g_test_add_func ("/profile-lock/remove-failure", test_remove_failure);
  g_test_add_func ("/profile-lock/failure-after-locking", test_failure_after_locking);
  status = g_test_run ();

  g_string_free (hook.steps, TRUE);
  g_cond_clear (&hook.cond);
  g_mutex_clear (&hook.mutex);
  rm = g_strdup_printf ("rm -rf '%s'", home);
  if (system (rm) != 0)
    g_printerr ("could not remove %s\n", home);
  return status;
}
