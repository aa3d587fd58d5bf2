/* test-history-view.c — the run history and the details dialog, under Xvfb
 *
 * With BCS_SCREENSHOT_PAGE=history|details set, it runs no tests: it shows
 * a window with a filled history (history) or a details dialog with
 * changes over the results (details) until it is killed
 * (build-aux/screenshot-history.sh). */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bcs-error.h"
#include "bcs-result-details.h"
#include "bcs-sync-result-changes.h"
#include "bcs-sync-store.h"
#include "bcs-window-private.h"

/* ---- a store with runs, written as the engine writes them ---- */

typedef struct {
  char *dir;
  char *path;
} TmpStore;

static TmpStore *
tmp_store_new (void)
{
  TmpStore *t = g_new0 (TmpStore, 1);

  t->dir = g_dir_make_tmp ("bcs-history-XXXXXX", NULL);
  g_assert_nonnull (t->dir);
  t->path = g_build_filename (t->dir, "store.db", NULL);
  return t;
}

static void
tmp_store_free (TmpStore *t)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (t->path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (t->dir);
  g_free (t->dir);
  g_free (t->path);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TmpStore, tmp_store_free)

static BcsSyncResult *
result_new (const char          *name,
            BcsSyncResultAction  action,
            BcsSyncOutcome       outcome)
{
  BcsSyncResult *r = bcs_sync_result_new ();

  r->name = g_strdup (name);
  r->email = g_strdup_printf ("%s@example.com", name);
  r->bc_id = g_strdup_printf ("bc-%s", name);
  r->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
  r->action = action;
  r->outcome = outcome;
  return r;
}

/* A run of MODE with N_CREATED creates and one update of the city from
 * "Bonn" to CITY, stored and finished with OUTCOME; returns its id */
static gint64
add_run (const char        *path,
         BcsSyncMode        mode,
         gboolean           dry_run,
         BcsSyncRunOutcome  outcome,
         guint              n_created,
         const char        *city,
         const char        *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsSyncStore) store = bcs_sync_store_open_sync (path, "history", &error);
  g_autoptr (BcsSyncReport) report = bcs_sync_report_new (mode, dry_run);
  g_autoptr (BcsContact) before = bcs_contact_new ();
  g_autoptr (BcsContact) after = bcs_contact_new ();
  BcsSyncOutcome each = dry_run ? BCS_SYNC_OUTCOME_PLANNED : BCS_SYNC_OUTCOME_OK;
  BcsSyncResult *update;

  g_assert_no_error (error);
  g_assert_cmpint (bcs_sync_store_start_run_sync (store, report, &error), >, 0);
  for (guint i = 0; i < n_created; i++)
    {
      g_autofree char *name = g_strdup_printf ("created%u", i);
      bcs_sync_report_add_result (report, result_new (name, BCS_SYNC_RESULT_CREATE, each));
    }
  update = result_new ("Updated", BCS_SYNC_RESULT_UPDATE, each);
  update->fields = BCS_FIELD_MASK (BCS_FIELD_CITY);
  bcs_contact_set_field (before, BCS_FIELD_CITY, "Bonn");
  bcs_contact_set_field (after, BCS_FIELD_CITY, city);
  bcs_sync_result_set_changes (update, before, after, update->fields);
  bcs_sync_report_add_result (report, update);
  report->outcome = outcome;
  report->message = g_strdup (message);
  g_assert_true (bcs_sync_store_add_results_sync (store, report->id, report->results, &error));
  g_assert_true (bcs_sync_store_finish_run_sync (store, report, 50, &error));
  g_assert_no_error (error);
  return report->id;
}

/* ---- waiting for the view's threads ---- */

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
reload_and_wait (BcsHistoryView *view)
{
  guint loaded = 0;
  gulong id = g_signal_connect (view, "runs-loaded", G_CALLBACK (count_cb), &loaded);

  bcs_history_view_reload (view);
  while (loaded == 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (view, id);
  g_assert_false (bcs_history_view_is_loading (view));
}

static void
run_loaded_cb (BcsHistoryView      *view,
               const BcsSyncReport *run,
               BcsSyncReport      **out)
{
  g_assert_null (*out);
  *out = bcs_sync_report_copy (run);
}

static BcsSyncReport *
wait_run_loaded (BcsHistoryView *view)
{
  BcsSyncReport *run = NULL;
  gulong id = g_signal_connect (view, "run-loaded", G_CALLBACK (run_loaded_cb), &run);

  while (run == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (view, id);
  return run;
}

static BcsHistoryView *
history_view_new (void)
{
  BcsHistoryView *view = BCS_HISTORY_VIEW (bcs_history_view_new ());

  g_object_ref_sink (view);
  return view;
}

static const char *
visible_page (BcsHistoryView *view)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (view), BCS_TYPE_HISTORY_VIEW,
                                                              "stack"));

  return gtk_stack_get_visible_child_name (stack);
}

/* ---- the view ---- */

/* newest first, with their modes, outcomes and counts; a run written by
 * another process (a background sync) appears on reload */
static void
test_list (void)
{
  g_autoptr (TmpStore) t = tmp_store_new ();
  BcsHistoryView *view = history_view_new ();
  gint64 first, second, third, background;
  const BcsSyncReport *run;

  first = add_run (t->path, BCS_SYNC_MODE_FULL, FALSE, BCS_SYNC_RUN_OK, 12, "Köln", NULL);
  second = add_run (t->path, BCS_SYNC_MODE_INCREMENTAL, TRUE, BCS_SYNC_RUN_OK, 0, "Kiel", NULL);
  third = add_run (t->path, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_FAILED, 0, "Kiel",
                   "Business Central is not reachable.");

  g_assert_cmpint (bcs_history_view_get_page (view), ==, BCS_HISTORY_PAGE_EMPTY);
  bcs_history_view_set_store (view, t->path, "history");
  g_assert_cmpint (bcs_history_view_get_page (view), ==, BCS_HISTORY_PAGE_LOADING);
  g_assert_cmpstr (visible_page (view), ==, "loading");
  reload_and_wait (view);

  g_assert_cmpint (bcs_history_view_get_page (view), ==, BCS_HISTORY_PAGE_RUNS);
  g_assert_cmpstr (visible_page (view), ==, "runs");
  g_assert_cmpuint (bcs_history_view_get_n_runs (view), ==, 3);
  run = bcs_history_view_get_run (view, 0);
  g_assert_cmpint (run->id, ==, third);
  g_assert_cmpint (run->outcome, ==, BCS_SYNC_RUN_FAILED);
  g_assert_cmpstr (run->message, ==, "Business Central is not reachable.");
  run = bcs_history_view_get_run (view, 1);
  g_assert_cmpint (run->id, ==, second);
  g_assert_true (run->dry_run);
  run = bcs_history_view_get_run (view, 2);
  g_assert_cmpint (run->id, ==, first);
  g_assert_cmpint (run->mode, ==, BCS_SYNC_MODE_FULL);
  g_assert_cmpuint (run->counts.outlook_created, ==, 12);
  g_assert_cmpuint (run->counts.outlook_updated, ==, 1);
  /* listed without their results */
  g_assert_cmpuint (run->results->len, ==, 0);
  g_assert_null (bcs_history_view_get_run (view, 3));

  background = add_run (t->path, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_OK, 1, "Ulm", NULL);
  reload_and_wait (view);
  g_assert_cmpuint (bcs_history_view_get_n_runs (view), ==, 4);
  g_assert_cmpint (bcs_history_view_get_run (view, 0)->id, ==, background);

  g_assert_finalize_object (view);
}

/* activating a row reads that run's results, changes included */
static void
test_open_run (void)
{
  g_autoptr (TmpStore) t = tmp_store_new ();
  BcsHistoryView *view = history_view_new ();
  GtkListView *list = GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (view), BCS_TYPE_HISTORY_VIEW,
                                                                    "list_view"));
  g_autoptr (BcsSyncReport) run = NULL;
  g_autoptr (BcsSyncReport) older = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  const BcsSyncResult *update;
  gint64 first;

  first = add_run (t->path, BCS_SYNC_MODE_FULL, FALSE, BCS_SYNC_RUN_OK, 3, "Köln", NULL);
  add_run (t->path, BCS_SYNC_MODE_INCREMENTAL, TRUE, BCS_SYNC_RUN_OK, 0, "Kiel", NULL);
  bcs_history_view_set_store (view, t->path, "history");
  reload_and_wait (view);

  /* as a click or Enter on the second row */
  g_signal_emit_by_name (list, "activate", 1);
  older = wait_run_loaded (view);
  g_assert_cmpint (older->id, ==, first);
  g_assert_cmpuint (older->results->len, ==, 4);
  update = g_ptr_array_index (older->results, 3);
  g_assert_cmpstr (update->name, ==, "Updated");
  changes = bcs_sync_result_list_changes (update);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (((BcsSyncChange *) changes->pdata[0])->before, ==, "Bonn");
  g_assert_cmpstr (((BcsSyncChange *) changes->pdata[0])->after, ==, "Köln");

  bcs_history_view_open_run (view, 0);
  run = wait_run_loaded (view);
  g_assert_true (run->dry_run);
  g_assert_cmpuint (run->results->len, ==, 1);
  g_assert_cmpint (((BcsSyncResult *) run->results->pdata[0])->outcome, ==, BCS_SYNC_OUTCOME_PLANNED);

  g_assert_finalize_object (view);
}

/* a run trimmed from the history since it was listed: the list is read again */
static void
test_open_trimmed_run (void)
{
  g_autoptr (TmpStore) t = tmp_store_new ();
  BcsHistoryView *view = history_view_new ();
  g_autoptr (GError) error = NULL;
  guint loaded = 0;

  add_run (t->path, BCS_SYNC_MODE_FULL, FALSE, BCS_SYNC_RUN_OK, 1, "Köln", NULL);
  bcs_history_view_set_store (view, t->path, "history");
  reload_and_wait (view);
  g_assert_cmpuint (bcs_history_view_get_n_runs (view), ==, 1);

  {
    g_autoptr (BcsSyncStore) store = bcs_sync_store_open_sync (t->path, "history", &error);
    g_autoptr (BcsSyncReport) newer = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);

    g_assert_no_error (error);
    bcs_sync_store_start_run_sync (store, newer, &error);
    newer->outcome = BCS_SYNC_RUN_OK;
    /* keep one run: the listed one goes */
    g_assert_true (bcs_sync_store_finish_run_sync (store, newer, 1, &error));
  }

  g_signal_connect (view, "runs-loaded", G_CALLBACK (count_cb), &loaded);
  g_test_expect_message ("bcs-gui", G_LOG_LEVEL_MESSAGE, "*no longer in the history*");
  bcs_history_view_open_run (view, 0);
  while (loaded == 0)
    g_main_context_iteration (NULL, TRUE);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (bcs_history_view_get_n_runs (view), ==, 1);
  g_assert_cmpuint (bcs_history_view_get_run (view, 0)->results->len, ==, 0);
  g_assert_cmpint (bcs_history_view_get_run (view, 0)->id, ==, 2);

  g_assert_finalize_object (view);
}

static void
test_empty (void)
{
  g_autoptr (TmpStore) t = tmp_store_new ();
  BcsHistoryView *view = history_view_new ();

  bcs_history_view_set_store (view, t->path, "history");
  reload_and_wait (view);
  g_assert_cmpint (bcs_history_view_get_page (view), ==, BCS_HISTORY_PAGE_EMPTY);
  g_assert_cmpstr (visible_page (view), ==, "empty");
  g_assert_cmpuint (bcs_history_view_get_n_runs (view), ==, 0);

  /* no store at all: empty too */
  bcs_history_view_set_store (view, NULL, NULL);
  reload_and_wait (view);
  g_assert_cmpint (bcs_history_view_get_page (view), ==, BCS_HISTORY_PAGE_EMPTY);

  g_assert_finalize_object (view);
}

static void
test_unreadable (void)
{
  g_autoptr (TmpStore) t = tmp_store_new ();
  BcsHistoryView *view = history_view_new ();

  g_assert_true (g_file_set_contents (t->path, "this is not a database, but long enough to look like one ..."
                                      "................................................................",
                                      -1, NULL));
  bcs_history_view_set_store (view, t->path, "history");
  g_test_expect_message ("bcs-gui", G_LOG_LEVEL_WARNING, "Could not read the run history*");
  reload_and_wait (view);
  g_test_assert_expected_messages ();
  g_assert_cmpint (bcs_history_view_get_page (view), ==, BCS_HISTORY_PAGE_ERROR);
  g_assert_cmpstr (visible_page (view), ==, "error");

  g_assert_finalize_object (view);
}

/* another profile's store: the old runs go at once, not after the reload */
static void
test_switch_store (void)
{
  g_autoptr (TmpStore) a = tmp_store_new ();
  g_autoptr (TmpStore) b = tmp_store_new ();
  BcsHistoryView *view = history_view_new ();

  add_run (a->path, BCS_SYNC_MODE_FULL, FALSE, BCS_SYNC_RUN_OK, 1, "Köln", NULL);
  add_run (a->path, BCS_SYNC_MODE_FULL, FALSE, BCS_SYNC_RUN_OK, 1, "Köln", NULL);
  add_run (b->path, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_PARTIAL, 1, "Ulm", NULL);
  bcs_history_view_set_store (view, a->path, "a");
  reload_and_wait (view);
  g_assert_cmpuint (bcs_history_view_get_n_runs (view), ==, 2);

  bcs_history_view_set_store (view, b->path, "b");
  g_assert_cmpuint (bcs_history_view_get_n_runs (view), ==, 0);
  reload_and_wait (view);
  g_assert_cmpuint (bcs_history_view_get_n_runs (view), ==, 1);
  g_assert_cmpint (bcs_history_view_get_run (view, 0)->outcome, ==, BCS_SYNC_RUN_PARTIAL);

  g_assert_finalize_object (view);
}

/* the view goes while its store is read: the late answer is dropped */
static void
test_dispose_while_loading (void)
{
  g_autoptr (TmpStore) t = tmp_store_new ();
  BcsHistoryView *view = history_view_new ();
  GMainContext *context = g_main_context_default ();

  add_run (t->path, BCS_SYNC_MODE_FULL, FALSE, BCS_SYNC_RUN_OK, 50, "Köln", NULL);
  bcs_history_view_set_store (view, t->path, "history");
  bcs_history_view_reload (view);
  g_assert_true (bcs_history_view_is_loading (view));
  g_assert_finalize_object (view);
  /* the thread's answer arrives with nobody to take it */
  for (guint i = 0; i < 50; i++)
    {
      g_usleep (2000);
      while (g_main_context_iteration (context, FALSE))
        ;
    }
}

/* ---- in the window ---- */

static BcsWindow *
configured_window (const char *store_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsProfile) profile = bcs_profile_new ("history-window", NULL, &error);
  g_autoptr (BcsSyncService) service = NULL;
  BcsWindow *window;

  g_assert_no_error (error);
  g_settings_set_string (bcs_profile_get_settings (profile), "account", "anna@contoso.example");
  g_settings_set_string (bcs_profile_get_settings (profile), "company-id",
                         "5f9b3c1e-0000-4000-8000-000000000001");
  service = bcs_sync_service_new (profile);
  bcs_sync_service_set_store_path (service, store_path);
  window = g_object_new (BCS_TYPE_WINDOW, NULL);
  bcs_window_set_sync_service (window, service);
  return window;
}

static void
wait_page (BcsWindow     *window,
           BcsWindowPage  page)
{
  while (bcs_window_get_page (window) != page)
    g_main_context_iteration (NULL, TRUE);
}

/* Whether WIDGET has a shortcut KEYVAL+MODS activating ACTION_NAME */
static gboolean
has_shortcut (GtkWidget       *widget,
              guint            keyval,
              GdkModifierType  mods,
              const char      *action_name)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr (GtkShortcutTrigger) trigger = gtk_keyval_trigger_new (keyval, mods);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), trigger)
              && GTK_IS_NAMED_ACTION (action)
              && g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), action_name) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* Run History from the overview, a run's results in the results view
 * (Export saves that run), back to the overview */
static void
test_window (void)
{
  g_autoptr (TmpStore) t = tmp_store_new ();
  gint64 first = add_run (t->path, BCS_SYNC_MODE_FULL, FALSE, BCS_SYNC_RUN_OK, 5, "Köln", NULL);
  gint64 second = add_run (t->path, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_OK, 0, "Kiel", NULL);
  BcsWindow *window = configured_window (t->path);
  BcsHistoryView *history = window->history_view;
  const BcsSyncReport *shown;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_OVERVIEW);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (window->history_button)), ==,
                   "win.show-history");
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (window->history_button)));
  g_assert_cmpstr (bcs_history_view_get_store (history), ==, t->path);
  /* Ctrl+H opens it; in it, F5 reads it again and Escape leaves it */
  g_assert_true (has_shortcut (GTK_WIDGET (window), GDK_KEY_h, GDK_CONTROL_MASK, "win.show-history"));
  g_assert_true (has_shortcut (GTK_WIDGET (history), GDK_KEY_F5, 0, "history.refresh"));
  g_assert_true (has_shortcut (GTK_WIDGET (history), GDK_KEY_Escape, 0, "win.show-overview"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL));
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_HISTORY);
  while (bcs_history_view_is_loading (history))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (bcs_history_view_get_n_runs (history), ==, 2);
  g_assert_cmpint (bcs_history_view_get_run (history, 0)->id, ==, second);

  /* the older run opens in the results view */
  bcs_history_view_open_run (history, 1);
  wait_page (window, BCS_WINDOW_PAGE_RESULTS);
  shown = bcs_results_view_get_report (window->results_view);
  g_assert_nonnull (shown);
  g_assert_cmpint (shown->id, ==, first);
  g_assert_cmpuint (shown->results->len, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (bcs_results_view_get_model (window->results_view)), ==, 6);

  /* back in the history, then to the overview */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL));
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_HISTORY);
  while (bcs_history_view_is_loading (history))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-overview", NULL));
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_OVERVIEW);

  /* another profile (here: no profile): its history, not this one's */
  bcs_window_set_sync_service (window, NULL);
  g_assert_null (bcs_history_view_get_store (history));
  g_assert_cmpuint (bcs_history_view_get_n_runs (history), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first widget under ROOT whose action is ACTION_NAME */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* An old preview opened from the history cannot be applied: Apply would run
 * today's sync, not the plan it shows */
static void
test_window_old_preview (void)
{
  g_autoptr (TmpStore) t = tmp_store_new ();
  gint64 preview = add_run (t->path, BCS_SYNC_MODE_INCREMENTAL, TRUE, BCS_SYNC_RUN_OK, 2, "Ulm", NULL);
  BcsWindow *window;
  BcsHistoryView *history;
  GtkWidget *apply;

  add_run (t->path, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_OK, 1, "Kiel", NULL);
  window = configured_window (t->path);
  history = window->history_view;
  gtk_window_present (GTK_WINDOW (window));
  apply = find_actionable (GTK_WIDGET (window->results_view), "win.apply-preview");
  g_assert_nonnull (apply);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL));
  while (bcs_history_view_is_loading (history))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (bcs_history_view_get_n_runs (history), ==, 2);
  g_assert_cmpint (bcs_history_view_get_run (history, 1)->id, ==, preview);
  bcs_history_view_open_run (history, 1);
  wait_page (window, BCS_WINDOW_PAGE_RESULTS);
  g_assert_true (bcs_results_view_get_report (window->results_view)->dry_run);
  g_assert_false (gtk_widget_is_sensitive (apply));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* not set up yet: no history to show */
static void
test_window_first_run (void)
{
  BcsWindow *window = g_object_new (BCS_TYPE_WINDOW, NULL);

  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_FIRST_RUN);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->history_button)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL);
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_FIRST_RUN);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- the details dialog ---- */

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* each changed field, before → after; a 10,000-character name and value
 * keep the dialog the size of a dialog */
static void
test_details_dialog (void)
{
  g_autoptr (BcsSyncResult) result = bcs_sync_result_new ();
  g_autoptr (BcsContact) before = bcs_contact_new ();
  g_autoptr (BcsContact) after = bcs_contact_new ();
  g_autoptr (GString) huge = g_string_new (NULL);
  g_autofree char *cut = NULL;
  GtkWidget *parent;
  GtkWidget *dialog;
  int width = 0, height = 0;

  for (guint i = 0; i < 10000; i++)
    g_string_append (huge, i % 7 == 6 ? " " : "w");
  result->name = g_strdup (huge->str);
  result->action = BCS_SYNC_RESULT_UPDATE;
  result->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
  result->outcome = BCS_SYNC_OUTCOME_FAILED;
  result->reason = g_strdup ("Outlook refused the change.");
  result->fields = BCS_FIELD_MASK (BCS_FIELD_CITY) | BCS_FIELD_MASK (BCS_FIELD_DISPLAY_NAME);
  bcs_contact_set_field (before, BCS_FIELD_CITY, "Bonn");
  bcs_contact_set_field (after, BCS_FIELD_CITY, "Köln");
  bcs_contact_set_field (before, BCS_FIELD_DISPLAY_NAME, "Short");
  bcs_contact_set_field (after, BCS_FIELD_DISPLAY_NAME, huge->str);
  bcs_sync_result_set_changes (result, before, after, result->fields);

  parent = gtk_window_new ();
  dialog = bcs_result_details_present (GTK_WINDOW (parent), result);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_cmpuint (g_utf8_strlen (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), -1), <=, 121);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "What to do"));
  g_assert_nonnull (find_label (dialog, "Not changed in Outlook"));
  g_assert_nonnull (find_label (dialog, "City"));
  g_assert_nonnull (find_label (dialog, "Bonn"));
  g_assert_nonnull (find_label (dialog, "Köln"));
  g_assert_nonnull (find_label (dialog, "Short"));
  cut = bcs_result_details_value_text (huge->str, BCS_RESULT_DETAILS_MAX_CHARS);
  g_assert_nonnull (find_label (dialog, cut));

  gtk_widget_measure (dialog, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  gtk_widget_measure (dialog, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  g_test_message ("details dialog: %d × %d", width, height);
  g_assert_cmpint (width, <=, 800);
  g_assert_cmpint (height, <=, 900);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (parent));
}

/* ---- screenshots ---- */

static const char *screenshot_page;

static gboolean
screenshot_ready_cb (gpointer user_data)
{
  const char *path = g_getenv ("BCS_SCREENSHOT_READY");

  if (path != NULL)
    g_assert_true (g_file_set_contents (path, "ready\n", -1, NULL));
  return G_SOURCE_REMOVE;
}

static void
screenshot_run_loaded (BcsHistoryView      *view,
                       const BcsSyncReport *run,
                       BcsWindow           *window)
{
  GListModel *rows;

  if (!g_str_equal (screenshot_page, "details"))
    return;
  /* the update row: its details with before and after */
  rows = bcs_results_view_get_model (window->results_view);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (GObject) row = g_list_model_get_item (rows, i);
      g_autofree char *action = NULL;

      g_object_get (row, "action", &action, NULL);
      if (g_strcmp0 (action, "Update") == 0)
        {
          bcs_results_view_show_details (window->results_view, i);
          break;
        }
    }
  g_timeout_add (1500, screenshot_ready_cb, NULL);
}

static void
screenshot_runs_loaded (BcsHistoryView *view,
                        gpointer        user_data)
{
  /* yesterday's sync: one created, four updated */
  if (g_str_equal (screenshot_page, "details"))
    bcs_history_view_open_run (view, 4);
  else
    g_timeout_add (1500, screenshot_ready_cb, NULL);
}

static void
add_demo_runs (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsSyncStore) store = bcs_sync_store_open_sync (path, "demo", &error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const struct {
    gint64 ago;
    BcsSyncMode mode;
    gboolean dry;
    BcsSyncRunOutcome outcome;
    BcsSyncCounts counts;
    const char *message;
  } runs[] = {
    { 3 * 86400 + 3600, BCS_SYNC_MODE_FULL, FALSE, BCS_SYNC_RUN_OK, { .outlook_created = 240 }, NULL },
    { 2 * 86400, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_FAILED, { .failed = 3 },
      "Could not reach Business Central: the connection timed out. Check the network connection." },
    { 86400 + 7200, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_OK,
      { .outlook_updated = 4, .bc_created = 1, .unchanged = 235 }, NULL },
    { 86400, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_BRAKED, { .outlook_deleted = 120 },
      "The sync would remove 120 of 241 contacts from Outlook, more than the safety brake allows." },
    { 5400, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_OK, { .unchanged = 241 }, NULL },
    { 1800, BCS_SYNC_MODE_INCREMENTAL, TRUE, BCS_SYNC_RUN_OK, { .outlook_updated = 2, .unchanged = 239 }, NULL },
    { 600, BCS_SYNC_MODE_INCREMENTAL, FALSE, BCS_SYNC_RUN_PARTIAL,
      { .outlook_updated = 2, .outlook_created = 1, .failed = 1, .unchanged = 238 }, NULL },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autoptr (BcsSyncReport) report = bcs_sync_report_new (runs[i].mode, runs[i].dry);
      g_autoptr (BcsContact) before = bcs_contact_new ();
      g_autoptr (BcsContact) after = bcs_contact_new ();
      BcsSyncResult *r;

      report->started_at = now - runs[i].ago;
      g_assert_cmpint (bcs_sync_store_start_run_sync (store, report, &error), >, 0);
      r = result_new ("Ava Lindqvist", BCS_SYNC_RESULT_UPDATE, BCS_SYNC_OUTCOME_OK);
      g_free (r->email);
      r->email = g_strdup ("ava.lindqvist@contoso.example");
      r->fields = BCS_FIELD_MASK (BCS_FIELD_JOB_TITLE) | BCS_FIELD_MASK (BCS_FIELD_PHONE)
                  | BCS_FIELD_MASK (BCS_FIELD_ADDRESS_LINE1) | BCS_FIELD_MASK (BCS_FIELD_CITY);
      bcs_contact_set_field (before, BCS_FIELD_JOB_TITLE, "Purchasing Agent");
      bcs_contact_set_field (after, BCS_FIELD_JOB_TITLE, "Head of Purchasing");
      bcs_contact_set_field (before, BCS_FIELD_PHONE, "+49 221 555 0134");
      bcs_contact_set_field (after, BCS_FIELD_PHONE, "+49 221 555 0199");
      bcs_contact_set_field (after, BCS_FIELD_ADDRESS_LINE1, "Hohenzollernring 72, Building C, 4th floor, "
                             "reception at the north entrance next to the bakery");
      bcs_contact_set_field (before, BCS_FIELD_CITY, "Bonn");
      bcs_contact_set_field (after, BCS_FIELD_CITY, "Köln");
      bcs_sync_result_set_changes (r, before, after, r->fields);
      g_ptr_array_add (report->results, r);
      r = result_new ("Noah Becker", BCS_SYNC_RESULT_CREATE, BCS_SYNC_OUTCOME_OK);
      g_free (r->email);
      r->email = g_strdup ("noah.becker@contoso.example");
      g_ptr_array_add (report->results, r);
      report->outcome = runs[i].outcome;
      report->counts = runs[i].counts;
      report->message = g_strdup (runs[i].message);
      report->finished_at = report->started_at + 14;
      g_assert_true (bcs_sync_store_add_results_sync (store, report->id, report->results, &error));
      g_assert_true (bcs_sync_store_finish_run_sync (store, report, 50, &error));
    }
}

static void
screenshot_activate (GtkApplication *app,
                     const char     *store_path)
{
  BcsWindow *window = configured_window (store_path);

  gtk_window_set_application (GTK_WINDOW (window), app);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  g_signal_connect (window->history_view, "runs-loaded", G_CALLBACK (screenshot_runs_loaded), NULL);
  g_signal_connect_after (window->history_view, "run-loaded", G_CALLBACK (screenshot_run_loaded), window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL);
}

static int
show_for_screenshot (void)
{
  g_autoptr (TmpStore) t = tmp_store_new ();
  g_autoptr (AdwApplication) app = adw_application_new ("io.github.bccontactsync.ContactSync.Screenshot",
                                                        G_APPLICATION_NON_UNIQUE);

  add_demo_runs (t->path);
  g_signal_connect (app, "activate", G_CALLBACK (screenshot_activate), t->path);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  screenshot_page = g_getenv ("BCS_SCREENSHOT_PAGE");
  if (screenshot_page != NULL)
    return show_for_screenshot ();

  g_test_add_func ("/history-view/list", test_list);
  g_test_add_func ("/history-view/open-run", test_open_run);
  g_test_add_func ("/history-view/open-trimmed-run", test_open_trimmed_run);
  g_test_add_func ("/history-view/empty", test_empty);
  g_test_add_func ("/history-view/unreadable", test_unreadable);
  g_test_add_func ("/history-view/switch-store", test_switch_store);
  g_test_add_func ("/history-view/dispose-while-loading", test_dispose_while_loading);
  g_test_add_func ("/history-view/window", test_window);
  g_test_add_func ("/history-view/window-old-preview", test_window_old_preview);
  g_test_add_func ("/history-view/window-first-run", test_window_first_run);
  g_test_add_func ("/history-view/details-dialog", test_details_dialog);

  return g_test_run ();
}
