/* test-sync-faults.c — every sandbox fault during a run, then a clean run */
#include "config.h"

#include <string.h>

#include "bcs-json.h"
#include "sync-test-support.h"

typedef struct {
  const char *name;
  const char *rule;
} Fault;

static void
edit_both_sides (SyncFixture *f)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, i * 3);
      g_autofree char *path = g_strdup_printf ("/_sandbox/bc/contacts/%s", bcs_json_get_string (target, "id"));
      g_autoptr(JsonNode) reply = sync_fixture_request (f, "PATCH", path,
                                                        "{\"city\": \"Faultbury\"}", 200);
    }
  {
    g_autoptr(JsonNode) reply = sync_fixture_request (f, "POST", "/_sandbox/bc/contacts",
      "{\"displayName\": \"Fenna Fault\", \"type\": \"Person\", \"email\": \"fenna.fault@example.org\"}", 201);
  }
  {
    g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 10);
    g_autoptr(JsonObject) copy = sync_fixture_find_outlook (f, bcs_json_get_string (target, "id"));
    g_autofree char *path = g_strdup_printf ("/_sandbox/outlook/contacts/%s", bcs_json_get_string (copy, "id"));
    g_autoptr(JsonNode) reply = sync_fixture_request (f, "DELETE", path, NULL, 0);
  }
  {
    g_autoptr(JsonObject) target = sync_fixture_pick_eligible (f, 12);
    g_autoptr(JsonObject) copy = sync_fixture_find_outlook (f, bcs_json_get_string (target, "id"));
    g_autofree char *path = g_strdup_printf ("/_sandbox/outlook/contacts/%s", bcs_json_get_string (copy, "id"));
    g_autoptr(JsonNode) reply = sync_fixture_request (f, "PATCH", path, "{\"jobTitle\": \"Outlook edit\"}", 200);
  }
}

static void
test_fault (gconstpointer data)
{
  const Fault *fault = data;
  SyncFixture *f = sync_fixture_new (45, 0, 21);
  g_autoptr(BcsSyncReport) first = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncReport) faulted = NULL;
  g_autoptr(BcsSyncReport) clean = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rules = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) applied = NULL;

  edit_both_sides (f);
  rules = g_strdup_printf ("{\"rules\": [%s]}", fault->rule);
  reply = sync_fixture_request (f, "POST", "/_sandbox/faults", rules, 0);

  faulted = sync_fixture_run (f, BCS_SYNC_MODE_INCREMENTAL, FALSE, FALSE, &error);
  g_test_message ("%s: faulted run %s, %s", fault->name,
                  faulted != NULL ? bcs_sync_run_outcome_to_string (faulted->outcome) : "-",
                  error != NULL ? error->message : "no error");
  g_assert_nonnull (faulted);
  g_assert_cmpint (faulted->outcome, !=, BCS_SYNC_RUN_RUNNING);
  applied = sync_fixture_request (f, "GET", "/_sandbox/faults", NULL, 0);
  {
    /* The fault really happened: a rule with a count goes away once used up */
    JsonArray *left = bcs_json_get_array (bcs_json_node_get_object (applied), "rules");

    if (left != NULL && json_array_get_length (left) > 0)
      g_assert_cmpint (bcs_json_get_int (json_array_get_object_element (left, 0), "applied", 0), >=, 1);
  }
  if (g_str_equal (fault->name, "expire-delta"))
    {
      /* … and the run says that Outlook was read in full */
      g_assert_nonnull (faulted->message);
      g_assert_nonnull (strstr (faulted->message, "Outlook"));
    }
  g_clear_error (&error);
  g_clear_pointer (&reply, json_node_unref);
  reply = sync_fixture_request (f, "DELETE", "/_sandbox/faults", NULL, 0);

  clean = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);
  {
    /* The Outlook edit stays until a full sync (Business Central is the source) */
    g_autoptr(BcsSyncReport) full = sync_fixture_run_ok (f, BCS_SYNC_MODE_FULL);

    g_assert_cmpuint (full->counts.outlook_updated, ==, 1);
  }
  sync_fixture_check_invariants (f);
  {
    /* and nothing is left to do */
    g_autoptr(BcsSyncReport) after = sync_fixture_run_ok (f, BCS_SYNC_MODE_INCREMENTAL);

    g_assert_cmpuint (after->counts.outlook_created + after->counts.outlook_updated +
                      after->counts.outlook_deleted + after->counts.bc_created, ==, 0);
  }
  sync_fixture_free (f);
}

static Fault faults[] = {
  { "429-seconds", "{\"service\": \"graph\", \"path\": \"/$batch\", \"status\": 429, \"retry_after\": \"1\", \"count\": 1}" },
  { "429-fractional", "{\"service\": \"graph\", \"path\": \"/contacts\", \"status\": 429, \"retry_after\": \"0.25\", \"count\": 2}" },
  { "429-http-date", "{\"service\": \"bc\", \"path\": \"/contacts\", \"status\": 429, \"retry_after\": \"Wed, 01 Jan 2020 00:00:00 GMT\", \"count\": 1}" },
  { "503", "{\"service\": \"bc\", \"path\": \"/contacts\", \"status\": 503, \"count\": 2}" },
  { "504", "{\"service\": \"graph\", \"path\": \"/delta\", \"status\": 504, \"count\": 1}" },
  { "drop", "{\"service\": \"graph\", \"path\": \"/$batch\", \"kind\": \"drop\", \"count\": 1}" },
  { "truncate", "{\"service\": \"graph\", \"path\": \"/$batch\", \"kind\": \"truncate\", \"count\": 1}" },
  { "malformed", "{\"service\": \"bc\", \"path\": \"/contacts\", \"kind\": \"malformed\", \"count\": 1}" },
  { "expire-token", "{\"service\": \"graph\", \"kind\": \"expire-token\", \"count\": 1}" },
  { "expire-delta", "{\"service\": \"graph\", \"path\": \"/delta\", \"kind\": \"expire-delta\", \"count\": 1}" },
  { "change-etag", "{\"service\": \"graph\", \"path\": \"/contacts/\", \"kind\": \"change-etag\", \"count\": 1}" },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sync-faults/%s", faults[i].name);

      g_test_add_data_func (path, &faults[i], test_fault);
    }

  return g_test_run ();
}
