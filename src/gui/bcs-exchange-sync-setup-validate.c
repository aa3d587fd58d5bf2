/* bcs-exchange-sync-setup-validate.c — Exchange Sync. Setup: Validate Connection
 *
 * Runs BcsConnectionCheck on the profile as it is saved and lists every
 * check with its result, message and hint (BcsCheckRow). */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-check-row.h"
#include "bcs-connection-check.h"
#include "bcs-exchange-sync-setup-private.h"

static void
remove_rows (BcsExchangeSyncSetup *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->checks_list))) != NULL)
    gtk_list_box_remove (self->checks_list, child);
}

void
bcs_exchange_sync_setup_validate_reset (BcsExchangeSyncSetup *self)
{
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  self->checks = BCS_SETUP_CHECKS_NONE;
  self->n_checks = self->n_failed = self->n_warnings = 0;
  if (self->checks_list != NULL)
    remove_rows (self);
}

static void
checks_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BcsExchangeSyncSetup *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) results = bcs_connection_check_run_finish (BCS_CONNECTION_CHECK (source),
                                                                   result, &error);

  if (self->account_row == NULL || (results == NULL && bcs_exchange_sync_setup_error_is_cancelled (error)))
    {
      bcs_exchange_sync_setup_release (self);
      return;
    }

  remove_rows (self);
  self->n_checks = self->n_failed = self->n_warnings = 0;

  if (results == NULL)
    {
      /* the checks report every problem as a result; this is unexpected */
      g_warning ("The connection checks of profile “%s” stopped: %s",
                 bcs_profile_get_name (self->profile), error->message);
      bcs_exchange_sync_setup_toast (self, error->message);
      self->checks = BCS_SETUP_CHECKS_NONE;
    }
  else
    {
      for (guint i = 0; i < results->len; i++)
        {
          BcsConnectionCheckResult *check = g_ptr_array_index (results, i);

          gtk_list_box_append (self->checks_list, bcs_check_row_new (check));
          self->n_checks++;
          if (check->status == BCS_CHECK_STATUS_FAIL)
            self->n_failed++;
          else if (check->status == BCS_CHECK_STATUS_WARNING)
            self->n_warnings++;
        }
      self->checks = BCS_SETUP_CHECKS_DONE;
    }

  bcs_exchange_sync_setup_update (self);
  if (gtk_widget_get_visible (GTK_WIDGET (self->next_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
  bcs_exchange_sync_setup_release (self);
}

static void
validate_clicked_cb (BcsExchangeSyncSetup *self)
{
  g_autoptr (BcsConnectionCheck) check = NULL;

  if (self->checks == BCS_SETUP_CHECKS_RUNNING)
    return;

  bcs_exchange_sync_setup_validate_reset (self);
  self->check_cancellable = g_cancellable_new ();
  self->checks = BCS_SETUP_CHECKS_RUNNING;

  check = bcs_connection_check_new_for_profile (self->profile);
  /* as the sync does against a sandbox: without a chosen company, its first */
  bcs_connection_check_set_default_company (check, bcs_profile_is_sandbox (self->profile));
  bcs_exchange_sync_setup_hold (self);
  bcs_connection_check_run_async (check, self->check_cancellable, checks_done_cb, self);
  bcs_exchange_sync_setup_update (self);
}

void
bcs_exchange_sync_setup_validate_dispose (BcsExchangeSyncSetup *self)
{
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
}

void
bcs_exchange_sync_setup_validate_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, validate_clicked_cb);
}
