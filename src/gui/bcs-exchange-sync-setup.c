/* bcs-exchange-sync-setup.c — Exchange Sync. Setup: lifecycle, template and the view
 *
 * The parts: -account.c (sign in and out), -bc.c (Business Central and the
 * app registration), -validate.c (the connection checks). Each part changes
 * its own fields and calls bcs_exchange_sync_setup_update(), which computes
 * what to show with the pure bcs_exchange_setup_compute() and applies it. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-application.h"
#include "bcs-check-row.h"
#include "bcs-cli-options.h"
#include "bcs-error.h"
#include "bcs-exchange-sync-setup-private.h"

G_DEFINE_FINAL_TYPE (BcsExchangeSyncSetup, bcs_exchange_sync_setup, ADW_TYPE_PREFERENCES_WINDOW)

static BcsExchangeSyncSetupShowUriFunc show_uri_func = NULL;

BcsExchangeSyncSetup *
bcs_exchange_sync_setup_new (BcsProfile *profile)
{
  BcsExchangeSyncSetup *self;

  g_return_val_if_fail (BCS_IS_PROFILE (profile), NULL);

  self = g_object_new (BCS_TYPE_EXCHANGE_SYNC_SETUP, NULL);
  self->profile = g_object_ref (profile);
  self->store = bcs_token_store_new_for_profile (profile);

  bcs_exchange_sync_setup_account_init (self);
  bcs_exchange_sync_setup_bc_init (self);
  bcs_exchange_sync_setup_update (self);
  return self;
}

gboolean
bcs_exchange_sync_setup_present (GtkWindow  *parent,
                                 GError    **error)
{
  GtkApplication *app;
  g_autoptr (BcsProfile) profile = NULL;
  BcsExchangeSyncSetup *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), FALSE);

  app = gtk_window_get_application (parent);
  g_return_val_if_fail (BCS_IS_APPLICATION (app), FALSE);

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (BCS_IS_EXCHANGE_SYNC_SETUP (l->data))
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return TRUE;
      }

  profile = bcs_profile_new (bcs_application_get_profile (BCS_APPLICATION (app)),
                             bcs_application_get_sandbox_url (BCS_APPLICATION (app)),
                             error);
  if (profile == NULL)
    return FALSE;

  self = bcs_exchange_sync_setup_new (profile);
  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_application (GTK_WINDOW (self), app);
  gtk_window_present (GTK_WINDOW (self));
  return TRUE;
}

BcsProfile *
bcs_exchange_sync_setup_get_profile (BcsExchangeSyncSetup *self)
{
  g_return_val_if_fail (BCS_IS_EXCHANGE_SYNC_SETUP (self), NULL);
  return self->profile;
}

void
bcs_exchange_sync_setup_set_show_uri_func (BcsExchangeSyncSetupShowUriFunc func)
{
  show_uri_func = func;
}

void
bcs_exchange_sync_setup_set_poll_interval (BcsExchangeSyncSetup *self,
                                           double                seconds)
{
  g_return_if_fail (BCS_IS_EXCHANGE_SYNC_SETUP (self));
  self->poll_interval = seconds;
}

gboolean
bcs_exchange_sync_setup_is_busy (BcsExchangeSyncSetup *self)
{
  g_return_val_if_fail (BCS_IS_EXCHANGE_SYNC_SETUP (self), FALSE);
  return self->busy > 0;
}

static void
show_uri_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (BcsExchangeSyncSetup) self = BCS_EXCHANGE_SYNC_SETUP (source);
  g_autofree char *uri = user_data;
  g_autoptr (GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (self), result, &error))
    bcs_exchange_sync_setup_browser_failed (self, uri, error);
}

void
bcs_exchange_sync_setup_show_uri (BcsExchangeSyncSetup *self,
                                  const char           *uri)
{
  if (show_uri_func != NULL)
    show_uri_func (GTK_WINDOW (self), uri);
  else
    /* no browser (a server, a bare Xvfb): the address to copy, and the code */
    gtk_show_uri_full (GTK_WINDOW (g_object_ref (self)), uri, GDK_CURRENT_TIME, NULL,
                       show_uri_done_cb, g_strdup (uri));
}

gboolean
bcs_exchange_sync_setup_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, BCS_ERROR, BCS_ERROR_CANCELLED);
}

/* An async operation holds the window until it finishes */
void
bcs_exchange_sync_setup_hold (BcsExchangeSyncSetup *self)
{
  g_object_ref (self);
  self->busy++;
}

void
bcs_exchange_sync_setup_release (BcsExchangeSyncSetup *self)
{
  g_return_if_fail (self->busy > 0);
  self->busy--;
  g_object_unref (self);
}

void
bcs_exchange_sync_setup_toast (BcsExchangeSyncSetup *self,
                               const char           *message)
{
  /* a toast's title is markup */
  g_autofree char *title = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 5);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static gboolean
onprem_url_is_set (GSettings *settings)
{
  g_autofree char *url = g_settings_get_string (settings, "bc-onprem-base-url");

  return *url != '\0' && bcs_cli_url_is_allowed (url, NULL);
}

static gboolean
setting_is_set (GSettings  *settings,
                const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  return *g_strstrip (value) != '\0';
}

static void
gather (BcsExchangeSyncSetup  *self,
        BcsExchangeSetupInput *input,
        char                 **account)
{
  GSettings *settings = bcs_profile_get_settings (self->profile);

  *account = g_settings_get_string (settings, "account");

  /* Between flows, the account setting (written by the sign-in, cleared by the sign-out) says it */
  if (self->auth == BCS_SETUP_AUTH_SIGNED_IN || self->auth == BCS_SETUP_AUTH_SIGNED_OUT)
    self->auth = **account != '\0' ? BCS_SETUP_AUTH_SIGNED_IN : BCS_SETUP_AUTH_SIGNED_OUT;

  input->auth = self->auth;
  input->account = *account;
  input->sandbox = bcs_profile_is_sandbox (self->profile);
  input->registration_filled = input->sandbox || setting_is_set (settings, "client-id");
  input->deployment = bcs_profile_get_deployment (self->profile);
  input->environments = self->environments;
  input->companies = self->companies;
  input->environment_chosen = self->environments == BCS_SETUP_LIST_LOADED &&
                              adw_combo_row_get_selected (self->environment_row) != GTK_INVALID_LIST_POSITION;
  /* once the list is there, only a company in it counts */
  if (self->companies == BCS_SETUP_LIST_LOADED)
    input->company_chosen = adw_combo_row_get_selected (self->company_row) != GTK_INVALID_LIST_POSITION;
  else
    input->company_chosen = setting_is_set (settings, "company-id");
  input->onprem_url_set = onprem_url_is_set (settings);
  input->onprem_user_set = setting_is_set (settings, "bc-onprem-user");
  input->onprem_key_saved = self->key_saved;
  input->checks = self->checks;
  input->n_checks = self->n_checks;
  input->n_failed = self->n_failed;
  input->n_warnings = self->n_warnings;
}

void
bcs_exchange_sync_setup_update (BcsExchangeSyncSetup *self)
{
  BcsExchangeSetupInput input = { 0 };
  g_autofree char *account = NULL;
  BcsExchangeSetupView *view = &self->view;

  if (self->profile == NULL || self->account_row == NULL)
    return;   /* not constructed yet, or disposed */

  gather (self, &input, &account);
  bcs_exchange_setup_compute (&input, view);

  adw_action_row_set_subtitle (self->account_row, view->account_subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_row), view->sign_in_visible);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), view->sign_in_sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_code_button), view->sign_in_sensitive);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), view->sign_out_visible);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_button), view->sign_out_sensitive);
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_row), view->waiting_visible);
  gtk_spinner_set_spinning (self->waiting_spinner, view->waiting_visible);
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), view->code_visible);

  gtk_widget_set_sensitive (GTK_WIDGET (self->deployment_row), view->deployment_sensitive);
  gtk_widget_set_visible (GTK_WIDGET (self->environment_row), view->online_rows_visible);
  gtk_widget_set_visible (GTK_WIDGET (self->onprem_url_row), view->onprem_rows_visible);
  gtk_widget_set_visible (GTK_WIDGET (self->onprem_user_row), view->onprem_rows_visible);
  gtk_widget_set_visible (GTK_WIDGET (self->onprem_key_row), view->onprem_rows_visible);
  gtk_widget_set_visible (GTK_WIDGET (self->key_saved_image), self->key_saved);
  gtk_widget_set_visible (GTK_WIDGET (self->company_row), view->company_visible);
  gtk_widget_set_sensitive (GTK_WIDGET (self->environment_row), view->environment_sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->company_row), view->company_sensitive);
  gtk_widget_set_visible (GTK_WIDGET (self->bc_spinner), view->bc_loading);
  gtk_spinner_set_spinning (self->bc_spinner, view->bc_loading);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), view->bc_retry_visible);
  adw_preferences_group_set_description (self->bc_group, self->bc_error);
  gtk_widget_set_sensitive (GTK_WIDGET (self->client_id_row), view->registration_sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tenant_row), view->registration_sensitive);

  gtk_button_set_label (self->validate_button, view->validate_label);
  gtk_widget_set_sensitive (GTK_WIDGET (self->validate_button), view->validate_sensitive);
  if (view->next_visible)
    gtk_widget_add_css_class (GTK_WIDGET (self->validate_button), "flat");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->validate_button), "flat");
  gtk_widget_set_visible (GTK_WIDGET (self->checks_list), view->checks_visible);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), view->next_visible);
  adw_preferences_group_set_description (self->connection_group, view->summary);

  /* Enter does the next thing to do */
  if (view->next_visible)
    gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->next_button));
  else if (view->validate_sensitive)
    gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->validate_button));
  else if (view->sign_in_visible && view->sign_in_sensitive)
    gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->sign_in_button));
  else
    gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
}

static void
bcs_exchange_sync_setup_dispose (GObject *object)
{
  BcsExchangeSyncSetup *self = BCS_EXCHANGE_SYNC_SETUP (object);

  bcs_exchange_sync_setup_account_dispose (self);
  bcs_exchange_sync_setup_bc_dispose (self);
  bcs_exchange_sync_setup_validate_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), BCS_TYPE_EXCHANGE_SYNC_SETUP);
  self->account_row = NULL;
  /* a running operation may keep this window alive after its parent is gone */
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);

  G_OBJECT_CLASS (bcs_exchange_sync_setup_parent_class)->dispose (object);
}

static void
bcs_exchange_sync_setup_finalize (GObject *object)
{
  BcsExchangeSyncSetup *self = BCS_EXCHANGE_SYNC_SETUP (object);

  bcs_exchange_setup_view_clear (&self->view);
  /* the async operations held the window: none is running any more */
  g_clear_object (&self->sign_in);
  g_clear_object (&self->sign_in_http);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_object (&self->bc_http);
  g_clear_object (&self->bc_provider);
  g_clear_object (&self->bc_cancellable);
  g_clear_pointer (&self->company_ids, g_ptr_array_unref);
  g_clear_pointer (&self->bc_error, g_free);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (bcs_exchange_sync_setup_parent_class)->finalize (object);
}

static void
bcs_exchange_sync_setup_class_init (BcsExchangeSyncSetupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bcs_exchange_sync_setup_dispose;
  object_class->finalize = bcs_exchange_sync_setup_finalize;

  g_type_ensure (BCS_TYPE_CHECK_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/bcs-exchange-sync-setup.ui");
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, account_group);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, account_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, sign_in_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, sign_in_code_button);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, waiting_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, waiting_spinner);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, cancel_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, code_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, verification_link);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, user_code_label);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, copy_code_button);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, registration_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, registration_help_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, bc_group);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, bc_spinner);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, retry_button);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, deployment_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, environment_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, environment_model);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, onprem_url_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, onprem_user_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, onprem_key_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, key_saved_image);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, company_row);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, company_model);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, connection_group);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, validate_button);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, checks_list);
  gtk_widget_class_bind_template_child (widget_class, BcsExchangeSyncSetup, next_button);

  bcs_exchange_sync_setup_account_class_init (widget_class);
  bcs_exchange_sync_setup_bc_class_init (widget_class);
  bcs_exchange_sync_setup_validate_class_init (widget_class);
}

static void
bcs_exchange_sync_setup_init (BcsExchangeSyncSetup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_PROFILE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
