/* test-window-sync.c — the main window's sync, driven like a user against the
 * in-process sandbox (under Xvfb), and its state functions without a display
 *
 * With BCS_SCREENSHOT_PAGE=overview|running|results set, it runs no tests: it
 * shows the window on that page after a real sync against the in-process
 * sandbox, until it is killed (build-aux/screenshot-sync.sh). */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bcs-application.h"
#include "bcs-error.h"
#include "bcs-renderer.h"
#include "bcs-result-object.h"
#include "bcs-results-model.h"
#include "bcs-window-private.h"
#include "sync-test-support.h"
#include "window-test-support.h"

/* ---- state functions ---- */

static void
test_run_notice (void)
{
  g_autoptr (BcsSyncReport) report = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);
  g_autoptr (GError) auth = g_error_new_literal (BCS_ERROR, BCS_ERROR_AUTH_REQUIRED, "Sign in again.");
  g_autoptr (GError) brake = g_error_new_literal (BCS_ERROR, BCS_ERROR_BRAKE, "Braked.");
  g_autoptr (GError) cancelled = g_error_new_literal (BCS_ERROR, BCS_ERROR_CANCELLED, "Cancelled.");
  g_autoptr (GError) offline = g_error_new_literal (BCS_ERROR, BCS_ERROR_UNAVAILABLE, "Business Central is down.");
  char *message = NULL;

  g_assert_cmpint (bcs_window_run_notice (NULL, auth, &message), ==, BCS_RUN_NOTICE_SIGN_IN);
  g_assert_cmpstr (message, ==, "Sign in again.");
  g_clear_pointer (&message, g_free);

  report->outcome = BCS_SYNC_RUN_BRAKED;
  report->counts.outlook_deleted = 30;
  g_assert_cmpint (bcs_window_run_notice (report, brake, &message), ==, BCS_RUN_NOTICE_BRAKE);
  g_assert_cmpstr (message, ==, "Remove 30 contacts from Outlook?");
  g_clear_pointer (&message, g_free);
  report->counts.outlook_deleted = 1;
  g_assert_cmpint (bcs_window_run_notice (report, brake, &message), ==, BCS_RUN_NOTICE_BRAKE);
  g_assert_cmpstr (message, ==, "Remove 1 contact from Outlook?");
  g_clear_pointer (&message, g_free);

  report->outcome = BCS_SYNC_RUN_CANCELLED;
  g_assert_cmpint (bcs_window_run_notice (report, cancelled, &message), ==, BCS_RUN_NOTICE_CANCELLED);
  g_clear_pointer (&message, g_free);

  g_assert_cmpint (bcs_window_run_notice (NULL, offline, &message), ==, BCS_RUN_NOTICE_FAILED);
  g_assert_cmpstr (message, ==, "Business Central is down.");
  g_clear_pointer (&message, g_free);

  report->outcome = BCS_SYNC_RUN_PARTIAL;
  report->counts.failed = 3;
  g_assert_cmpint (bcs_window_run_notice (report, NULL, &message), ==, BCS_RUN_NOTICE_FAILED);
  g_assert_cmpstr (message, ==, "3 contacts could not be synced");
  g_clear_pointer (&message, g_free);

  report->outcome = BCS_SYNC_RUN_OK;
  g_assert_cmpint (bcs_window_run_notice (report, NULL, &message), ==, BCS_RUN_NOTICE_NONE);
  g_clear_pointer (&message, g_free);

  g_assert_cmpint (bcs_window_run_notice (NULL, NULL, &message), ==, BCS_RUN_NOTICE_FAILED);
  g_clear_pointer (&message, g_free);
}

static void
test_profile_configured (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsProfile) profile = bcs_profile_new ("window-sync-configured", NULL, &error);
  g_autoptr (BcsProfile) sandbox = bcs_profile_new ("window-sync-sandbox", "http://127.0.0.1:1", &error);
  GSettings *settings;

  g_assert_no_error (error);
  settings = bcs_profile_get_settings (profile);

  g_assert_false (bcs_window_profile_is_configured (NULL));
  g_assert_false (bcs_window_profile_is_configured (profile));
  g_settings_set_string (settings, "account", "anna@contoso.example");
  g_assert_false (bcs_window_profile_is_configured (profile));
  g_settings_set_string (settings, "company-id", "5f9b3c1e-0000-4000-8000-000000000001");
  g_assert_true (bcs_window_profile_is_configured (profile));
  g_settings_reset (settings, "account");
  g_settings_reset (settings, "company-id");

  /* the sandbox is signed in to as the real services; it needs no company */
  g_assert_false (bcs_window_profile_is_configured (sandbox));
  g_settings_set_string (bcs_profile_get_settings (sandbox), "account", "demo@sandbox.example");
  g_assert_true (bcs_window_profile_is_configured (sandbox));
  g_settings_reset (bcs_profile_get_settings (sandbox), "account");
}

static void
test_progress_state (void)
{
  BcsSyncProgress progress = { BCS_SYNC_PHASE_WRITING, 40, 120, 0.0, BCS_SERVICE_GRAPH };
  BcsProgressState state = { 0 };

  bcs_progress_state_compute (&progress, &state);
  g_assert_cmpstr (state.status, ==, "Writing: 40 of 120 contacts");
  g_assert_cmpfloat_with_epsilon (state.fraction, 1.0 / 3.0, 1e-9);
  g_assert_false (state.pulse);
  g_assert_false (state.waiting);
  bcs_progress_state_clear (&state);

  progress = (BcsSyncProgress) { BCS_SYNC_PHASE_WAITING, 0, 0, 5.0, BCS_SERVICE_GRAPH };
  bcs_progress_state_compute (&progress, &state);
  g_assert_cmpstr (state.status, ==, "Microsoft 365 asked us to wait — resuming in 5 s");
  g_assert_true (state.waiting);
  g_assert_false (state.pulse);
  bcs_progress_state_clear (&state);

  progress = (BcsSyncProgress) { BCS_SYNC_PHASE_READING_BC, 0, 0, 0.0, BCS_SERVICE_BC };
  bcs_progress_state_compute (&progress, &state);
  g_assert_true (state.pulse);
  g_assert_nonnull (state.status);
  bcs_progress_state_clear (&state);
  g_assert_null (state.status);
}

static void
test_last_run_text (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (BcsSyncReport) report = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);
  g_autofree char *never = bcs_overview_describe_last_run (NULL, now);
  g_autofree char *ok = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *old = NULL;

  g_assert_cmpstr (never, ==, "Never synced");

  report->outcome = BCS_SYNC_RUN_OK;
  report->started_at = g_date_time_to_unix (now) - 5;
  report->finished_at = g_date_time_to_unix (now);
  report->counts.outlook_created = 2;
  report->counts.bc_updated = 1;
  ok = bcs_overview_describe_last_run (report, now);
  g_assert_true (g_str_has_prefix (ok, "Today at "));
  g_assert_true (g_str_has_suffix (ok, "finished: 3 changes"));

  report->outcome = BCS_SYNC_RUN_PARTIAL;
  report->counts.failed = 1;
  partial = bcs_overview_describe_last_run (report, now);
  g_assert_true (g_str_has_suffix (partial, "finished, but 1 contact failed"));

  report->finished_at -= 400 * 24 * 3600;
  old = bcs_overview_describe_last_run (report, now);
  g_assert_false (g_str_has_prefix (old, "Today"));
}

/* ---- the window against the sandbox ---- */

typedef struct {
  SyncFixture *fixture;
  BcsApplication *app;
  BcsWindow *window;
  void (*func) (SyncFixture *fixture, BcsWindow *window);
  gboolean ran;
} WindowTest;

static gboolean
too_long_cb (gpointer user_data)
{
  g_error ("the window test did not end");
  return G_SOURCE_REMOVE;
}

static void
iterate_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
run_body_cb (gpointer user_data)
{
  WindowTest *test = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (test->app));
  g_autoptr (BcsSyncService) service = NULL;

  g_assert_true (BCS_IS_WINDOW (window));
  test->window = g_object_ref (BCS_WINDOW (window));

  /* --sandbox made the window's own service; this one keeps its tokens in
   * memory and its store in the fixture's folder, signed in as the demo user */
  g_assert_nonnull (bcs_window_get_sync_service (test->window));
  g_settings_set_string (bcs_profile_get_settings (test->fixture->profile), "account", "demo@sandbox.example");
  service = bcs_sync_service_new (test->fixture->profile);
  bcs_sync_service_set_store_path (service, test->fixture->store_path);
  bcs_sync_service_set_provider_func (service, sync_test_provider, NULL, NULL);
  bcs_sync_service_set_backoff (service, 0.01, 0.05);
  bcs_sync_service_set_default_company (service, TRUE);
  bcs_window_set_sync_service (test->window, service);
  iterate_main_context ();

  test->func (test->fixture, test->window);
  test->ran = TRUE;
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
activated_cb (GApplication *app,
              WindowTest   *test)
{
  g_idle_add (run_body_cb, test);
}

static void
run_window_test (guint  bc_contacts,
                 void (*func) (SyncFixture *fixture, BcsWindow *window))
{
  WindowTest test = { sync_fixture_new (bc_contacts, 0, 7), bcs_application_new (), NULL, func, FALSE };
  char *argv[] = { (char *) "test-window-sync", (char *) "--sandbox",
                   (char *) bcs_sandbox_get_url (test.fixture->sandbox), NULL };
  guint guard;

  g_application_set_flags (G_APPLICATION (test.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (test.app, "activate", G_CALLBACK (activated_cb), &test);
  guard = g_timeout_add_seconds (100, too_long_cb, NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (test.app), 3, argv), ==, 0);
  g_source_remove (guard);

  g_assert_true (test.ran);
  g_assert_finalize_object (test.window);
  g_assert_finalize_object (test.app);
  sync_fixture_free (test.fixture);
}

/* Clicks ACTION and waits for the run it starts to end, iterating the main
 * context as the application would */
static void
run_and_wait (BcsWindow  *window,
              const char *action)
{
  BcsSyncService *service = bcs_window_get_sync_service (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  g_assert_true (bcs_sync_service_is_running (service));
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_PROGRESS);
  while (bcs_sync_service_is_running (service))
    g_main_context_iteration (NULL, TRUE);
  iterate_main_context ();
}

static char *
row_string (GListModel *model,
            guint       position,
            const char *property)
{
  g_autoptr (GObject) row = g_list_model_get_item (model, position);
  char *value = NULL;

  g_object_get (row, property, &value, NULL);
  return value;
}

/* Until the rows show the filter and sort asked for last (their keys are
 * computed in a worker; the model never waits for them) */
static void
wait_rows_settled (GListModel *rows)
{
  while (bcs_results_model_is_pending (BCS_RESULTS_MODEL (rows)))
    g_main_context_iteration (NULL, TRUE);
}

static guint
count_rows_with (GListModel *model,
                 const char *property,
                 const char *value)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autofree char *text = row_string (model, i, property);
      n += g_strcmp0 (text, value) == 0;
    }
  return n;
}

static gboolean
has_accel (GStrv           accels,
           guint           key,
           GdkModifierType mods)
{
  for (guint i = 0; accels != NULL && accels[i] != NULL; i++)
    {
      guint parsed_key = 0;
      GdkModifierType parsed_mods = 0;

      if (gtk_accelerator_parse (accels[i], &parsed_key, &parsed_mods)
          && parsed_key == key && parsed_mods == mods)
        return TRUE;
    }
  return FALSE;
}

static void
window_sync (SyncFixture *fixture,
             BcsWindow   *window)
{
  BcsResultsView *view = window_test_results_view (window);
  GListModel *rows = bcs_results_view_get_model (view);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (app, "win.sync");
  g_auto (GStrv) full_accels = gtk_application_get_accels_for_action (app, "win.full-sync");
  g_autoptr (GPtrArray) outlook = NULL;
  const BcsSyncReport *report;
  guint n;

  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_OVERVIEW);
  g_assert_true (has_accel (accels, GDK_KEY_r, GDK_CONTROL_MASK));
  g_assert_true (has_accel (full_accels, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK));

  run_and_wait (window, "win.sync");

  /* every contact's result */
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_RESULTS);
  report = bcs_results_view_get_report (view);
  g_assert_nonnull (report);
  g_assert_cmpint (report->outcome, ==, BCS_SYNC_RUN_OK);
  g_assert_false (report->dry_run);
  n = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n, ==, report->results->len);
  g_assert_cmpuint (report->counts.outlook_created, >, 10);
  g_assert_cmpuint (count_rows_with (rows, "action", "Create"), ==, report->counts.outlook_created);
  g_assert_cmpuint (count_rows_with (rows, "direction", "To Outlook"), >=, report->counts.outlook_created);

  /* what the rows say happened, happened */
  outlook = sync_fixture_outlook_contacts (fixture);
  g_assert_cmpuint (outlook->len, ==, report->counts.outlook_created);
  g_assert_cmpuint (sync_fixture_check_invariants (fixture), ==, report->counts.outlook_created);

  /* filter by outcome: the counts are those of the rows */
  bcs_results_view_set_show (view, BCS_RESULTS_SHOW_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, report->counts.failed);
  bcs_results_view_set_show (view, BCS_RESULTS_SHOW_OK);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, count_rows_with (rows, "outcome", "Done"));
  bcs_results_view_set_show (view, BCS_RESULTS_SHOW_ALL);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n);

  /* search (Ctrl+F's entry) narrows to the contact */
  {
    g_autofree char *name = row_string (rows, 3, "name");
    g_autofree char *email = row_string (rows, 3, "email");

    bcs_results_view_set_search (view, email);
    wait_rows_settled (rows);
    g_assert_cmpuint (g_list_model_get_n_items (rows), >=, 1);
    for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
      {
        g_autofree char *found = row_string (rows, i, "email");
        g_assert_nonnull (strstr (found, email));
      }
    bcs_results_view_set_search (view, name);
    wait_rows_settled (rows);
    g_assert_cmpuint (g_list_model_get_n_items (rows), >=, 1);
    bcs_results_view_set_search (view, "");
    wait_rows_settled (rows);
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n);
  }

  /* the overview says when and how it went */
  {
    BcsOverview *overview = BCS_OVERVIEW (gtk_widget_get_template_child (GTK_WIDGET (window), BCS_TYPE_WINDOW,
                                                                         "overview"));
    g_autofree char *expected = g_strdup_printf ("finished: %u changes", report->counts.outlook_created);

    g_assert_true (g_str_has_suffix (bcs_overview_get_last_run_text (overview), expected));
  }

  /* a second sync has nothing to do */
  run_and_wait (window, "win.sync");
  report = bcs_results_view_get_report (view);
  g_assert_cmpint (report->outcome, ==, BCS_SYNC_RUN_OK);
  g_assert_cmpuint (report->results->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
}

static void
test_window_sync (void)
{
  run_window_test (30, window_sync);
}

typedef struct {
  GtkWidget *column_view;
  GArray *added;              /* rows each change of the shown rows added */
  gboolean added_unmapped;    /* rows were shown before the column view was */
} RevealLog;

static void
on_shown_rows_changed (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       RevealLog  *log)
{
  if (added == 0)
    return;
  g_array_append_val (log->added, added);
  if (!gtk_widget_get_mapped (log->column_view))
    log->added_unmapped = TRUE;
}

/* Until every row of the results is shown */
static void
wait_all_shown (GListModel *rows,
                GListModel *shown)
{
  for (guint guard = 0; guard < 5000 && g_list_model_get_n_items (shown) < g_list_model_get_n_items (rows); guard++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, g_list_model_get_n_items (rows));
}

/* N rows were shown 5 a frame, each while the column view was shown */
static void
assert_revealed_in_fives (RevealLog *log,
                          guint      n)
{
  g_assert_false (log->added_unmapped);
  g_assert_cmpuint (log->added->len, ==, (n + 4) / 5);
  for (guint i = 0; i < log->added->len; i++)
    g_assert_cmpuint (g_array_index (log->added, guint, i), ==, MIN (5, n - 5 * i));
  g_array_set_size (log->added, 0);
}

static BcsSyncReport *
report_of (guint n)
{
  BcsSyncReport *report = bcs_sync_report_new (BCS_SYNC_MODE_FULL, FALSE);

  for (guint i = 0; i < n; i++)
    {
      BcsSyncResult *result = bcs_sync_result_new ();

      result->name = g_strdup_printf ("Contact %u", i);
      result->email = g_strdup_printf ("contact.%u@contoso.example", i);
      result->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
      result->action = BCS_SYNC_RESULT_CREATE;
      result->outcome = BCS_SYNC_OUTCOME_OK;
      bcs_sync_report_add_result (report, result);
    }
  report->outcome = bcs_sync_report_compute_outcome (report);
  return report;
}

/* The results of a run arrive while the progress page shows: their rows
 * are made only once the results page is drawn, a few per frame; so are
 * results that arrive while the page is hidden after it was shown */
static void
window_reveal (SyncFixture *fixture,
               BcsWindow   *window)
{
  BcsResultsView *view = window_test_results_view (window);
  GListModel *rows = bcs_results_view_get_model (view);
  GtkColumnView *column_view = window_test_find_column_view (GTK_WIDGET (view));
  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (column_view));
  RevealLog log = { GTK_WIDGET (column_view), g_array_new (FALSE, FALSE, sizeof (guint)), FALSE };
  g_autoptr (BcsSyncReport) later = report_of (33);
  gulong handler;

  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  /* every row shown is logged, from the start */
  handler = g_signal_connect (shown, "items-changed", G_CALLBACK (on_shown_rows_changed), &log);

  run_and_wait (window, "win.full-sync");
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_RESULTS);
  wait_all_shown (rows, shown);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 60);
  assert_revealed_in_fives (&log, 60);

  /* hidden behind the overview: new results wait, however long */
  bcs_window_show_page (window, BCS_WINDOW_PAGE_OVERVIEW);
  iterate_main_context ();
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (column_view)));
  bcs_results_view_set_report (view, later);
  for (guint i = 0; i < 10; i++)
    {
      iterate_main_context ();
      g_usleep (20 * 1000);
    }
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);

  bcs_window_show_page (window, BCS_WINDOW_PAGE_RESULTS);
  wait_all_shown (rows, shown);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 33);
  assert_revealed_in_fives (&log, 33);
  g_signal_handler_disconnect (shown, handler);
  g_array_unref (log.added);
}

static void
test_window_reveal (void)
{
  run_window_test (60, window_reveal);
}

/* The application's windows are drawn with cairo on a software GL (GTK
 * 4.8 would take llvmpipe), with GTK's own choice otherwise */
static void
window_renderer (SyncFixture *fixture,
                 BcsWindow   *window)
{
  g_autofree char *gl_renderer = NULL;
  const char *renderer;

  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  gl_renderer = bcs_renderer_probe_gl (gtk_widget_get_display (GTK_WIDGET (window)));
  renderer = G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window)));
  g_test_message ("GL_RENDERER: %s; window drawn by %s", gl_renderer != NULL ? gl_renderer : "(no GL)", renderer);
  if (g_getenv ("GSK_RENDERER") != NULL)
    g_test_skip ("GSK_RENDERER chooses the renderer");
  else if (gl_renderer == NULL || bcs_renderer_is_software_gl (gl_renderer))
    g_assert_cmpstr (renderer, ==, "GskCairoRenderer");
  else
    g_assert_cmpstr (renderer, !=, "GskCairoRenderer");
}

static void
test_window_renderer (void)
{
  run_window_test (1, window_renderer);
}

static void
window_sort (SyncFixture *fixture,
             BcsWindow   *window)
{
  BcsResultsView *view = window_test_results_view (window);
  GListModel *rows = bcs_results_view_get_model (view);
  GtkColumnView *column_view = window_test_find_column_view (GTK_WIDGET (view));
  GListModel *columns;

  run_and_wait (window, "win.full-sync");
  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 2);
  g_assert_nonnull (column_view);
  columns = gtk_column_view_get_columns (column_view);
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 6);

  for (int order = 0; order < 2; order++)
    {
      g_autoptr (GtkColumnViewColumn) name_column = g_list_model_get_item (columns, 0);

      gtk_column_view_sort_by_column (column_view, name_column,
                                      order == 0 ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
      wait_rows_settled (rows);
      for (guint i = 1; i < g_list_model_get_n_items (rows); i++)
        {
          g_autofree char *a = row_string (rows, i - 1, "name");
          g_autofree char *b = row_string (rows, i, "name");
          g_autofree char *ka = g_utf8_casefold (a, -1);
          g_autofree char *kb = g_utf8_casefold (b, -1);
          int cmp = g_utf8_collate (ka, kb);

          if (order == 0)
            g_assert_cmpint (cmp, <=, 0);
          else
            g_assert_cmpint (cmp, >=, 0);
        }
    }
}

static void
test_window_sort (void)
{
  run_window_test (20, window_sort);
}

static void
window_preview_apply (SyncFixture *fixture,
                      BcsWindow   *window)
{
  BcsResultsView *view = window_test_results_view (window);
  GListModel *rows = bcs_results_view_get_model (view);
  g_autoptr (GPtrArray) outlook = NULL;
  const BcsSyncReport *report;
  guint planned;

  run_and_wait (window, "win.preview");
  report = bcs_results_view_get_report (view);
  g_assert_true (report->dry_run);
  /* every row is a planned change or a contact that would be skipped */
  planned = count_rows_with (rows, "outcome", "Planned");
  g_assert_cmpuint (planned, >, 5);
  g_assert_cmpuint (planned + count_rows_with (rows, "outcome", "Skipped"), ==,
                    g_list_model_get_n_items (rows));
  g_assert_cmpuint (planned, ==, report->counts.outlook_created);
  /* the plan is grouped by action */
  for (guint i = 1; i < g_list_model_get_n_items (rows); i++)
    {
      g_autofree char *a = row_string (rows, i - 1, "action");
      g_autofree char *b = row_string (rows, i, "action");

      g_assert_cmpint (g_utf8_collate (a, b), <=, 0);
    }
  /* nothing was written */
  outlook = sync_fixture_outlook_contacts (fixture);
  g_assert_cmpuint (outlook->len, ==, 0);
  g_clear_pointer (&outlook, g_ptr_array_unref);

  /* Apply runs the sync for real */
  run_and_wait (window, "win.apply-preview");
  report = bcs_results_view_get_report (view);
  g_assert_false (report->dry_run);
  g_assert_cmpuint (count_rows_with (rows, "outcome", "Done"), ==, planned);
  outlook = sync_fixture_outlook_contacts (fixture);
  g_assert_cmpuint (outlook->len, ==, report->counts.outlook_created);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.apply-preview", NULL) &&
                  bcs_sync_service_is_running (bcs_window_get_sync_service (window)));
}

static void
test_window_preview_apply (void)
{
  run_window_test (15, window_preview_apply);
}

static GtkWindow *
find_toplevel (GType      type,
               GtkWindow *except)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window != except && G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

/* Deleting most contacts in Business Central stops at the brake; the
 * dialog's Remove runs again with the mass delete allowed */
static void
window_brake (SyncFixture *fixture,
              BcsWindow   *window)
{
  BcsResultsView *view = window_test_results_view (window);
  GListModel *rows = bcs_results_view_get_model (view);
  const BcsSyncReport *report;
  AdwMessageDialog *dialog;
  g_autoptr (GPtrArray) outlook = NULL;
  guint synced, deleted = 0;

  run_and_wait (window, "win.sync");
  report = bcs_results_view_get_report (view);
  synced = report->counts.outlook_created;
  g_assert_cmpuint (synced, >=, 35);

  for (guint i = 0; i < report->results->len && deleted < 30; i++)
    {
      const BcsSyncResult *result = g_ptr_array_index (report->results, i);
      g_autofree char *path = g_strdup_printf ("/_sandbox/bc/contacts/%s", result->bc_id);
      g_autoptr (JsonNode) reply = sync_fixture_request (fixture, "DELETE", path, NULL, 204);

      deleted++;
    }

  run_and_wait (window, "win.sync");
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_OVERVIEW);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (window)));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove 30 contacts from Outlook?");
  /* nothing was removed yet */
  outlook = sync_fixture_outlook_contacts (fixture);
  g_assert_cmpuint (outlook->len, ==, synced);
  g_clear_pointer (&outlook, g_ptr_array_unref);

  adw_message_dialog_response (dialog, "remove");
  g_assert_true (bcs_sync_service_is_running (bcs_window_get_sync_service (window)));
  while (bcs_sync_service_is_running (bcs_window_get_sync_service (window)))
    g_main_context_iteration (NULL, TRUE);
  iterate_main_context ();

  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_RESULTS);
  report = bcs_results_view_get_report (view);
  g_assert_cmpuint (report->counts.outlook_deleted, ==, 30);
  g_assert_cmpuint (count_rows_with (rows, "action", "Delete"), ==, 30);
  outlook = sync_fixture_outlook_contacts (fixture);
  g_assert_cmpuint (outlook->len, ==, synced - 30);
}

static void
test_window_brake (void)
{
  run_window_test (60, window_brake);
}

/* Whether WIDGET or a descendant is a label showing TEXT */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return gtk_widget_get_visible (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;

  return FALSE;
}

static GtkWidget *
template_child (BcsWindow  *window,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), BCS_TYPE_WINDOW, name);

  g_assert_true (GTK_IS_WIDGET (child));
  return GTK_WIDGET (child);
}

static void
add_result (BcsSyncReport  *report,
            const char     *name,
            BcsSyncOutcome  outcome)
{
  BcsSyncResult *result = bcs_sync_result_new ();

  result->name = g_strdup (name);
  result->action = BCS_SYNC_RESULT_CREATE;
  result->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
  result->outcome = outcome;
  if (outcome == BCS_SYNC_OUTCOME_FAILED)
    result->reason = g_strdup ("Outlook refused the contact.");
  bcs_sync_report_add_result (report, result);
}

/* How the window tells the end of a run: the sign-in banner, a toast with
 * View for failures, the banner gone after a run that worked */
static void
window_outcome_notices (SyncFixture *fixture,
                        BcsWindow   *window)
{
  GtkRevealer *banner = GTK_REVEALER (template_child (window, "banner"));
  GtkWidget *overlay = template_child (window, "toast_overlay");
  GtkLabel *banner_label = GTK_LABEL (template_child (window, "banner_label"));
  g_autoptr (GError) expired = g_error_new_literal (BCS_ERROR, BCS_ERROR_AUTH_REQUIRED,
                                                    "Your sign-in has expired. Sign in again.");
  g_autoptr (BcsSyncReport) partial = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);
  g_autoptr (BcsSyncReport) ok = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);
  GtkWidget *sign_in = NULL;

  g_assert_false (gtk_revealer_get_reveal_child (banner));

  bcs_window_show_run_outcome (window, NULL, expired);
  iterate_main_context ();
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  g_assert_cmpstr (gtk_label_get_label (banner_label), ==, "Your sign-in has expired. Sign in again.");
  for (GtkWidget *w = gtk_widget_get_next_sibling (GTK_WIDGET (banner_label)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_BUTTON (w))
      sign_in = w;
  g_assert_nonnull (sign_in);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (sign_in)), ==, "win.setup");
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_OVERVIEW);

  add_result (partial, "Anna Müller", BCS_SYNC_OUTCOME_OK);
  add_result (partial, "Bob Stone", BCS_SYNC_OUTCOME_FAILED);
  partial->outcome = bcs_sync_report_compute_outcome (partial);
  g_assert_cmpint (partial->outcome, ==, BCS_SYNC_RUN_PARTIAL);
  bcs_window_show_run_outcome (window, partial, NULL);
  iterate_main_context ();
  g_assert_true (shows_label (overlay, "1 contact could not be synced"));
  /* the results open on the failure */
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_RESULTS);
  g_assert_cmpuint (g_list_model_get_n_items (bcs_results_view_get_model (window_test_results_view (window))), ==, 1);

  /* View (win.show-results) brings them back from the overview */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-overview", NULL));
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_OVERVIEW);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-results", NULL));
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_RESULTS);

  /* the details of the failed row: what failed and what to do */
  {
    AdwMessageDialog *details;
    g_autofree char *body = NULL;

    bcs_results_view_show_details (window_test_results_view (window), 0);
    iterate_main_context ();
    details = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, GTK_WINDOW (window)));
    g_assert_nonnull (details);
    g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (details)) == GTK_WINDOW (window));
    g_assert_cmpstr (adw_message_dialog_get_heading (details), ==, "Bob Stone");
    body = g_strdup (adw_message_dialog_get_body (details));
    g_assert_nonnull (strstr (body, "Reason: Outlook refused the contact."));
    g_assert_nonnull (strstr (body, "What to do:"));
    gtk_window_destroy (GTK_WINDOW (details));
    iterate_main_context ();
  }

  /* Ctrl+F: the results with the focus in their search entry */
  {
    GtkWidget *focus;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-overview", NULL));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
    g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_RESULTS);
    focus = gtk_root_get_focus (GTK_ROOT (window));
    g_assert_nonnull (focus);
    g_assert_true (GTK_IS_SEARCH_ENTRY (focus) || GTK_IS_SEARCH_ENTRY (gtk_widget_get_parent (focus)));
  }

  ok->outcome = BCS_SYNC_RUN_OK;
  bcs_window_show_run_outcome (window, ok, NULL);
  iterate_main_context ();
  g_assert_false (gtk_revealer_get_reveal_child (banner));
}

static void
test_window_outcome_notices (void)
{
  run_window_test (3, window_outcome_notices);
}

/* ---- screenshots ---- */

static const char *screenshot_page;

/* Tells build-aux/screenshot-sync.sh that the page is ready */
static void
screenshot_ready (void)
{
  const char *path = g_getenv ("BCS_SCREENSHOT_READY");

  if (path != NULL)
    g_assert_true (g_file_set_contents (path, "ready\n", -1, NULL));
}

static void
screenshot_progress_cb (BcsSyncService        *service,
                        const BcsSyncProgress *progress,
                        gpointer               user_data)
{
  if (progress->phase == BCS_SYNC_PHASE_WAITING)
    screenshot_ready ();
}

static gboolean
screenshot_body_cb (gpointer user_data)
{
  WindowTest *test = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (test->app));
  g_autoptr (BcsSyncService) service = bcs_sync_service_new (test->fixture->profile);

  test->window = g_object_ref (BCS_WINDOW (window));
  bcs_sync_service_set_store_path (service, test->fixture->store_path);
  bcs_sync_service_set_provider_func (service, sync_test_provider, NULL, NULL);
  bcs_sync_service_set_default_company (service, TRUE);
  bcs_window_set_sync_service (test->window, service);
  g_settings_set_string (bcs_profile_get_settings (test->fixture->profile), "account", "demo@sandbox.example");
  g_settings_set_string (bcs_profile_get_settings (test->fixture->profile), "company-name", "CRONUS International Ltd.");
  iterate_main_context ();

  if (g_str_equal (screenshot_page, "running"))
    {
      /* Microsoft 365 throttles the first contacts request: the run waits,
       * counting down, when the shot is taken */
      g_autoptr (JsonNode) rules =
        sync_fixture_request (test->fixture, "POST", "/_sandbox/faults",
                              "{\"rules\": [{\"service\": \"graph\", \"path\": \"/contacts\", "
                              "\"kind\": \"status\", \"status\": 429, \"retry_after\": \"50\", "
                              "\"count\": 1}]}", 200);

      g_signal_connect (service, "progress", G_CALLBACK (screenshot_progress_cb), NULL);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.full-sync", NULL));
      return G_SOURCE_REMOVE;
    }
  run_and_wait (test->window, "win.sync");
  if (g_str_equal (screenshot_page, "overview"))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-overview", NULL);
  screenshot_ready ();
  return G_SOURCE_REMOVE;
}

static void
screenshot_activated_cb (GApplication *app,
                         WindowTest   *test)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  gtk_window_set_default_size (window, 960, 640);
  g_idle_add (screenshot_body_cb, test);
}

static int
show_for_screenshot (void)
{
  gboolean running = g_str_equal (screenshot_page, "running");
  WindowTest test = { sync_fixture_new (240, running ? 40 : 0, 11),
                      bcs_application_new (), NULL, NULL, FALSE };
  char *argv[] = { (char *) "test-window-sync", (char *) "--sandbox",
                   (char *) bcs_sandbox_get_url (test.fixture->sandbox), NULL };

  g_application_set_flags (G_APPLICATION (test.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (test.app, "activate", G_CALLBACK (screenshot_activated_cb), &test);
  return g_application_run (G_APPLICATION (test.app), 3, argv);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = g_dir_make_tmp ("bcs-window-sync-XXXXXX", NULL);
  int status;

  /* the window's own service must not touch the real state folder */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  screenshot_page = g_getenv ("BCS_SCREENSHOT_PAGE");
  if (screenshot_page != NULL)
    return show_for_screenshot ();

  g_test_add_func ("/window-sync/run-notice", test_run_notice);
  g_test_add_func ("/window-sync/profile-configured", test_profile_configured);
  g_test_add_func ("/window-sync/progress-state", test_progress_state);
  g_test_add_func ("/window-sync/last-run-text", test_last_run_text);
  g_test_add_func ("/window-sync/sync", test_window_sync);
  g_test_add_func ("/window-sync/sort", test_window_sort);
  g_test_add_func ("/window-sync/reveal", test_window_reveal);
  g_test_add_func ("/window-sync/renderer", test_window_renderer);
  g_test_add_func ("/window-sync/preview-apply", test_window_preview_apply);
  g_test_add_func ("/window-sync/brake", test_window_brake);
  g_test_add_func ("/window-sync/outcome-notices", test_window_outcome_notices);

  status = g_test_run ();
  window_test_remove_tree (state);
  return status;
}
