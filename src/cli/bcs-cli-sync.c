/* bcs-cli-sync.c — a sync run headless, with a summary and a report */
#define G_LOG_DOMAIN "bcs-cli"

#include "config.h"

#include <unistd.h>
#include <glib/gi18n.h>

#include "bcs-cli-loop.h"
#include "bcs-cli-sync.h"
#include "bcs-error.h"
#include "bcs-profile.h"

typedef struct {
  BcsCliLoop loop;
  BcsSyncReport *report;
  GError *error;
  BcsCliProgress *progress;
} Run;

static void
on_progress (BcsSyncService        *service,
             const BcsSyncProgress *progress,
             gpointer               user_data)
{
  Run *run = user_data;

  bcs_cli_progress_update (run->progress, progress, g_get_monotonic_time ());
}

static void
on_finished (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  bcs_sync_service_run_finish (BCS_SYNC_SERVICE (object), result, &run->report, &run->error);
  bcs_cli_loop_quit (&run->loop);
}

static gboolean
write_report (const BcsSyncReport  *report,
              const char           *path,
              GError              **error)
{
  /* Streamed: the report of a first sync of 100,000 contacts is never
   * held as a whole */
  return bcs_sync_report_save_json (report, path, NULL, error);
}

int
bcs_cli_sync_run (BcsSyncService      *service,
                  const BcsCliOptions *options,
                  BcsCliProgress      *progress)
{
  BcsSyncMode mode = options->command == BCS_CLI_COMMAND_FULL_SYNC ? BCS_SYNC_MODE_FULL
                                                                    : BCS_SYNC_MODE_INCREMENTAL;
  Run run = { 0 };
  gulong handler;
  int status;

  g_return_val_if_fail (BCS_IS_SYNC_SERVICE (service), 2);
  g_return_val_if_fail (progress != NULL, 2);

  bcs_cli_loop_init (&run.loop);
  run.progress = progress;
  handler = g_signal_connect (service, "progress", G_CALLBACK (on_progress), &run);

  bcs_sync_service_run_async (service, mode, options->dry_run, options->allow_mass_delete,
                              run.loop.cancellable, on_finished, &run);
  bcs_cli_loop_run (&run.loop);

  g_signal_handler_disconnect (service, handler);
  /* what follows starts on a line of its own */
  bcs_cli_progress_finish (progress);

  if (run.report != NULL)
    {
      g_autofree char *summary = bcs_sync_report_format_summary (run.report);

      g_print ("%s", summary);
      if (options->report_path != NULL)
        {
          g_autoptr(GError) write_error = NULL;

          if (!write_report (run.report, options->report_path, &write_error))
            g_printerr (_("Could not write the report: %s\n"), write_error->message);
        }
    }

  if (run.error != NULL)
    {
      if (g_error_matches (run.error, BCS_ERROR, BCS_ERROR_BRAKE))
        g_printerr (_("Stopped before writing anything: %s\nRun again with --allow-mass-delete to go ahead.\n"),
                    run.error->message);
      else if (g_error_matches (run.error, BCS_ERROR, BCS_ERROR_CANCELLED))
        g_printerr (_("The sync was cancelled.\n"));
      else
        g_printerr (_("Sync failed: %s\n"), run.error->message);
    }
  status = bcs_sync_exit_code (run.report, run.error);

  bcs_cli_loop_clear (&run.loop);

  g_clear_pointer (&run.report, bcs_sync_report_free);
  g_clear_error (&run.error);
  return status;
}

int
bcs_cli_sync (const BcsCliOptions *options)
{
  g_autoptr(BcsProfile) profile = NULL;
  g_autoptr(BcsSyncService) service = NULL;
  g_autoptr(BcsCliProgress) progress = NULL;
  g_autoptr(GError) error = NULL;

  profile = bcs_profile_new (options->profile, options->sandbox_url, &error);
  if (profile == NULL)
    {
      g_printerr (_("Cannot sync: %s\n"), error->message);
      return 2;
    }

  service = bcs_sync_service_new (profile);
  if (bcs_profile_is_sandbox (profile))
    bcs_sync_service_set_default_company (service, TRUE);
  /* in place on a terminal, a line now and then in a log */
  progress = bcs_cli_progress_new (isatty (STDERR_FILENO), NULL, NULL);

  return bcs_cli_sync_run (service, options, progress);
}

int
bcs_cli_export_results (const BcsCliOptions *options)
{
  g_autoptr(BcsProfile) profile = NULL;
  g_autoptr(BcsSyncService) service = NULL;
  g_autoptr(BcsSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  profile = bcs_profile_new (options->profile, options->sandbox_url, &error);
  if (profile == NULL)
    {
      g_printerr (_("Cannot export the results: %s\n"), error->message);
      return 2;
    }
  service = bcs_sync_service_new (profile);
  report = bcs_sync_service_load_last_run (service, &error);
  if (report == NULL || !bcs_sync_report_export (report, options->export_path, &error))
    {
      g_printerr (_("Cannot export the results: %s\n"), error->message);
      return 2;
    }
  /* TRANSLATORS: %u is a number of contacts, %s a file name */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Exported the result of %u contact to %s.\n",
                        "Exported the results of %u contacts to %s.\n", report->results->len),
           report->results->len, options->export_path);
  return 0;
}
