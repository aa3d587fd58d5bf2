/* test-profiles.c — profiles in the window, removing and renaming them,
 * automatic sync per profile, and the first run against the sandbox
 *
 * Needs a display and an unlocked keyring (dbus-run-session, TESTING.md). */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "auth-test-support.h"
#include "bcs-application.h"
#include "bcs-application-background.h"
#include "bcs-application-profiles.h"
#include "bcs-error.h"
#include "bcs-exchange-sync-setup.h"
#include "bcs-exchange-sync-setup-private.h"
#include "bcs-profile-dialogs.h"
#include "bcs-profile-switcher.h"
#include "bcs-sandbox.h"
#include "bcs-sync-store.h"
#include "bcs-window-private.h"

static BcsSandbox *sandbox;
static char *shown_uri;

/* ---- running the application ---- */

typedef void (*BodyFunc) (BcsApplication *app,
                          BcsWindow      *window);

typedef struct {
  BodyFunc func;
  BcsApplication *app;
  gboolean ran;
} AppTest;

static gboolean
too_long_cb (gpointer user_data)
{
  g_error ("the application test did not end");
  return G_SOURCE_REMOVE;
}

/* What is pending now (bounded: an animation may always have a frame due) */
static void
iterate_main_context (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
  iterate_main_context ();
}

static gboolean
run_body_cb (gpointer user_data)
{
  AppTest *test = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (test->app));

  g_assert_true (BCS_IS_WINDOW (window));
  iterate_main_context ();
  test->func (test->app, BCS_WINDOW (window));
  test->ran = TRUE;
  /* automatic sync may hold the application: end it as Quit does */
  g_application_quit (G_APPLICATION (test->app));
  return G_SOURCE_REMOVE;
}

static void
activated_cb (GApplication *app,
              AppTest      *test)
{
  if (test->func != NULL && !test->ran)
    g_idle_add (run_body_cb, test);
}

static void
run_app (const char * const *args,
         BodyFunc            func)
{
  AppTest test = { func, bcs_application_new (), FALSE };
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  guint guard;

  g_ptr_array_add (argv, (char *) "test-profiles");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_application_set_flags (G_APPLICATION (test.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (test.app, "activate", G_CALLBACK (activated_cb), &test);
  guard = g_timeout_add_seconds (120, too_long_cb, NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (test.app), argv->len - 1,
                                      (char **) argv->pdata), ==, 0);
  g_source_remove (guard);
  g_assert_true (test.ran);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test.app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (test.app)))
    gtk_window_destroy (l->data);
  iterate_main_context ();
  g_assert_finalize_object (test.app);
}

static GSettings *
main_settings (void)
{
  return g_settings_new (BASE_ID);
}

static void
set_profiles (const char * const *names)
{
  g_autoptr (GSettings) settings = main_settings ();

  g_settings_set_strv (settings, "profiles", names);
}

static void
set_up_profile (const char *name,
                const char *company)
{
  g_autoptr (BcsProfile) profile = bcs_profile_new (name, NULL, NULL);
  GSettings *settings = bcs_profile_get_settings (profile);
  g_autofree char *folder = g_strconcat ("Folder of ", company, NULL);

  g_settings_set_string (settings, "account", "anna@contoso.example");
  g_settings_set_string (settings, "company-id", "5f9b3c1e-0000-4000-8000-000000000001");
  g_settings_set_string (settings, "company-name", company);
  g_settings_set_string (settings, "folder-name", folder);
}

static const char *
overview_row (BcsWindow  *window,
              const char *row)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window->overview), BCS_TYPE_OVERVIEW, row);

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child));
}

static guint
n_profile_items (BcsProfileSwitcher *switcher)
{
  GMenuModel *menu = bcs_profile_switcher_get_menu (switcher);
  GMenuModel *section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  guint n = g_menu_model_get_n_items (section);

  g_object_unref (section);
  return n;
}

/* ---- switching ---- */

static void
switch_body (BcsApplication *app,
             BcsWindow      *window)
{
  g_autoptr (GSettings) settings = main_settings ();
  g_autofree char *last = NULL;
  GtkMenuButton *button = bcs_profile_switcher_get_button (window->profile_switcher);

  /* --profile chose it */
  g_assert_cmpstr (bcs_application_get_profile (app), ==, "switch-a");
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_OVERVIEW);
  g_assert_cmpstr (overview_row (window, "company_row"), ==, "Company A");
  g_assert_cmpstr (overview_row (window, "folder_row"), ==, "Folder of Company A");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->profile_switcher)));
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "switch-a");
  g_assert_cmpuint (n_profile_items (window->profile_switcher), ==, 3);

  /* the menu's radio items */
  g_action_group_activate_action (G_ACTION_GROUP (app), "profile", g_variant_new_string ("switch-b"));
  iterate_main_context ();
  g_assert_cmpstr (bcs_application_get_profile (app), ==, "switch-b");
  g_assert_cmpstr (bcs_profile_get_name (bcs_sync_service_get_profile (bcs_window_get_sync_service (window))),
                   ==, "switch-b");
  g_assert_cmpstr (overview_row (window, "company_row"), ==, "Company B");
  g_assert_cmpstr (overview_row (window, "folder_row"), ==, "Folder of Company B");
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "switch-b");
  last = g_settings_get_string (settings, "last-profile");
  g_assert_cmpstr (last, ==, "switch-b");

  /* a profile that is not set up shows the first-run page */
  g_action_group_activate_action (G_ACTION_GROUP (app), "profile", g_variant_new_string ("default"));
  iterate_main_context ();
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_FIRST_RUN);

  /* "default" can be neither renamed nor removed */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "remove-profile"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "rename-profile"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "new-profile"));
}

static void
reopen_body (BcsApplication *app,
             BcsWindow      *window)
{
  /* no --profile: the last used one */
  g_assert_cmpstr (bcs_application_get_profile (app), ==, "default");
}

static void
last_used_body (BcsApplication *app,
                BcsWindow      *window)
{
  g_assert_cmpstr (bcs_application_get_profile (app), ==, "switch-b");
  g_assert_cmpstr (overview_row (window, "company_row"), ==, "Company B");
}

static void
test_switch (void)
{
  const char *profiles[] = { "default", "switch-a", "switch-b", NULL };
  const char *with_a[] = { "--profile", "switch-a", NULL };
  const char *none[] = { NULL };
  g_autoptr (GSettings) settings = main_settings ();

  set_profiles (profiles);
  set_up_profile ("switch-a", "Company A");
  set_up_profile ("switch-b", "Company B");
  run_app (with_a, switch_body);
  run_app (none, reopen_body);

  g_settings_set_string (settings, "last-profile", "switch-b");
  run_app (none, last_used_body);
  g_settings_reset (settings, "last-profile");
  g_settings_reset (settings, "profiles");
}

static void
single_body (BcsApplication *app,
             BcsWindow      *window)
{
  GMenuModel *model = NULL;

  for (GtkWidget *w = GTK_WIDGET (window); w != NULL && model == NULL; )
    {
      /* depth first, to the primary menu's button */
      if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (w)))
        model = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (w));
      else if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (model);
  gboolean found = FALSE;

  /* one profile: no switcher, New Profile… in the primary menu */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->profile_switcher)));
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *action = NULL;

          if (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &action))
            found |= g_strcmp0 (action, "app.new-profile") == 0;
        }
    }
  g_assert_true (found);
}

static void
test_single_profile (void)
{
  const char *none[] = { NULL };

  run_app (none, single_body);
}

/* ---- New Profile… ---- */

static void
new_body (BcsApplication *app,
          BcsWindow      *window)
{
  g_auto (GStrv) profiles = bcs_application_dup_profiles (app);
  AdwMessageDialog *dialog = bcs_profile_name_dialog_new (GTK_WINDOW (window),
                                                          (const char * const *) profiles, NULL);
  g_autoptr (GSettings) settings = main_settings ();
  g_auto (GStrv) listed = NULL;

  g_object_ref_sink (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  bcs_profile_name_dialog_set_name (dialog, "DEFAULT");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  bcs_profile_name_dialog_set_name (dialog, "two words");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  bcs_profile_name_dialog_set_name (dialog, " company-c ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  g_assert_cmpstr (bcs_profile_name_dialog_get_name (dialog), ==, "company-c");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);

  g_assert_true (bcs_application_create_profile (app, "company-c", NULL));
  g_assert_cmpstr (bcs_application_get_profile (app), ==, "company-c");
  listed = g_settings_get_strv (settings, "profiles");
  g_assert_true (g_strv_contains ((const char * const *) listed, "company-c"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->profile_switcher)));
  g_assert_false (bcs_application_create_profile (app, "Company-C", NULL));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "remove-profile"));
}

static void
test_new_profile (void)
{
  const char *none[] = { NULL };
  g_autoptr (GSettings) settings = main_settings ();

  run_app (none, new_body);
  g_settings_reset (settings, "profiles");
  g_settings_reset (settings, "last-profile");
}

/* ---- removing and renaming: settings, keyring and store ---- */

static gboolean
result_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
lookup_token (const char *profile)
{
  g_autoptr (BcsTokenStore) store = bcs_token_store_new (profile);

  return auth_test_lookup (store, BCS_TOKEN_KIND_REFRESH);
}

static void
give_files (const char *name,
            const char *token)
{
  g_autoptr (BcsProfile) profile = bcs_profile_new (name, NULL, NULL);
  g_autoptr (BcsTokenStore) store = bcs_token_store_new (name);
  g_autofree char *path = bcs_profile_dup_store_path (profile);
  g_autoptr (BcsSyncStore) db = bcs_sync_store_open_sync (path, name, NULL);

  g_assert_nonnull (db);
  auth_test_store (store, BCS_TOKEN_KIND_REFRESH, token);
}

/* Whether WINDOW's Sync button (win.sync) can be pressed */
static gboolean
sync_enabled_in (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "win.sync") == 0)
    return gtk_widget_is_sensitive (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (sync_enabled_in (child))
      return TRUE;
  return FALSE;
}

static gboolean
sync_enabled (BcsWindow *window)
{
  return sync_enabled_in (GTK_WIDGET (window));
}

static void
remove_rename_body (BcsApplication *app,
                    BcsWindow      *window)
{
  g_autoptr (BcsProfile) keep = bcs_profile_new ("rm-keep", NULL, NULL);
  g_autoptr (BcsProfile) gone = bcs_profile_new ("rm-gone", NULL, NULL);
  g_autoptr (BcsProfile) renamed = bcs_profile_new ("rm-renamed", NULL, NULL);
  g_autofree char *keep_path = bcs_profile_dup_store_path (keep);
  g_autofree char *gone_path = bcs_profile_dup_store_path (gone);
  g_autofree char *renamed_path = bcs_profile_dup_store_path (renamed);
  g_autoptr (GSettings) settings = main_settings ();
  GAsyncResult *result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *old_token = NULL;
  g_autofree char *company = NULL;
  g_auto (GStrv) listed = NULL;

  g_assert_cmpstr (bcs_application_get_profile (app), ==, "rm-gone");

  /* renaming moves the settings, the keyring's tokens and the store; no
   * sync of the window starts meanwhile */
  g_assert_true (sync_enabled (window));
  bcs_application_rename_profile_async (app, "rm-gone", "rm-renamed", store_result_cb, &result);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "profile"));
  g_assert_true (bcs_application_profiles_is_busy (app));
  g_assert_false (sync_enabled (window));
  wait_until (result_set, &result, "the rename");
  g_assert_true (bcs_application_rename_profile_finish (app, result, &error));
  g_assert_no_error (error);
  g_assert_false (bcs_application_profiles_is_busy (app));
  g_assert_true (sync_enabled (window));
  g_clear_object (&result);
  g_assert_cmpstr (bcs_application_get_profile (app), ==, "rm-renamed");
  g_assert_cmpstr (overview_row (window, "company_row"), ==, "Company Gone");
  company = g_settings_get_string (bcs_profile_get_settings (gone), "company-name");
  g_assert_cmpstr (company, ==, "");
  moved = lookup_token ("rm-renamed");
  g_assert_cmpstr (moved, ==, "token-gone");
  old_token = lookup_token ("rm-gone");
  g_assert_null (old_token);
  g_assert_false (g_file_test (gone_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (renamed_path, G_FILE_TEST_EXISTS));
  listed = g_settings_get_strv (settings, "profiles");
  g_assert_cmpstr (listed[1], ==, "rm-keep");
  g_assert_cmpstr (listed[2], ==, "rm-renamed");
  g_clear_pointer (&listed, g_strfreev);

  /* not onto another profile's name */
  bcs_application_rename_profile_async (app, "rm-renamed", "RM-KEEP", store_result_cb, &result);
  wait_until (result_set, &result, "the refused rename");
  g_assert_false (bcs_application_rename_profile_finish (app, result, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_clear_object (&result);

  /* refused while a sync of the profile runs (another process's lock) */
  {
    g_autoptr (BcsSyncStore) running = bcs_sync_store_open_sync (renamed_path, "rm-renamed", NULL);

    g_assert_true (bcs_sync_store_lock_sync (running, NULL));
    bcs_application_remove_profile_async (app, "rm-renamed", store_result_cb, &result);
    wait_until (result_set, &result, "the refused removal");
    g_assert_false (bcs_application_remove_profile_finish (app, result, &error));
    g_assert_error (error, BCS_ERROR, BCS_ERROR_BUSY);
    g_clear_error (&error);
    g_clear_object (&result);
    g_assert_true (g_file_test (renamed_path, G_FILE_TEST_EXISTS));
  }

  /* removing deletes them all; the window shows the profile before it */
  bcs_application_remove_profile_async (app, "rm-renamed", store_result_cb, &result);
  wait_until (result_set, &result, "the removal");
  g_assert_true (bcs_application_remove_profile_finish (app, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_pointer (&moved, g_free);
  moved = lookup_token ("rm-renamed");
  g_assert_null (moved);
  g_assert_false (g_file_test (renamed_path, G_FILE_TEST_EXISTS));
  g_assert_null (g_settings_get_user_value (bcs_profile_get_settings (renamed), "company-name"));
  listed = g_settings_get_strv (settings, "profiles");
  g_assert_false (g_strv_contains ((const char * const *) listed, "rm-renamed"));
  g_assert_cmpstr (bcs_application_get_profile (app), ==, "rm-keep");
  g_assert_cmpstr (overview_row (window, "company_row"), ==, "Company Keep");

  /* the other profile lost nothing */
  kept = lookup_token ("rm-keep");
  g_assert_cmpstr (kept, ==, "token-keep");
  g_assert_true (g_file_test (keep_path, G_FILE_TEST_EXISTS));

  /* "default" stays */
  bcs_application_remove_profile_async (app, "default", store_result_cb, &result);
  wait_until (result_set, &result, "the refused removal of default");
  g_assert_false (bcs_application_remove_profile_finish (app, result, &error));
  g_clear_object (&result);
}

static void
test_remove_rename (void)
{
  const char *profiles[] = { "default", "rm-keep", "rm-gone", NULL };
  const char *args[] = { "--profile", "rm-gone", NULL };
  g_autoptr (GSettings) settings = main_settings ();
  g_autoptr (BcsTokenStore) keep = bcs_token_store_new ("rm-keep");

  set_profiles (profiles);
  set_up_profile ("rm-keep", "Company Keep");
  set_up_profile ("rm-gone", "Company Gone");
  give_files ("rm-keep", "token-keep");
  give_files ("rm-gone", "token-gone");
  run_app (args, remove_rename_body);
  auth_test_clear (keep, NULL);
  g_settings_reset (settings, "profiles");
  g_settings_reset (settings, "last-profile");
}

/* ---- --background --profile NAME ---- */

typedef struct {
  BcsApplication *app;
  const char * const *expect_watched;
  const char *expect_not;
  gboolean done;
} BackgroundTest;

static gboolean
background_check_cb (gpointer user_data)
{
  BackgroundTest *test = user_data;

  for (guint i = 0; test->expect_watched[i] != NULL; i++)
    {
      BcsScheduler *watched = bcs_application_background_get_scheduler (test->app, test->expect_watched[i]);

      /* its first run (no sign-in: it fails) has ended, or it ran before */
      g_assert_nonnull (watched);
      if (bcs_scheduler_is_running (watched) ||
          (bcs_scheduler_get_failures (watched) == 0 && bcs_scheduler_get_last_run (watched) == 0))
        return G_SOURCE_CONTINUE;
    }

  if (test->expect_not != NULL)
    g_assert_null (bcs_application_background_get_scheduler (test->app, test->expect_not));
  test->done = TRUE;
  g_application_quit (G_APPLICATION (test->app));
  return G_SOURCE_REMOVE;
}

static void
background_activated_cb (GApplication   *app,
                         BackgroundTest *test)
{
  g_timeout_add (20, background_check_cb, test);
}

static void
run_background (const char          *only,
                const char * const  *expect_watched,
                const char          *expect_not)
{
  BackgroundTest test = { bcs_application_new (), expect_watched, expect_not, FALSE };
  char *argv[] = { (char *) "test-profiles", (char *) "--background",
                   (char *) "--sandbox", (char *) bcs_sandbox_get_url (sandbox),
                   (char *) (only != NULL ? "--profile" : NULL), (char *) only, NULL };
  guint guard;

  g_application_set_flags (G_APPLICATION (test.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (test.app, "activate", G_CALLBACK (background_activated_cb), &test);
  guard = g_timeout_add_seconds (60, too_long_cb, NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (test.app), only != NULL ? 6 : 4, argv), ==, 0);
  g_source_remove (guard);
  g_assert_true (test.done);
  /* no window was opened */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (test.app)));
  iterate_main_context ();
  g_assert_finalize_object (test.app);
}

static void
test_background_profile (void)
{
  const char *profiles[] = { "default", "bg-a", "bg-b", NULL };
  g_autoptr (BcsProfile) a = bcs_profile_new ("bg-a", NULL, NULL);
  g_autoptr (BcsProfile) b = bcs_profile_new ("bg-b", NULL, NULL);
  g_autoptr (GSettings) settings = main_settings ();

  set_profiles (profiles);
  g_settings_set_string (bcs_profile_get_settings (a), "auto-sync-interval", "hourly");
  g_settings_set_string (bcs_profile_get_settings (b), "auto-sync-interval", "hourly");

  /* --profile bg-b: bg-b only */
  run_background ("bg-b", (const char *[]) { "bg-b", NULL }, "bg-a");
  /* without --profile: every profile that syncs automatically */
  run_background (NULL, (const char *[]) { "bg-a", "bg-b", NULL }, "default");

  g_settings_reset (bcs_profile_get_settings (a), "auto-sync-interval");
  g_settings_reset (bcs_profile_get_settings (b), "auto-sync-interval");
  g_settings_reset (settings, "profiles");
}

/* ---- the first run against the sandbox ---- */

static void
show_uri_hook (GtkWindow  *parent,
               const char *uri)
{
  g_free (shown_uri);
  shown_uri = g_strdup (uri);
}

static gboolean
uri_shown (gpointer data)
{
  return shown_uri != NULL;
}

static gboolean
window_on_overview (gpointer data)
{
  return bcs_window_get_page (data) == BCS_WINDOW_PAGE_OVERVIEW;
}

static gboolean
window_idle (gpointer data)
{
  return !bcs_window_is_syncing (data);
}

static gboolean
scheduler_idle (gpointer data)
{
  return !bcs_scheduler_is_running (data);
}

static BcsExchangeSyncSetup *
find_setup (BcsApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (BCS_IS_EXCHANGE_SYNC_SETUP (l->data))
      return l->data;
  return NULL;
}

static void
sandbox_body (BcsApplication *app,
              BcsWindow      *window)
{
  const char *name = bcs_application_get_profile (app);
  BcsExchangeSyncSetup *setup;
  g_autoptr (AuthTestPage) authorize = NULL;
  g_autoptr (AuthTestPage) back = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *real_refresh = NULL;
  g_autofree char *sandbox_key = NULL;
  g_autoptr (GError) create_error = NULL;
  g_autofree char *store_path = NULL;
  const BcsSyncReport *report;
  BcsScheduler *scheduler;
  gint64 finished;

  /* not signed in: the first-run page, and Sync cannot run */
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_FIRST_RUN);
  /* a demo against the sandbox leaves the real profiles alone */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "new-profile"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "rename-profile"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "remove-profile"));
  g_assert_false (bcs_application_create_profile (app, "demo-new", &create_error));
  g_assert_error (create_error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "win.sync") &&
                  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL) &&
                  bcs_window_is_syncing (window));

  g_test_message ("first-run page shown");
  /* it leads into Exchange Sync. Setup, whose Sign In opens the sandbox's authorize page */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.setup", NULL));
  iterate_main_context ();
  setup = find_setup (app);
  g_assert_nonnull (setup);
  g_assert_cmpstr (bcs_profile_get_name (bcs_exchange_sync_setup_get_profile (setup)), ==, name);
  g_clear_pointer (&shown_uri, g_free);
  g_signal_emit_by_name (setup->sign_in_button, "clicked");
  wait_until (uri_shown, NULL, "the authorize page");
  g_assert_true (g_str_has_prefix (shown_uri, bcs_sandbox_get_url (sandbox)));

  g_test_message ("authorize page shown");
  /* the browser: the sandbox approves and sends it back to the loopback listener */
  authorize = auth_test_browser (shown_uri, NULL);
  g_assert_cmpuint (authorize->status, ==, 302);
  back = auth_test_browser (authorize->location, NULL);
  g_assert_cmpuint (back->status, ==, 200);
  wait_until (window_on_overview, window, "the overview after the sign-in");
  g_assert_cmpstr (overview_row (window, "account_row"), ==, "demo@sandbox.example");
  /* kept apart from the real profile's tokens of the same name */
  sandbox_key = bcs_token_store_dup_key (name, TRUE);
  refresh = lookup_token (sandbox_key);
  g_assert_nonnull (refresh);
  real_refresh = lookup_token (name);
  g_assert_null (real_refresh);
  gtk_window_destroy (GTK_WINDOW (setup));
  iterate_main_context ();

  g_test_message ("signed in");
  /* automatic sync watches the profile; its first run may be going on */
  scheduler = bcs_application_background_get_scheduler (app, name);
  g_assert_nonnull (scheduler);
  wait_until (scheduler_idle, scheduler, "the scheduled run");
  g_usleep (G_USEC_PER_SEC + 100000);   /* a run ends a second later (its time has seconds) */

  g_test_message ("syncing");
  /* Sync with the keyring's tokens; the scheduler counts the run */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  g_assert_true (bcs_window_is_syncing (window));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (bcs_profile_switcher_get_button (window->profile_switcher))));
  g_action_group_activate_action (G_ACTION_GROUP (app), "profile", g_variant_new_string ("default"));
  g_assert_cmpstr (bcs_application_get_profile (app), ==, name);
  wait_until (window_idle, window, "the window's sync");
  report = bcs_results_view_get_report (window->results_view);
  g_assert_nonnull (report);
  g_assert_cmpint (report->outcome, ==, BCS_SYNC_RUN_OK);
  g_assert_cmpuint (report->counts.outlook_created, >, 0);
  g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_RESULTS);
  finished = report->finished_at * G_USEC_PER_SEC;
  g_assert_cmpint (bcs_scheduler_get_last_run (scheduler), ==, finished);
  g_assert_cmpuint (bcs_scheduler_get_failures (scheduler), ==, 0);
  g_assert_cmpint (bcs_scheduler_get_next_run (scheduler), ==, finished + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (bcs_profile_switcher_get_button (window->profile_switcher))));

  /* another process holds the run lock: the window says so, and keeps the last run */
  store_path = bcs_profile_dup_store_path (bcs_sync_service_get_profile (bcs_window_get_sync_service (window)));
  {
    g_autoptr (BcsSyncStore) other = bcs_sync_store_open_sync (store_path, name, NULL);

    g_assert_true (bcs_sync_store_lock_sync (other, NULL));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
    wait_until (window_idle, window, "the refused sync");
    g_assert_cmpint (bcs_window_get_page (window), ==, BCS_WINDOW_PAGE_OVERVIEW);
    g_assert_true (bcs_results_view_get_report (window->results_view) == report);
    bcs_sync_store_unlock (other);
  }
}

static void
test_sandbox_first_run (void)
{
  g_autofree char *name = g_strdup_printf ("sbx-%u", (guint) getpid ());
  const char *profiles[] = { "default", name, NULL };
  const char *args[] = { "--sandbox", bcs_sandbox_get_url (sandbox), "--profile", name, NULL };
  g_autoptr (BcsProfile) profile = bcs_profile_new (name, NULL, NULL);
  g_autofree char *key = bcs_token_store_dup_key (name, TRUE);
  g_autoptr (BcsTokenStore) tokens = bcs_token_store_new (key);
  g_autoptr (GSettings) settings = main_settings ();

  set_profiles (profiles);
  g_settings_set_string (bcs_profile_get_settings (profile), "auto-sync-interval", "hourly");
  run_app (args, sandbox_body);
  auth_test_clear (tokens, NULL);
  bcs_profile_reset_settings (profile);
  g_settings_reset (settings, "profiles");
}

/* ---- no browser ---- */

static void
test_no_browser (void)
{
  g_autoptr (BcsProfile) profile = auth_test_profile ("no-browser", sandbox);
  BcsExchangeSyncSetup *setup = g_object_ref (bcs_exchange_sync_setup_new (profile));
  g_autoptr (GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No browser");
  const char *description;

  gtk_window_present (GTK_WINDOW (setup));
  g_clear_pointer (&shown_uri, g_free);
  g_signal_emit_by_name (setup->sign_in_button, "clicked");
  wait_until (uri_shown, NULL, "the authorize address");

  /* what gtk_show_uri_full() reports without a browser */
  bcs_exchange_sync_setup_browser_failed (setup, shown_uri, error);
  description = adw_preferences_group_get_description (setup->account_group);
  g_assert_nonnull (strstr (description, "No web browser could be opened"));
  /* shown as text (the description is markup: escaped on the way) */
  g_assert_nonnull (strstr (description, shown_uri));
  g_assert_nonnull (strstr (description, "Sign In with a Code"));
  /* still waiting for that address to be opened; Cancel leads to the code */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->waiting_row)));
  g_signal_emit_by_name (setup->cancel_sign_in_button, "clicked");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->sign_in_row)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (setup->sign_in_code_button)));

  gtk_window_destroy (GTK_WINDOW (setup));
  while (bcs_exchange_sync_setup_is_busy (setup))
    g_main_context_iteration (NULL, TRUE);
  iterate_main_context ();
  g_assert_finalize_object (setup);
}

/* A background run's notice goes to a notification server, which a test
 * session does not have */
static gboolean
log_fatal_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  return !(log_level & G_LOG_LEVEL_WARNING) || strstr (message, "unable to send notifications") == NULL;
}

int
main (int   argc,
      char *argv[])
{
  BcsSandboxOptions options;
  g_autoptr (GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("bcs-profiles-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (home, "state", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *rm = NULL;
  int status;

  /* the stores and the autostart entry go to a folder of this test */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("LC_ALL", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_log_set_fatal_handler (log_fatal_cb, NULL);
  /* gtk_test_init() made every warning fatal; the notification's is
   * asynchronous, from GIO: keep criticals fatal only */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  bcs_sandbox_options_init (&options);
  options.auto_approve = TRUE;
  options.bc_contacts = 12;
  sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);
  if (!bcs_sandbox_start_thread (sandbox, &error))
    g_error ("The sandbox did not start: %s", error->message);
  bcs_exchange_sync_setup_set_show_uri_func (show_uri_hook);

  g_test_add_func ("/profiles/switch", test_switch);
  g_test_add_func ("/profiles/single-profile", test_single_profile);
  g_test_add_func ("/profiles/new-profile", test_new_profile);
  g_test_add_func ("/profiles/remove-rename", test_remove_rename);
  g_test_add_func ("/profiles/background-profile", test_background_profile);
  g_test_add_func ("/profiles/sandbox-first-run", test_sandbox_first_run);
  g_test_add_func ("/profiles/no-browser", test_no_browser);
  status = g_test_run ();

  bcs_exchange_sync_setup_set_show_uri_func (NULL);
  g_clear_pointer (&shown_uri, g_free);
  bcs_sandbox_free (sandbox);
  rm = g_strdup_printf ("rm -rf '%s'", home);
  if (system (rm) != 0)
    g_printerr ("could not remove %s\n", home);
  return status;
}
