/* sync-test-support.c — runs against an in-process sandbox, and the invariants */
#include "config.h"

#include <glib/gstdio.h>

#include "bcs-bc-filter.h"
#include "bcs-contact-check.h"
#include "bcs-contact-mapping.h"
#include "bcs-json.h"
#include "bcs-sync-sandbox-auth.h"
#include "sync-test-support.h"

static guint fixture_counter;

SyncFixture *
sync_fixture_new (guint   bc_contacts,
                  guint   outlook_contacts,
                  guint64 seed)
{
  return sync_fixture_new_with_latency (bc_contacts, outlook_contacts, seed, -1);
}

SyncFixture *
sync_fixture_new_with_latency (guint   bc_contacts,
                               guint   outlook_contacts,
                               guint64 seed,
                               int     latency_ms)
{
  SyncFixture *fixture = g_new0 (SyncFixture, 1);
  BcsSandboxOptions options;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  bcs_sandbox_options_init (&options);
  options.bc_contacts = bc_contacts;
  options.outlook_contacts = outlook_contacts;
  options.seed = seed;
  options.auto_approve = TRUE;
  options.latency_ms = latency_ms;
  fixture->sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);
  g_assert_true (bcs_sandbox_start_thread (fixture->sandbox, &error));
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("bcs-sync-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->dir, "store.db", NULL);
  name = g_strdup_printf ("sync-test-%u-%u", (guint) getpid (), ++fixture_counter);
  fixture->profile = bcs_profile_new (name, bcs_sandbox_get_url (fixture->sandbox), &error);
  g_assert_no_error (error);
  return fixture;
}

void
sync_fixture_free (SyncFixture *fixture)
{
  g_autofree char *wal = g_strconcat (fixture->store_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->store_path, "-shm", NULL);

  g_clear_object (&fixture->profile);
  g_clear_pointer (&fixture->sandbox, bcs_sandbox_free);
  g_remove (fixture->store_path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->store_path);
  g_free (fixture->dir);
  g_free (fixture);
}

BcsTokenProvider *
sync_test_provider (BcsHttp  *http,
                    gpointer  user_data)
{
  return BCS_TOKEN_PROVIDER (bcs_sync_sandbox_auth_new (http, "sandbox"));
}

BcsSyncReport *
sync_fixture_run (SyncFixture  *fixture,
                  BcsSyncMode   mode,
                  gboolean      dry_run,
                  gboolean      allow_mass_delete,
                  GError      **error)
{
  g_autoptr(BcsSyncEngine) engine = bcs_sync_engine_new (fixture->profile);

  bcs_sync_engine_set_provider_func (engine, sync_test_provider, NULL, NULL);
  bcs_sync_engine_set_store_path (engine, fixture->store_path);
  bcs_sync_engine_set_backoff (engine, 0.01, 0.05);
  bcs_sync_engine_set_default_company (engine, TRUE);
  return bcs_sync_engine_run_sync (engine, mode, dry_run, allow_mass_delete, NULL, error);
}

BcsSyncReport *
sync_fixture_run_ok (SyncFixture *fixture,
                     BcsSyncMode  mode)
{
  g_autoptr(GError) error = NULL;
  BcsSyncReport *report = sync_fixture_run (fixture, mode, FALSE, FALSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; i < report->results->len; i++)
    {
      const BcsSyncResult *result = report->results->pdata[i];

      if (result->outcome == BCS_SYNC_OUTCOME_FAILED || g_test_verbose ())
        g_test_message ("failed: %s <%s> %s %s: %s", result->name, result->email,
                        bcs_sync_direction_to_string (result->direction),
                        bcs_sync_result_action_to_string (result->action), result->reason);
    }
  g_assert_cmpstr (bcs_sync_run_outcome_to_string (report->outcome), ==, "ok");
  g_assert_cmpuint (report->counts.failed, ==, 0);
  return report;
}

JsonNode *
sync_fixture_request (SyncFixture *fixture,
                      const char  *method,
                      const char  *path,
                      const char  *body,
                      guint        expected_status)
{
  guint status = 0;
  JsonNode *node = bcs_sandbox_request (fixture->sandbox, method, path, body, &status);

  if (expected_status != 0 && status != expected_status)
    {
      g_autofree char *text = node != NULL ? bcs_json_to_string (node) : NULL;

      g_test_message ("%s %s %s → %u %s", method, path, body, status, text);
    }
  if (expected_status != 0)
    g_assert_cmpuint (status, ==, expected_status);
  return node;
}

static GPtrArray *
array_objects (JsonArray *array)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_ptr_array_add (objects, json_object_ref (json_array_get_object_element (array, i)));
  return objects;
}

GPtrArray *
sync_fixture_bc_contacts (SyncFixture *fixture)
{
  g_autoptr(JsonNode) state = sync_fixture_request (fixture, "GET", "/_sandbox/state", NULL, 200);
  JsonObject *bc = bcs_json_get_object (bcs_json_node_get_object (state), "bc");
  JsonArray *companies = bcs_json_get_array (bc, "companies");
  JsonObject *first = json_array_get_object_element (companies, 0);

  return array_objects (bcs_json_get_array (first, "contacts"));
}

GPtrArray *
sync_fixture_outlook_contacts (SyncFixture *fixture)
{
  g_autoptr(JsonNode) state = sync_fixture_request (fixture, "GET", "/_sandbox/state", NULL, 200);
  JsonObject *outlook = bcs_json_get_object (bcs_json_node_get_object (state), "outlook");
  JsonArray *folders = bcs_json_get_array (outlook, "folders");

  for (guint i = 0; i < json_array_get_length (folders); i++)
    {
      JsonObject *folder = json_array_get_object_element (folders, i);

      if (g_strcmp0 (bcs_json_get_string (folder, "displayName"), "Business Central") == 0)
        return array_objects (bcs_json_get_array (folder, "contacts"));
    }
  return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

JsonObject *
sync_fixture_pick_eligible (SyncFixture *fixture,
                            guint        index)
{
  g_autoptr(GPtrArray) contacts = sync_fixture_bc_contacts (fixture);

  for (guint i = 0; i < contacts->len; i++)
    {
      g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (contacts->pdata[i]);

      if (bcs_contact_check_to_outlook (contact, NULL) == BCS_SKIP_NONE && index-- == 0)
        return json_object_ref (contacts->pdata[i]);
    }
  g_assert_not_reached ();
  return NULL;
}

JsonObject *
sync_fixture_find_outlook (SyncFixture *fixture,
                           const char  *bc_id)
{
  g_autoptr(GPtrArray) contacts = sync_fixture_outlook_contacts (fixture);

  for (guint i = 0; i < contacts->len; i++)
    if (g_strcmp0 (bcs_graph_contact_get_bc_id (contacts->pdata[i]), bc_id) == 0)
      return json_object_ref (contacts->pdata[i]);
  return NULL;
}

static GPtrArray *
state_bc (JsonNode *state)
{
  JsonObject *bc = bcs_json_get_object (bcs_json_node_get_object (state), "bc");
  JsonArray *companies = bcs_json_get_array (bc, "companies");

  return array_objects (bcs_json_get_array (json_array_get_object_element (companies, 0), "contacts"));
}

static GPtrArray *
state_outlook (JsonNode *state)
{
  JsonObject *outlook = bcs_json_get_object (bcs_json_node_get_object (state), "outlook");
  JsonArray *folders = bcs_json_get_array (outlook, "folders");

  for (guint i = 0; i < json_array_get_length (folders); i++)
    {
      JsonObject *folder = json_array_get_object_element (folders, i);

      if (g_strcmp0 (bcs_json_get_string (folder, "displayName"), "Business Central") == 0)
        return array_objects (bcs_json_get_array (folder, "contacts"));
    }
  return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

guint
sync_check_state_invariants (JsonNode               *state,
                             const BcsContactFilter *filter)
{
  g_autoptr(GPtrArray) bc = state_bc (state);
  g_autoptr(GPtrArray) outlook = state_outlook (state);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint synced = 0;

  for (guint i = 0; i < outlook->len; i++)
    {
      const char *bc_id = bcs_graph_contact_get_bc_id (outlook->pdata[i]);

      if (bc_id == NULL)
        continue;
      if (g_hash_table_contains (by_id, bc_id))
        g_error ("two Outlook contacts carry Business Central id %s", bc_id);
      g_hash_table_insert (by_id, (gpointer) bc_id, outlook->pdata[i]);
    }

  for (guint i = 0; i < bc->len; i++)
    {
      g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (bc->pdata[i]);
      g_autoptr(BcsContact) copy = NULL;
      JsonObject *object;
      JsonArray *categories;

      if (bcs_contact_check_to_outlook (contact, NULL) != BCS_SKIP_NONE ||
          (filter != NULL && !bcs_contact_filter_matches (filter, contact)))
        {
          if (g_hash_table_contains (by_id, contact->bc_id))
            g_error ("%s is not to be synced but is in Outlook", contact->bc_number);
          continue;
        }
      object = g_hash_table_lookup (by_id, contact->bc_id);
      if (object == NULL)
        g_error ("Business Central contact %s (%s) is not in Outlook", contact->bc_number,
                 contact->display_name);
      copy = bcs_contact_from_graph_json (object, NULL);
      if (!bcs_contact_equal (contact, copy))
        {
          g_auto(GStrv) fields = bcs_field_mask_to_strv (bcs_contact_changed_fields (contact, copy));
          g_autofree char *joined = g_strjoinv (", ", fields);

          g_error ("Outlook copy of %s differs in: %s", contact->bc_number, joined);
        }
      categories = bcs_json_get_array (object, "categories");
      g_assert_nonnull (categories);
      g_assert_cmpuint (json_array_get_length (categories), >=, 1);
      synced++;
    }
  return synced;
}

guint
sync_fixture_check_invariants (SyncFixture *fixture)
{
  g_autoptr(JsonNode) state = sync_fixture_request (fixture, "GET", "/_sandbox/state", NULL, 200);
  g_autoptr(BcsContactFilter) filter = NULL;
  g_autoptr(GVariant) filter_value = NULL;

  filter_value = g_settings_get_value (bcs_profile_get_settings (fixture->profile), "filter");
  filter = bcs_contact_filter_new_from_variant (filter_value, NULL, NULL, NULL);
  g_assert_nonnull (filter);
  return sync_check_state_invariants (state, filter);
}

const BcsSyncResult *
sync_report_find (const BcsSyncReport *report,
                  const char          *bc_id)
{
  for (guint i = 0; i < report->results->len; i++)
    {
      const BcsSyncResult *result = report->results->pdata[i];

      if (g_strcmp0 (result->bc_id, bc_id) == 0)
        return result;
    }
  return NULL;
}
