/* test-history-format.c — how the run history and the details dialog
 * describe runs and changes: the pure functions, without a display */
#include "config.h"

#include <string.h>

#include "bcs-history-format.h"
#include "bcs-result-details.h"

static GDateTime *
fixed_now (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("+01:00");

  g_assert_nonnull (zone);
  /* 25 Nov 2026, 14:30 at UTC+1 */
  return g_date_time_new (zone, 2026, 11, 25, 14, 30, 0);
}

static BcsSyncReport *
run_at (GDateTime *now,
        int        days_ago,
        int        hour,
        int        minute)
{
  g_autoptr (GDateTime) day = g_date_time_add_days (now, -days_ago);
  g_autoptr (GDateTime) at = g_date_time_new (g_date_time_get_timezone (now),
                                              g_date_time_get_year (day), g_date_time_get_month (day),
                                              g_date_time_get_day_of_month (day), hour, minute, 0);
  BcsSyncReport *run = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);

  run->started_at = g_date_time_to_unix (at);
  run->finished_at = run->started_at + 12;
  run->outcome = BCS_SYNC_RUN_OK;
  return run;
}

static void
test_when (void)
{
  g_autoptr (GDateTime) now = fixed_now ();
  g_autoptr (BcsSyncReport) today = run_at (now, 0, 14, 2);
  g_autoptr (BcsSyncReport) yesterday = run_at (now, 1, 9, 15);
  g_autoptr (BcsSyncReport) older = run_at (now, 22, 8, 5);
  g_autoptr (BcsSyncReport) unknown = bcs_sync_report_new (BCS_SYNC_MODE_FULL, FALSE);
  g_autofree char *a = bcs_history_format_when (today, now);
  g_autofree char *b = bcs_history_format_when (yesterday, now);
  g_autofree char *c = bcs_history_format_when (older, now);
  g_autofree char *d = bcs_history_format_when (unknown, now);

  g_assert_cmpstr (a, ==, "Today at 14:02");
  g_assert_cmpstr (b, ==, "Yesterday at 09:15");
  g_assert_cmpstr (c, ==, "3 Nov 2026 at 08:05");
  g_assert_cmpstr (d, ==, "");
}

/* a run just after midnight UTC is shown in the viewer's time zone */
static void
test_when_time_zone (void)
{
  g_autoptr (GDateTime) now = fixed_now ();
  g_autoptr (BcsSyncReport) run = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);
  g_autoptr (GDateTime) utc = g_date_time_new_utc (2026, 11, 24, 23, 30, 0);
  g_autofree char *text = NULL;

  run->started_at = g_date_time_to_unix (utc);
  text = bcs_history_format_when (run, now);
  /* 00:30 on the 25th at UTC+1: today */
  g_assert_cmpstr (text, ==, "Today at 00:30");
}

static void
test_title (void)
{
  g_autoptr (GDateTime) now = fixed_now ();
  g_autoptr (BcsSyncReport) run = run_at (now, 0, 14, 2);
  g_autofree char *sync = NULL;
  g_autofree char *full = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *no_time = NULL;

  sync = bcs_history_format_title (run, now);
  g_assert_cmpstr (sync, ==, "Today at 14:02 — Sync");
  run->mode = BCS_SYNC_MODE_FULL;
  full = bcs_history_format_title (run, now);
  g_assert_cmpstr (full, ==, "Today at 14:02 — Full Sync");
  run->dry_run = TRUE;
  preview = bcs_history_format_title (run, now);
  g_assert_cmpstr (preview, ==, "Today at 14:02 — Preview");
  run->started_at = 0;
  no_time = bcs_history_format_title (run, now);
  g_assert_cmpstr (no_time, ==, "Preview");
}

static void
test_counts (void)
{
  g_autoptr (BcsSyncReport) run = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);
  g_autofree char *none = NULL;
  g_autofree char *unchanged = NULL;
  g_autofree char *one = NULL;
  g_autofree char *written = NULL;
  g_autofree char *planned = NULL;
  g_autofree char *braked = NULL;

  run->outcome = BCS_SYNC_RUN_OK;
  none = bcs_history_format_counts (run);
  g_assert_cmpstr (none, ==, "No contacts");

  run->counts.unchanged = 40;
  unchanged = bcs_history_format_counts (run);
  g_assert_cmpstr (unchanged, ==, "No changes: 40 contacts already the same");
  run->counts.unchanged = 1;
  g_free (unchanged);
  unchanged = bcs_history_format_counts (run);
  g_assert_cmpstr (unchanged, ==, "No changes: 1 contact already the same");

  run->counts.failed = 1;
  one = bcs_history_format_counts (run);
  g_assert_cmpstr (one, ==, "1 failed");

  /* both directions add up; unchanged is not listed once something happened */
  run->outcome = BCS_SYNC_RUN_PARTIAL;
  run->counts.outlook_created = 10;
  run->counts.bc_created = 2;
  run->counts.outlook_updated = 1;
  run->counts.bc_updated = 2;
  run->counts.outlook_deleted = 4;
  run->counts.linked = 5;
  run->counts.skipped = 6;
  written = bcs_history_format_counts (run);
  g_assert_cmpstr (written, ==,
                   "12 created · 3 updated · 4 removed · 5 linked · 6 skipped · 1 failed");

  run->dry_run = TRUE;
  run->counts.failed = 0;
  planned = bcs_history_format_counts (run);
  g_assert_cmpstr (planned, ==, "12 to create · 3 to update · 4 to remove · 5 to link · 6 skipped");

  /* the brake wrote nothing: what it would have done */
  run->dry_run = FALSE;
  run->outcome = BCS_SYNC_RUN_BRAKED;
  memset (&run->counts, 0, sizeof run->counts);
  run->counts.outlook_deleted = 30;
  braked = bcs_history_format_counts (run);
  g_assert_cmpstr (braked, ==, "30 to remove");
}

static void
test_outcome (void)
{
  const struct {
    BcsSyncRunOutcome outcome;
    const char *label;
    const char *style;
  } cases[] = {
    { BCS_SYNC_RUN_OK, "Finished", "success" },
    { BCS_SYNC_RUN_PARTIAL, "Partly failed", "warning" },
    { BCS_SYNC_RUN_FAILED, "Failed", "error" },
    { BCS_SYNC_RUN_BRAKED, "Stopped by the safety brake", "warning" },
    { BCS_SYNC_RUN_CANCELLED, "Cancelled", "dim-label" },
    { BCS_SYNC_RUN_RUNNING, "Did not finish", "dim-label" },
  };
  g_autoptr (GHashTable) icons = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *icon = bcs_history_outcome_icon (cases[i].outcome);

      g_assert_cmpstr (bcs_history_outcome_label (cases[i].outcome), ==, cases[i].label);
      g_assert_cmpstr (bcs_history_outcome_style (cases[i].outcome), ==, cases[i].style);
      g_assert_true (g_str_has_suffix (icon, "-symbolic"));
      g_hash_table_add (icons, (gpointer) icon);
    }
  /* ok, a warning, a failure, a cancel and an unknown end look different */
  g_assert_cmpuint (g_hash_table_size (icons), ==, 5);
}

static void
test_describe (void)
{
  g_autoptr (GDateTime) now = fixed_now ();
  g_autoptr (BcsSyncReport) run = run_at (now, 0, 9, 0);
  g_autofree char *plain = NULL;
  g_autofree char *with_message = NULL;

  run->counts.outlook_created = 2;
  plain = bcs_history_describe_run (run, now);
  g_assert_cmpstr (plain, ==, "Today at 09:00 — Sync: Finished. 2 created");

  run->outcome = BCS_SYNC_RUN_FAILED;
  run->message = g_strdup ("Business Central is not reachable.");
  with_message = bcs_history_describe_run (run, now);
  g_assert_cmpstr (with_message, ==,
                   "Today at 09:00 — Sync: Failed. 2 created. Business Central is not reachable.");
}

static void
test_page (void)
{
  g_assert_cmpint (bcs_history_page_for (FALSE, FALSE, 0), ==, BCS_HISTORY_PAGE_LOADING);
  g_assert_cmpint (bcs_history_page_for (TRUE, FALSE, 0), ==, BCS_HISTORY_PAGE_EMPTY);
  g_assert_cmpint (bcs_history_page_for (TRUE, TRUE, 0), ==, BCS_HISTORY_PAGE_ERROR);
  g_assert_cmpint (bcs_history_page_for (TRUE, FALSE, 3), ==, BCS_HISTORY_PAGE_RUNS);
  /* runs already shown stay while reloading or after a failed reload */
  g_assert_cmpint (bcs_history_page_for (FALSE, FALSE, 3), ==, BCS_HISTORY_PAGE_RUNS);
  g_assert_cmpint (bcs_history_page_for (TRUE, TRUE, 3), ==, BCS_HISTORY_PAGE_RUNS);
}

/* ---- the details dialog's text ---- */

static void
test_value_text (void)
{
  g_autoptr (GString) long_value = g_string_new (NULL);
  g_autofree char *empty = bcs_result_details_value_text (NULL, 10);
  g_autofree char *blank = bcs_result_details_value_text ("", 10);
  g_autofree char *shortv = bcs_result_details_value_text ("Köln", 10);
  g_autofree char *exact = bcs_result_details_value_text ("ÄÖÜäöüßéè😀", 10);
  g_autofree char *cut = NULL;
  g_autofree char *huge = NULL;

  g_assert_cmpstr (empty, ==, "(empty)");
  g_assert_cmpstr (blank, ==, "(empty)");
  g_assert_cmpstr (shortv, ==, "Köln");
  g_assert_cmpstr (exact, ==, "ÄÖÜäöüßéè😀");
  /* cut on a character, never inside one */
  cut = bcs_result_details_value_text ("😀😀😀😀", 2);
  g_assert_cmpstr (cut, ==, "😀😀…");

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (long_value, 'x');
  huge = bcs_result_details_value_text (long_value->str, BCS_RESULT_DETAILS_MAX_CHARS);
  g_assert_cmpuint (g_utf8_strlen (huge, -1), ==, BCS_RESULT_DETAILS_MAX_CHARS + 1);
  g_assert_true (g_str_has_suffix (huge, "…"));
}

static BcsSyncResult *
update_result (void)
{
  BcsSyncResult *result = bcs_sync_result_new ();
  g_autoptr (BcsContact) before = bcs_contact_new ();
  g_autoptr (BcsContact) after = bcs_contact_new ();

  result->name = g_strdup ("Anna Alt");
  result->email = g_strdup ("anna@example.com");
  result->action = BCS_SYNC_RESULT_UPDATE;
  result->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
  result->outcome = BCS_SYNC_OUTCOME_OK;
  result->fields = BCS_FIELD_MASK (BCS_FIELD_CITY) | BCS_FIELD_MASK (BCS_FIELD_JOB_TITLE);
  bcs_contact_set_field (before, BCS_FIELD_CITY, "Bonn");
  bcs_contact_set_field (after, BCS_FIELD_CITY, "Köln");
  bcs_contact_set_field (after, BCS_FIELD_JOB_TITLE, "Buyer");
  bcs_sync_result_set_changes (result, before, after, result->fields);
  return result;
}

static void
test_details_text (void)
{
  g_autoptr (BcsSyncResult) result = update_result ();
  g_autoptr (GPtrArray) changes = bcs_sync_result_list_changes (result);
  g_autofree char *heading = bcs_result_details_heading (result);
  g_autofree char *body = bcs_result_details_body (result);
  g_autofree char *job = NULL;
  g_autofree char *city = NULL;
  g_autofree char *old_body = NULL;

  g_assert_cmpstr (heading, ==, "Anna Alt");
  g_assert_cmpstr (bcs_result_details_changes_title (result), ==, "Changed in Outlook");
  /* the changes list the fields: the body does not repeat them */
  g_assert_null (strstr (body, "Fields written"));
  g_assert_nonnull (strstr (body, "anna@example.com"));

  g_assert_cmpuint (changes->len, ==, 2);
  /* in field order */
  job = bcs_result_details_describe_change (changes->pdata[0]);
  g_assert_cmpstr (job, ==, "Job title: (empty), changed to Buyer");
  city = bcs_result_details_describe_change (changes->pdata[1]);
  g_assert_cmpstr (city, ==, "City: Bonn, changed to Köln");

  /* a run from before the changes were kept: the body lists the fields */
  g_clear_pointer (&result->changes, g_free);
  old_body = bcs_result_details_body (result);
  g_assert_nonnull (strstr (old_body, "Fields written"));
  g_assert_nonnull (strstr (old_body, "City"));

  result->outcome = BCS_SYNC_OUTCOME_PLANNED;
  result->direction = BCS_SYNC_DIRECTION_TO_BC;
  g_assert_cmpstr (bcs_result_details_changes_title (result), ==, "To change in Business Central");
  result->outcome = BCS_SYNC_OUTCOME_FAILED;
  g_assert_cmpstr (bcs_result_details_changes_title (result), ==, "Not changed in Business Central");

  g_clear_pointer (&result->name, g_free);
  g_free (heading);
  heading = bcs_result_details_heading (result);
  g_assert_cmpstr (heading, ==, "Unnamed Contact");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/history-format/when", test_when);
  g_test_add_func ("/history-format/when-time-zone", test_when_time_zone);
  g_test_add_func ("/history-format/title", test_title);
  g_test_add_func ("/history-format/counts", test_counts);
  g_test_add_func ("/history-format/outcome", test_outcome);
  g_test_add_func ("/history-format/describe", test_describe);
  g_test_add_func ("/history-format/page", test_page);
  g_test_add_func ("/result-details/value-text", test_value_text);
  g_test_add_func ("/result-details/text", test_details_text);

  return g_test_run ();
}
