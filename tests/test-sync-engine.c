/* test-sync-engine.c — Sync and Full Sync end to end against the sandbox */
#include "config.h"

#include <glib/gstdio.h>

#include "bcs-contact-check.h"
#include "bcs-contact-mapping.h"
#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-sync-service.h"
#include "bcs-sync-store.h"
#include "sync-test-support.h"

static gboolean
has_field (const BcsSyncResult *result,
           BcsContactField      field)
{
  return (result->fields & BCS_FIELD_MASK (field)) != 0;
}

static void
patch_bc (SyncFixture *f,
          const char  *id,
          const char  *body)
{
  g_autofree char *path = g_strdup_printf ("/_sandbox/bc/contacts/%s", id);
  g_autoptr(JsonNode) reply = sync_fixture_request (f, "PATCH", path, body, 200);
}

static void
patch_outlook (SyncFixture *f,
               const char  *id,
               const char  *body)
{
  g_autofree char *path = g_strdup_printf ("/_sandbox/outlook/contacts/%s", id);
  g_autoptr(JsonNode) reply = sync_fixture_request (f, "PATCH", path, body, 200);
}

/* A synced sandbox: 60 BC contacts, full sync done */
static SyncFixture *
synced_fixture (void)
{
  SyncFixture *f = sync_fixture_new (40, 0, 7);
  g_autoptr(BcsSyncReport) report = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);

  sync_fixture_check_invariants (f);
  return f;
}

static void
test_first_full_sync (void)
{
  SyncFixture *f = sync_fixture_new (80, 0, 3);
  g_autoptr(BcsSyncReport) report = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);
  g_autoptr(GPtrArray) bc = sync_fixture_bc_contacts (f);
  guint eligible = 0, ineligible = 0, skipped_rows = 0;
  guint synced;

  for (guint i = 0; i < bc->len; i++)
    {
      g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (bc->pdata[i]);

      if (bcs_contact_check_to_outlook (contact, NULL) == BCS_SKIP_NONE)
        eligible++;
      else
        ineligible++;
    }
  g_assert_cmpuint (eligible, >, 0);
  g_assert_cmpuint (ineligible, >, 0);

  synced = sync_fixture_check_invariants (f);
  g_assert_cmpuint (synced, ==, eligible);
  g_assert_cmpuint (report->counts.outlook_created, ==, eligible);
  g_assert_cmpuint (report->counts.skipped, ==, ineligible);
  for (guint i = 0; i < report->results->len; i++)
    {
      const BcsSyncResult *result = report->results->pdata[i];

      if (result->action == BCS_SYNC_RESULT_SKIP)
        {
          skipped_rows++;
          g_assert_nonnull (result->reason);
          g_assert_cmpstr (result->reason, !=, "");
        }
      else
        {
          g_assert_cmpint (result->outcome, ==, BCS_SYNC_OUTCOME_OK);
          g_assert_nonnull (result->outlook_id);
        }
    }
  g_assert_cmpuint (skipped_rows, ==, ineligible);
  sync_fixture_free (f);
}

static void
test_no_change_requests (void)
{
  SyncFixture *f = synced_fixture ();
  g_autoptr(BcsSyncReport) report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  guint total = report->requests.login + report->requests.graph + report->requests.bc;

  g_test_message ("no-change sync: %u login, %u graph, %u bc requests",
                  report->requests.login, report->requests.graph, report->requests.bc);
  g_assert_cmpint (report->mode, ==, BCS_SYNC_MODE_INCREMENTAL);
  g_assert_cmpuint (report->results->len, ==, 0);
  g_assert_cmpuint (report->counts.outlook_created + report->counts.outlook_updated +
                    report->counts.outlook_deleted + report->counts.bc_created, ==, 0);
  g_assert_cmpuint (total, <=, 10);
  sync_fixture_free (f);
}

static void
test_bc_edit (void)
{
  SyncFixture *f = synced_fixture ();
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 2);
  const char *id = bcs_json_get_string (target, "id");
  g_autoptr(BcsSyncReport) report = NULL;
  g_autoptr(JsonObject) copy = NULL;
  const BcsSyncResult *result;

  patch_bc (f, id, "{\"city\": \"Neustadt\", \"jobTitle\": \"Chief Tester\"}");
  report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  g_assert_cmpuint (report->counts.outlook_updated, ==, 1);
  result = sync_report_find (report, id);
  g_assert_nonnull (result);
  g_assert_cmpint (result->action, ==, BCS_SYNC_RESULT_UPDATE);
  g_assert_true (has_field (result, BCS_FIELD_CITY));
  g_assert_true (has_field (result, BCS_FIELD_JOB_TITLE));
  copy = sync_fixture_find_outlook (f, id);
  g_assert_cmpstr (bcs_json_get_string (copy, "jobTitle"), ==, "Chief Tester");
  sync_fixture_check_invariants (f);
  sync_fixture_free (f);
}

static void
test_bc_delete (void)
{
  SyncFixture *f = synced_fixture ();
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 1);
  g_autofree char *id = g_strdup (bcs_json_get_string (target, "id"));
  g_autofree char *path = g_strdup_printf ("/_sandbox/bc/contacts/%s", id);
  g_autoptr(JsonNode) reply = sync_fixture_request (f, "DELETE", path, NULL, 0);
  g_autoptr(BcsSyncReport) report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(JsonObject) copy = sync_fixture_find_outlook (f, id);

  g_assert_null (copy);
  g_assert_cmpuint (report->counts.outlook_deleted, ==, 1);
  sync_fixture_check_invariants (f);
  sync_fixture_free (f);
}

/* Removal policy keep-unlinked: the Outlook copy stays; the run reports it
 * as a skip with direction none (nothing deleted anywhere), counts it as
 * skipped, and forgets the pair: the next run says nothing of it */
static void
test_bc_delete_keep_unlinked (void)
{
  SyncFixture *f = synced_fixture ();
  GSettings *settings = bcs_profile_get_settings (f->profile);
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 2);
  g_autofree char *id = g_strdup (bcs_json_get_string (target, "id"));
  g_autofree char *path = g_strdup_printf ("/_sandbox/bc/contacts/%s", id);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(BcsSyncReport) report = NULL;
  g_autoptr(BcsSyncReport) next = NULL;
  g_autoptr(JsonObject) copy = NULL;
  const BcsSyncResult *row;

  g_settings_set_string (settings, "removal-policy", "keep-unlinked");
  reply = sync_fixture_request (f, "DELETE", path, NULL, 0);
  report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);

  row = sync_report_find (report, id);
  g_assert_nonnull (row);
  g_assert_cmpstr (bcs_sync_result_action_to_string (row->action), ==, "skip");
  g_assert_cmpstr (bcs_sync_direction_to_string (row->direction), ==, "none");
  g_assert_cmpstr (bcs_sync_outcome_to_string (row->outcome), ==, "skipped");
  g_assert_cmpstr (row->reason, ==, "Deleted in Business Central: kept in Outlook, no longer synced");
  g_assert_nonnull (row->outlook_id);
  g_assert_cmpuint (report->counts.outlook_deleted, ==, 0);
  g_assert_cmpuint (report->counts.skipped, ==, 1);
  g_assert_cmpstr (bcs_sync_run_outcome_to_string (report->outcome), ==, "ok");

  copy = sync_fixture_find_outlook (f, id);
  g_assert_nonnull (copy);
  g_assert_cmpstr (bcs_json_get_string (copy, "id"), ==, row->outlook_id);
  sync_fixture_check_invariants (f);

  /* unlinked: neither removed nor reported again, in either mode */
  next = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  g_assert_null (sync_report_find (next, id));
  g_clear_pointer (&next, bcs_sync_report_free);
  next = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);
  g_assert_null (sync_report_find (next, id));
  g_assert_cmpuint (next->counts.outlook_deleted, ==, 0);
  g_clear_pointer (&copy, json_object_unref);
  copy = sync_fixture_find_outlook (f, id);
  g_assert_nonnull (copy);

  g_settings_reset (settings, "removal-policy");
  sync_fixture_free (f);
}

static void
test_leaves_filter (void)
{
  SyncFixture *f = sync_fixture_new (60, 0, 7);
  GSettings *settings = bcs_profile_get_settings (f->profile);
  g_autoptr(BcsSyncReport) first = NULL;
  g_autoptr(BcsSyncReport) report = NULL;
  g_autoptr(JsonObject) target = NULL;
  g_autoptr(JsonObject) copy = NULL;
  const char *id;

  g_settings_set_value (settings, "filter", g_variant_new_parsed ("{'city': '<>Nirgendwo'}"));
  first = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);
  target = sync_fixture_pick_eligible (f, 3);
  id = bcs_json_get_string (target, "id");
  g_assert_nonnull ((copy = sync_fixture_find_outlook (f, id)));
  g_clear_pointer (&copy, json_object_unref);

  patch_bc (f, id, "{\"city\": \"Nirgendwo\"}");
  report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  g_assert_cmpuint (report->counts.outlook_deleted, ==, 1);
  copy = sync_fixture_find_outlook (f, id);
  g_assert_null (copy);
  sync_fixture_check_invariants (f);
  g_settings_reset (settings, "filter");
  sync_fixture_free (f);
}

static void
test_outlook_edit_bc_wins (void)
{
  SyncFixture *f = synced_fixture ();
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 4);
  const char *id = bcs_json_get_string (target, "id");
  g_autoptr(JsonObject) copy = sync_fixture_find_outlook (f, id);
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(BcsSyncReport) report = NULL;
  g_autoptr(BcsSyncReport) full = NULL;

  patch_outlook (f, bcs_json_get_string (copy, "id"), "{\"jobTitle\": \"Edited in Outlook\"}");
  report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  /* BC is the source: nothing goes to BC; Outlook is overwritten at the next full sync */
  g_assert_cmpuint (report->counts.bc_updated, ==, 0);
  full = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);
  g_assert_cmpuint (full->counts.outlook_updated, ==, 1);
  after = sync_fixture_find_outlook (f, id);
  g_assert_cmpstr (bcs_json_get_string (after, "jobTitle"), ==, bcs_json_get_string (target, "jobTitle"));
  sync_fixture_check_invariants (f);
  sync_fixture_free (f);
}

static void
test_outlook_edit_two_way (void)
{
  SyncFixture *f = synced_fixture ();
  GSettings *settings = bcs_profile_get_settings (f->profile);
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 5);
  g_autofree char *id = g_strdup (bcs_json_get_string (target, "id"));
  g_autoptr(JsonObject) copy = sync_fixture_find_outlook (f, id);
  g_autoptr(BcsSyncReport) report = NULL;
  g_autoptr(GPtrArray) bc = NULL;
  gboolean found = FALSE;

  g_settings_set_string (settings, "conflict-policy", "two-way-merge");
  patch_outlook (f, bcs_json_get_string (copy, "id"), "{\"jobTitle\": \"Merged Title\"}");
  report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  g_assert_cmpuint (report->counts.bc_updated, ==, 1);
  bc = sync_fixture_bc_contacts (f);
  for (guint i = 0; i < bc->len; i++)
    if (g_strcmp0 (bcs_json_get_string (bc->pdata[i], "id"), id) == 0)
      {
        g_assert_cmpstr (bcs_json_get_string (bc->pdata[i], "jobTitle"), ==, "Merged Title");
        found = TRUE;
      }
  g_assert_true (found);
  sync_fixture_check_invariants (f);
  g_settings_reset (settings, "conflict-policy");
  sync_fixture_free (f);
}

static void
test_outlook_delete_recreated (void)
{
  SyncFixture *f = synced_fixture ();
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 6);
  const char *id = bcs_json_get_string (target, "id");
  g_autoptr(JsonObject) copy = sync_fixture_find_outlook (f, id);
  g_autofree char *path = g_strdup_printf ("/_sandbox/outlook/contacts/%s", bcs_json_get_string (copy, "id"));
  g_autoptr(JsonNode) reply = sync_fixture_request (f, "DELETE", path, NULL, 0);
  g_autoptr(BcsSyncReport) report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  const BcsSyncResult *result = sync_report_find (report, id);
  g_autoptr(JsonObject) again = sync_fixture_find_outlook (f, id);

  g_assert_nonnull (result);
  g_assert_cmpint (result->action, ==, BCS_SYNC_RESULT_RECREATE);
  g_assert_nonnull (again);
  g_assert_cmpstr (bcs_json_get_string (again, "id"), !=, bcs_json_get_string (copy, "id"));
  sync_fixture_check_invariants (f);
  sync_fixture_free (f);
}

static void
test_new_outlook_contact_imported (void)
{
  SyncFixture *f = synced_fixture ();
  g_autoptr(JsonNode) created = sync_fixture_request (f, "POST", "/_sandbox/outlook/contacts?folder=Business%20Central",
    "{\"displayName\": \"Olga Neumann\", \"emailAddresses\": [{\"address\": \"olga.neumann@example.org\", "
    "\"name\": \"Olga Neumann\"}], \"jobTitle\": \"Buyer\"}", 201);
  g_autoptr(BcsSyncReport) report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(GPtrArray) bc = sync_fixture_bc_contacts (f);
  const char *bc_id = NULL;
  g_autoptr(JsonObject) copy = NULL;

  g_assert_cmpuint (report->counts.bc_created, ==, 1);
  for (guint i = 0; i < bc->len; i++)
    if (g_strcmp0 (bcs_json_get_string (bc->pdata[i], "email"), "olga.neumann@example.org") == 0)
      {
        g_assert_null (bc_id);
        bc_id = bcs_json_get_string (bc->pdata[i], "id");
        g_assert_cmpstr (bcs_json_get_string (bc->pdata[i], "type"), ==, "Person");
        g_assert_cmpstr (bcs_json_get_string (bc->pdata[i], "jobTitle"), ==, "Buyer");
      }
  g_assert_nonnull (bc_id);
  copy = sync_fixture_find_outlook (f, bc_id);
  g_assert_nonnull (copy);
  g_assert_cmpstr (bcs_json_get_string (copy, "id"), ==,
                   bcs_json_get_string (bcs_json_node_get_object (created), "id"));
  sync_fixture_check_invariants (f);
  sync_fixture_free (f);
}

static void
test_new_outlook_contact_linked (void)
{
  SyncFixture *f = synced_fixture ();
  g_autoptr(JsonNode) bc_new = sync_fixture_request (f, "POST", "/_sandbox/bc/contacts",
    "{\"displayName\": \"Petra Link\", \"type\": \"Person\", \"email\": \"petra.link@example.org\", "
    "\"city\": \"Bremen\"}", 201);
  g_autoptr(JsonNode) outlook_new = sync_fixture_request (f, "POST", "/_sandbox/outlook/contacts?folder=Business%20Central",
    "{\"displayName\": \"P. Link\", \"emailAddresses\": [{\"address\": \"Petra.Link@example.org\"}]}", 201);
  g_autoptr(BcsSyncReport) report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  const char *bc_id = bcs_json_get_string (bcs_json_node_get_object (bc_new), "id");
  g_autoptr(JsonObject) copy = sync_fixture_find_outlook (f, bc_id);

  g_assert_cmpuint (report->counts.linked, ==, 1);
  g_assert_cmpuint (report->counts.bc_created, ==, 0);
  g_assert_nonnull (copy);
  g_assert_cmpstr (bcs_json_get_string (copy, "id"), ==,
                   bcs_json_get_string (bcs_json_node_get_object (outlook_new), "id"));
  /* BC wins */
  g_assert_cmpstr (bcs_json_get_string (copy, "displayName"), ==, "Petra Link");
  sync_fixture_check_invariants (f);
  sync_fixture_free (f);
}

static void
test_email_changed_in_bc (void)
{
  SyncFixture *f = synced_fixture ();
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 7);
  const char *id = bcs_json_get_string (target, "id");
  g_autoptr(JsonObject) before = sync_fixture_find_outlook (f, id);
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(BcsSyncReport) report = NULL;
  guint n_before, n_after;
  g_autoptr(GPtrArray) outlook_before = sync_fixture_outlook_contacts (f);
  g_autoptr(GPtrArray) outlook_after = NULL;

  n_before = outlook_before->len;
  {
    /* A second address added in Outlook, synced away before the change */
    g_autofree char *body = g_strdup_printf ("{\"emailAddresses\": [{\"address\": \"%s\"}, "
                                             "{\"address\": \"private@example.net\"}]}",
                                             bcs_json_get_string (target, "email"));
    g_autoptr(BcsSyncReport) quiet = NULL;

    patch_outlook (f, bcs_json_get_string (before, "id"), body);
    quiet = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  }
  patch_bc (f, id, "{\"email\": \"brand.new.address@example.org\"}");
  report = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  g_assert_cmpuint (report->counts.outlook_updated, ==, 1);
  g_assert_cmpuint (report->counts.outlook_created, ==, 0);
  after = sync_fixture_find_outlook (f, id);
  g_assert_cmpstr (bcs_json_get_string (after, "id"), ==, bcs_json_get_string (before, "id"));
  {
    /* Outlook's own second address is kept */
    JsonArray *addresses = bcs_json_get_array (after, "emailAddresses");

    g_assert_cmpuint (json_array_get_length (addresses), ==, 2);
    g_assert_cmpstr (bcs_json_get_string (json_array_get_object_element (addresses, 0), "address"), ==,
                     "brand.new.address@example.org");
    g_assert_cmpstr (bcs_json_get_string (json_array_get_object_element (addresses, 1), "address"), ==,
                     "private@example.net");
  }
  outlook_after = sync_fixture_outlook_contacts (f);
  n_after = outlook_after->len;
  g_assert_cmpuint (n_before, ==, n_after);
  sync_fixture_check_invariants (f);
  sync_fixture_free (f);
}

static guint
count_outlook (SyncFixture *f)
{
  g_autoptr(GPtrArray) contacts = sync_fixture_outlook_contacts (f);

  return contacts->len;
}

static void
test_brake (void)
{
  SyncFixture *f = sync_fixture_new (90, 0, 11);
  g_autoptr(BcsSyncReport) first = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncReport) braked = NULL;
  g_autoptr(BcsSyncReport) allowed = NULL;
  g_autoptr(GError) error = NULL;
  guint synced = first->counts.outlook_created;
  guint before;

  g_assert_cmpuint (synced, >=, 40);
  /* Remove 30 of them in BC: more than 10 % and at least 25 */
  {
    g_autoptr(GPtrArray) bc = sync_fixture_bc_contacts (f);
    guint removed = 0;

    for (guint i = 0; i < bc->len && removed < 30; i++)
      {
        g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (bc->pdata[i]);
        g_autofree char *path = NULL;
        g_autoptr(JsonNode) reply = NULL;

        if (bcs_contact_check_to_outlook (contact, NULL) != BCS_SKIP_NONE)
          continue;
        path = g_strdup_printf ("/_sandbox/bc/contacts/%s", contact->bc_id);
        reply = sync_fixture_request (f, "DELETE", path, NULL, 0);
        removed++;
      }
    g_assert_cmpuint (removed, ==, 30);
  }
  before = count_outlook (f);
  braked = sync_fixture_run (f, BCS_SYNC_MODE_INCREMENTAL, FALSE, FALSE, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_BRAKE);
  g_assert_cmpint (bcs_sync_exit_code (braked, error), ==, 3);
  g_assert_nonnull (braked);
  g_assert_cmpint (braked->outcome, ==, BCS_SYNC_RUN_BRAKED);
  g_assert_cmpuint (count_outlook (f), ==, before);

  allowed = sync_fixture_run (f, BCS_SYNC_MODE_INCREMENTAL, FALSE, TRUE, NULL);
  g_assert_nonnull (allowed);
  g_assert_cmpint (allowed->outcome, ==, BCS_SYNC_RUN_OK);
  g_assert_cmpuint (allowed->counts.outlook_deleted, ==, 30);
  g_assert_cmpuint (count_outlook (f), ==, before - 30);
  sync_fixture_check_invariants (f);
  sync_fixture_free (f);
}

/* The contacts of both sides in the sandbox's state, as text */
static char *
contacts_text (JsonNode *state)
{
  JsonObject *root = bcs_json_node_get_object (state);
  g_autoptr(JsonNode) bc = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) folders = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *bc_text = NULL;
  g_autofree char *outlook_text = NULL;

  json_node_set_object (bc, bcs_json_get_object (root, "bc"));
  json_node_set_array (folders, bcs_json_get_array (bcs_json_get_object (root, "outlook"), "folders"));
  bc_text = bcs_json_to_string (bc);
  outlook_text = bcs_json_to_string (folders);
  return g_strconcat (bc_text, "\n", outlook_text, NULL);
}

static void
test_dry_run (void)
{
  SyncFixture *f = synced_fixture ();
  g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 2);
  const char *id = bcs_json_get_string (target, "id");
  g_autoptr(JsonNode) state_before = NULL;
  g_autoptr(JsonNode) state_after = NULL;
  g_autofree char *text_before = NULL;
  g_autofree char *text_after = NULL;
  g_autoptr(BcsSyncReport) dry = NULL;
  g_autoptr(BcsSyncReport) real = NULL;
  g_autoptr(GError) error = NULL;
  const BcsSyncResult *result;

  patch_bc (f, id, "{\"city\": \"Trockenstadt\"}");
  state_before = sync_fixture_request (f, "GET", "/_sandbox/state", NULL, 200);
  text_before = contacts_text (state_before);
  dry = sync_fixture_run (f, BCS_SYNC_MODE_INCREMENTAL, TRUE, FALSE, &error);
  g_assert_no_error (error);
  state_after = sync_fixture_request (f, "GET", "/_sandbox/state", NULL, 200);
  text_after = contacts_text (state_after);
  /* byte-identical contacts on both sides (tokens and delta links aside) */
  g_assert_true (g_strcmp0 (text_before, text_after) == 0);
  g_assert_true (dry->dry_run);
  result = sync_report_find (dry, id);
  g_assert_nonnull (result);
  g_assert_cmpint (result->outcome, ==, BCS_SYNC_OUTCOME_PLANNED);

  /* The store did not advance: the real run still finds the change */
  real = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  g_assert_cmpuint (real->counts.outlook_updated, ==, 1);
  sync_fixture_check_invariants (f);
  sync_fixture_free (f);
}

static void
test_cli_end_to_end (void)
{
  const char *app = g_getenv ("BCS_TEST_APP");
  SyncFixture *f = sync_fixture_new (40, 10, 5);
  g_autofree char *report_path = g_build_filename (f->dir, "report.json", NULL);
  g_autofree char *csv_path = g_build_filename (f->dir, "results.csv", NULL);
  g_autofree char *state_home = g_build_filename (f->dir, "state", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  int status;

  if (app == NULL)
    {
      g_test_skip ("BCS_TEST_APP is not set");
      sync_fixture_free (f);
      return;
    }
  env = g_environ_setenv (env, "XDG_STATE_HOME", state_home, TRUE);

  /* A --sandbox profile signs in as a real one (the sandbox approves the
   * device code at once); its tokens go to the session's keyring */
  {
    const char *argv[] = { app, "--sandbox", bcs_sandbox_get_url (f->sandbox),
                           "--profile", bcs_profile_get_name (f->profile), "--sign-in", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    g_test_message ("sign-in: %s%s", out, err);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { app, "--sandbox", bcs_sandbox_get_url (f->sandbox),
                           "--profile", bcs_profile_get_name (f->profile), "--full-sync",
                           "--report", report_path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    g_test_message ("stdout: %s\nstderr: %s", out, err);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "Outlook"));
  }
  g_assert_true (g_file_get_contents (report_path, &json, NULL, &error));
  node = bcs_json_parse (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bcs_json_get_string (bcs_json_node_get_object (node), "mode"), ==, "full-sync");
  g_assert_cmpstr (bcs_json_get_string (bcs_json_node_get_object (node), "outcome"), ==, "ok");
  sync_fixture_check_invariants (f);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { app, "--sandbox", bcs_sandbox_get_url (f->sandbox),
                           "--profile", bcs_profile_get_name (f->profile), "--sync", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "unchanged"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { app, "--sandbox", bcs_sandbox_get_url (f->sandbox),
                           "--profile", bcs_profile_get_name (f->profile),
                           "--export-results", csv_path, NULL };
    g_autofree char *csv = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
    g_assert_true (g_str_has_prefix (csv, "name,email,bc_id"));
  }
  g_remove (report_path);
  g_remove (csv_path);
  {
    g_autoptr(GDir) dir = NULL;
    g_autofree char *sub = g_build_filename (state_home, "bc-contact-sync", NULL);
    const char *name;

    dir = g_dir_open (sub, 0, NULL);
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (sub, name, NULL);
        g_remove (file);
      }
    g_rmdir (sub);
    g_rmdir (state_home);
  }
  sync_fixture_free (f);
}

typedef struct {
  GMainLoop *loop;
  GCancellable *cancellable;
  guint n_progress;
  guint n_finished;
  gboolean cancel_when_writing;
  BcsSyncReport *report;
  GError *error;
  GError *busy_error;
  gboolean done;
} ServiceRun;

static void
on_service_progress (BcsSyncService        *service,
                     const BcsSyncProgress *progress,
                     ServiceRun            *run)
{
  g_autofree char *line = bcs_sync_progress_describe (progress);

  g_assert_nonnull (line);
  run->n_progress++;
  if (progress->phase == BCS_SYNC_PHASE_WRITING && run->cancel_when_writing)
    g_cancellable_cancel (run->cancellable);
}

static void
on_service_finished (BcsSyncService *service,
                     BcsSyncReport  *report,
                     ServiceRun     *run)
{
  run->n_finished++;
}

static void
on_service_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ServiceRun *run = user_data;

  bcs_sync_service_run_finish (BCS_SYNC_SERVICE (object), result, &run->report, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static void
on_second_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ServiceRun *run = user_data;
  g_autoptr(BcsSyncReport) report = NULL;

  g_assert_false (bcs_sync_service_run_finish (BCS_SYNC_SERVICE (object), result, &report,
                                               &run->busy_error));
  g_assert_null (report);
}

static void
run_service (SyncFixture    *f,
             BcsSyncService *service,
             ServiceRun     *run,
             BcsSyncMode     mode)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  run->cancellable = g_cancellable_new ();
  bcs_sync_service_run_async (service, mode, FALSE, FALSE, run->cancellable, on_service_done, run);
  g_assert_true (bcs_sync_service_is_running (service));
  /* One run at a time */
  bcs_sync_service_run_async (service, mode, FALSE, FALSE, NULL, on_second_done, run);
  if (!run->done)
    g_main_loop_run (run->loop);
  g_main_loop_unref (run->loop);
  g_object_unref (run->cancellable);
}

static void
test_service_cancel (void)
{
  SyncFixture *f = sync_fixture_new_with_latency (200, 0, 13, 30);
  g_autoptr(BcsSyncService) service = bcs_sync_service_new (f->profile);
  ServiceRun cancelled = { 0 };
  ServiceRun again = { 0 };

  bcs_sync_service_set_provider_func (service, sync_test_provider, NULL, NULL);
  bcs_sync_service_set_store_path (service, f->store_path);
  bcs_sync_service_set_backoff (service, 0.01, 0.05);
  bcs_sync_service_set_default_company (service, TRUE);
  g_signal_connect (service, "progress", G_CALLBACK (on_service_progress), &cancelled);
  g_signal_connect (service, "run-finished", G_CALLBACK (on_service_finished), &cancelled);

  cancelled.cancel_when_writing = TRUE;
  run_service (f, service, &cancelled, BCS_SYNC_MODE_FULL);
  g_assert_error (cancelled.busy_error, BCS_ERROR, BCS_ERROR_BUSY);
  g_assert_error (cancelled.error, BCS_ERROR, BCS_ERROR_CANCELLED);
  g_assert_nonnull (cancelled.report);
  g_assert_cmpint (cancelled.report->outcome, ==, BCS_SYNC_RUN_CANCELLED);
  g_assert_cmpint (bcs_sync_exit_code (cancelled.report, cancelled.error), ==, 4);
  g_assert_cmpuint (cancelled.n_finished, ==, 1);
  g_assert_cmpuint (cancelled.n_progress, >, 0);
  g_assert_nonnull (bcs_sync_service_get_last_report (service));
  g_assert_false (bcs_sync_service_is_running (service));

  /* The next run finishes the job: nothing lost, nothing twice */
  g_signal_handlers_disconnect_by_data (service, &cancelled);
  run_service (f, service, &again, BCS_SYNC_MODE_INCREMENTAL);
  g_assert_no_error (again.error);
  g_assert_cmpint (again.report->outcome, ==, BCS_SYNC_RUN_OK);
  sync_fixture_check_invariants (f);

  g_clear_pointer (&cancelled.report, bcs_sync_report_free);
  g_clear_pointer (&again.report, bcs_sync_report_free);
  g_clear_error (&cancelled.error);
  g_clear_error (&cancelled.busy_error);
  g_clear_error (&again.busy_error);
  g_clear_object (&service);
  sync_fixture_free (f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-engine/full-sync/first", test_first_full_sync);
  g_test_add_func ("/sync-engine/incremental/no-change-requests", test_no_change_requests);
  g_test_add_func ("/sync-engine/incremental/bc-edit", test_bc_edit);
  g_test_add_func ("/sync-engine/incremental/bc-delete", test_bc_delete);
  g_test_add_func ("/sync-engine/incremental/bc-delete-keep-unlinked", test_bc_delete_keep_unlinked);
  g_test_add_func ("/sync-engine/incremental/leaves-filter", test_leaves_filter);
  g_test_add_func ("/sync-engine/incremental/outlook-edit-bc-wins", test_outlook_edit_bc_wins);
  g_test_add_func ("/sync-engine/incremental/outlook-edit-two-way", test_outlook_edit_two_way);
  g_test_add_func ("/sync-engine/incremental/outlook-delete-recreated", test_outlook_delete_recreated);
  g_test_add_func ("/sync-engine/incremental/new-outlook-contact", test_new_outlook_contact_imported);
  g_test_add_func ("/sync-engine/incremental/new-outlook-contact-linked", test_new_outlook_contact_linked);
  g_test_add_func ("/sync-engine/incremental/email-changed-in-bc", test_email_changed_in_bc);
  g_test_add_func ("/sync-engine/brake", test_brake);
  g_test_add_func ("/sync-engine/dry-run", test_dry_run);
  g_test_add_func ("/sync-engine/service/cancel", test_service_cancel);
  g_test_add_func ("/sync-engine/cli/full-then-sync", test_cli_end_to_end);

  return g_test_run ();
}
