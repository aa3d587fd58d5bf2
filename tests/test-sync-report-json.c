/* test-sync-report-json.c — the report streamed contact by contact is
 * byte for byte the JSON of its tree */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bcs-sync-plan.h"
#include "bcs-sync-result.h"

static BcsSyncResult *
result_with (const char *name,
             const char *email,
             const char *reason,
             BcsFieldMask fields)
{
  BcsSyncResult *r = bcs_sync_result_new ();

  r->name = g_strdup (name);
  r->email = g_strdup (email);
  r->bc_id = g_strdup ("5d115c9c-44e3-ea11-bb43-000d3a2feca1");
  r->bc_number = NULL;   /* written as "" */
  r->outlook_id = g_strdup ("AAMkAGI2TG93AAA=");
  r->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
  r->action = BCS_SYNC_RESULT_UPDATE;
  r->outcome = BCS_SYNC_OUTCOME_OK;
  r->reason = g_strdup (reason);
  r->fields = fields;
  return r;
}

/* Names and reasons no report should trip over */
static BcsSyncReport *
awkward_report (guint n_results)
{
  BcsSyncReport *report = bcs_sync_report_new (BCS_SYNC_MODE_FULL, FALSE);
  g_autoptr(GString) long_name = g_string_new (NULL);
  const char *names[] = {
    "Anna \"the boss\" O'Neil",
    "back\\slash / and \t tab, new\nline, cr\r, \b \f",
    "control \x01\x02\x1e\x1f and delete \x7f",
    "Zoë Ærø — 東京 — emoji 😀 (non-BMP 𝄞)",
    "",
    "</script><!-- -->&amp;",
  };

  for (guint i = 0; i < 10000; i++)
    g_string_append_unichar (long_name, i % 3 == 0 ? 0x1F600 : 'a' + (gunichar) (i % 26));

  report->started_at = 1795000000;
  report->finished_at = 1795000042;
  report->requests.login = 2;
  report->requests.graph = 3650;
  report->requests.bc = 6;
  report->message = g_strdup ("A message \"quoted\"\n");
  for (guint i = 0; i < n_results; i++)
    {
      const char *name = i == G_N_ELEMENTS (names) ? long_name->str : names[i % G_N_ELEMENTS (names)];
      BcsSyncResult *r = result_with (name, i % 2 ? NULL : "x@example.com",
                                      i % 3 ? "Changed in Business Central: e-mail, city" : NULL,
                                      i % 4 ? BCS_FIELD_MASK (BCS_FIELD_EMAIL) | BCS_FIELD_MASK (BCS_FIELD_CITY) : 0);

      r->direction = (BcsSyncDirection) (i % 3);
      r->outcome = (BcsSyncOutcome) (i % 4);
      bcs_sync_report_add_result (report, r);
    }
  report->outcome = bcs_sync_report_compute_outcome (report);
  return report;
}

static char *
tree_json (const BcsSyncReport *report,
           gboolean             pretty)
{
  g_autoptr(JsonNode) root = bcs_sync_report_to_json_node (report);

  return json_to_string (root, pretty);
}

static void
assert_streamed_equals_tree (guint n_results)
{
  g_autoptr(BcsSyncReport) report = awkward_report (n_results);

  for (int pretty = 0; pretty <= 1; pretty++)
    {
      g_autofree char *tree = tree_json (report, pretty);
      g_autofree char *streamed = bcs_sync_report_to_json (report, pretty);
      g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
      g_autoptr(GError) error = NULL;
      g_autofree char *written = NULL;

      g_assert_cmpstr (streamed, ==, tree);
      g_assert_true (bcs_sync_report_write_json (report, pretty, memory, &error));
      g_assert_no_error (error);
      g_assert_true (g_output_stream_write_all (memory, "", 1, NULL, NULL, &error));
      g_assert_true (g_output_stream_close (memory, NULL, &error));
      written = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (memory));
      g_assert_cmpstr (written, ==, tree);
    }
}

static void
test_no_contacts (void)
{
  assert_streamed_equals_tree (0);
}

static void
test_one_contact (void)
{
  assert_streamed_equals_tree (1);
}

static void
test_awkward_strings (void)
{
  /* every awkward name, the 10,000-character one, several chunks of output */
  assert_streamed_equals_tree (400);
}

static void
test_parses_back (void)
{
  g_autoptr(BcsSyncReport) report = awkward_report (8);
  g_autofree char *streamed = bcs_sync_report_to_json (report, TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *contacts;

  g_assert_true (json_parser_load_from_data (parser, streamed, -1, &error));
  g_assert_no_error (error);
  contacts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "contacts");
  g_assert_cmpuint (json_array_get_length (contacts), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contacts, 2), "name"),
                   ==, "control \x01\x02\x1e\x1f and delete \x7f");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contacts, 3), "name"),
                   ==, "Zoë Ærø — 東京 — emoji 😀 (non-BMP 𝄞)");
  g_assert_cmpuint (g_utf8_strlen (json_object_get_string_member (json_array_get_object_element (contacts, 6), "name"), -1),
                    ==, 10000);
}

static void
test_save (void)
{
  g_autoptr(BcsSyncReport) report = awkward_report (50);
  g_autofree char *dir = g_dir_make_tmp ("bcs-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.json", NULL);
  g_autofree char *export_path = g_build_filename (dir, "export.json", NULL);
  g_autofree char *tree = tree_json (report, TRUE);
  g_autofree char *with_newline = g_strconcat (tree, "\n", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  /* an older, longer file is replaced whole */
  g_assert_true (g_file_set_contents (path, with_newline, -1, NULL));
  g_assert_true (g_file_set_contents (path, "old old old", -1, NULL));
  g_assert_true (bcs_sync_report_save_json (report, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, tree);
  g_clear_pointer (&text, g_free);

  /* --export-results FILE.json: the same with a final newline */
  g_assert_true (bcs_sync_report_export (report, export_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (export_path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, with_newline);

  /* a directory that does not exist: an error, nothing written */
  {
    g_autofree char *bad = g_build_filename (dir, "missing", "report.json", NULL);

    g_assert_false (bcs_sync_report_save_json (report, bad, NULL, &error));
    g_assert_nonnull (error);
    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  }

  g_unlink (path);
  g_unlink (export_path);
  g_rmdir (dir);
}

/* Packed contacts (one allocation) hold the same values as the original */
static void
test_packed_contact (void)
{
  g_autoptr(BcsContact) c = bcs_contact_new ();
  g_autoptr(BcsContact) copy = NULL;
  BcsContact *packed;
  BcsContact *empty;

  bcs_contact_set_value (&c->bc_id, "bc-1");
  bcs_contact_set_value (&c->etag, "W/\"7\"");
  bcs_contact_set_value (&c->surname, "Ærø");
  c->type = BCS_CONTACT_TYPE_COMPANY;
  c->privacy_blocked = TRUE;
  bcs_contact_set_field (c, BCS_FIELD_DISPLAY_NAME, "Zoë Ærø 😀");
  bcs_contact_set_field (c, BCS_FIELD_WEBSITE, "https://example.com");

  packed = bcs_sync_contact_pack (c);
  g_assert_true (packed != c);
  g_assert_true (packed->display_name != c->display_name);
  g_assert_true (bcs_sync_contact_identical (packed, c));
  g_assert_null (packed->email);
  g_assert_cmpstr (packed->website, ==, "https://example.com");
  copy = bcs_contact_copy (packed);                  /* an ordinary contact again */
  g_assert_true (bcs_sync_contact_identical (copy, c));
  bcs_contact_set_field (copy, BCS_FIELD_CITY, "Bonn");
  g_assert_false (bcs_sync_contact_identical (copy, c));
  g_free (packed);

  empty = bcs_sync_contact_pack_take (bcs_contact_new ());
  g_assert_null (empty->bc_id);
  g_assert_true (bcs_sync_contact_identical (empty, empty));
  g_free (empty);
  g_assert_null (bcs_sync_contact_pack (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-report-json/no-contacts", test_no_contacts);
  g_test_add_func ("/sync-report-json/one-contact", test_one_contact);
  g_test_add_func ("/sync-report-json/awkward-strings", test_awkward_strings);
  g_test_add_func ("/sync-report-json/parses-back", test_parses_back);
  g_test_add_func ("/sync-report-json/save", test_save);
  g_test_add_func ("/sync-report-json/packed-contact", test_packed_contact);

  return g_test_run ();
}
