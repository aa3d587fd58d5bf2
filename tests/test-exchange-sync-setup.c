/* test-exchange-sync-setup.c — Exchange Sync. Setup against the in-process sandbox, under Xvfb
 *
 * Needs a display and an unlocked keyring (dbus-run-session, TESTING.md).
 * With BCS_SCREENSHOT=1 it runs no tests: it signs in, chooses a company,
 * validates and keeps the window open until it is closed
 * (build-aux/screenshot-exchange-setup.sh); with BCS_SCREENSHOT=code it
 * stops at the device code instead. */
#include "config.h"

#include <adwaita.h>

#include "auth-test-support.h"
#include "bcs-application.h"
#include "bcs-check-row.h"
#include "bcs-exchange-sync-setup.h"
#include "bcs-exchange-sync-setup-private.h"
#include "bcs-profile.h"
#include "bcs-sandbox.h"
#include "bcs-token-store.h"

static BcsSandbox *sandbox;
static char *shown_uri;

static void
show_uri_hook (GtkWindow  *parent,
               const char *uri)
{
  g_assert_true (BCS_IS_EXCHANGE_SYNC_SETUP (parent));
  g_free (shown_uri);
  shown_uri = g_strdup (uri);
}

static void
iterate_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (BcsExchangeSyncSetup *setup);

/* Runs the main context until CONDITION holds (at most 30 s) */
static void
wait_for (BcsExchangeSyncSetup *setup,
          Condition             condition,
          const char           *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, timeout_cb, &timed_out);

  while (!condition (setup) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s (auth %d, busy %d, checks %d)", what,
             setup->auth, bcs_exchange_sync_setup_is_busy (setup), setup->checks);
  g_source_remove (id);
  iterate_main_context ();
}

static gboolean
idle (BcsExchangeSyncSetup *setup)
{
  return !bcs_exchange_sync_setup_is_busy (setup);
}

static gboolean
signed_in (BcsExchangeSyncSetup *setup)
{
  return setup->auth == BCS_SETUP_AUTH_SIGNED_IN && idle (setup);
}

static gboolean
checks_done (BcsExchangeSyncSetup *setup)
{
  return setup->checks == BCS_SETUP_CHECKS_DONE && idle (setup);
}

static gboolean
code_shown (BcsExchangeSyncSetup *setup)
{
  return setup->auth == BCS_SETUP_AUTH_WAITING_CODE;
}

static gboolean
key_saved (BcsExchangeSyncSetup *setup)
{
  return setup->key_saved && idle (setup);
}

static BcsProfile *
sandbox_profile (const char *name)
{
  return auth_test_profile (name, sandbox);
}

static BcsExchangeSyncSetup *
open_setup (BcsProfile *profile)
{
  BcsExchangeSyncSetup *setup = g_object_ref (bcs_exchange_sync_setup_new (profile));

  bcs_exchange_sync_setup_set_poll_interval (setup, 0.05);
  gtk_window_present (GTK_WINDOW (setup));
  wait_for (setup, idle, "the window to settle");
  return setup;
}

static void
close_setup (BcsExchangeSyncSetup *setup)
{
  gtk_window_destroy (GTK_WINDOW (setup));
  wait_for (setup, idle, "the window's operations to end");
  g_assert_finalize_object (setup);
}

static void
click (GtkButton *button)
{
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static const char *
subtitle (AdwActionRow *row)
{
  return adw_action_row_get_subtitle (row);
}

/* "" when there is none */
static const char *
description (AdwPreferencesGroup *group)
{
  const char *text = adw_preferences_group_get_description (group);

  return text != NULL ? text : "";
}

static char *
lookup (BcsProfile *profile,
        const char *kind)
{
  g_autoptr (BcsTokenStore) store = bcs_token_store_new_for_profile (profile);

  return auth_test_lookup (store, kind);
}

static void
sign_in_with_code (BcsExchangeSyncSetup *setup)
{
  click (setup->sign_in_code_button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->waiting_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->sign_in_row)));
  wait_for (setup, signed_in, "the device-code sign-in");
}

static void
test_opens_signed_out (void)
{
  g_autoptr (BcsProfile) profile = sandbox_profile ("exsetup-open");
  BcsExchangeSyncSetup *setup = open_setup (profile);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (setup)), ==, "Exchange Sync. Setup");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (setup)));
  g_assert_true (bcs_exchange_sync_setup_get_profile (setup) == profile);
  g_assert_cmpstr (subtitle (setup->account_row), ==, "Not signed in");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->sign_in_row)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (setup->sign_in_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->sign_out_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->waiting_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->code_row)));
  /* --sandbox: its registration, shown and fixed; online only */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (setup->client_id_row)), ==, "sandbox");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (setup->tenant_row)), ==, "sandbox");
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (setup->client_id_row)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (setup->deployment_row)));
  g_assert_cmpuint (adw_combo_row_get_selected (setup->deployment_row), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->environment_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->onprem_url_row)));
  /* nothing to validate before the sign-in, and no way on */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (setup->validate_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->next_button)));
  g_assert_cmpstr (adw_preferences_group_get_description (setup->connection_group), ==,
                   "Sign in with your Microsoft 365 account to begin");
  /* Enter signs in; controls have mnemonics */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (setup)) == GTK_WIDGET (setup->sign_in_button));
  g_assert_true (gtk_button_get_use_underline (setup->sign_in_button));
  g_assert_true (adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (setup->company_row)));

  close_setup (setup);
}

static void
test_escape_closes (void)
{
  g_autoptr (BcsProfile) profile = sandbox_profile ("exsetup-escape");
  BcsExchangeSyncSetup *setup = open_setup (profile);
  GtkWidget *widget = GTK_WIDGET (setup);
  gboolean found = FALSE;
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  /* the window's shortcut controller maps Escape to window.close */
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_autofree char *trigger_text = gtk_shortcut_trigger_to_string (trigger);
          g_autofree char *action_text = gtk_shortcut_action_to_string (action);

          if (g_strcmp0 (trigger_text, "Escape") == 0 && g_strcmp0 (action_text, "action(window.close)") == 0)
            found = TRUE;
        }
    }
  g_assert_true (found);

  g_assert_true (gtk_widget_activate_action (widget, "window.close", NULL));
  wait_for (setup, idle, "closing");
  g_assert_false (gtk_widget_get_visible (widget));
  close_setup (setup);
}

static void
test_device_code_sign_in (void)
{
  g_autoptr (BcsProfile) profile = sandbox_profile ("exsetup-device");
  BcsExchangeSyncSetup *setup = open_setup (profile);
  GSettings *settings = bcs_profile_get_settings (profile);
  g_autofree char *refresh = NULL;
  g_autofree char *account = NULL;

  sign_in_with_code (setup);

  /* the code was shown with its link before the sandbox approved it */
  g_assert_cmpuint (strlen (gtk_label_get_label (setup->user_code_label)), >, 0);
  g_assert_true (gtk_label_get_selectable (setup->user_code_label));
  g_assert_true (g_str_has_prefix (gtk_link_button_get_uri (setup->verification_link),
                                   bcs_sandbox_get_url (sandbox)));

  g_assert_cmpstr (subtitle (setup->account_row), ==, "demo@sandbox.example");
  account = g_settings_get_string (settings, "account");
  g_assert_cmpstr (account, ==, "demo@sandbox.example");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->sign_in_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->waiting_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->code_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->sign_out_button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (setup->validate_button)));
  refresh = lookup (profile, BCS_TOKEN_KIND_REFRESH);
  g_assert_nonnull (refresh);

  close_setup (setup);
}

static void
test_browser_sign_in (void)
{
  g_autoptr (BcsProfile) profile = sandbox_profile ("exsetup-browser");
  BcsExchangeSyncSetup *setup = open_setup (profile);
  g_autoptr (AuthTestPage) authorize = NULL;
  g_autoptr (AuthTestPage) back = NULL;
  gboolean timed_out = FALSE;
  guint id;

  g_clear_pointer (&shown_uri, g_free);
  click (setup->sign_in_button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->waiting_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->cancel_sign_in_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->code_row)));

  id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (shown_uri == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_nonnull (shown_uri);
  g_assert_true (g_str_has_prefix (shown_uri, bcs_sandbox_get_url (sandbox)));
  g_assert_nonnull (strstr (shown_uri, "code_challenge="));

  /* the browser: the sandbox approves at once and redirects to the loopback listener */
  authorize = auth_test_browser (shown_uri, NULL);
  g_assert_cmpuint (authorize->status, ==, 302);
  g_assert_nonnull (authorize->location);
  back = auth_test_browser (authorize->location, NULL);
  g_assert_cmpuint (back->status, ==, 200);

  wait_for (setup, signed_in, "the browser sign-in");
  g_assert_cmpstr (subtitle (setup->account_row), ==, "demo@sandbox.example");

  close_setup (setup);
}

static void
test_browser_cancel (void)
{
  g_autoptr (BcsProfile) profile = sandbox_profile ("exsetup-cancel");
  BcsExchangeSyncSetup *setup = open_setup (profile);
  g_autofree char *account = NULL;

  click (setup->sign_in_button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->waiting_row)));
  click (setup->cancel_sign_in_button);
  wait_for (setup, idle, "the cancelled sign-in");

  g_assert_cmpstr (subtitle (setup->account_row), ==, "Not signed in");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->sign_in_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->waiting_row)));
  /* cancelling is not an error to show */
  g_assert_cmpstr (description (setup->account_group), ==, "");
  account = g_settings_get_string (bcs_profile_get_settings (profile), "account");
  g_assert_cmpstr (account, ==, "");

  close_setup (setup);
}

static void
test_lists_and_company (void)
{
  g_autoptr (BcsProfile) profile = sandbox_profile ("exsetup-lists");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsExchangeSyncSetup *setup = open_setup (profile);
  g_autofree char *company_id = NULL;
  g_autofree char *company_name = NULL;
  g_autofree char *first_id = NULL;
  GListModel *companies;

  sign_in_with_code (setup);

  /* the sandbox's environments, the profile's one chosen */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (setup->environment_model)), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (setup->environment_model, 0), ==, "production");
  g_assert_cmpstr (gtk_string_list_get_string (setup->environment_model, 1), ==, "test");
  g_assert_cmpuint (adw_combo_row_get_selected (setup->environment_row), ==, 0);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (setup->environment_row)));

  /* its companies; none chosen yet */
  companies = G_LIST_MODEL (setup->company_model);
  g_assert_cmpuint (g_list_model_get_n_items (companies), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (setup->company_model, 0), ==, "CRONUS International Ltd.");
  g_assert_cmpstr (gtk_string_list_get_string (setup->company_model, 1), ==, "CRONUS Demo Two");
  g_assert_cmpuint (adw_combo_row_get_selected (setup->company_row), ==, GTK_INVALID_LIST_POSITION);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (setup->company_row)));
  company_id = g_settings_get_string (settings, "company-id");
  g_assert_cmpstr (company_id, ==, "");
  g_clear_pointer (&company_id, g_free);

  adw_combo_row_set_selected (setup->company_row, 0);
  first_id = g_settings_get_string (settings, "company-id");
  adw_combo_row_set_selected (setup->company_row, 1);
  iterate_main_context ();
  company_id = g_settings_get_string (settings, "company-id");
  company_name = g_settings_get_string (settings, "company-name");
  g_assert_cmpstr (company_name, ==, "CRONUS Demo Two");
  g_assert_true (g_uuid_string_is_valid (company_id));
  g_assert_true (g_uuid_string_is_valid (first_id));
  g_assert_cmpstr (company_id, !=, first_id);
  g_assert_cmpstr (adw_preferences_group_get_description (setup->connection_group), ==,
                   "Ready: validate the connection");

  /* opened again, the choice is shown */
  close_setup (setup);
  setup = open_setup (profile);
  g_assert_cmpuint (adw_combo_row_get_selected (setup->company_row), ==, 1);

  /* another environment: its companies, and the old choice is forgotten */
  adw_combo_row_set_selected (setup->environment_row, 1);
  wait_for (setup, idle, "the companies of “test”");
  g_clear_pointer (&company_id, g_free);
  company_id = g_settings_get_string (settings, "company-id");
  g_assert_cmpstr (company_id, ==, "");
  g_clear_pointer (&company_name, g_free);
  company_name = g_settings_get_string (settings, "environment");
  g_assert_cmpstr (company_name, ==, "test");
  g_assert_cmpuint (g_list_model_get_n_items (companies), >, 0);

  close_setup (setup);
}

static void
test_validate_and_sign_out (void)
{
  g_autoptr (BcsProfile) profile = sandbox_profile ("exsetup-validate");
  GSettings *settings = bcs_profile_get_settings (profile);
  BcsExchangeSyncSetup *setup = open_setup (profile);
  static const char * const ids[] = {
    "signed-in", "bc-user", "environment", "company", "mailbox", "folder", "user-mapping",
  };
  g_autofree char *refresh = NULL;
  g_autofree char *account = NULL;
  GtkWidget *child;
  AdwMessageDialog *dialog = NULL;
  guint n = 0;

  sign_in_with_code (setup);
  adw_combo_row_set_selected (setup->company_row, 0);

  g_assert_cmpstr (gtk_button_get_label (setup->validate_button), ==, "_Validate Connection");
  click (setup->validate_button);
  g_assert_cmpstr (gtk_button_get_label (setup->validate_button), ==, "Validating…");
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (setup->validate_button)));
  wait_for (setup, checks_done, "the connection checks");

  /* every check, in order, with its status, message and icon */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (setup->checks_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      BcsCheckRow *row = BCS_CHECK_ROW (child);
      BcsCheckStatus status = bcs_check_row_get_status (row);

      g_assert_cmpuint (n, <, G_N_ELEMENTS (ids));
      g_assert_cmpstr (bcs_check_row_get_check_id (row), ==, ids[n]);
      g_assert_cmpuint (strlen (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))), >, 0);
      g_assert_cmpuint (strlen (bcs_check_row_get_message (row)), >, 0);
      g_test_message ("%s: %s — %s", ids[n], bcs_check_status_label (status), bcs_check_row_get_message (row));
      /* the sandbox's demo account is set up to pass (the folder is created at the first sync) */
      g_assert_true (status == BCS_CHECK_STATUS_PASS || status == BCS_CHECK_STATUS_WARNING);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (ids));
  g_assert_cmpuint (setup->n_checks, ==, n);
  g_assert_cmpuint (setup->n_failed, ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->checks_list)));
  g_assert_cmpstr (gtk_button_get_label (setup->validate_button), ==, "_Validate Again");

  /* the way on: Contact Sync. Setup, the default widget */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->next_button)));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (setup->next_button)), ==, "app.preferences");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (setup)) == GTK_WIDGET (setup->next_button));

  /* Sign Out asks first */
  click (setup->sign_out_button);
  iterate_main_context ();
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (window) &&
            gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (setup))
          dialog = ADW_MESSAGE_DIALOG (window);
      }
  }
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sign Out?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "demo@sandbox.example"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "sign-out"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "sign-out");
  wait_for (setup, idle, "the sign-out");

  g_assert_cmpstr (subtitle (setup->account_row), ==, "Not signed in");
  account = g_settings_get_string (settings, "account");
  g_assert_cmpstr (account, ==, "");
  refresh = lookup (profile, BCS_TOKEN_KIND_REFRESH);
  g_assert_null (refresh);
  g_assert_null (lookup (profile, BCS_TOKEN_KIND_ACCESS_GRAPH));
  g_assert_null (lookup (profile, BCS_TOKEN_KIND_ACCESS_BC));
  /* what depended on the sign-in is gone */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->checks_list)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->next_button)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (setup->environment_model)), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->sign_in_row)));

  close_setup (setup);
}

static void
assert_settings_never_hold (GSettings  *settings,
                            const char *secret)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, secret));
    }
}

static void
test_on_premises (void)
{
  g_autoptr (BcsProfile) profile = NULL;
  g_autoptr (GError) error = NULL;
  BcsExchangeSyncSetup *setup;
  GSettings *settings;
  g_autofree char *url = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *key = NULL;
  g_autofree char *user = NULL;

  /* not --sandbox: the deployment can be chosen; the sandbox serves on premises too */
  profile = bcs_profile_new ("exsetup-onprem", NULL, &error);
  g_assert_no_error (error);
  settings = bcs_profile_get_settings (profile);
  g_settings_set_string (settings, "client-id", "11111111-2222-3333-4444-555555555555");
  setup = open_setup (profile);

  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (setup->deployment_row)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (setup->client_id_row)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (setup->client_id_row)), ==,
                   "11111111-2222-3333-4444-555555555555");
  adw_combo_row_set_selected (setup->deployment_row, 1);
  iterate_main_context ();
  g_assert_cmpint (g_settings_get_enum (settings, "deployment"), ==, BCS_DEPLOYMENT_ON_PREMISES);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->environment_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->onprem_url_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->onprem_user_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->onprem_key_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (setup->key_saved_image)));

  /* plain http only to this computer */
  gtk_editable_set_text (GTK_EDITABLE (setup->onprem_url_row), "http://bc.example.com/BC");
  g_signal_emit_by_name (setup->onprem_url_row, "apply");
  iterate_main_context ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (setup->onprem_url_row), "error"));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (setup->bc_group), "Plain http"));
  saved = g_settings_get_string (settings, "bc-onprem-base-url");
  g_assert_cmpstr (saved, ==, "");

  url = g_strconcat (bcs_sandbox_get_url (sandbox), "/bc/onprem/", NULL);
  gtk_editable_set_text (GTK_EDITABLE (setup->onprem_url_row), url);
  g_signal_emit_by_name (setup->onprem_url_row, "apply");
  wait_for (setup, idle, "the address");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (setup->onprem_url_row), "error"));
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (settings, "bc-onprem-base-url");
  url[strlen (url) - 1] = '\0';
  g_assert_cmpstr (saved, ==, url);

  gtk_editable_set_text (GTK_EDITABLE (setup->onprem_user_row), "DEMO");
  g_signal_emit_by_name (setup->onprem_user_row, "apply");
  wait_for (setup, idle, "the user name");
  user = g_settings_get_string (settings, "bc-onprem-user");
  g_assert_cmpstr (user, ==, "DEMO");

  gtk_editable_set_text (GTK_EDITABLE (setup->onprem_key_row), "sandbox-web-service-key");
  g_signal_emit_by_name (setup->onprem_key_row, "apply");
  wait_for (setup, key_saved, "the key to be saved");

  /* the key is in the keyring, the entry is emptied, settings never hold it */
  key = lookup (profile, BCS_TOKEN_KIND_WEB_SERVICE_KEY);
  g_assert_cmpstr (key, ==, "sandbox-web-service-key");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (setup->onprem_key_row)), ==, "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (setup->key_saved_image)));
  assert_settings_never_hold (settings, "sandbox-web-service-key");

  /* with all three, the server's companies are listed (Basic auth with the saved key) */
  wait_for (setup, idle, "the companies");
  g_assert_cmpstr (description (setup->bc_group), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (setup->company_model)), ==, 2);
  adw_combo_row_set_selected (setup->company_row, 0);
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (settings, "company-name");
  g_assert_cmpstr (saved, ==, "CRONUS International Ltd.");

  /* opened again: the key is known to be saved, and still not shown */
  close_setup (setup);
  setup = open_setup (profile);
  g_assert_true (setup->key_saved);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (setup->onprem_key_row)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (setup->onprem_user_row)), ==, "DEMO");
  close_setup (setup);

  g_clear_pointer (&key, g_free);
  {
    g_autoptr (BcsTokenStore) store = bcs_token_store_new ("exsetup-onprem");

    auth_test_clear (store, NULL);
  }
}

static void
test_check_row (void)
{
  BcsConnectionCheckResult result = {
    .id = BCS_CONNECTION_CHECK_COMPANY,
    .title = (char *) "Company",
    .status = BCS_CHECK_STATUS_FAIL,
    .message = (char *) "No company “X” & co.",
    .hint = (char *) "Choose one of: A, B",
  };
  GtkWidget *row = g_object_ref_sink (bcs_check_row_new (&result));

  g_assert_cmpstr (bcs_check_row_get_check_id (BCS_CHECK_ROW (row)), ==, "company");
  g_assert_cmpint (bcs_check_row_get_status (BCS_CHECK_ROW (row)), ==, BCS_CHECK_STATUS_FAIL);
  g_assert_cmpstr (bcs_check_row_get_hint (BCS_CHECK_ROW (row)), ==, "Choose one of: A, B");
  /* the subtitle is markup, read back as text: the message escaped, then the hint */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "No company “X” & co.\nChoose one of: A, B");
  g_assert_cmpstr (bcs_check_status_icon_name (BCS_CHECK_STATUS_PASS), ==, "emblem-ok-symbolic");
  g_assert_cmpstr (bcs_check_status_icon_name (BCS_CHECK_STATUS_FAIL), ==, "dialog-error-symbolic");
  g_assert_cmpstr (bcs_check_status_icon_name (BCS_CHECK_STATUS_WARNING), ==, "dialog-warning-symbolic");
  g_assert_cmpstr (bcs_check_status_icon_name (BCS_CHECK_STATUS_SKIPPED), ==, "action-unavailable-symbolic");
  g_assert_cmpstr (bcs_check_status_label (BCS_CHECK_STATUS_SKIPPED), ==, "Skipped");
  g_assert_finalize_object (row);
}

/* The main window's "Set Up…" (win.setup) opens this window, modal to it, once */
static void
first_run_activated_cb (GApplication *app,
                        gpointer      user_data)
{
  GtkWindow *main_window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GListModel *toplevels = gtk_window_get_toplevels ();
  BcsExchangeSyncSetup *setup = NULL;
  guint n_setups = 0;

  g_assert_nonnull (main_window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.setup", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.setup", NULL));
  iterate_main_context ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (BCS_IS_EXCHANGE_SYNC_SETUP (window))
        {
          setup = BCS_EXCHANGE_SYNC_SETUP (window);
          n_setups++;
        }
    }
  g_assert_cmpuint (n_setups, ==, 1);
  g_object_ref (setup);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (setup)) == main_window);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (setup)));
  g_assert_true (gtk_window_get_application (GTK_WINDOW (setup)) == GTK_APPLICATION (app));
  g_assert_cmpstr (bcs_profile_get_name (bcs_exchange_sync_setup_get_profile (setup)), ==, "default");

  wait_for (setup, idle, "the window to settle");
  close_setup (setup);
  gtk_window_destroy (main_window);
  *(gboolean *) user_data = TRUE;
}

static void
test_first_run (void)
{
  BcsApplication *app = bcs_application_new ();
  gboolean ran = FALSE;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (first_run_activated_cb), &ran);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  g_assert_true (ran);
  g_assert_finalize_object (app);
}

/* BCS_SCREENSHOT=1: the window signed in, a company chosen and the checks listed */
static int
screenshot (void)
{
  g_autoptr (BcsProfile) profile = sandbox_profile ("screenshot");
  g_autoptr (BcsApplication) app = bcs_application_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GError) error = NULL;
  BcsExchangeSyncSetup *setup;

  /* the application's actions (app.preferences) as in a real run */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  setup = open_setup (profile);
  gtk_window_set_application (GTK_WINDOW (setup), GTK_APPLICATION (app));
  /* tall enough to show the checks without scrolling */
  gtk_window_set_default_size (GTK_WINDOW (setup), 720, 1010);
  if (g_strcmp0 (g_getenv ("BCS_SCREENSHOT"), "code") == 0)
    {
      /* the sandbox does not approve: the code stays on screen */
      click (setup->sign_in_code_button);
      wait_for (setup, code_shown, "the device code");
    }
  else
    {
      sign_in_with_code (setup);
      adw_combo_row_set_selected (setup->company_row, 0);
      click (setup->validate_button);
      wait_for (setup, checks_done, "the connection checks");
    }
  g_signal_connect_swapped (setup, "destroy", G_CALLBACK (g_main_loop_quit), loop);
  g_print ("ready\n");
  g_main_loop_run (loop);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  BcsSandboxOptions options;
  g_autoptr (GError) error = NULL;
  int status;

  g_setenv ("LC_ALL", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  bcs_sandbox_options_init (&options);
  /* BCS_SCREENSHOT=code shows the device code as a user sees it */
  options.auto_approve = g_strcmp0 (g_getenv ("BCS_SCREENSHOT"), "code") != 0;
  options.bc_contacts = 5;
  sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);
  if (!bcs_sandbox_start_thread (sandbox, &error))
    g_error ("The sandbox did not start: %s", error->message);
  bcs_exchange_sync_setup_set_show_uri_func (show_uri_hook);

  if (g_getenv ("BCS_SCREENSHOT") != NULL)
    status = screenshot ();
  else
    {
      g_test_add_func ("/exchange-sync-setup/check-row", test_check_row);
      g_test_add_func ("/exchange-sync-setup/first-run", test_first_run);
      g_test_add_func ("/exchange-sync-setup/opens-signed-out", test_opens_signed_out);
      g_test_add_func ("/exchange-sync-setup/escape-closes", test_escape_closes);
      g_test_add_func ("/exchange-sync-setup/device-code-sign-in", test_device_code_sign_in);
      g_test_add_func ("/exchange-sync-setup/browser-sign-in", test_browser_sign_in);
      g_test_add_func ("/exchange-sync-setup/browser-cancel", test_browser_cancel);
      g_test_add_func ("/exchange-sync-setup/lists-and-company", test_lists_and_company);
      g_test_add_func ("/exchange-sync-setup/validate-and-sign-out", test_validate_and_sign_out);
      g_test_add_func ("/exchange-sync-setup/on-premises", test_on_premises);
      status = g_test_run ();
    }

  bcs_exchange_sync_setup_set_show_uri_func (NULL);
  g_clear_pointer (&shown_uri, g_free);
  bcs_sandbox_free (sandbox);
  return status;
}
