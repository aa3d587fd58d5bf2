/* bcs-window-sync.c — the main window's sync: overview, progress, results
 *
 * The actions (win.sync, win.full-sync, win.preview, win.apply-preview,
 * win.cancel-sync, win.show-results, win.show-overview, win.search) run
 * BcsSyncService in its worker thread; its progress arrives on the main
 * context. A finished run shows its results, and says what went wrong: the
 * brake asks in a dialog, an expired sign-in shows the banner with Sign In,
 * other failures raise a toast with View (and a notification when the
 * window is not focused). */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-application-background.h"
#include "bcs-application-profiles.h"
#include "bcs-error.h"
#include "bcs-window-private.h"

/* ---- pure state ---- */

gboolean
bcs_window_profile_is_configured (BcsProfile *profile)
{
  GSettings *settings;
  g_autofree char *account = NULL;
  g_autofree char *company = NULL;

  if (profile == NULL)
    return FALSE;

  settings = bcs_profile_get_settings (profile);
  account = g_settings_get_string (settings, "account");
  /* the sandbox is signed in to as the real services are (Exchange Sync.
   * Setup), and takes its first company when none is chosen */
  if (bcs_profile_is_sandbox (profile))
    return *account != '\0';

  company = g_settings_get_string (settings, "company-id");
  return *account != '\0' && *company != '\0';
}

BcsRunNotice
bcs_window_run_notice (const BcsSyncReport *report,
                       const GError        *error,
                       char               **message)
{
  g_return_val_if_fail (message != NULL, BCS_RUN_NOTICE_NONE);

  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED))
    {
      *message = g_strdup (error->message);
      return BCS_RUN_NOTICE_SIGN_IN;
    }
  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_BRAKE)
      || (error == NULL && report != NULL && report->outcome == BCS_SYNC_RUN_BRAKED))
    {
      guint deletes = report != NULL ? report->counts.outlook_deleted : 0;

      if (deletes > 0)
        *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Remove %u contact from Outlook?",
                                                 "Remove %u contacts from Outlook?", deletes), deletes);
      else
        *message = g_strdup (_("Remove contacts from Outlook?"));
      return BCS_RUN_NOTICE_BRAKE;
    }
  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || (error == NULL && report != NULL && report->outcome == BCS_SYNC_RUN_CANCELLED))
    {
      *message = g_strdup (_("The sync was cancelled."));
      return BCS_RUN_NOTICE_CANCELLED;
    }
  if (error != NULL)
    {
      *message = g_strdup (error->message);
      return BCS_RUN_NOTICE_FAILED;
    }
  if (report == NULL)
    {
      *message = g_strdup (_("The sync could not start."));
      return BCS_RUN_NOTICE_FAILED;
    }
  switch (report->outcome)
    {
    case BCS_SYNC_RUN_FAILED:
      *message = g_strdup (report->message != NULL && *report->message != '\0'
                           ? report->message : _("The sync failed: no contact could be written."));
      return BCS_RUN_NOTICE_FAILED;
    case BCS_SYNC_RUN_PARTIAL:
      *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact could not be synced",
                                               "%u contacts could not be synced", report->counts.failed),
                                  report->counts.failed);
      return BCS_RUN_NOTICE_FAILED;
    case BCS_SYNC_RUN_OK:
    case BCS_SYNC_RUN_BRAKED:
    case BCS_SYNC_RUN_CANCELLED:
    case BCS_SYNC_RUN_RUNNING:
    default:
      *message = g_strdup (report->dry_run ? _("Preview finished: nothing was written.")
                                           : _("Sync finished."));
      return BCS_RUN_NOTICE_NONE;
    }
}

/* ---- pages and actions ---- */

static gboolean
is_running (BcsWindow *self)
{
  return self->cancellable != NULL;
}

static gboolean
is_configured (BcsWindow *self)
{
  return self->service != NULL
         && bcs_window_profile_is_configured (bcs_sync_service_get_profile (self->service));
}

BcsWindowPage
bcs_window_get_page (BcsWindow *self)
{
  const char *name;

  g_return_val_if_fail (BCS_IS_WINDOW (self), BCS_WINDOW_PAGE_FIRST_RUN);

  if (adw_toast_overlay_get_child (self->toast_overlay) != self->sync_page)
    return BCS_WINDOW_PAGE_FIRST_RUN;
  name = gtk_stack_get_visible_child_name (self->sync_stack);
  if (g_strcmp0 (name, "progress") == 0)
    return BCS_WINDOW_PAGE_PROGRESS;
  if (g_strcmp0 (name, "results") == 0)
    return BCS_WINDOW_PAGE_RESULTS;
  if (g_strcmp0 (name, "history") == 0)
    return BCS_WINDOW_PAGE_HISTORY;
  return BCS_WINDOW_PAGE_OVERVIEW;
}

static void
update_actions (BcsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const BcsSyncReport *shown = bcs_results_view_get_report (self->results_view);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  /* not while a profile is being renamed or removed */
  gboolean can_run = is_configured (self) && !is_running (self) &&
                     !(BCS_IS_APPLICATION (app) && bcs_application_profiles_is_busy (BCS_APPLICATION (app)));

  gtk_widget_action_set_enabled (widget, "win.sync", can_run);
  gtk_widget_action_set_enabled (widget, "win.full-sync", can_run);
  gtk_widget_action_set_enabled (widget, "win.preview", can_run);
  /* Apply runs the sync the newest preview showed, not an old one's */
  gtk_widget_action_set_enabled (widget, "win.apply-preview",
                                 can_run && shown != NULL && shown->dry_run && !self->shown_from_history);
  gtk_widget_action_set_enabled (widget, "win.cancel-sync", is_running (self));
  gtk_widget_action_set_enabled (widget, "win.show-results", !is_running (self) && shown != NULL);
  gtk_widget_action_set_enabled (widget, "win.show-overview", !is_running (self) && is_configured (self));
  gtk_widget_action_set_enabled (widget, "win.search", !is_running (self) && shown != NULL);
  gtk_widget_action_set_enabled (widget, "win.show-history", !is_running (self) && is_configured (self));
  bcs_profile_switcher_set_locked (self->profile_switcher, is_running (self));
}

void
bcs_window_update_sync_actions (BcsWindow *self)
{
  g_return_if_fail (BCS_IS_WINDOW (self));
  update_actions (self);
}

gboolean
bcs_window_is_syncing (BcsWindow *self)
{
  g_return_val_if_fail (BCS_IS_WINDOW (self), FALSE);

  return is_running (self);
}

static void
show_page (BcsWindow     *self,
           BcsWindowPage  page)
{
  static const char *names[] = { NULL, "overview", "progress", "results", "history" };

  if (page == BCS_WINDOW_PAGE_FIRST_RUN)
    {
      if (adw_toast_overlay_get_child (self->toast_overlay) != GTK_WIDGET (self->status_page))
        adw_toast_overlay_set_child (self->toast_overlay, GTK_WIDGET (self->status_page));
    }
  else
    {
      if (adw_toast_overlay_get_child (self->toast_overlay) != self->sync_page)
        adw_toast_overlay_set_child (self->toast_overlay, self->sync_page);
      gtk_stack_set_visible_child_name (self->sync_stack, names[page]);
    }
  update_actions (self);
}

void
bcs_window_show_page (BcsWindow     *self,
                      BcsWindowPage  page)
{
  g_return_if_fail (BCS_IS_WINDOW (self));

  show_page (self, page);
}

/* The first-run page until the profile is set up, then the overview */
static void
update_first_run (BcsWindow *self)
{
  BcsWindowPage page = bcs_window_get_page (self);

  if (!is_configured (self))
    show_page (self, BCS_WINDOW_PAGE_FIRST_RUN);
  else if (page == BCS_WINDOW_PAGE_FIRST_RUN)
    show_page (self, BCS_WINDOW_PAGE_OVERVIEW);
  else
    update_actions (self);
}

static void
set_banner (BcsWindow  *self,
            const char *message)
{
  if (message != NULL)
    gtk_label_set_label (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner, message != NULL);
}

/* ---- the last run, read from the store in a thread ---- */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  BcsSyncService *service = task_data;
  g_autoptr (GError) error = NULL;
  BcsSyncReport *report = bcs_sync_service_load_last_run (service, &error);

  if (report == NULL && !g_error_matches (error, BCS_ERROR, BCS_ERROR_NOT_FOUND))
    g_warning ("Could not read the last sync: %s", error->message);
  g_task_return_pointer (task, report, (GDestroyNotify) bcs_sync_report_free);
}

static void
free_weak_ref (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* The task holds the window weakly: closing it does not wait for the store */
static void
on_last_run_loaded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (BcsWindow) self = g_weak_ref_get (ref);
  g_autoptr (BcsSyncReport) report = g_task_propagate_pointer (G_TASK (result), NULL);
  gboolean failed = g_task_had_error (G_TASK (result));

  free_weak_ref (ref);
  if (failed || self == NULL || self->service == NULL)
    return;
  g_clear_object (&self->loading);
  /* a run started meanwhile tells its own outcome */
  if (report == NULL || is_running (self) || bcs_results_view_get_report (self->results_view) != NULL)
    return;
  bcs_overview_set_last_run (self->overview, report);
  bcs_results_view_set_report (self->results_view, report);
  self->shown_from_history = FALSE;
  update_actions (self);
}

static void
load_last_run (BcsWindow *self)
{
  g_autoptr (GTask) task = NULL;
  GWeakRef *ref;

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  task = g_task_new (NULL, self->loading, on_last_run_loaded, ref);
  g_task_set_source_tag (task, load_last_run);
  g_task_set_task_data (task, g_object_ref (self->service), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

/* ---- running ---- */

static void
on_progress (BcsSyncService *service,
             gpointer        progress,
             gpointer        user_data)
{
  BcsWindow *self = user_data;

  bcs_progress_view_update (self->progress_view, progress);
}

static void start_run (BcsWindow   *self,
                       BcsSyncMode  mode,
                       gboolean     dry_run,
                       gboolean     allow_mass_delete);

static void
on_brake_response (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  BcsWindow *self = user_data;

  if (g_strcmp0 (response, "remove") == 0 && self->service != NULL)
    start_run (self, self->run_mode, self->run_dry, TRUE);
}

static void
ask_brake (BcsWindow           *self,
           const char          *heading,
           const BcsSyncReport *report)
{
  const char *body = report != NULL && report->message != NULL && *report->message != '\0'
                     ? report->message
                     : _("The sync stopped before removing that many contacts: nothing was written. "
                         "Remove them only when they were deleted or filtered out in Business Central on purpose.");
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_brake_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
notify_failure (BcsWindow  *self,
                const char *message,
                gboolean    with_results)
{
  g_autofree char *title = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (title);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  if (with_results)
    {
      adw_toast_set_button_label (toast, _("_View"));
      adw_toast_set_action_name (toast, "win.show-results");
    }
  bcs_window_add_toast (self, toast);

  if (!gtk_window_is_active (GTK_WINDOW (self)) && app != NULL
      && g_application_get_is_registered (G_APPLICATION (app)))
    {
      g_autoptr (GNotification) notification = g_notification_new (_("Contact Sync Failed"));

      g_notification_set_body (notification, message);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_application_send_notification (G_APPLICATION (app), "sync-failed", notification);
    }
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (BcsWindow) self = user_data;
  g_autoptr (BcsSyncReport) report = NULL;
  g_autoptr (GError) error = NULL;
  GtkApplication *app;

  bcs_sync_service_run_finish (BCS_SYNC_SERVICE (object), result, &report, &error);
  /* the schedule of automatic sync counts the runs made here */
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (BCS_IS_APPLICATION (app))
    bcs_application_background_record_run (BCS_APPLICATION (app),
                                           bcs_profile_get_name (bcs_sync_service_get_profile (BCS_SYNC_SERVICE (object))),
                                           report, error);
  /* the window was closed meanwhile */
  if (self->service == NULL)
    return;

  g_clear_object (&self->cancellable);
  bcs_window_show_run_outcome (self, report, error);
}

void
bcs_window_show_run_outcome (BcsWindow           *self,
                             const BcsSyncReport *report,
                             const GError        *error)
{
  g_autofree char *message = NULL;
  gboolean has_rows;
  BcsRunNotice notice;

  g_return_if_fail (BCS_IS_WINDOW (self));

  /* Another run of the profile holds it (automatic sync, the command
   * line): the run never started, the last run shown stays */
  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_BUSY))
    {
      g_autofree char *title = g_markup_escape_text (error->message, -1);
      AdwToast *toast = adw_toast_new (title);

      adw_toast_set_timeout (toast, 0);
      show_page (self, BCS_WINDOW_PAGE_OVERVIEW);
      bcs_window_add_toast (self, toast);
      return;
    }

  notice = bcs_window_run_notice (report, error, &message);
  if (report != NULL && notice != BCS_RUN_NOTICE_BRAKE)
    {
      bcs_results_view_set_report (self->results_view, report);
      bcs_overview_set_last_run (self->overview, report);
      self->shown_from_history = FALSE;
    }
  has_rows = report != NULL && notice != BCS_RUN_NOTICE_BRAKE;

  switch (notice)
    {
    case BCS_RUN_NOTICE_NONE:
      set_banner (self, NULL);
      show_page (self, has_rows ? BCS_WINDOW_PAGE_RESULTS : BCS_WINDOW_PAGE_OVERVIEW);
      break;
    case BCS_RUN_NOTICE_FAILED:
      show_page (self, has_rows ? BCS_WINDOW_PAGE_RESULTS : BCS_WINDOW_PAGE_OVERVIEW);
      notify_failure (self, message, has_rows);
      break;
    case BCS_RUN_NOTICE_SIGN_IN:
      show_page (self, BCS_WINDOW_PAGE_OVERVIEW);
      set_banner (self, message);
      break;
    case BCS_RUN_NOTICE_BRAKE:
      show_page (self, BCS_WINDOW_PAGE_OVERVIEW);
      ask_brake (self, message, report);
      break;
    case BCS_RUN_NOTICE_CANCELLED:
    default:
      show_page (self, has_rows ? BCS_WINDOW_PAGE_RESULTS : BCS_WINDOW_PAGE_OVERVIEW);
      bcs_window_add_toast (self, adw_toast_new (message));
      break;
    }
}

static void
start_run (BcsWindow   *self,
           BcsSyncMode  mode,
           gboolean     dry_run,
           gboolean     allow_mass_delete)
{
  const char *title;

  if (!is_configured (self) || is_running (self))
    return;

  self->cancellable = g_cancellable_new ();
  self->run_mode = mode;
  self->run_dry = dry_run;
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);

  if (dry_run)
    title = _("Preparing a Preview…");
  else if (mode == BCS_SYNC_MODE_FULL)
    title = _("Running a Full Sync…");
  else
    title = _("Syncing…");
  bcs_progress_view_start (self->progress_view, title);
  show_page (self, BCS_WINDOW_PAGE_PROGRESS);

  bcs_sync_service_run_async (self->service, mode, dry_run, allow_mass_delete, self->cancellable,
                              on_run_done, g_object_ref (self));
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BcsWindow *self = BCS_WINDOW (widget);

  if (g_str_equal (action_name, "win.full-sync"))
    start_run (self, BCS_SYNC_MODE_FULL, FALSE, FALSE);
  else if (g_str_equal (action_name, "win.preview"))
    start_run (self, BCS_SYNC_MODE_INCREMENTAL, TRUE, FALSE);
  else
    start_run (self, BCS_SYNC_MODE_INCREMENTAL, FALSE, FALSE);
}

static void
apply_preview_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BcsWindow *self = BCS_WINDOW (widget);
  const BcsSyncReport *preview = bcs_results_view_get_report (self->results_view);

  if (preview != NULL && preview->dry_run)
    start_run (self, preview->mode, FALSE, FALSE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BcsWindow *self = BCS_WINDOW (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
show_results_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  show_page (BCS_WINDOW (widget), BCS_WINDOW_PAGE_RESULTS);
}

static void
show_overview_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  show_page (BCS_WINDOW (widget), BCS_WINDOW_PAGE_OVERVIEW);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BcsWindow *self = BCS_WINDOW (widget);

  show_page (self, BCS_WINDOW_PAGE_RESULTS);
  bcs_results_view_focus_search (self->results_view);
}

/* ---- the service ---- */

static void
on_profile_changed (BcsWindow *self)
{
  gboolean was_configured = bcs_window_get_page (self) != BCS_WINDOW_PAGE_FIRST_RUN;

  update_first_run (self);
  if (!was_configured && is_configured (self))
    load_last_run (self);
}

static void
disconnect_service (BcsWindow *self)
{
  if (self->service == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->service, self);
  if (self->profile_changed_id != 0)
    g_signal_handler_disconnect (bcs_profile_get_settings (bcs_sync_service_get_profile (self->service)),
                                 self->profile_changed_id);
  self->profile_changed_id = 0;
  g_clear_object (&self->service);
}

void
bcs_window_set_sync_service (BcsWindow      *self,
                             BcsSyncService *service)
{
  BcsProfile *profile;

  g_return_if_fail (BCS_IS_WINDOW (self));
  g_return_if_fail (service == NULL || BCS_IS_SYNC_SERVICE (service));
  g_return_if_fail (!is_running (self));

  disconnect_service (self);
  bcs_results_view_set_report (self->results_view, NULL);
  bcs_overview_set_last_run (self->overview, NULL);
  set_banner (self, NULL);
  bcs_window_history_set_service (self, service);
  if (service == NULL)
    {
      bcs_overview_set_profile (self->overview, NULL);
      update_first_run (self);
      return;
    }

  self->service = g_object_ref (service);
  profile = bcs_sync_service_get_profile (service);
  g_signal_connect (service, "progress", G_CALLBACK (on_progress), self);
  self->profile_changed_id = g_signal_connect_swapped (bcs_profile_get_settings (profile), "changed",
                                                       G_CALLBACK (on_profile_changed), self);
  bcs_overview_set_profile (self->overview, profile);
  update_first_run (self);
  if (is_configured (self))
    load_last_run (self);
}

BcsSyncService *
bcs_window_get_sync_service (BcsWindow *self)
{
  g_return_val_if_fail (BCS_IS_WINDOW (self), NULL);

  return self->service;
}

static const struct {
  const char *action;
  const char *accel;
} accels[] = {
  { "win.sync", "<Control>r" },
  { "win.full-sync", "<Control><Shift>r" },
  { "win.preview", "<Control>p" },
  { "win.search", "<Control>f" },
};

/* The profile the application shows (--profile, the switcher) */
static void
bind_profile (BcsWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr (BcsSyncService) service = NULL;
  g_autoptr (GError) error = NULL;
  const char *name;

  if (!BCS_IS_APPLICATION (app) || is_running (self))
    return;
  name = bcs_application_get_profile (BCS_APPLICATION (app));
  if (self->service != NULL &&
      g_strcmp0 (bcs_profile_get_name (bcs_sync_service_get_profile (self->service)), name) == 0)
    return;

  service = bcs_application_new_sync_service (BCS_APPLICATION (app), name, &error);
  if (service == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  bcs_window_set_sync_service (self, service);
  show_page (self, is_configured (self) ? BCS_WINDOW_PAGE_OVERVIEW : BCS_WINDOW_PAGE_FIRST_RUN);
}

/* The window gets its profile from the application (--profile, --sandbox) */
static void
on_application_set (BcsWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!BCS_IS_APPLICATION (app) || self->service != NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      const char *list[] = { accels[i].accel, NULL };
      g_auto (GStrv) set = gtk_application_get_accels_for_action (app, accels[i].action);

      if (set == NULL || set[0] == NULL)
        gtk_application_set_accels_for_action (app, accels[i].action, list);
    }

  bcs_profile_switcher_set_application (self->profile_switcher, BCS_APPLICATION (app));
  g_signal_connect_object (app, "notify::profile", G_CALLBACK (bind_profile), self, G_CONNECT_SWAPPED);
  bind_profile (self);
}

/* ---- lifecycle, called by bcs-window.c ---- */

void
bcs_window_sync_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (BCS_TYPE_OVERVIEW);
  g_type_ensure (BCS_TYPE_PROGRESS_VIEW);
  g_type_ensure (BCS_TYPE_RESULTS_VIEW);

  gtk_widget_class_bind_template_child (widget_class, BcsWindow, sync_page);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, sync_stack);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, overview);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, progress_view);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, results_view);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, banner_label);

  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "win.full-sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "win.preview", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "win.apply-preview", NULL, apply_preview_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-sync", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.show-results", NULL, show_results_action);
  gtk_widget_class_install_action (widget_class, "win.show-overview", NULL, show_overview_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
}

void
bcs_window_sync_init (BcsWindow *self)
{
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_set), NULL);
  update_actions (self);
}

void
bcs_window_sync_dispose (BcsWindow *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  disconnect_service (self);
}
