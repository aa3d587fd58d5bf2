/* test-sync-result.c — per-contact results, the run report, exports, summary */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bcs-sync-result.h"

static BcsSyncResult *
make_result (const char          *name,
             BcsSyncDirection     direction,
             BcsSyncResultAction  action,
             BcsSyncOutcome       outcome,
             const char          *reason,
             BcsFieldMask         fields)
{
  BcsSyncResult *r = bcs_sync_result_new ();

  r->name = g_strdup (name);
  r->email = g_strdup ("a@example.com");
  r->bc_id = g_strdup ("bc-1");
  r->bc_number = g_strdup ("CT000123");
  r->outlook_id = NULL;   /* unset: written as "" */
  r->direction = direction;
  r->action = action;
  r->outcome = outcome;
  r->reason = g_strdup (reason);
  r->fields = fields;
  return r;
}

static gint64
utc (int year, int month, int day, int hour, int minute, int second)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (time);
}

static BcsSyncReport *
sample_report (void)
{
  BcsSyncReport *report = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);

  report->started_at = utc (2026, 11, 24, 10, 0, 0);
  report->finished_at = utc (2026, 11, 24, 10, 0, 4);
  report->requests.login = 1;
  report->requests.graph = 2;
  report->requests.bc = 3;
  report->counts.unchanged = 40;
  bcs_sync_report_add_result (report, make_result ("Anna", BCS_SYNC_DIRECTION_TO_OUTLOOK,
                                                   BCS_SYNC_RESULT_UPDATE, BCS_SYNC_OUTCOME_OK,
                                                   "Changed in Business Central: e-mail, city",
                                                   BCS_FIELD_MASK (BCS_FIELD_EMAIL)
                                                   | BCS_FIELD_MASK (BCS_FIELD_CITY)));
  bcs_sync_report_add_result (report, make_result ("Bob", BCS_SYNC_DIRECTION_NONE,
                                                   BCS_SYNC_RESULT_SKIP, BCS_SYNC_OUTCOME_SKIPPED,
                                                   "Not a person (type Company)", 0));
  bcs_sync_report_add_result (report, make_result ("Cleo", BCS_SYNC_DIRECTION_TO_BC,
                                                   BCS_SYNC_RESULT_CREATE, BCS_SYNC_OUTCOME_FAILED,
                                                   "Business Central refused it", 0));
  report->outcome = bcs_sync_report_compute_outcome (report);
  return report;
}

static void
assert_members (JsonObject         *object,
                const char *const  *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);
  GList *l = members;
  guint i = 0;

  for (; l != NULL && expected[i] != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, expected[i]);
  g_assert_null (l);
  g_assert_null (expected[i]);
}

static void
test_report_json_shape (void)
{
  g_autoptr(BcsSyncReport) report = sample_report ();
  g_autofree char *text = bcs_sync_report_to_json (report, FALSE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *const top[] = { "mode", "dry_run", "outcome", "started_at", "finished_at",
                              "counts", "requests", "contacts", NULL };
  const char *const counts[] = { "outlook_created", "outlook_updated", "outlook_deleted",
                                 "bc_created", "bc_updated", "linked", "unchanged",
                                 "skipped", "failed", NULL };
  const char *const requests[] = { "login", "graph", "bc", NULL };
  const char *const contact[] = { "name", "email", "bc_id", "bc_number", "outlook_id",
                                  "direction", "action", "outcome", "reason", "fields", NULL };
  JsonObject *root, *c, *first;
  JsonArray *contacts, *fields;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  assert_members (root, top);
  g_assert_cmpstr (json_object_get_string_member (root, "mode"), ==, "sync");
  g_assert_true (JSON_NODE_TYPE (json_object_get_member (root, "dry_run")) == JSON_NODE_VALUE);
  g_assert_true (json_node_get_value_type (json_object_get_member (root, "dry_run")) == G_TYPE_BOOLEAN);
  g_assert_false (json_object_get_boolean_member (root, "dry_run"));
  g_assert_cmpstr (json_object_get_string_member (root, "outcome"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (root, "started_at"), ==, "2026-11-24T10:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (root, "finished_at"), ==, "2026-11-24T10:00:04Z");

  c = json_object_get_object_member (root, "counts");
  assert_members (c, counts);
  g_assert_cmpint (json_object_get_int_member (c, "outlook_updated"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (c, "skipped"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (c, "failed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (c, "unchanged"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (c, "bc_created"), ==, 0);

  c = json_object_get_object_member (root, "requests");
  assert_members (c, requests);
  g_assert_cmpint (json_object_get_int_member (c, "login"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (c, "graph"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (c, "bc"), ==, 3);

  contacts = json_object_get_array_member (root, "contacts");
  g_assert_cmpuint (json_array_get_length (contacts), ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_members (json_array_get_object_element (contacts, i), contact);
  first = json_array_get_object_element (contacts, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Anna");
  g_assert_cmpstr (json_object_get_string_member (first, "outlook_id"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (first, "direction"), ==, "to-outlook");
  g_assert_cmpstr (json_object_get_string_member (first, "action"), ==, "update");
  g_assert_cmpstr (json_object_get_string_member (first, "outcome"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (first, "bc_number"), ==, "CT000123");
  fields = json_object_get_array_member (first, "fields");
  g_assert_cmpuint (json_array_get_length (fields), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (fields, 0), ==, "email");
  g_assert_cmpstr (json_array_get_string_element (fields, 1), ==, "city");
  c = json_array_get_object_element (contacts, 1);
  g_assert_cmpstr (json_object_get_string_member (c, "action"), ==, "skip");
  g_assert_cmpstr (json_object_get_string_member (c, "direction"), ==, "none");
  g_assert_cmpstr (json_object_get_string_member (c, "outcome"), ==, "skipped");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "fields")), ==, 0);
  c = json_array_get_object_element (contacts, 2);
  g_assert_cmpstr (json_object_get_string_member (c, "direction"), ==, "to-bc");
  g_assert_cmpstr (json_object_get_string_member (c, "outcome"), ==, "failed");
}

static void
test_strings (void)
{
  g_assert_cmpstr (bcs_sync_mode_to_string (BCS_SYNC_MODE_FULL), ==, "full-sync");
  g_assert_cmpint (bcs_sync_mode_from_string ("sync"), ==, BCS_SYNC_MODE_INCREMENTAL);
  g_assert_cmpint (bcs_sync_mode_from_string ("bogus"), ==, -1);
  g_assert_cmpint (bcs_sync_run_outcome_from_string ("braked"), ==, BCS_SYNC_RUN_BRAKED);
  g_assert_cmpstr (bcs_sync_run_outcome_to_string (BCS_SYNC_RUN_CANCELLED), ==, "cancelled");
  g_assert_cmpint (bcs_sync_outcome_from_string ("planned"), ==, BCS_SYNC_OUTCOME_PLANNED);
  g_assert_cmpint (bcs_sync_result_action_from_string ("recreate"), ==, BCS_SYNC_RESULT_RECREATE);
  g_assert_cmpint (bcs_sync_direction_from_string ("to-bc"), ==, BCS_SYNC_DIRECTION_TO_BC);
  g_assert_cmpint (bcs_sync_direction_from_string (NULL), ==, -1);
}

static void
test_counts (void)
{
  struct {
    BcsSyncDirection direction;
    BcsSyncResultAction action;
    BcsSyncOutcome outcome;
  } rows[] = {
    { BCS_SYNC_DIRECTION_TO_OUTLOOK, BCS_SYNC_RESULT_CREATE, BCS_SYNC_OUTCOME_OK },
    { BCS_SYNC_DIRECTION_TO_OUTLOOK, BCS_SYNC_RESULT_UPDATE, BCS_SYNC_OUTCOME_PLANNED },
    { BCS_SYNC_DIRECTION_TO_OUTLOOK, BCS_SYNC_RESULT_RECREATE, BCS_SYNC_OUTCOME_OK },
    { BCS_SYNC_DIRECTION_TO_OUTLOOK, BCS_SYNC_RESULT_DELETE, BCS_SYNC_OUTCOME_OK },
    { BCS_SYNC_DIRECTION_NONE, BCS_SYNC_RESULT_DELETE, BCS_SYNC_OUTCOME_OK },
    { BCS_SYNC_DIRECTION_TO_BC, BCS_SYNC_RESULT_CREATE, BCS_SYNC_OUTCOME_OK },
    { BCS_SYNC_DIRECTION_TO_BC, BCS_SYNC_RESULT_UPDATE, BCS_SYNC_OUTCOME_OK },
    { BCS_SYNC_DIRECTION_TO_OUTLOOK, BCS_SYNC_RESULT_LINK, BCS_SYNC_OUTCOME_OK },
    { BCS_SYNC_DIRECTION_NONE, BCS_SYNC_RESULT_SKIP, BCS_SYNC_OUTCOME_SKIPPED },
    { BCS_SYNC_DIRECTION_TO_BC, BCS_SYNC_RESULT_UPDATE, BCS_SYNC_OUTCOME_FAILED },
  };
  BcsSyncCounts c = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(BcsSyncResult) r = make_result ("x", rows[i].direction, rows[i].action,
                                                rows[i].outcome, NULL, 0);
      bcs_sync_counts_add_result (&c, r);
    }
  g_assert_cmpuint (c.outlook_created, ==, 1);
  g_assert_cmpuint (c.outlook_updated, ==, 2);
  g_assert_cmpuint (c.outlook_deleted, ==, 1);
  g_assert_cmpuint (c.bc_created, ==, 1);
  g_assert_cmpuint (c.bc_updated, ==, 1);
  g_assert_cmpuint (c.linked, ==, 1);
  g_assert_cmpuint (c.skipped, ==, 1);
  g_assert_cmpuint (c.failed, ==, 1);
  g_assert_cmpuint (c.unchanged, ==, 0);
}

static void
test_outcome (void)
{
  g_autoptr(BcsSyncReport) ok = bcs_sync_report_new (BCS_SYNC_MODE_FULL, FALSE);
  g_autoptr(BcsSyncReport) failed = bcs_sync_report_new (BCS_SYNC_MODE_FULL, FALSE);

  g_assert_cmpint (bcs_sync_report_compute_outcome (ok), ==, BCS_SYNC_RUN_OK);
  bcs_sync_report_add_result (ok, make_result ("a", BCS_SYNC_DIRECTION_NONE, BCS_SYNC_RESULT_SKIP,
                                               BCS_SYNC_OUTCOME_SKIPPED, NULL, 0));
  g_assert_cmpint (bcs_sync_report_compute_outcome (ok), ==, BCS_SYNC_RUN_OK);
  bcs_sync_report_add_result (failed, make_result ("a", BCS_SYNC_DIRECTION_TO_BC, BCS_SYNC_RESULT_CREATE,
                                                   BCS_SYNC_OUTCOME_FAILED, NULL, 0));
  g_assert_cmpint (bcs_sync_report_compute_outcome (failed), ==, BCS_SYNC_RUN_FAILED);
}

static void
test_csv_quoting (void)
{
  g_autoptr(GPtrArray) results = bcs_sync_results_new ();
  g_autofree char *csv = NULL;
  BcsSyncResult *r;

  r = make_result ("Müller, Jürgen", BCS_SYNC_DIRECTION_TO_OUTLOOK, BCS_SYNC_RESULT_UPDATE,
                   BCS_SYNC_OUTCOME_OK, "Changed in Business Central: e-mail, city",
                   BCS_FIELD_MASK (BCS_FIELD_EMAIL) | BCS_FIELD_MASK (BCS_FIELD_CITY));
  g_ptr_array_add (results, r);
  r = make_result ("The \"Boss\"", BCS_SYNC_DIRECTION_NONE, BCS_SYNC_RESULT_SKIP,
                   BCS_SYNC_OUTCOME_SKIPPED, "line one\nline two", 0);
  g_ptr_array_add (results, r);
  r = make_result ("東京", BCS_SYNC_DIRECTION_TO_BC, BCS_SYNC_RESULT_CREATE,
                   BCS_SYNC_OUTCOME_PLANNED, "New in Outlook", BCS_FIELD_MASK (BCS_FIELD_PHONE));
  g_ptr_array_add (results, r);

  csv = bcs_sync_results_to_csv (results);
  g_assert_cmpstr (csv, ==,
                   "name,email,bc_id,bc_number,outlook_id,direction,action,outcome,reason,fields\r\n"
                   "\"Müller, Jürgen\",a@example.com,bc-1,CT000123,,to-outlook,update,ok,"
                   "\"Changed in Business Central: e-mail, city\",email;city\r\n"
                   "\"The \"\"Boss\"\"\",a@example.com,bc-1,CT000123,,none,skip,skipped,"
                   "\"line one\nline two\",\r\n"
                   "東京,a@example.com,bc-1,CT000123,,to-bc,create,planned,New in Outlook,phone\r\n");
  g_assert_true (g_utf8_validate (csv, -1, NULL));
}

static void
test_export (void)
{
  g_autoptr(BcsSyncReport) report = sample_report ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bcs-export-XXXXXX", &error);
  g_autofree char *csv_path = g_build_filename (dir, "results.CSV", NULL);
  g_autofree char *json_path = g_build_filename (dir, "results.json", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *expected = bcs_sync_results_to_csv (report->results);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_no_error (error);
  g_assert_true (bcs_sync_report_export (report, csv_path, &error));
  g_assert_true (bcs_sync_report_export (report, json_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_cmpstr (csv, ==, expected);
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "contacts")), ==, 3);

  /* an unwritable place gives a message */
  {
    g_autofree char *bad = g_build_filename (dir, "missing", "x.json", NULL);
    g_assert_false (bcs_sync_report_export (report, bad, &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
  }
  g_remove (csv_path);
  g_remove (json_path);
  g_rmdir (dir);
}

static void
test_summary (void)
{
  g_autoptr(BcsSyncReport) report = bcs_sync_report_new (BCS_SYNC_MODE_FULL, FALSE);
  g_autoptr(BcsSyncReport) dry = bcs_sync_report_new (BCS_SYNC_MODE_FULL, TRUE);
  g_autofree char *text = NULL;
  g_autofree char *dry_text = NULL;

  report->outcome = BCS_SYNC_RUN_OK;
  report->counts.outlook_created = 12;
  report->counts.outlook_deleted = 1;
  report->counts.bc_updated = 2;
  report->counts.unchanged = 100;
  text = bcs_sync_report_format_summary (report);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Sync finished."));
  g_assert_nonnull (strstr (text, "Created 12 contacts in Outlook\n"));
  g_assert_nonnull (strstr (text, "Removed 1 contact from Outlook\n"));
  g_assert_nonnull (strstr (text, "Updated 2 contacts in Business Central\n"));
  g_assert_nonnull (strstr (text, "100 contacts unchanged\n"));
  g_assert_null (strstr (text, "skipped"));
  g_assert_true (g_str_has_suffix (text, "\n"));

  dry->outcome = BCS_SYNC_RUN_OK;
  dry->counts.outlook_created = 1;
  dry_text = bcs_sync_report_format_summary (dry);
  g_assert_nonnull (strstr (dry_text, "Dry run finished: nothing was written."));
  g_assert_nonnull (strstr (dry_text, "Would create 1 contact in Outlook\n"));
}

static void
test_copy (void)
{
  g_autoptr(BcsSyncReport) report = sample_report ();
  g_autoptr(BcsSyncReport) copy = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  report->message = g_strdup ("hello");
  copy = bcs_sync_report_copy (report);
  a = bcs_sync_report_to_json (report, TRUE);
  b = bcs_sync_report_to_json (copy, TRUE);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (copy->message, ==, "hello");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-result/report-json-shape", test_report_json_shape);
  g_test_add_func ("/sync-result/strings", test_strings);
  g_test_add_func ("/sync-result/counts", test_counts);
  g_test_add_func ("/sync-result/outcome", test_outcome);
  g_test_add_func ("/sync-result/csv-quoting", test_csv_quoting);
  g_test_add_func ("/sync-result/export", test_export);
  g_test_add_func ("/sync-result/summary", test_summary);
  g_test_add_func ("/sync-result/copy", test_copy);

  return g_test_run ();
}
