/* test-window.c — the application and its main window, under Xvfb */
#include "config.h"

#include <adwaita.h>

#include "bcs-application.h"
#include "bcs-contact-sync-setup.h"
#include "bcs-exchange-sync-setup.h"
#include "bcs-window.h"

typedef void (*AppTestFunc) (BcsApplication *app,
                             BcsWindow      *window);

typedef struct {
  AppTestFunc func;
  BcsApplication *app;
  BcsWindow *window;
  gboolean close_window;
  gboolean ran;
} AppTest;

static gboolean
too_long_cb (gpointer user_data)
{
  g_error ("the application did not end");
  return G_SOURCE_REMOVE;
}

static gboolean
run_test_body_cb (gpointer user_data)
{
  AppTest *test = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (test->app));

  /* activate opened the main window */
  g_assert_true (BCS_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  test->window = g_object_ref (BCS_WINDOW (window));

  test->func (test->app, test->window);
  test->ran = TRUE;

  /* closing the last window ends the application */
  if (test->close_window)
    gtk_window_destroy (window);

  return G_SOURCE_REMOVE;
}

static void
activated_cb (GApplication *app,
              AppTest      *test)
{
  g_idle_add (run_test_body_cb, test);
}

/* Runs the application as main() does, and FUNC on its window once it is up;
 * then closes the window (unless FUNC ends the application itself) and checks
 * that the window and the application are freed. The application owns no bus
 * name, so tests run beside a real instance. */
static void
run_app_test_full (AppTestFunc func,
                   gboolean    close_window)
{
  AppTest test = { func, bcs_application_new (), NULL, close_window, FALSE };
  guint guard;
  int status;

  g_application_set_flags (G_APPLICATION (test.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (test.app, "activate", G_CALLBACK (activated_cb), &test);
  guard = g_timeout_add_seconds (60, too_long_cb, NULL);

  status = g_application_run (G_APPLICATION (test.app), 0, NULL);
  g_source_remove (guard);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (test.ran);
  if (!close_window)
    gtk_window_destroy (GTK_WINDOW (test.window));
  g_assert_finalize_object (test.window);
  g_assert_finalize_object (test.app);
}

static void
run_app_test (AppTestFunc func)
{
  run_app_test_full (func, TRUE);
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
iterate_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
destroy_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  iterate_main_context ();
}

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Closes WINDOW and waits until it is freed: a setup window may hold on to
 * itself while a keyring lookup it started finishes */
static void
destroy_and_wait_finalized (GtkWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (100, wake_up_cb, NULL);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (window);

  while (window != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  if (window != NULL)
    g_error ("%s was not freed after it was closed", G_OBJECT_TYPE_NAME (window));
}

/* The first toplevel of TYPE other than the main window, or NULL */
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

/* WIDGET or its first descendant of TYPE, depth first, or NULL */
/* The primary menu's button (the profile switcher is a menu button too) */
static GtkWidget *
find_primary_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_primary_menu_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
window_status_page (BcsApplication *app,
                    BcsWindow      *window)
{
  AdwStatusPage *status_page = ADW_STATUS_PAGE (template_child (window, "status_page"));
  GtkWidget *button = template_child (window, "setup_button");

  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (app));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Contact Sync");

  g_assert_cmpstr (adw_status_page_get_title (status_page), ==, "Connect Business Central and Outlook");
  g_assert_cmpstr (adw_status_page_get_description (status_page), !=, NULL);
  g_assert_cmpstr (adw_status_page_get_icon_name (status_page), ==, APP_ID);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status_page)));

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Set _Up…");
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (button)));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.setup");
  g_assert_true (gtk_widget_is_ancestor (button, GTK_WIDGET (status_page)));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
}

static void
test_window_status_page (void)
{
  run_app_test (window_status_page);
}

/* The action names of MODEL's items and of its sections' items, into ACTIONS */
static void
collect_menu_actions (GMenuModel *model,
                      GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      char *action = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, action);
      if (section != NULL)
        collect_menu_actions (section, actions);
    }
}

static void
window_primary_menu (BcsApplication *app,
                     BcsWindow      *window)
{
  GtkWidget *button = find_primary_menu_button (GTK_WIDGET (window));
  g_autoptr (GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  static const char *expected[] = { "app.preferences", "app.shortcuts", "app.about" };

  g_assert_true (GTK_IS_MENU_BUTTON (button));
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)));
  collect_menu_actions (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)), actions);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < actions->len; j++)
        found = found || g_str_equal (g_ptr_array_index (actions, j), expected[i]);
      if (!found)
        g_error ("the main menu has no item for %s", expected[i]);
    }
}

static void
test_window_primary_menu (void)
{
  run_app_test (window_primary_menu);
}

/* Set Up… opens Exchange Sync. Setup over the main window, modal to it */
static void
window_setup_button (BcsApplication *app,
                     BcsWindow      *window)
{
  GtkWidget *overlay = template_child (window, "toast_overlay");
  GtkWidget *button = template_child (window, "setup_button");
  GtkWidget *status_page = template_child (window, "status_page");
  GtkWindow *setup;

  g_assert_null (find_toplevel (BCS_TYPE_EXCHANGE_SYNC_SETUP, GTK_WINDOW (window)));

  /* the button's click runs win.setup */
  g_signal_emit_by_name (button, "clicked");
  iterate_main_context ();

  setup = find_toplevel (BCS_TYPE_EXCHANGE_SYNC_SETUP, GTK_WINDOW (window));
  g_assert_nonnull (setup);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup)));
  g_assert_true (gtk_window_get_transient_for (setup) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (setup));
  g_assert_true (gtk_window_get_application (setup) == GTK_APPLICATION (app));
  g_assert_cmpstr (bcs_profile_get_name (bcs_exchange_sync_setup_get_profile (BCS_EXCHANGE_SYNC_SETUP (setup))),
                   ==, bcs_application_get_profile (app));

  /* nothing is set up yet: the window still shows the start page */
  g_assert_true (adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay)) == status_page);

  destroy_and_wait_finalized (setup);
  g_assert_null (find_toplevel (BCS_TYPE_EXCHANGE_SYNC_SETUP, GTK_WINDOW (window)));
}

static void
test_window_setup_button (void)
{
  run_app_test (window_setup_button);
}

/* win.setup again raises the open setup instead of opening a second one */
static void
window_setup_action (BcsApplication *app,
                     BcsWindow      *window)
{
  GtkWindow *setup;
  guint n_windows;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.setup", NULL));
  iterate_main_context ();
  setup = find_toplevel (BCS_TYPE_EXCHANGE_SYNC_SETUP, GTK_WINDOW (window));
  g_assert_nonnull (setup);
  n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.setup", NULL));
  iterate_main_context ();
  g_assert_true (find_toplevel (BCS_TYPE_EXCHANGE_SYNC_SETUP, GTK_WINDOW (window)) == setup);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, n_windows);

  destroy_and_wait_finalized (setup);
}

static void
test_window_setup_action (void)
{
  run_app_test (window_setup_action);
}

static void
app_actions (BcsApplication *app,
             BcsWindow      *window)
{
  static const struct {
    const char *action;
    const char *accel;   /* NULL: none */
  } actions[] = {
    { "quit", "<Control>q" },
    { "about", NULL },
    { "shortcuts", "<Control>question" },
    { "preferences", "<Control>comma" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *detailed = g_strconcat ("app.", actions[i].action, NULL);
      g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), detailed);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), actions[i].action);

      g_test_message ("%s", detailed);
      g_assert_nonnull (action);
      g_assert_true (g_action_get_enabled (action));
      g_assert_null (g_action_get_parameter_type (action));

      if (actions[i].accel != NULL)
        g_assert_true (g_strv_contains ((const char * const *) accels, actions[i].accel));
      else
        g_assert_cmpuint (g_strv_length (accels), ==, 0);
    }

  /* the window reaches them too, as its menu and shortcuts do */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.shortcuts", NULL));
  iterate_main_context ();
  destroy_window (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, GTK_WINDOW (window)));
}

static void
test_app_actions (void)
{
  run_app_test (app_actions);
}

/* Contact Sync. Setup opens over the main window and goes with it: closing
 * the main window while it is open still ends the application */
static void
app_preferences (BcsApplication *app,
                 BcsWindow      *window)
{
  GtkWindow *setup;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  iterate_main_context ();

  setup = find_toplevel (BCS_TYPE_CONTACT_SYNC_SETUP, GTK_WINDOW (window));
  g_assert_nonnull (setup);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup)));
  g_assert_true (gtk_window_get_transient_for (setup) == GTK_WINDOW (window));
}

static void
test_app_preferences (void)
{
  run_app_test (app_preferences);
}

static void
app_about (BcsApplication *app,
           BcsWindow      *window)
{
  GtkWindow *about;

  g_assert_null (find_toplevel (ADW_TYPE_ABOUT_WINDOW, GTK_WINDOW (window)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  iterate_main_context ();

  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW, GTK_WINDOW (window));
  g_assert_nonnull (about);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (about)));
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Business Central Contact Sync");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  g_assert_nonnull (adw_about_window_get_developers (ADW_ABOUT_WINDOW (about)));

  destroy_window (about);
  g_assert_null (find_toplevel (ADW_TYPE_ABOUT_WINDOW, GTK_WINDOW (window)));
}

static void
test_app_about (void)
{
  run_app_test (app_about);
}

static void
app_shortcuts (BcsApplication *app,
               BcsWindow      *window)
{
  GtkWindow *shortcuts;

  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  iterate_main_context ();

  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, GTK_WINDOW (window));
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_application (shortcuts) == GTK_APPLICATION (app));

  destroy_window (shortcuts);
  g_assert_null (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, GTK_WINDOW (window)));
}

static void
test_app_shortcuts (void)
{
  run_app_test (app_shortcuts);
}

/* The window's size follows GSettings and is written back to it */
static void
window_size_settings (BcsApplication *app,
                      BcsWindow      *window)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  int width, height;

  /* set before the application ran */
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);

  g_settings_set_int (settings, "window-width", 640);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 640);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 650);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 650);
}

static void
test_window_size_settings (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);

  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);

  run_app_test (window_size_settings);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
app_quit (BcsApplication *app,
          BcsWindow      *window)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
test_app_quit (void)
{
  /* the window stays open: only app.quit can end the run */
  run_app_test_full (app_quit, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window/status-page", test_window_status_page);
  g_test_add_func ("/window/primary-menu", test_window_primary_menu);
  g_test_add_func ("/window/setup-button", test_window_setup_button);
  g_test_add_func ("/window/setup-action", test_window_setup_action);
  g_test_add_func ("/window/size-settings", test_window_size_settings);
  g_test_add_func ("/application/actions", test_app_actions);
  g_test_add_func ("/application/preferences", test_app_preferences);
  g_test_add_func ("/application/about", test_app_about);
  g_test_add_func ("/application/shortcuts", test_app_shortcuts);
  g_test_add_func ("/application/quit", test_app_quit);

  return g_test_run ();
}
