/* test-background-notice.c — what a background run tells the user */
#include "config.h"

#include <gio/gio.h>

#include "bcs-application-background.h"
#include "bcs-error.h"

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

  return g_test_run ();
}
