/* bcs-application-background.c — automatic sync in the application */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-application-background.h"
#include "bcs-application-profiles.h"
#include "bcs-autostart.h"
#include "bcs-error.h"
#include "bcs-exchange-sync-setup.h"
#include "bcs-profile.h"
#include "bcs-scheduler.h"
#include "bcs-sync-service.h"
#include "bcs-window.h"

#define STATE_KEY "bcs-application-background"
#define INTERVAL_KEY "auto-sync-interval"

typedef struct {
  BcsApplication *app;        /* unowned: the state lives on it */
  GSettings *app_settings;
  GHashTable *watched;        /* profile name → BcsProfile whose interval is watched */
  GHashTable *entries;        /* profile name → Entry: automatic sync on */
  char *only;                 /* --background --profile NAME: NAME, else NULL (all) */
  gboolean held;
  gboolean background_start;  /* --background: the first activation opens no window */
  int autostart;              /* as last asked: -1 unknown, 0 off, 1 on */
} Background;

typedef struct {
  BcsProfile *profile;
  BcsSyncService *service;
  BcsScheduler *scheduler;
} Entry;

typedef struct {
  GApplication *app;
  BcsScheduler *scheduler;
  char *name;
} Run;

static void
entry_free (Entry *entry)
{
  bcs_scheduler_stop (entry->scheduler);
  bcs_scheduler_set_run_func (entry->scheduler, NULL, NULL, NULL);
  g_clear_object (&entry->scheduler);
  g_clear_object (&entry->service);
  g_clear_object (&entry->profile);
  g_free (entry);
}

static void
background_free (Background *bg)
{
  GHashTableIter iter;
  gpointer profile;

  g_clear_pointer (&bg->entries, g_hash_table_unref);
  g_hash_table_iter_init (&iter, bg->watched);
  while (g_hash_table_iter_next (&iter, NULL, &profile))
    g_signal_handlers_disconnect_by_data (bcs_profile_get_settings (profile), bg);
  g_clear_pointer (&bg->watched, g_hash_table_unref);
  if (bg->app_settings != NULL)
    g_signal_handlers_disconnect_by_data (bg->app_settings, bg);
  g_clear_object (&bg->app_settings);
  g_free (bg->only);
  g_free (bg);
}

static Background *
get_background (BcsApplication *app)
{
  Background *bg = g_object_get_data (G_OBJECT (app), STATE_KEY);

  if (bg == NULL)
    {
      bg = g_new0 (Background, 1);
      bg->app = app;
      bg->autostart = -1;
      bg->watched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      bg->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) entry_free);
      g_object_set_data_full (G_OBJECT (app), STATE_KEY, bg,
                              (GDestroyNotify) background_free);
    }

  return bg;
}

/* Notifications: one per profile, replaced by the next, withdrawn after a
 * success */

BcsBackgroundNotice
bcs_background_notice_for_run (const BcsSyncReport *report,
                               const GError        *error)
{
  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_BUSY) ||
      g_error_matches (error, BCS_ERROR, BCS_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return BCS_BACKGROUND_NOTICE_NONE;

  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED))
    return BCS_BACKGROUND_NOTICE_SIGN_IN;

  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_BRAKE) ||
      (report != NULL && report->outcome == BCS_SYNC_RUN_BRAKED))
    return BCS_BACKGROUND_NOTICE_BRAKED;

  if (error != NULL || report == NULL ||
      report->outcome == BCS_SYNC_RUN_FAILED || report->outcome == BCS_SYNC_RUN_RUNNING)
    return BCS_BACKGROUND_NOTICE_FAILED;

  if (report->outcome == BCS_SYNC_RUN_CANCELLED)
    return BCS_BACKGROUND_NOTICE_NONE;

  return BCS_BACKGROUND_NOTICE_WITHDRAW;
}

const char *
bcs_background_notice_get_action (BcsBackgroundNotice notice)
{
  switch (notice)
    {
    case BCS_BACKGROUND_NOTICE_SIGN_IN:
      return "app.setup";
    case BCS_BACKGROUND_NOTICE_BRAKED:
    case BCS_BACKGROUND_NOTICE_FAILED:
      return "app.show-results";
    case BCS_BACKGROUND_NOTICE_NONE:
    case BCS_BACKGROUND_NOTICE_WITHDRAW:
    default:
      return NULL;
    }
}

GNotification *
bcs_background_notification_new (BcsBackgroundNotice  notice,
                                 const char          *profile,
                                 const BcsSyncReport *report,
                                 const GError        *error)
{
  const char *action = bcs_background_notice_get_action (notice);
  const char *why = error != NULL ? error->message : report != NULL ? report->message : NULL;
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *body = NULL;
  const char *button;

  g_return_val_if_fail (profile != NULL, NULL);

  if (why == NULL)
    why = "";

  switch (notice)
    {
    case BCS_BACKGROUND_NOTICE_SIGN_IN:
      notification = g_notification_new (_("Sign in again to keep contacts in sync"));
      /* TRANSLATORS: %s is the name of a setup (profile) */
      body = g_strdup_printf (_("The automatic sync of “%s” needs a new sign-in."), profile);
      button = _("Sign In");
      break;
    case BCS_BACKGROUND_NOTICE_BRAKED:
      notification = g_notification_new (_("Automatic sync stopped by the safety brake"));
      /* TRANSLATORS: %s is the name of a setup (profile), then why the run stopped */
      body = g_strdup_printf (_("“%s”: nothing was written. %s Review the run in the application."),
                              profile, why);
      button = _("Review");
      break;
    case BCS_BACKGROUND_NOTICE_FAILED:
      notification = g_notification_new (_("Automatic sync failed"));
      /* TRANSLATORS: %s is the name of a setup (profile), then why the run failed */
      body = g_strdup_printf (_("“%s”: %s It will be tried again later."), profile, why);
      button = _("Show Results");
      break;
    case BCS_BACKGROUND_NOTICE_NONE:
    case BCS_BACKGROUND_NOTICE_WITHDRAW:
    default:
      return NULL;
    }

  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, action, "s", profile);
  g_notification_add_button_with_target (notification, button, action, "s", profile);

  return g_steal_pointer (&notification);
}

static void
notify_run (GApplication        *app,
            const char          *name,
            const BcsSyncReport *report,
            const GError        *error)
{
  g_autofree char *id = g_strconcat ("auto-sync-", name, NULL);
  BcsBackgroundNotice notice = bcs_background_notice_for_run (report, error);
  g_autoptr (GNotification) notification = NULL;

  if (notice == BCS_BACKGROUND_NOTICE_WITHDRAW)
    {
      g_application_withdraw_notification (app, id);
      return;
    }

  notification = bcs_background_notification_new (notice, name, report, error);
  if (notification != NULL)
    g_application_send_notification (app, id, notification);
}

static void
run_finished_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr (BcsSyncReport) report = NULL;
  g_autoptr (GError) error = NULL;

  if (!bcs_sync_service_run_finish (BCS_SYNC_SERVICE (source), result, &report, &error) &&
      error == NULL)
    error = g_error_new_literal (BCS_ERROR, BCS_ERROR_FAILED, _("The sync did not finish."));

  if (error != NULL)
    g_message ("Automatic sync of “%s” did not succeed: %s", run->name, error->message);
  else
    g_debug ("Automatic sync of “%s” done", run->name);

  notify_run (run->app, run->name, report, error);
  bcs_scheduler_run_done (run->scheduler, error);

  g_application_release (run->app);
  g_object_unref (run->app);
  g_object_unref (run->scheduler);
  g_free (run->name);
  g_free (run);
}

static void
scheduler_run_cb (BcsScheduler       *scheduler,
                  BcsSchedulerReason  reason,
                  gpointer            user_data)
{
  Entry *entry = user_data;
  BcsApplication *app = g_object_get_data (G_OBJECT (scheduler), "bcs-application");
  Run *run;

  /* a profile being renamed or removed: try again soon, as when busy */
  if (bcs_application_profiles_is_busy (app))
    {
      g_autoptr (GError) busy = g_error_new_literal (BCS_ERROR, BCS_ERROR_BUSY,
                                                     _("A profile is being renamed or removed."));

      bcs_scheduler_run_done (scheduler, busy);
      return;
    }
  run = g_new0 (Run, 1);

  run->app = G_APPLICATION (g_object_ref (app));
  run->scheduler = g_object_ref (scheduler);
  run->name = g_strdup (bcs_profile_get_name (entry->profile));
  /* a run that has started ends before the application quits */
  g_application_hold (run->app);

  g_debug ("Automatic sync of “%s” (reason %d)", run->name, reason);
  bcs_sync_service_run_async (entry->service, BCS_SYNC_MODE_INCREMENTAL, FALSE, FALSE,
                              NULL, run_finished_cb, run);
}

static Entry *
entry_new (Background *bg,
           BcsProfile *watched)
{
  Entry *entry = g_new0 (Entry, 1);
  g_autoptr (BcsSyncReport) last = NULL;
  g_autoptr (GError) error = NULL;

  entry->profile = g_object_ref (watched);
  entry->service = bcs_sync_service_new (entry->profile);
  if (bcs_profile_is_sandbox (entry->profile))
    bcs_sync_service_set_default_company (entry->service, TRUE);

  entry->scheduler = bcs_scheduler_new (bcs_profile_get_settings (entry->profile), NULL);
  g_object_set_data (G_OBJECT (entry->scheduler), "bcs-application", bg->app);
  bcs_scheduler_set_run_func (entry->scheduler, scheduler_run_cb, entry, NULL);
  bcs_scheduler_watch_suspend (entry->scheduler);

  last = bcs_sync_service_load_last_run (entry->service, &error);
  if (last != NULL)
    bcs_scheduler_set_last_run (entry->scheduler,
                                (last->finished_at != 0 ? last->finished_at : last->started_at)
                                * G_USEC_PER_SEC);
  else if (error != NULL)
    g_debug ("No run history for “%s”: %s", bcs_profile_get_name (watched), error->message);

  bcs_scheduler_start (entry->scheduler);
  return entry;
}

static void
autostart_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  if (!bcs_autostart_update_finish (result, &error))
    g_warning ("Could not change the start at login: %s", error->message);
}

static void resync (Background *bg);

static void
interval_changed_cb (GSettings  *settings,
                     const char *key,
                     Background *bg)
{
  resync (bg);
}

static void
profiles_changed_cb (GSettings  *settings,
                     const char *key,
                     Background *bg)
{
  resync (bg);
}

/* Follows the profiles list and their intervals: a scheduler for each
 * profile with automatic sync on, the hold while there is one, the start
 * at login as they say */
static void
resync (Background *bg)
{
  g_auto (GStrv) names = NULL;
  const char *sandbox_url = bcs_application_get_sandbox_url (bg->app);
  GHashTableIter iter;
  gpointer key, value;
  gboolean any;
  gboolean want;

  if (bg->only != NULL)
    names = g_strdupv ((char *[]) { bg->only, NULL });
  else
    names = g_settings_get_strv (bg->app_settings, "profiles");

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *interval = NULL;
      BcsProfile *profile;

      if (g_hash_table_contains (bg->watched, names[i]))
        continue;

      profile = bcs_profile_new (names[i], sandbox_url, &error);
      if (profile == NULL)
        {
          g_warning ("Automatic sync ignores the profile “%s”: %s", names[i], error->message);
          continue;
        }
      g_signal_connect (bcs_profile_get_settings (profile), "changed::" INTERVAL_KEY,
                        G_CALLBACK (interval_changed_cb), bg);
      /* read once: GSettings may only signal keys that were read */
      interval = g_settings_get_string (bcs_profile_get_settings (profile), INTERVAL_KEY);
      g_hash_table_insert (bg->watched, g_strdup (names[i]), profile);
    }

  g_hash_table_iter_init (&iter, bg->watched);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *interval = NULL;
      gboolean listed = g_strv_contains ((const char * const *) names, key);

      interval = g_settings_get_string (bcs_profile_get_settings (value), INTERVAL_KEY);
      if (listed && g_strcmp0 (interval, "off") != 0)
        {
          if (!g_hash_table_contains (bg->entries, key))
            g_hash_table_insert (bg->entries, g_strdup (key), entry_new (bg, value));
          continue;
        }

      g_hash_table_remove (bg->entries, key);
      if (!listed)
        {
          g_signal_handlers_disconnect_by_data (bcs_profile_get_settings (value), bg);
          g_hash_table_iter_remove (&iter);
        }
    }

  any = g_hash_table_size (bg->entries) > 0;

  if (any && !bg->held)
    g_application_hold (G_APPLICATION (bg->app));
  else if (!any && bg->held)
    g_application_release (G_APPLICATION (bg->app));
  bg->held = any;

  /* the start at login runs every profile's automatic sync: with
   * --profile, the others still count */
  if (bg->only != NULL)
    {
      g_auto (GStrv) on = bcs_autostart_list_auto_sync_profiles (bg->app_settings);

      want = on[0] != NULL;
    }
  else
    want = any;

  if (bg->autostart != want)
    {
      bg->autostart = want;
      bcs_autostart_update_async (want, sandbox_url, NULL, autostart_cb, NULL);
    }
}

/* Actions */

static void
show_results_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BcsApplication *app = BCS_APPLICATION (user_data);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWindow *window;

  if (g_strcmp0 (name, bcs_application_get_profile (app)) != 0)
    g_debug ("The window shows “%s”, not “%s”", bcs_application_get_profile (app), name);

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (BCS_IS_WINDOW (window))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-results", NULL);
}

static void
setup_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  BcsApplication *app = BCS_APPLICATION (user_data);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr (BcsProfile) profile = NULL;
  g_autoptr (GError) error = NULL;
  BcsExchangeSyncSetup *setup;
  GtkWindow *parent;

  g_application_activate (G_APPLICATION (app));
  parent = gtk_application_get_active_window (GTK_APPLICATION (app));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (BCS_IS_EXCHANGE_SYNC_SETUP (l->data) &&
        g_strcmp0 (bcs_profile_get_name (bcs_exchange_sync_setup_get_profile (l->data)), name) == 0)
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return;
      }

  profile = bcs_profile_new (name, bcs_application_get_sandbox_url (app), &error);
  if (profile == NULL)
    {
      g_warning ("Cannot open the setup of “%s”: %s", name, error->message);
      return;
    }

  setup = bcs_exchange_sync_setup_new (profile);
  gtk_window_set_transient_for (GTK_WINDOW (setup), parent);
  gtk_window_set_modal (GTK_WINDOW (setup), parent != NULL);
  gtk_window_set_application (GTK_WINDOW (setup), GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (setup));
}

static const GActionEntry background_actions[] = {
  { "show-results", show_results_action, "s" },
  { "setup", setup_action, "s" },
};

void
bcs_application_background_startup (BcsApplication *app)
{
  Background *bg = get_background (app);

  for (guint i = 0; i < G_N_ELEMENTS (background_actions); i++)
    if (g_action_map_lookup_action (G_ACTION_MAP (app), background_actions[i].name) == NULL)
      g_action_map_add_action_entries (G_ACTION_MAP (app), &background_actions[i], 1, app);

  bg->app_settings = g_settings_new (BCS_APP_SCHEMA_ID);
  g_signal_connect (bg->app_settings, "changed::profiles",
                    G_CALLBACK (profiles_changed_cb), bg);

  /* Opened with a window, the start at login changes only when the user
   * changes a setting; --background makes it agree at once */
  if (!bg->background_start)
    {
      g_auto (GStrv) on = bcs_autostart_list_auto_sync_profiles (bg->app_settings);

      bg->autostart = on[0] != NULL;
    }

  resync (bg);
}

int
bcs_application_background_handle_local (BcsApplication *app)
{
  Background *bg = get_background (app);
  g_autoptr (GError) error = NULL;

  bg->background_start = TRUE;
  g_free (bg->only);
  bg->only = g_strdup (bcs_application_get_requested_profile (app));

  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr (_("Could not start in the background: %s\n"), error->message);
      return 2;
    }

  /* the running instance already syncs in the background */
  if (g_application_get_is_remote (G_APPLICATION (app)))
    return 0;

  return -1;
}

gboolean
bcs_application_background_take_activation (BcsApplication *app)
{
  Background *bg = g_object_get_data (G_OBJECT (app), STATE_KEY);

  if (bg == NULL || !bg->background_start)
    return FALSE;

  bg->background_start = FALSE;
  if (g_hash_table_size (bg->entries) == 0 && bg->only != NULL)
    /* TRANSLATORS: %s is the name of a profile */
    g_printerr (_("Automatic sync is off for profile “%s”: nothing to do in the background.\n"),
                bg->only);
  else if (g_hash_table_size (bg->entries) == 0)
    g_printerr (_("Automatic sync is off for every profile: nothing to do in the background.\n"));

  return TRUE;
}

BcsBackgroundRunVerdict
bcs_background_judge_window_run (const BcsSyncReport *report,
                                 const GError        *error)
{
  /* the user stopped it, or another run had the profile: nothing learnt */
  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_BUSY) ||
      g_error_matches (error, BCS_ERROR, BCS_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (report != NULL && report->outcome == BCS_SYNC_RUN_CANCELLED))
    return BCS_BACKGROUND_RUN_IGNORED;

  /* a preview writes nothing and advances nothing */
  if (report != NULL && report->dry_run)
    return BCS_BACKGROUND_RUN_IGNORED;

  if (error == NULL && report != NULL &&
      (report->outcome == BCS_SYNC_RUN_OK || report->outcome == BCS_SYNC_RUN_PARTIAL))
    return BCS_BACKGROUND_RUN_SUCCEEDED;

  if (error == NULL && report == NULL)
    return BCS_BACKGROUND_RUN_IGNORED;

  /* as for a run of the schedule's own: a braked run too */
  return BCS_BACKGROUND_RUN_FAILED;
}

BcsBackgroundRunVerdict
bcs_background_record_window_run (BcsScheduler        *scheduler,
                                  const BcsSyncReport *report,
                                  const GError        *error)
{
  BcsBackgroundRunVerdict verdict = bcs_background_judge_window_run (report, error);
  gint64 finished_us;

  g_return_val_if_fail (BCS_IS_SCHEDULER (scheduler), BCS_BACKGROUND_RUN_IGNORED);

  if (verdict == BCS_BACKGROUND_RUN_IGNORED)
    return verdict;

  if (report != NULL)
    finished_us = (report->finished_at != 0 ? report->finished_at : report->started_at)
                  * G_USEC_PER_SEC;
  else
    finished_us = g_get_real_time ();
  bcs_scheduler_record_run (scheduler, finished_us, verdict == BCS_BACKGROUND_RUN_SUCCEEDED);
  return verdict;
}

void
bcs_application_background_record_run (BcsApplication      *app,
                                       const char          *profile,
                                       const BcsSyncReport *report,
                                       const GError        *error)
{
  Background *bg = g_object_get_data (G_OBJECT (app), STATE_KEY);
  Entry *entry;

  g_return_if_fail (BCS_IS_APPLICATION (app));

  if (bg == NULL || profile == NULL)
    return;
  entry = g_hash_table_lookup (bg->entries, profile);
  if (entry == NULL)
    return;

  /* a stale notice of this profile's automatic sync goes after a success;
   * a failure is the window's to tell */
  if (bcs_background_record_window_run (entry->scheduler, report, error) == BCS_BACKGROUND_RUN_SUCCEEDED)
    notify_run (G_APPLICATION (app), profile, report, NULL);
}

BcsScheduler *
bcs_application_background_get_scheduler (BcsApplication *app,
                                          const char     *profile)
{
  Background *bg = g_object_get_data (G_OBJECT (app), STATE_KEY);
  Entry *entry;

  g_return_val_if_fail (BCS_IS_APPLICATION (app), NULL);

  if (bg == NULL || profile == NULL)
    return NULL;
  entry = g_hash_table_lookup (bg->entries, profile);
  return entry != NULL ? entry->scheduler : NULL;
}
