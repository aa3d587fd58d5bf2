/* test-sync-changes.c — each written field's value before and after:
 * the representation, the store (and its migration), the engine */
#include "config.h"

#include <glib/gstdio.h>

#include "bcs-json.h"
#include "bcs-sync-result-changes.h"
#include "bcs-sync-store-private.h"
#include "sync-test-support.h"

static BcsContact *
contact (const char *name,
         const char *email,
         const char *city)
{
  BcsContact *c = bcs_contact_new ();

  bcs_contact_set_field (c, BCS_FIELD_DISPLAY_NAME, name);
  bcs_contact_set_field (c, BCS_FIELD_EMAIL, email);
  bcs_contact_set_field (c, BCS_FIELD_CITY, city);
  return c;
}

static const BcsSyncChange *
find_change (GPtrArray       *changes,
             BcsContactField  field)
{
  for (guint i = 0; i < changes->len; i++)
    {
      const BcsSyncChange *change = g_ptr_array_index (changes, i);

      if (change->field == field)
        return change;
    }
  return NULL;
}

/* only the fields asked for, in field order, unset as NULL */
static void
test_set_and_list (void)
{
  g_autoptr(BcsContact) before = contact ("Anna Alt", "anna@example.com", NULL);
  g_autoptr(BcsContact) after = contact ("Anna Neu", "anna@example.com", "Köln");
  g_autoptr(BcsSyncResult) result = bcs_sync_result_new ();
  g_autoptr(GPtrArray) changes = NULL;
  const BcsSyncChange *change;

  bcs_sync_result_set_changes (result, before, after,
                               BCS_FIELD_MASK (BCS_FIELD_CITY) | BCS_FIELD_MASK (BCS_FIELD_DISPLAY_NAME));
  g_assert_nonnull (result->changes);
  changes = bcs_sync_result_list_changes (result);
  g_assert_cmpuint (changes->len, ==, 2);
  change = g_ptr_array_index (changes, 0);
  g_assert_cmpint (change->field, ==, BCS_FIELD_DISPLAY_NAME);
  g_assert_cmpstr (change->before, ==, "Anna Alt");
  g_assert_cmpstr (change->after, ==, "Anna Neu");
  change = g_ptr_array_index (changes, 1);
  g_assert_cmpint (change->field, ==, BCS_FIELD_CITY);
  g_assert_null (change->before);
  g_assert_cmpstr (change->after, ==, "Köln");
  g_assert_null (find_change (changes, BCS_FIELD_EMAIL));
}

static void
test_no_fields (void)
{
  g_autoptr(BcsContact) before = contact ("A", NULL, NULL);
  g_autoptr(BcsContact) after = contact ("B", NULL, NULL);
  g_autoptr(BcsSyncResult) result = bcs_sync_result_new ();
  g_autoptr(GPtrArray) changes = NULL;

  bcs_sync_result_set_changes (result, before, after, BCS_FIELD_MASK (BCS_FIELD_DISPLAY_NAME));
  g_assert_nonnull (result->changes);
  /* setting again with no fields clears them */
  bcs_sync_result_set_changes (result, before, after, 0);
  g_assert_null (result->changes);
  changes = bcs_sync_result_list_changes (result);
  g_assert_cmpuint (changes->len, ==, 0);
}

/* quotes, control characters, non-BMP, long text: round trip intact; the
 * copy carries them */
static void
test_awkward_values (void)
{
  g_autoptr(BcsContact) before = bcs_contact_new ();
  g_autoptr(BcsContact) after = bcs_contact_new ();
  g_autoptr(BcsSyncResult) result = bcs_sync_result_new ();
  g_autoptr(BcsSyncResult) copy = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GString) long_name = g_string_new (NULL);
  const BcsSyncChange *change;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (long_name, 'a' + i % 26);
  bcs_contact_set_field (before, BCS_FIELD_DISPLAY_NAME, long_name->str);
  bcs_contact_set_field (after, BCS_FIELD_DISPLAY_NAME, "Zoë \"the\" 😀 \\ Tester");
  bcs_contact_set_field (before, BCS_FIELD_ADDRESS_LINE1, "Line\twith tab");
  bcs_contact_set_field (after, BCS_FIELD_ADDRESS_LINE1, "Straße 1");
  bcs_sync_result_set_changes (result, before, after,
                               BCS_FIELD_MASK (BCS_FIELD_DISPLAY_NAME) | BCS_FIELD_MASK (BCS_FIELD_ADDRESS_LINE1));
  copy = bcs_sync_result_copy (result);
  g_assert_true (copy->changes != result->changes);
  changes = bcs_sync_result_list_changes (copy);
  g_assert_cmpuint (changes->len, ==, 2);
  change = find_change (changes, BCS_FIELD_DISPLAY_NAME);
  g_assert_cmpstr (change->before, ==, before->display_name);
  g_assert_cmpuint (strlen (change->before), ==, 10000);
  g_assert_cmpstr (change->after, ==, after->display_name);
  change = find_change (changes, BCS_FIELD_ADDRESS_LINE1);
  g_assert_cmpstr (change->before, ==, before->address_line1);
  g_assert_cmpstr (change->after, ==, "Straße 1");
}

/* a damaged text in the store is not fatal: what can be read is listed */
static void
test_damaged_text (void)
{
  const char *texts[] = {
    "not json", "[]", "{\"city\": \"x\"}", "{\"city\": [1, 2]}", "{\"city\": [\"a\"]}",
    "{\"nonsense\": [\"a\", \"b\"]}", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(BcsSyncResult) result = bcs_sync_result_new ();
      g_autoptr(GPtrArray) changes = NULL;

      result->changes = g_strdup (texts[i]);
      changes = bcs_sync_result_list_changes (result);
      g_assert_cmpuint (changes->len, ==, 0);
    }
  {
    g_autoptr(BcsSyncResult) result = bcs_sync_result_new ();
    g_autoptr(GPtrArray) changes = NULL;

    result->changes = g_strdup ("{\"phone\": [null, \"+1\"], \"city\": [true, \"x\"]}");
    changes = bcs_sync_result_list_changes (result);
    g_assert_cmpuint (changes->len, ==, 1);
    g_assert_cmpint (((BcsSyncChange *) changes->pdata[0])->field, ==, BCS_FIELD_PHONE);
  }
}

/* an action's rows: the written side's values before, merged after */
static void
test_action_rows (void)
{
  g_autoptr(BcsContact) bc = contact ("Bea", "bea@example.com", "Bonn");
  g_autoptr(BcsContact) outlook = contact ("Bea", "bea@example.com", "Berlin");
  g_autoptr(GPtrArray) rows = bcs_sync_results_new ();
  BcsSyncAction *action = bcs_sync_action_new (BCS_SYNC_ACTION_UPDATE_BC);
  g_autoptr(GPtrArray) to_bc = NULL;
  g_autoptr(GPtrArray) to_outlook = NULL;

  /* two-way: the e-mail changed in Outlook goes to BC, the city changed
   * in BC goes to Outlook */
  bcs_contact_set_field (outlook, BCS_FIELD_EMAIL, "bea@new.example.com");
  action->bc = bcs_contact_copy (bc);
  action->outlook = bcs_contact_copy (outlook);
  action->merged = contact ("Bea", "bea@new.example.com", "Bonn");
  action->to_bc = BCS_FIELD_MASK (BCS_FIELD_EMAIL);
  action->to_outlook = BCS_FIELD_MASK (BCS_FIELD_CITY);
  bcs_sync_action_to_results (action, BCS_SYNC_OUTCOME_OK, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    bcs_sync_result_set_action_changes (rows->pdata[i], action);

  to_bc = bcs_sync_result_list_changes (rows->pdata[0]);
  g_assert_cmpuint (to_bc->len, ==, 1);
  g_assert_cmpstr (((BcsSyncChange *) to_bc->pdata[0])->before, ==, "bea@example.com");
  g_assert_cmpstr (((BcsSyncChange *) to_bc->pdata[0])->after, ==, "bea@new.example.com");
  to_outlook = bcs_sync_result_list_changes (rows->pdata[1]);
  g_assert_cmpuint (to_outlook->len, ==, 1);
  g_assert_cmpint (((BcsSyncChange *) to_outlook->pdata[0])->field, ==, BCS_FIELD_CITY);
  g_assert_cmpstr (((BcsSyncChange *) to_outlook->pdata[0])->before, ==, "Berlin");
  g_assert_cmpstr (((BcsSyncChange *) to_outlook->pdata[0])->after, ==, "Bonn");
  bcs_sync_action_free (action);

  /* a create has no changes */
  action = bcs_sync_action_new (BCS_SYNC_ACTION_CREATE_OUTLOOK);
  action->bc = bcs_contact_copy (bc);
  action->merged = bcs_contact_copy (bc);
  g_ptr_array_set_size (rows, 0);
  bcs_sync_action_to_results (action, BCS_SYNC_OUTCOME_OK, rows);
  bcs_sync_result_set_action_changes (rows->pdata[0], action);
  g_assert_null (((BcsSyncResult *) rows->pdata[0])->changes);
  bcs_sync_action_free (action);
}

/* ---- the store ---- */

static void
remove_dir (const char *dir)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (dir);
}

/* a file of the previous schema keeps its results (without changes); new
 * results keep theirs */
static void
test_store_migration (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bcs-changes-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(BcsSyncStore) store = NULL;
  g_autoptr(BcsSyncReport) report = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, FALSE);
  g_autoptr(BcsContact) before = contact ("Carl", "carl@example.com", "Celle");
  g_autoptr(BcsContact) after = contact ("Carl", "carl@example.com", "Chemnitz");
  g_autoptr(GPtrArray) results = bcs_sync_results_new ();
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  BcsSyncResult *r;
  sqlite3 *db = NULL;

  g_assert_nonnull (dir);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (bcs_sync_store_migrate (db, path, BCS_SYNC_STORE_SCHEMA_VERSION - 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO runs (id, mode, dry_run, outcome, started_at, finished_at) "
                                 "VALUES (1, 'sync', 0, 'ok', 100, 101);"
                                 "INSERT INTO results (run_id, name, action, outcome, direction, fields) "
                                 "VALUES (1, 'Old Row', 'update', 'ok', 'to-outlook', 'city');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = bcs_sync_store_open_sync (path, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpint (bcs_sync_store_get_schema_version (store), ==, BCS_SYNC_STORE_SCHEMA_VERSION);
  old = bcs_sync_store_get_results_sync (store, 1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (old->len, ==, 1);
  g_assert_cmpstr (((BcsSyncResult *) old->pdata[0])->name, ==, "Old Row");
  g_assert_null (((BcsSyncResult *) old->pdata[0])->changes);

  g_assert_cmpint (bcs_sync_store_start_run_sync (store, report, &error), >, 0);
  r = bcs_sync_result_new ();
  r->name = g_strdup ("Carl");
  r->action = BCS_SYNC_RESULT_UPDATE;
  r->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
  r->fields = BCS_FIELD_MASK (BCS_FIELD_CITY);
  bcs_sync_result_set_changes (r, before, after, r->fields);
  g_ptr_array_add (results, r);
  r = bcs_sync_result_new ();
  r->name = g_strdup ("Dora");
  g_ptr_array_add (results, r);
  g_assert_true (bcs_sync_store_add_results_sync (store, report->id, results, &error));
  g_assert_no_error (error);

  back = bcs_sync_store_get_results_sync (store, report->id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_cmpstr (((BcsSyncResult *) back->pdata[0])->changes, ==,
                   ((BcsSyncResult *) results->pdata[0])->changes);
  g_assert_null (((BcsSyncResult *) back->pdata[1])->changes);
  changes = bcs_sync_result_list_changes (back->pdata[0]);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (((BcsSyncChange *) changes->pdata[0])->before, ==, "Celle");
  g_assert_cmpstr (((BcsSyncChange *) changes->pdata[0])->after, ==, "Chemnitz");

  g_clear_object (&store);
  remove_dir (dir);
}

/* ---- the engine, against the sandbox ---- */

static void
patch (SyncFixture *f,
       const char  *side,
       const char  *id,
       const char  *body)
{
  g_autofree char *path = g_strdup_printf ("/_sandbox/%s/contacts/%s", side, id);
  g_autoptr(JsonNode) reply = sync_fixture_request (f, "PATCH", path, body, 200);
}

static const BcsSyncResult *
find_result (const BcsSyncReport *report,
             const char          *bc_id,
             BcsSyncDirection     direction)
{
  for (guint i = 0; i < report->results->len; i++)
    {
      const BcsSyncResult *r = g_ptr_array_index (report->results, i);

      if (g_strcmp0 (r->bc_id, bc_id) == 0 && r->direction == direction)
        return r;
    }
  return NULL;
}

static void
assert_change (const BcsSyncResult *result,
               BcsContactField      field,
               const char          *before,
               const char          *after)
{
  g_autoptr(GPtrArray) changes = bcs_sync_result_list_changes (result);
  const BcsSyncChange *change = find_change (changes, field);

  g_assert_nonnull (change);
  g_assert_cmpstr (change->before, ==, before);
  g_assert_cmpstr (change->after, ==, after);
}

/* a BC edit: the Outlook update's before/after are the sandbox's Outlook
 * values before and after the run; the preview carries them too, and the
 * store keeps them */
static void
test_engine_outlook_update (void)
{
  SyncFixture *f = sync_fixture_new (20, 0, 11);
  g_autoptr(BcsSyncReport) first = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 1);
  g_autofree char *id = g_strdup (bcs_json_get_string (target, "id"));
  g_autoptr(JsonObject) outlook_before = sync_fixture_find_outlook (f, id);
  g_autoptr(JsonObject) outlook_after = NULL;
  g_autoptr(BcsSyncReport) dry = NULL;
  g_autoptr(BcsSyncReport) report = NULL;
  g_autoptr(BcsSyncStore) store = NULL;
  g_autoptr(BcsSyncReport) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title_before = g_strdup (bcs_json_get_string (outlook_before, "jobTitle"));
  const BcsSyncResult *result;

  g_assert_nonnull (outlook_before);
  g_assert_cmpstr (title_before, !=, "Head of Changes");
  patch (f, "bc", id, "{\"jobTitle\": \"Head of Changes\"}");

  dry = sync_fixture_run (f, BCS_SYNC_MODE_INCREMENTAL, TRUE, FALSE, &error);
  g_assert_no_error (error);
  result = find_result (dry, id, BCS_SYNC_DIRECTION_TO_OUTLOOK);
  g_assert_nonnull (result);
  g_assert_cmpint (result->outcome, ==, BCS_SYNC_OUTCOME_PLANNED);
  assert_change (result, BCS_FIELD_JOB_TITLE, title_before, "Head of Changes");

  report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  result = find_result (report, id, BCS_SYNC_DIRECTION_TO_OUTLOOK);
  g_assert_nonnull (result);
  g_assert_cmpint (result->action, ==, BCS_SYNC_RESULT_UPDATE);
  g_assert_cmpint (result->outcome, ==, BCS_SYNC_OUTCOME_OK);
  outlook_after = sync_fixture_find_outlook (f, id);
  g_assert_cmpstr (bcs_json_get_string (outlook_after, "jobTitle"), ==, "Head of Changes");
  assert_change (result, BCS_FIELD_JOB_TITLE, title_before, bcs_json_get_string (outlook_after, "jobTitle"));

  /* the store has them: the history shows them later */
  store = bcs_sync_store_open_sync (f->store_path, "test", &error);
  g_assert_no_error (error);
  stored = bcs_sync_store_get_last_run_sync (store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpint (stored->id, ==, report->id);
  result = find_result (stored, id, BCS_SYNC_DIRECTION_TO_OUTLOOK);
  g_assert_nonnull (result);
  assert_change (result, BCS_FIELD_JOB_TITLE, title_before, "Head of Changes");

  g_clear_object (&store);
  sync_fixture_free (f);
}

/* two-way merge: an Outlook edit goes to BC with BC's old value before */
static void
test_engine_bc_update (void)
{
  SyncFixture *f = sync_fixture_new (20, 0, 12);
  GSettings *settings = bcs_profile_get_settings (f->profile);
  g_autoptr(BcsSyncReport) first = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 2);
  g_autofree char *id = g_strdup (bcs_json_get_string (target, "id"));
  g_autoptr(JsonObject) copy = sync_fixture_find_outlook (f, id);
  g_autoptr(BcsSyncReport) report = NULL;
  const BcsSyncResult *result;

  g_settings_set_string (settings, "conflict-policy", "two-way-merge");
  patch (f, "outlook", bcs_json_get_string (copy, "id"), "{\"jobTitle\": \"From Outlook\"}");
  report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  result = find_result (report, id, BCS_SYNC_DIRECTION_TO_BC);
  g_assert_nonnull (result);
  g_assert_cmpint (result->action, ==, BCS_SYNC_RESULT_UPDATE);
  assert_change (result, BCS_FIELD_JOB_TITLE, bcs_json_get_string (target, "jobTitle"), "From Outlook");
  g_settings_reset (settings, "conflict-policy");
  sync_fixture_free (f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-changes/set-and-list", test_set_and_list);
  g_test_add_func ("/sync-changes/no-fields", test_no_fields);
  g_test_add_func ("/sync-changes/awkward-values", test_awkward_values);
  g_test_add_func ("/sync-changes/damaged-text", test_damaged_text);
  g_test_add_func ("/sync-changes/action-rows", test_action_rows);
  g_test_add_func ("/sync-changes/store-migration", test_store_migration);
  g_test_add_func ("/sync-changes/engine/outlook-update", test_engine_outlook_update);
  g_test_add_func ("/sync-changes/engine/bc-update", test_engine_bc_update);

  return g_test_run ();
}
