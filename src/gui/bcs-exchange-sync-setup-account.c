/* bcs-exchange-sync-setup-account.c — Exchange Sync. Setup: signing in and out of Microsoft 365
 *
 * Sign In… opens the authorize page in the browser (PKCE, answered on a
 * loopback listener); Sign In with a Code… shows a device code to enter
 * elsewhere. Both can be cancelled; the window waits with a spinner. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-exchange-sync-setup-private.h"

static void
show_account_error (BcsExchangeSyncSetup *self,
                    const char           *message)
{
  adw_preferences_group_set_description (self->account_group, message);
}

static void
start_flow (BcsExchangeSyncSetup *self,
            BcsSetupAuth          auth,
            const char           *waiting_title)
{
  g_clear_object (&self->sign_in);
  g_clear_object (&self->sign_in_http);
  g_clear_object (&self->sign_in_cancellable);

  self->sign_in_http = bcs_http_new ();
  self->sign_in = bcs_sign_in_new (self->profile, self->store, self->sign_in_http);
  if (self->poll_interval > 0)
    bcs_sign_in_set_poll_interval (self->sign_in, self->poll_interval);
  self->sign_in_cancellable = g_cancellable_new ();
  self->auth = auth;

  show_account_error (self, NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->waiting_row), waiting_title);
  gtk_label_set_label (self->user_code_label, "");
  bcs_exchange_sync_setup_hold (self);
  bcs_exchange_sync_setup_update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_sign_in_button));
}

/* Both flows end here: the account setting has been written on success */
static void
finish_flow (BcsExchangeSyncSetup *self,
             BcsSignIn            *sign_in,
             const char           *account,
             GError               *error)
{
  /* a flow cancelled from the window, or the window gone: nothing to show */
  gboolean current = sign_in == self->sign_in && self->account_row != NULL;

  if (current)
    self->auth = BCS_SETUP_AUTH_SIGNED_OUT;   /* gather() reads the account setting */

  if (current)
    {
      if (error != NULL && !bcs_exchange_sync_setup_error_is_cancelled (error))
        {
          g_message ("Sign-in of profile “%s” failed: %s",
                     bcs_profile_get_name (self->profile), error->message);
          show_account_error (self, error->message);
        }
      else if (account != NULL)
        {
          g_debug ("Signed in to profile “%s”", bcs_profile_get_name (self->profile));
          bcs_exchange_sync_setup_validate_reset (self);
          bcs_exchange_sync_setup_bc_reload (self);
        }

      bcs_exchange_sync_setup_update (self);
      if (account != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->validate_button));
    }

  bcs_exchange_sync_setup_release (self);
}

void
bcs_exchange_sync_setup_browser_failed (BcsExchangeSyncSetup *self,
                                        const char           *uri,
                                        const GError         *error)
{
  g_autofree char *message = NULL;
  g_autofree char *markup = NULL;

  /* the window is gone, or the flow ended meanwhile */
  if (self->account_row == NULL || self->auth != BCS_SETUP_AUTH_WAITING_BROWSER)
    return;

  g_message ("No web browser opened for the sign-in of profile “%s”: %s",
             bcs_profile_get_name (self->profile), error != NULL ? error->message : "");
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), uri);
  /* TRANSLATORS: %s is a long web address */
  message = g_strdup_printf (_("No web browser could be opened. The sign-in address was copied: "
                               "open it in a web browser on this computer, or cancel and choose "
                               "Sign In with a Code.\n%s"), uri);
  /* the group's description is markup */
  markup = g_markup_escape_text (message, -1);
  show_account_error (self, markup);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->waiting_row),
                                 _("Waiting for the sign-in in a web browser…"));
}

static void
show_uri_cb (const char *uri,
             gpointer    user_data)
{
  bcs_exchange_sync_setup_show_uri (user_data, uri);
}

static void
browser_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *account = bcs_sign_in_browser_finish (BCS_SIGN_IN (source), result, &error);

  finish_flow (user_data, BCS_SIGN_IN (source), account, error);
}

static void
sign_in_clicked_cb (BcsExchangeSyncSetup *self)
{
  if (self->auth != BCS_SETUP_AUTH_SIGNED_OUT)
    return;

  start_flow (self, BCS_SETUP_AUTH_WAITING_BROWSER,
              _("Waiting for you to sign in in your web browser…"));
  bcs_sign_in_browser_async (self->sign_in, show_uri_cb, self, self->sign_in_cancellable,
                             browser_done_cb, self);
}

static void
show_code_cb (const BcsOAuthDeviceCode *code,
              gpointer                  user_data)
{
  BcsExchangeSyncSetup *self = user_data;
  g_autofree char *description = NULL;

  /* a flow cancelled meanwhile, or the window gone */
  if (self->account_row == NULL || self->auth != BCS_SETUP_AUTH_REQUESTING_CODE)
    return;

  gtk_label_set_label (self->user_code_label, code->user_code);
  gtk_link_button_set_uri (self->verification_link, code->verification_uri);
  gtk_button_set_label (GTK_BUTTON (self->verification_link), code->verification_uri);
  /* TRANSLATORS: %s is a short code such as ABCD-EFGH */
  description = g_strdup_printf (_("Sign-in code %s"), code->user_code);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_code_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->waiting_row),
                                 _("Waiting for you to enter the code…"));
  self->auth = BCS_SETUP_AUTH_WAITING_CODE;
  bcs_exchange_sync_setup_update (self);
}

static void
device_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *account = bcs_sign_in_device_finish (BCS_SIGN_IN (source), result, &error);

  finish_flow (user_data, BCS_SIGN_IN (source), account, error);
}

static void
sign_in_code_clicked_cb (BcsExchangeSyncSetup *self)
{
  if (self->auth != BCS_SETUP_AUTH_SIGNED_OUT)
    return;

  start_flow (self, BCS_SETUP_AUTH_REQUESTING_CODE, _("Asking Microsoft 365 for a code…"));
  bcs_sign_in_device_async (self->sign_in, show_code_cb, self, self->sign_in_cancellable,
                            device_done_cb, self);
}

/* The window is signed out at once; the flow ends in the background (its
 * listener closes when it sees the cancellation) */
static void
cancel_sign_in_clicked_cb (BcsExchangeSyncSetup *self)
{
  if (self->sign_in_cancellable != NULL)
    g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in);
  self->auth = BCS_SETUP_AUTH_SIGNED_OUT;
  bcs_exchange_sync_setup_update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
}

static void
copy_code_clicked_cb (BcsExchangeSyncSetup *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  gdk_clipboard_set_text (clipboard, gtk_label_get_label (self->user_code_label));
  bcs_exchange_sync_setup_toast (self, _("Code copied"));
}

static void
sign_out_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BcsExchangeSyncSetup *self = user_data;
  g_autoptr (GError) error = NULL;

  self->auth = BCS_SETUP_AUTH_SIGNED_OUT;
  if (!bcs_sign_out_finish (result, &error))
    g_message ("Sign-out of profile “%s” failed: %s",
               bcs_profile_get_name (self->profile), error->message);

  if (self->account_row != NULL)
    {
      if (error != NULL)
        show_account_error (self, error->message);
      bcs_exchange_sync_setup_bc_forget (self);
      bcs_exchange_sync_setup_validate_reset (self);
      bcs_exchange_sync_setup_update (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
    }

  bcs_exchange_sync_setup_release (self);
}

static void
sign_out_response_cb (AdwMessageDialog     *dialog,
                      const char           *response,
                      BcsExchangeSyncSetup *self)
{
  if (g_strcmp0 (response, "sign-out") != 0 || self->auth != BCS_SETUP_AUTH_SIGNED_IN)
    return;

  self->auth = BCS_SETUP_AUTH_SIGNING_OUT;
  show_account_error (self, NULL);
  bcs_exchange_sync_setup_hold (self);
  bcs_exchange_sync_setup_update (self);
  bcs_sign_out_async (self->profile, self->store, NULL, sign_out_done_cb, self);
}

static void
sign_out_clicked_cb (BcsExchangeSyncSetup *self)
{
  g_autofree char *account = g_settings_get_string (bcs_profile_get_settings (self->profile), "account");
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Sign Out?"), NULL));
  /* TRANSLATORS: %s is an e-mail address */
  adw_message_dialog_format_body (dialog,
                                  _("The tokens of %s are removed from the keyring. "
                                    "Nothing syncs until you sign in again."),
                                  account);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
bcs_exchange_sync_setup_account_init (BcsExchangeSyncSetup *self)
{
  GSettings *settings = bcs_profile_get_settings (self->profile);
  g_autofree char *account = g_settings_get_string (settings, "account");

  self->auth = *account != '\0' ? BCS_SETUP_AUTH_SIGNED_IN : BCS_SETUP_AUTH_SIGNED_OUT;
  /* a sign-in from the command line shows here too */
  g_signal_connect_object (settings, "changed::account",
                           G_CALLBACK (bcs_exchange_sync_setup_update), self, G_CONNECT_SWAPPED);
}

void
bcs_exchange_sync_setup_account_dispose (BcsExchangeSyncSetup *self)
{
  /* a flow holds the window: it ends now, and the window is freed after it */
  if (self->sign_in_cancellable != NULL)
    g_cancellable_cancel (self->sign_in_cancellable);
}

void
bcs_exchange_sync_setup_account_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_code_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_code_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked_cb);
}
