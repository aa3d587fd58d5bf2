/* bcs-window-history.c — the main window's run history
 *
 * win.show-history (the header bar's Run History button, Ctrl+H) shows the
 * "history" page of the sync stack, reading the runs of the window's
 * profile afresh each time it is shown and when the window becomes active
 * again (a background sync may have run meanwhile). A run activated there
 * opens in the results view, whose Export saves it. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include "bcs-window-private.h"

static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BcsWindow *self = BCS_WINDOW (widget);

  if (bcs_window_get_page (self) == BCS_WINDOW_PAGE_FIRST_RUN)
    return;
  bcs_window_show_page (self, BCS_WINDOW_PAGE_HISTORY);
  bcs_history_view_reload (self->history_view);
  gtk_widget_child_focus (GTK_WIDGET (self->history_view), GTK_DIR_TAB_FORWARD);
}

static void
on_run_loaded (BcsWindow           *self,
               const BcsSyncReport *run)
{
  /* a run started meanwhile shows its own progress and results */
  if (bcs_window_get_page (self) != BCS_WINDOW_PAGE_HISTORY)
    return;
  bcs_results_view_set_report (self->results_view, run);
  self->shown_from_history = TRUE;
  bcs_window_show_page (self, BCS_WINDOW_PAGE_RESULTS);
}

static void
on_active_changed (BcsWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self))
      && bcs_window_get_page (self) == BCS_WINDOW_PAGE_HISTORY)
    bcs_history_view_reload (self->history_view);
}

void
bcs_window_history_set_service (BcsWindow      *self,
                                BcsSyncService *service)
{
  BcsProfile *profile = service != NULL ? bcs_sync_service_get_profile (service) : NULL;

  bcs_history_view_set_store (self->history_view,
                              service != NULL ? bcs_sync_service_get_store_path (service) : NULL,
                              profile != NULL ? bcs_profile_get_name (profile) : NULL);
  if (bcs_window_get_page (self) == BCS_WINDOW_PAGE_HISTORY)
    bcs_history_view_reload (self->history_view);
}

void
bcs_window_history_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (BCS_TYPE_HISTORY_VIEW);

  gtk_widget_class_bind_template_child (widget_class, BcsWindow, history_view);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, history_button);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "win.show-history", NULL);
}

void
bcs_window_history_init (BcsWindow *self)
{
  g_signal_connect_swapped (self->history_view, "run-loaded", G_CALLBACK (on_run_loaded), self);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed), NULL);
}
