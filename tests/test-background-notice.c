/* test-background-notice.c — what a background run tells the user */
#include "config.h"

#include <gio/gio.h>

#include "bcs-application-background.h"
#include "bcs-error.h"
#include "bcs-profile.h"

#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR (60 * MINUTE)
#define START (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC)

static BcsSyncReport *
report_with (BcsSyncRunOutcome outcome)
{
  BcsSyncReport *report = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);

  report->outcome = outcome;
  return report;
}

static void
assert_notice (BcsSyncRunOutcome    outcome,     /* -1: no report */
               GError              *error,       /* taken */
               BcsBackgroundNotice  expected,
               const char          *action)
{
  g_autoptr (BcsSyncReport) report = (int) outcome >= 0 ? report_with (outcome) : NULL;
  g_autoptr (GError) owned = error;
  g_autoptr (GNotification) notification = NULL;
  BcsBackgroundNotice notice = bcs_background_notice_for_run (report, error);

  g_assert_cmpint (notice, ==, expected);
  g_assert_cmpstr (bcs_background_notice_get_action (notice), ==, action);

  notification = bcs_background_notification_new (notice, "company-a", report, error);
  if (action != NULL)
    g_assert_true (G_IS_NOTIFICATION (notification));
  else
    g_assert_null (notification);
}

static void
test_success_withdraws (void)
{
  assert_notice (BCS_SYNC_RUN_OK, NULL, BCS_BACKGROUND_NOTICE_WITHDRAW, NULL);
  /* some contacts failed: the history says which, no notification each time */
  assert_notice (BCS_SYNC_RUN_PARTIAL, NULL, BCS_BACKGROUND_NOTICE_WITHDRAW, NULL);
}

static void
test_sign_in_opens_setup (void)
{
  assert_notice (BCS_SYNC_RUN_FAILED,
                 g_error_new_literal (BCS_ERROR, BCS_ERROR_AUTH_REQUIRED, "Sign in again"),
                 BCS_BACKGROUND_NOTICE_SIGN_IN, "app.setup");
  assert_notice (-1,
                 g_error_new_literal (BCS_ERROR, BCS_ERROR_AUTH_REQUIRED, "Sign in again"),
                 BCS_BACKGROUND_NOTICE_SIGN_IN, "app.setup");
}

static void
test_brake_opens_results (void)
{
  assert_notice (BCS_SYNC_RUN_BRAKED,
                 g_error_new_literal (BCS_ERROR, BCS_ERROR_BRAKE, "30 contacts would be removed"),
                 BCS_BACKGROUND_NOTICE_BRAKED, "app.show-results");
  assert_notice (BCS_SYNC_RUN_BRAKED, NULL, BCS_BACKGROUND_NOTICE_BRAKED, "app.show-results");
}

static void
test_failure_opens_results (void)
{
  assert_notice (BCS_SYNC_RUN_FAILED,
                 g_error_new_literal (BCS_ERROR, BCS_ERROR_UNAVAILABLE, "Business Central is unavailable"),
                 BCS_BACKGROUND_NOTICE_FAILED, "app.show-results");
  assert_notice (-1,
                 g_error_new_literal (BCS_ERROR, BCS_ERROR_STORE, "The status store is damaged"),
                 BCS_BACKGROUND_NOTICE_FAILED, "app.show-results");
  assert_notice (BCS_SYNC_RUN_FAILED, NULL, BCS_BACKGROUND_NOTICE_FAILED, "app.show-results");
}

static void
test_busy_or_cancelled_says_nothing (void)
{
  assert_notice (-1,
                 g_error_new_literal (BCS_ERROR, BCS_ERROR_BUSY, "Another sync is running"),
                 BCS_BACKGROUND_NOTICE_NONE, NULL);
  assert_notice (BCS_SYNC_RUN_CANCELLED,
                 g_error_new_literal (BCS_ERROR, BCS_ERROR_CANCELLED, "Cancelled"),
                 BCS_BACKGROUND_NOTICE_NONE, NULL);
  assert_notice (BCS_SYNC_RUN_CANCELLED, NULL, BCS_BACKGROUND_NOTICE_NONE, NULL);
}

/* How a run of the window counts for the automatic sync's back-off */

static BcsSyncReport *
window_report (BcsSyncRunOutcome outcome,
               gboolean          dry_run,
               gint64            finished_us)
{
  BcsSyncReport *report = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, dry_run);

  report->outcome = outcome;
  report->started_at = finished_us / G_USEC_PER_SEC - 4;
  report->finished_at = finished_us / G_USEC_PER_SEC;
  return report;
}

static void
test_window_run_verdict (void)
{
  static const struct {
    int outcome;              /* -1: no report */
    gboolean dry_run;
    gboolean io;              /* the code is a G_IO_ERROR one, else BCS_ERROR */
    int code;                 /* -1: no error */
    BcsBackgroundRunVerdict verdict;
  } cases[] = {
    { BCS_SYNC_RUN_OK, FALSE, FALSE, -1, BCS_BACKGROUND_RUN_SUCCEEDED },
    { BCS_SYNC_RUN_PARTIAL, FALSE, FALSE, -1, BCS_BACKGROUND_RUN_SUCCEEDED },
    { BCS_SYNC_RUN_FAILED, FALSE, FALSE, BCS_ERROR_UNAVAILABLE, BCS_BACKGROUND_RUN_FAILED },
    { BCS_SYNC_RUN_FAILED, FALSE, FALSE, BCS_ERROR_AUTH_REQUIRED, BCS_BACKGROUND_RUN_FAILED },
    { BCS_SYNC_RUN_FAILED, FALSE, FALSE, -1, BCS_BACKGROUND_RUN_FAILED },
    { BCS_SYNC_RUN_BRAKED, FALSE, FALSE, BCS_ERROR_BRAKE, BCS_BACKGROUND_RUN_FAILED },
    { -1, FALSE, FALSE, BCS_ERROR_STORE, BCS_BACKGROUND_RUN_FAILED },
    /* nothing learnt: the user stopped it, another run had the profile,
     * or a preview */
    { BCS_SYNC_RUN_CANCELLED, FALSE, FALSE, BCS_ERROR_CANCELLED, BCS_BACKGROUND_RUN_IGNORED },
    { BCS_SYNC_RUN_CANCELLED, FALSE, FALSE, -1, BCS_BACKGROUND_RUN_IGNORED },
    { -1, FALSE, TRUE, G_IO_ERROR_CANCELLED, BCS_BACKGROUND_RUN_IGNORED },
    { -1, FALSE, FALSE, BCS_ERROR_BUSY, BCS_BACKGROUND_RUN_IGNORED },
    { BCS_SYNC_RUN_OK, TRUE, FALSE, -1, BCS_BACKGROUND_RUN_IGNORED },
    { BCS_SYNC_RUN_FAILED, TRUE, FALSE, BCS_ERROR_UNAVAILABLE, BCS_BACKGROUND_RUN_IGNORED },
    { -1, FALSE, FALSE, -1, BCS_BACKGROUND_RUN_IGNORED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (BcsSyncReport) report = cases[i].outcome >= 0
                                         ? window_report (cases[i].outcome, cases[i].dry_run, START)
                                         : NULL;
      g_autoptr (GError) error = NULL;

      if (cases[i].code >= 0)
        error = g_error_new_literal (cases[i].io ? G_IO_ERROR : BCS_ERROR,
                                     cases[i].code, "Something happened");
      g_test_message ("case %u", i);
      g_assert_cmpint (bcs_background_judge_window_run (report, error), ==, cases[i].verdict);
    }
}

/* The window's runs as the schedule of a profile syncing hourly sees them */
static void
test_window_runs_counted (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsProfile) profile = bcs_profile_new ("window-runs", NULL, &error);
  g_autoptr (BcsManualClock) clock = bcs_manual_clock_new (START);
  g_autoptr (BcsScheduler) scheduler = NULL;
  g_autoptr (GError) unavailable = g_error_new_literal (BCS_ERROR, BCS_ERROR_UNAVAILABLE,
                                                        "Business Central is unavailable");
  g_autoptr (GError) cancelled = g_error_new_literal (BCS_ERROR, BCS_ERROR_CANCELLED, "Cancelled");
  g_autoptr (BcsSyncReport) failed = window_report (BCS_SYNC_RUN_FAILED, FALSE, START + 10 * MINUTE);
  g_autoptr (BcsSyncReport) stopped = window_report (BCS_SYNC_RUN_CANCELLED, FALSE, START + 12 * MINUTE);
  g_autoptr (BcsSyncReport) preview = window_report (BCS_SYNC_RUN_FAILED, TRUE, START + 12 * MINUTE);
  g_autoptr (BcsSyncReport) again = window_report (BCS_SYNC_RUN_FAILED, FALSE, START + 13 * MINUTE);
  g_autoptr (BcsSyncReport) partial = window_report (BCS_SYNC_RUN_PARTIAL, FALSE, START + 14 * MINUTE);

  g_assert_no_error (error);
  g_settings_set_string (bcs_profile_get_settings (profile), "auto-sync-interval", "hourly");
  scheduler = bcs_scheduler_new (bcs_profile_get_settings (profile), BCS_CLOCK (clock));
  bcs_scheduler_set_network_monitor (scheduler, NULL);
  bcs_scheduler_set_last_run (scheduler, START);
  bcs_scheduler_start (scheduler);
  g_assert_cmpint (bcs_scheduler_get_next_run (scheduler), ==, START + HOUR);

  /* a failed run: retried a minute after it, as a failed automatic run */
  g_assert_cmpint (bcs_background_record_window_run (scheduler, failed, unavailable), ==,
                   BCS_BACKGROUND_RUN_FAILED);
  g_assert_cmpuint (bcs_scheduler_get_failures (scheduler), ==, 1);
  g_assert_cmpint (bcs_scheduler_get_next_run (scheduler), ==, START + 11 * MINUTE);

  /* cancelled, a preview: nothing changes */
  bcs_background_record_window_run (scheduler, stopped, cancelled);
  bcs_background_record_window_run (scheduler, preview, unavailable);
  g_assert_cmpuint (bcs_scheduler_get_failures (scheduler), ==, 1);
  g_assert_cmpint (bcs_scheduler_get_next_run (scheduler), ==, START + 11 * MINUTE);

  /* a second failure: two minutes after it */
  bcs_background_record_window_run (scheduler, again, unavailable);
  g_assert_cmpuint (bcs_scheduler_get_failures (scheduler), ==, 2);
  g_assert_cmpint (bcs_scheduler_get_next_run (scheduler), ==, START + 15 * MINUTE);

  /* a success (some contacts failed): the interval again, from it */
  g_assert_cmpint (bcs_background_record_window_run (scheduler, partial, NULL), ==,
                   BCS_BACKGROUND_RUN_SUCCEEDED);
  g_assert_cmpuint (bcs_scheduler_get_failures (scheduler), ==, 0);
  g_assert_cmpint (bcs_scheduler_get_next_run (scheduler), ==, START + 74 * MINUTE);

  bcs_scheduler_stop (scheduler);
  g_settings_reset (bcs_profile_get_settings (profile), "auto-sync-interval");
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/background-notice/success-withdraws", test_success_withdraws);
  g_test_add_func ("/background-notice/sign-in-opens-setup", test_sign_in_opens_setup);
  g_test_add_func ("/background-notice/brake-opens-results", test_brake_opens_results);
  g_test_add_func ("/background-notice/failure-opens-results", test_failure_opens_results);
  g_test_add_func ("/background-notice/busy-or-cancelled-says-nothing", test_busy_or_cancelled_says_nothing);
  g_test_add_func ("/background-notice/window-run-verdict", test_window_run_verdict);
  g_test_add_func ("/background-notice/window-runs-counted", test_window_runs_counted);

  return g_test_run ();
}
