/* test-contact-sync-setup.c — Contact Sync. Setup bound to a profile's settings, under Xvfb
 *
 * With BCS_SCREENSHOT_PAGE=outlook|filters|sync set, it runs no tests: it
 * shows the window with sample settings on that page until it is closed
 * (build-aux/screenshot-preferences.sh). */
#include "config.h"

#include <adwaita.h>

#include "bcs-application.h"
#include "bcs-contact-check.h"
#include "bcs-contact-count.h"
#include "bcs-contact-mapping.h"
#include "bcs-contact-sync-setup.h"
#include "bcs-filter-row.h"
#include "bcs-profile.h"
#include "bcs-window.h"
#include "sync-test-support.h"

/* The template ids of the filter rows, by BcsFilterField */
static const char * const filter_rows[BCS_N_FILTER_FIELDS] = {
  "name_row", "type_row", "company_name_row", "company_number_row", "city_row",
  "county_row", "post_code_row", "country_row", "email_row", "number_row",
};

static void
iterate_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A profile with the schema's defaults: each test uses its own name */
static BcsProfile *
new_profile (const char *name)
{
  g_autoptr (GError) error = NULL;
  BcsProfile *profile = bcs_profile_new (name, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static BcsContactSyncSetup *
open_setup (BcsProfile *profile)
{
  BcsContactSyncSetup *setup = g_object_ref (bcs_contact_sync_setup_new (profile));

  gtk_window_present (GTK_WINDOW (setup));
  iterate_main_context ();
  return setup;
}

static void
close_setup (BcsContactSyncSetup *setup)
{
  gtk_window_destroy (GTK_WINDOW (setup));
  iterate_main_context ();
  g_assert_finalize_object (setup);
}

static gpointer
child (BcsContactSyncSetup *setup,
       const char          *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (setup),
                                                   BCS_TYPE_CONTACT_SYNC_SETUP, name);

  g_assert_nonnull (object);
  return object;
}

/* The stored expression of field ID, or NULL */
static char *
stored_filter (GSettings  *settings,
               const char *id)
{
  g_autoptr (GVariant) value = g_settings_get_value (settings, "filter");
  char *text = NULL;

  if (!g_variant_lookup (value, id, "s", &text))
    return NULL;
  return text;
}

static void
type_text (gpointer    editable,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
  iterate_main_context ();
}

/* The row shown below a filter row while its expression does not parse */
static GtkWidget *
message_row (gpointer filter_row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (GTK_WIDGET (filter_row));

  g_assert_true (GTK_IS_LIST_BOX_ROW (next));
  g_assert_false (BCS_IS_FILTER_ROW (next));
  g_assert_true (GTK_IS_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (next))));
  return next;
}

static GtkWidget *
example_label (gpointer filter_row)
{
  GObject *label = gtk_widget_get_template_child (GTK_WIDGET (filter_row), BCS_TYPE_FILTER_ROW,
                                                  "example_label");

  g_assert_true (GTK_IS_LABEL (label));
  return GTK_WIDGET (label);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_setup_shows_settings (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("shows");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsContactSyncSetup *setup;

  g_settings_set_string (settings, "folder-name", "Kunden");
  g_settings_set_value (settings, "filter",
                        g_variant_new_parsed ("{'city': 'Berlin|Hamburg', 'type': 'Person', "
                                              "'postalCode': '1*'}"));
  g_settings_set_string (settings, "conflict-policy", "two-way-merge");
  g_settings_set_string (settings, "removal-policy", "keep-unlinked");
  g_settings_set_string (settings, "auto-sync-interval", "hourly");
  g_settings_set_int (settings, "brake-percent", 20);
  g_settings_set_int (settings, "brake-minimum", 50);
  g_settings_set_int (settings, "history-runs", 12);

  setup = open_setup (profile);

  g_assert_true (bcs_contact_sync_setup_get_profile (setup) == profile);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (setup)), ==, "Contact Sync. Setup");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup)));

  g_assert_cmpstr (gtk_editable_get_text (child (setup, "folder_row")), ==, "Kunden");
  g_assert_cmpstr (gtk_editable_get_text (child (setup, "city_row")), ==, "Berlin|Hamburg");
  g_assert_cmpstr (gtk_editable_get_text (child (setup, "type_row")), ==, "Person");
  /* an API name as key is read as its field */
  g_assert_cmpstr (gtk_editable_get_text (child (setup, "post_code_row")), ==, "1*");
  g_assert_cmpstr (gtk_editable_get_text (child (setup, "name_row")), ==, "");
  g_assert_cmpstr (adw_preferences_row_get_title (child (setup, "city_row")), ==, "C_ity");
  g_assert_true (adw_preferences_row_get_use_underline (child (setup, "city_row")));

  g_assert_cmpuint (adw_combo_row_get_selected (child (setup, "conflict_row")), ==, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (child (setup, "removal_row")), ==, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (child (setup, "auto_sync_row")), ==, 2);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (setup, "conflict_row")), ==,
                   "Outlook changes go to Business Central");
  /* nothing runs the schedule yet, and the window says so */
  g_assert_cmpstr (adw_action_row_get_subtitle (child (setup, "auto_sync_row")), ==,
                   "Saved; syncing on this schedule arrives in a later version");

  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (setup, "brake_percent_spin")), ==, 20);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (setup, "brake_minimum_spin")), ==, 50);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (setup, "history_spin")), ==, 12);

  /* all valid: no error shown */
  for (int field = 0; field < BCS_N_FILTER_FIELDS; field++)
    {
      BcsFilterRow *row = child (setup, filter_rows[field]);

      g_assert_false (gtk_widget_get_visible (message_row (row)));
      /* an empty row shows its example */
      g_assert_cmpint (gtk_widget_get_visible (example_label (row)), ==,
                       *gtk_editable_get_text (GTK_EDITABLE (row)) == '\0');

      g_assert_cmpint (bcs_filter_row_get_field (row), ==, field);
      g_assert_true (bcs_filter_row_is_valid (row));
      g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
    }

  close_setup (setup);
}

static void
test_setup_defaults (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("defaults");
  BcsContactSyncSetup *setup = open_setup (profile);

  g_assert_cmpstr (gtk_editable_get_text (child (setup, "folder_row")), ==, "Business Central");
  g_assert_cmpuint (adw_combo_row_get_selected (child (setup, "conflict_row")), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (child (setup, "removal_row")), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (child (setup, "auto_sync_row")), ==, 0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (setup, "brake_percent_spin")), ==, 10);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (setup, "brake_minimum_spin")), ==, 25);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (setup, "history_spin")), ==, 50);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (setup, "conflict_row")), ==,
                   "Outlook-only changes are overwritten");

  /* opening the window writes nothing */
  g_assert_false (g_settings_get_user_value (bcs_profile_get_settings (profile), "filter") != NULL);

  close_setup (setup);
}

static void
test_setup_valid_filter_saved (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("valid");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsContactSyncSetup *setup;
  g_autofree char *name = NULL;
  g_autofree char *city = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *cleared = NULL;
  g_autoptr (GVariant) value = NULL;

  /* a key of a newer version is kept */
  g_settings_set_value (settings, "filter",
                        g_variant_new_parsed ("{'city': 'Berlin', 'futureField': 'x'}"));
  setup = open_setup (profile);

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (example_label (child (setup, "name_row")))), ==,
                   "e.g. A*|B*");
  g_assert_true (gtk_widget_get_visible (example_label (child (setup, "name_row"))));
  type_text (child (setup, "name_row"), "A*|B*");
  g_assert_false (gtk_widget_get_visible (example_label (child (setup, "name_row"))));
  name = stored_filter (settings, "name");
  city = stored_filter (settings, "city");
  unknown = stored_filter (settings, "futureField");
  g_assert_cmpstr (name, ==, "A*|B*");
  g_assert_cmpstr (city, ==, "Berlin");
  g_assert_cmpstr (unknown, ==, "x");
  g_assert_true (bcs_filter_row_is_valid (child (setup, "name_row")));

  /* emptied: the field is no longer filtered */
  type_text (child (setup, "city_row"), "");
  cleared = stored_filter (settings, "city");
  g_assert_null (cleared);
  value = g_settings_get_value (settings, "filter");
  g_assert_cmpuint (g_variant_n_children (value), ==, 2);

  close_setup (setup);
}

static void
test_setup_invalid_filter_not_saved (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("invalid");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsContactSyncSetup *setup;
  BcsFilterRow *row;
  GtkWidget *message;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *corrected = NULL;
  guint changes = 0;

  g_settings_set_value (settings, "filter", g_variant_new_parsed ("{'city': 'Berlin'}"));
  setup = open_setup (profile);
  row = child (setup, "city_row");
  message = message_row (row);
  g_signal_connect_swapped (settings, "changed::filter", G_CALLBACK (count_cb), &changes);

  before = stored_filter (settings, "city");
  type_text (row, "Berlin||Wien");

  g_assert_false (bcs_filter_row_is_valid (row));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_cmpint (bcs_filter_row_get_state (row)->error_offset, ==, 7);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), ==,
                   "Not saved: Unexpected “|” at position 8 in “Berlin||Wien”: "
                   "a value is missing between the two “|”.");
  /* the row below says it is not saved, and why */
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (message)))), ==,
                   "Not saved: Unexpected “|” at position 8 in “Berlin||Wien”: "
                   "a value is missing between the two “|”.");
  g_assert_false (gtk_widget_get_visible (example_label (row)));

  after = stored_filter (settings, "city");
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (changes, ==, 0);

  /* a wrong contact type too */
  type_text (child (setup, "type_row"), "Robot");
  g_assert_true (gtk_widget_has_css_class (child (setup, "type_row"), "error"));
  g_assert_cmpuint (changes, ==, 0);
  type_text (child (setup, "type_row"), "");
  g_assert_false (gtk_widget_has_css_class (child (setup, "type_row"), "error"));

  /* corrected: saved, and the error goes */
  type_text (row, "Berlin|Wien");
  corrected = stored_filter (settings, "city");
  g_assert_cmpstr (corrected, ==, "Berlin|Wien");
  g_assert_cmpuint (changes, ==, 1);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), ==,
                   "For example: Berlin|Hamburg");

  close_setup (setup);
}

/* An expression typed just before the window closes is saved */
static void
test_setup_saves_on_close (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("close");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsContactSyncSetup *setup = open_setup (profile);
  g_autofree char *country = NULL;
  g_autofree char *city = NULL;

  gtk_editable_set_text (child (setup, "country_row"), "DE|AT");
  gtk_editable_set_text (child (setup, "city_row"), "'Wien");   /* not closed: not saved */
  close_setup (setup);

  country = stored_filter (settings, "country");
  city = stored_filter (settings, "city");
  g_assert_cmpstr (country, ==, "DE|AT");
  g_assert_null (city);
}

/* A change made elsewhere (the command line, another window) shows, but does
 * not overwrite an expression the user is still correcting */
static void
test_setup_external_change (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("external");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsContactSyncSetup *setup = open_setup (profile);

  type_text (child (setup, "city_row"), "(Berlin");
  g_settings_set_value (settings, "filter",
                        g_variant_new_parsed ("{'email': '<>\\'\\'', 'city': 'Paris'}"));
  iterate_main_context ();

  g_assert_cmpstr (gtk_editable_get_text (child (setup, "email_row")), ==, "<>''");
  g_assert_cmpstr (gtk_editable_get_text (child (setup, "city_row")), ==, "(Berlin");

  close_setup (setup);
}

static void
test_setup_combo_rows_write (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("combos");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsContactSyncSetup *setup = open_setup (profile);
  static const struct {
    const char *row;
    const char *key;
    guint       selected;
    const char *nick;
  } rows[] = {
    { "conflict_row", "conflict-policy", 1, "two-way-merge" },
    { "conflict_row", "conflict-policy", 0, "bc-wins" },
    { "removal_row", "removal-policy", 1, "keep-unlinked" },
    { "removal_row", "removal-policy", 0, "remove" },
    { "auto_sync_row", "auto-sync-interval", 1, "15-minutes" },
    { "auto_sync_row", "auto-sync-interval", 3, "daily" },
    { "auto_sync_row", "auto-sync-interval", 2, "hourly" },
    { "auto_sync_row", "auto-sync-interval", 0, "off" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *nick = NULL;

      adw_combo_row_set_selected (child (setup, rows[i].row), rows[i].selected);
      iterate_main_context ();
      nick = g_settings_get_string (settings, rows[i].key);
      g_assert_cmpstr (nick, ==, rows[i].nick);
    }

  adw_combo_row_set_selected (child (setup, "removal_row"), 1);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (setup, "removal_row")), ==,
                   "Their Outlook copies stay, no longer synced");

  close_setup (setup);
}

static void
test_setup_spin_buttons_write (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("spins");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsContactSyncSetup *setup = open_setup (profile);

  gtk_spin_button_set_value (child (setup, "brake_percent_spin"), 35);
  gtk_spin_button_set_value (child (setup, "brake_minimum_spin"), 100);
  gtk_spin_button_set_value (child (setup, "history_spin"), 7);
  iterate_main_context ();

  g_assert_cmpint (g_settings_get_int (settings, "brake-percent"), ==, 35);
  g_assert_cmpint (g_settings_get_int (settings, "brake-minimum"), ==, 100);
  g_assert_cmpint (g_settings_get_int (settings, "history-runs"), ==, 7);

  /* the schema's range is the spin button's */
  gtk_spin_button_set_value (child (setup, "brake_percent_spin"), 250);
  iterate_main_context ();
  g_assert_cmpint (g_settings_get_int (settings, "brake-percent"), ==, 100);

  close_setup (setup);
}

static void
test_setup_folder_name (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("folder");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsContactSyncSetup *setup = open_setup (profile);
  GtkEditable *text = gtk_editable_get_delegate (child (setup, "folder_row"));
  g_autofree char *stored = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *emptied = NULL;
  g_autofree char *default_folder = NULL;

  type_text (child (setup, "folder_row"), "Kunden BC");
  stored = g_settings_get_string (settings, "folder-name");
  folder = bcs_profile_dup_folder_name (profile);
  g_assert_cmpstr (stored, ==, "Kunden BC");
  g_assert_cmpstr (folder, ==, "Kunden BC");

  /* empty: stored as '' (the default folder) and the default is shown */
  type_text (child (setup, "folder_row"), "");
  emptied = g_settings_get_string (settings, "folder-name");
  default_folder = bcs_profile_dup_folder_name (profile);
  g_assert_cmpstr (emptied, ==, "");
  g_assert_cmpstr (default_folder, ==, "Business Central");
  g_assert_true (GTK_IS_TEXT (text));
  g_assert_cmpstr (gtk_text_get_placeholder_text (GTK_TEXT (text)), ==, "Business Central");

  close_setup (setup);
}

/* "Count Matching Contacts" asks the in-process sandbox: a spinner while it
 * counts, then the number of eligible contacts the filters let through */
static void
test_setup_count (void)
{
  SyncFixture *fixture = sync_fixture_new (80, 0, 9);
  BcsContactSyncSetup *setup = open_setup (fixture->profile);
  GtkWidget *button = child (setup, "count_button");
  GtkWidget *spinner = child (setup, "count_spinner");
  g_autoptr (GPtrArray) contacts = sync_fixture_bc_contacts (fixture);
  g_autoptr (BcsContactFilter) filter = bcs_contact_filter_new ();
  g_autofree char *expected = NULL;
  guint matching = 0;
  gint64 end;

  g_assert_true (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_COUNTRY, "DE|AT|ES", NULL, NULL));
  for (guint i = 0; i < contacts->len; i++)
    {
      g_autoptr (BcsContact) contact = bcs_contact_from_bc_json (contacts->pdata[i]);

      matching += bcs_contact_filter_matches (filter, contact)
                  && bcs_contact_check_to_outlook (contact, NULL) == BCS_SKIP_NONE;
    }
  g_assert_cmpuint (matching, >, 0);
  expected = bcs_contact_count_describe (matching);

  bcs_contact_sync_setup_set_count_provider (setup, sync_test_provider, NULL);
  type_text (child (setup, "country_row"), "DE|AT|ES");
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (bcs_contact_sync_setup_get_count_text (setup), ==, "Counting…");

  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!gtk_widget_get_sensitive (button) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (bcs_contact_sync_setup_get_count_text (setup), ==, expected);
  g_assert_false (gtk_widget_get_visible (spinner));
  /* the filter counted is the one saved */
  {
    g_autofree char *stored = stored_filter (bcs_profile_get_settings (fixture->profile), "country");
    g_assert_cmpstr (stored, ==, "DE|AT|ES");
  }

  /* an expression that does not parse is not counted */
  type_text (child (setup, "city_row"), "(Berlin");
  g_signal_emit_by_name (button, "clicked");
  g_assert_false (gtk_widget_get_visible (spinner));
  g_assert_cmpstr (bcs_contact_sync_setup_get_count_text (setup), ==, "Correct the marked filter first.");

  /* closing the window while counting cancels it */
  type_text (child (setup, "city_row"), "");
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gtk_widget_get_visible (spinner));
  close_setup (setup);
  sync_fixture_free (fixture);
}

/* Escape is bound to closing the window */
static void
test_setup_escape_closes (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("escape");
  BcsContactSyncSetup *setup = open_setup (profile);
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (setup));
  gboolean bound = FALSE;

  for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, c);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Escape
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0
              && GTK_IS_NAMED_ACTION (action)
              && g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                              "window.close"))
            bound = TRUE;
        }
    }
  g_assert_true (bound);
  g_clear_object (&controllers);

  /* and the action closes it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup), "window.close", NULL));
  iterate_main_context ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup)));
  g_assert_finalize_object (setup);
}

/* Tab walks through every filter row of the Filters page */
static void
test_setup_tab_reaches_filters (void)
{
  g_autoptr (BcsProfile) profile = new_profile ("tab");
  BcsContactSyncSetup *setup = open_setup (profile);
  gboolean reached[BCS_N_FILTER_FIELDS] = { FALSE };
  gboolean count_reached = FALSE;
  const char * const *rows = filter_rows;

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (setup), "filters");
  iterate_main_context ();

  for (guint step = 0; step < 100; step++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (GTK_WIDGET (setup), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (setup));
      if (focus == NULL)
        continue;
      for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
        if (gtk_widget_is_ancestor (focus, child (setup, rows[i])))
          reached[i] = TRUE;
      if (focus == child (setup, "count_button"))
        count_reached = TRUE;
    }

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    {
      g_test_message ("%s", rows[i]);
      g_assert_true (reached[i]);
    }
  /* and Count Matching Contacts after them */
  g_assert_true (count_reached);

  close_setup (setup);
}

/* ---- app.preferences ---- */

static gboolean
too_long_cb (gpointer user_data)
{
  g_error ("the application did not end");
  return G_SOURCE_REMOVE;
}

static GtkWindow *
find_setup_toplevel (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (BCS_IS_CONTACT_SYNC_SETUP (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          g_assert_null (found);   /* only one */
          found = window;
        }
    }

  return found;
}

static gboolean
app_preferences_cb (gpointer user_data)
{
  BcsApplication *app = user_data;
  GtkWindow *main_window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWindow *setup;

  g_assert_true (BCS_IS_WINDOW (main_window));
  g_assert_null (find_setup_toplevel ());

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  iterate_main_context ();

  setup = find_setup_toplevel ();
  g_assert_nonnull (setup);
  g_assert_true (gtk_window_get_transient_for (setup) == main_window);
  g_assert_true (gtk_window_get_application (setup) == GTK_APPLICATION (app));
  g_assert_cmpstr (bcs_profile_get_name (bcs_contact_sync_setup_get_profile (BCS_CONTACT_SYNC_SETUP (setup))),
                   ==, bcs_application_get_profile (app));

  /* again: the same window comes forward */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  iterate_main_context ();
  g_assert_true (find_setup_toplevel () == setup);

  g_object_ref (setup);
  gtk_window_destroy (setup);
  iterate_main_context ();
  g_assert_null (find_setup_toplevel ());
  g_assert_finalize_object (setup);
  g_object_set_data (G_OBJECT (app), "ran", GINT_TO_POINTER (TRUE));

  gtk_window_destroy (main_window);
  return G_SOURCE_REMOVE;
}

static void
activated_cb (GApplication *app)
{
  g_idle_add (app_preferences_cb, app);
}

static void
test_setup_app_preferences (void)
{
  BcsApplication *app = bcs_application_new ();
  guint guard;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_cb), NULL);
  guard = g_timeout_add_seconds (60, too_long_cb, NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  g_source_remove (guard);

  g_assert_true (g_object_get_data (G_OBJECT (app), "ran"));
  g_assert_finalize_object (app);
}

/* ---- screenshots ---- */

static int
show_for_screenshot (const char *page)
{
  g_autoptr (BcsProfile) profile = new_profile ("screenshot");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsContactSyncSetup *setup;

  g_settings_set_value (settings, "filter",
                        g_variant_new_parsed ("{'type': 'Person', 'companyName': '@*gmbh*', "
                                              "'email': '<>\\'\\''}"));
  g_settings_set_string (settings, "removal-policy", "keep-unlinked");
  setup = g_object_ref (bcs_contact_sync_setup_new (profile));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (setup), page);
  gtk_window_set_default_size (GTK_WINDOW (setup), 720, 780);
  gtk_window_present (GTK_WINDOW (setup));
  /* one expression still being corrected */
  type_text (child (setup, "city_row"), "Berlin||Hamburg");

  while (gtk_widget_get_visible (GTK_WIDGET (setup)))
    g_main_context_iteration (NULL, TRUE);

  g_object_unref (setup);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *screenshot_page = g_getenv ("BCS_SCREENSHOT_PAGE");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  if (screenshot_page != NULL)
    return show_for_screenshot (screenshot_page);

  g_test_add_func ("/contact-sync-setup/shows-settings", test_setup_shows_settings);
  g_test_add_func ("/contact-sync-setup/defaults", test_setup_defaults);
  g_test_add_func ("/contact-sync-setup/valid-filter-saved", test_setup_valid_filter_saved);
  g_test_add_func ("/contact-sync-setup/invalid-filter-not-saved", test_setup_invalid_filter_not_saved);
  g_test_add_func ("/contact-sync-setup/saves-on-close", test_setup_saves_on_close);
  g_test_add_func ("/contact-sync-setup/external-change", test_setup_external_change);
  g_test_add_func ("/contact-sync-setup/combo-rows-write", test_setup_combo_rows_write);
  g_test_add_func ("/contact-sync-setup/spin-buttons-write", test_setup_spin_buttons_write);
  g_test_add_func ("/contact-sync-setup/folder-name", test_setup_folder_name);
  g_test_add_func ("/contact-sync-setup/count", test_setup_count);
  g_test_add_func ("/contact-sync-setup/escape-closes", test_setup_escape_closes);
  g_test_add_func ("/contact-sync-setup/tab-reaches-filters", test_setup_tab_reaches_filters);
  g_test_add_func ("/contact-sync-setup/app-preferences", test_setup_app_preferences);

  return g_test_run ();
}
