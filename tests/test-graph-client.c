/* test-graph-client.c — BcsGraphClient against the in-process sandbox */
#include "config.h"

#include "bcs-error.h"
#include "bcs-graph-client.h"
#include "bcs-json.h"
#include "net-test-support.h"

#define EXT_ID "String {7E2C3A41-5B8D-4C2E-9F10-0A7B6C5D4E3F} Name bcContactId"
#define SEEDED_FOLDER "Business Central"

typedef struct {
  BcsSandbox *sandbox;
  BcsHttp *http;
  BcsGraphClient *client;
} Fixture;

static void
fixture_setup_with (Fixture           *fixture,
                    BcsSandboxOptions *options)
{
  fixture->sandbox = net_test_sandbox_start (options);
  fixture->http = net_test_sandbox_http (fixture->sandbox);
  fixture->client = bcs_graph_client_new (fixture->http);
}

static void
fixture_setup (Fixture *fixture)
{
  fixture_setup_with (fixture, NULL);
}

static void
fixture_teardown (Fixture *fixture)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->http);
  g_clear_pointer (&fixture->sandbox, bcs_sandbox_free);
}

/* ---- blocking wrappers over the async API ---- */

#define WAIT(call, result) \
  G_STMT_START { GAsyncResult *pending_ = NULL; \
    call; result = net_test_wait_result (&pending_); } G_STMT_END
#define CB net_test_store_result, &pending_

static char *
ensure_folder (Fixture    *fixture,
               const char *name,
               gboolean   *created,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_graph_client_ensure_folder_async (fixture->client, name, NULL, CB), result);
  return bcs_graph_client_ensure_folder_finish (fixture->client, result, created, error);
}

static char *
find_folder (Fixture    *fixture,
             const char *name,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_graph_client_find_folder_async (fixture->client, name, NULL, CB), result);
  return bcs_graph_client_find_folder_finish (fixture->client, result, error);
}

static JsonObject *
send (Fixture        *fixture,
      BcsHttpRequest *request,
      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_graph_client_send_async (fixture->client, request, NULL, CB), result);
  return bcs_graph_client_send_finish (fixture->client, result, error);
}

static GPtrArray *
list_contacts (Fixture    *fixture,
               const char *folder_id,
               const char *select,
               const char *property_id,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_graph_client_list_contacts_async (fixture->client, folder_id, select, property_id, NULL, CB), result);
  return bcs_graph_client_list_contacts_finish (fixture->client, result, error);
}

static BcsGraphDelta *
delta (Fixture    *fixture,
       const char *folder_id,
       const char *link,
       guint       page_size,
       GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_graph_client_delta_async (fixture->client, folder_id, link, "displayName,emailAddresses",
                                      page_size, NULL, CB), result);
  return bcs_graph_client_delta_finish (fixture->client, result, error);
}

static gboolean
batch (Fixture   *fixture,
       GPtrArray *requests,
       GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_graph_client_batch_async (fixture->client, requests, NULL, CB), result);
  return bcs_graph_client_batch_finish (fixture->client, result, error);
}

static JsonObject *
new_contact (const char *display_name,
             const char *email,
             const char *bc_id)
{
  JsonObject *contact = json_object_new ();

  json_object_set_string_member (contact, "displayName", display_name);
  json_object_set_string_member (contact, "givenName", display_name);
  if (email != NULL)
    {
      JsonArray *emails = json_array_new ();
      JsonObject *address = json_object_new ();

      json_object_set_string_member (address, "name", display_name);
      json_object_set_string_member (address, "address", email);
      json_array_add_object_element (emails, address);
      json_object_set_array_member (contact, "emailAddresses", emails);
    }
  if (bc_id != NULL)
    {
      JsonArray *properties = json_array_new ();
      JsonObject *property = json_object_new ();

      json_object_set_string_member (property, "id", EXT_ID);
      json_object_set_string_member (property, "value", bc_id);
      json_array_add_object_element (properties, property);
      json_object_set_array_member (contact, "singleValueExtendedProperties", properties);
    }
  return contact;
}

static JsonObject *
create_contact (Fixture    *fixture,
                const char *folder_id,
                const char *display_name,
                const char *bc_id)
{
  g_autoptr(JsonObject) body = new_contact (display_name, NULL, bc_id);
  g_autoptr(BcsHttpRequest) request = bcs_graph_client_new_create_request (fixture->client, folder_id, body);
  g_autoptr(GError) error = NULL;
  JsonObject *created = send (fixture, request, &error);

  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpuint (bcs_http_request_get_status (request), ==, 201);
  return created;
}

static const char *
property_value (JsonObject *contact)
{
  JsonArray *properties = bcs_json_get_array (contact, "singleValueExtendedProperties");

  if (properties == NULL || json_array_get_length (properties) == 0)
    return NULL;
  return bcs_json_get_string (json_array_get_object_element (properties, 0), "value");
}

/* ---- tests ---- */

static void
test_me (void)
{
  Fixture fixture;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture);
  WAIT (bcs_graph_client_get_me_async (fixture.client, NULL, CB), result);
  me = bcs_graph_client_get_me_finish (fixture.client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bcs_json_get_string (me, "userPrincipalName"), ==, "demo@sandbox.example");
  g_assert_nonnull (bcs_json_get_string (me, "id"));
  /* One device code, one token request for Graph */
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_LOGIN), ==, 2);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, 1);
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "graph"), ==, 1);
  fixture_teardown (&fixture);
}

static void
test_folder_find_or_create (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *created_id = NULL;
  g_autofree char *again_id = NULL;
  g_autofree char *found_id = NULL;
  g_autofree char *seeded_id = NULL;
  gboolean created = FALSE;
  const char *name = "Bob's BC contacts";

  fixture_setup (&fixture);
  missing = find_folder (&fixture, name, &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  created_id = ensure_folder (&fixture, name, &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_nonnull (created_id);

  again_id = ensure_folder (&fixture, name, &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpstr (again_id, ==, created_id);

  found_id = find_folder (&fixture, name, &error);
  g_assert_cmpstr (found_id, ==, created_id);

  seeded_id = find_folder (&fixture, SEEDED_FOLDER, &error);
  g_assert_no_error (error);
  g_assert_nonnull (seeded_id);
  g_assert_cmpstr (seeded_id, !=, created_id);
  fixture_teardown (&fixture);
}

static void
test_contact_crud (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) fetched = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(JsonObject) no_name = json_object_new ();
  g_autoptr(BcsHttpRequest) get = NULL;
  g_autoptr(BcsHttpRequest) update = NULL;
  g_autoptr(BcsHttpRequest) bad_update = NULL;
  g_autoptr(BcsHttpRequest) remove = NULL;
  g_autoptr(BcsHttpRequest) remove_again = NULL;
  g_autoptr(BcsHttpRequest) get_gone = NULL;
  const char *id;
  guint before;

  fixture_setup (&fixture);
  folder = ensure_folder (&fixture, "CRUD", NULL, &error);
  g_assert_no_error (error);

  created = create_contact (&fixture, folder, "Zoë Ångström", "BC-0001");
  id = bcs_json_get_string (created, "id");
  g_assert_nonnull (id);

  get = bcs_graph_client_new_get_request (fixture.client, folder, id, EXT_ID);
  fetched = send (&fixture, get, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bcs_json_get_string (fetched, "displayName"), ==, "Zoë Ångström");
  g_assert_cmpstr (property_value (fetched), ==, "BC-0001");

  /* No displayName: refused before anything is sent */
  before = bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH);
  json_object_set_string_member (no_name, "jobTitle", "Engineer");
  bad_update = bcs_graph_client_new_update_request (fixture.client, folder, id, no_name, NULL, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_null (bad_update);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, before);
  g_clear_error (&error);

  json_object_set_string_member (changes, "displayName", "Zoë Ångström");
  json_object_set_string_member (changes, "jobTitle", "Engineer");
  update = bcs_graph_client_new_update_request (fixture.client, folder, id, changes,
                                                bcs_json_get_string (fetched, "@odata.etag"), &error);
  g_assert_no_error (error);
  updated = send (&fixture, update, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bcs_json_get_string (updated, "jobTitle"), ==, "Engineer");
  g_assert_cmpstr (bcs_json_get_string (updated, "@odata.etag"), !=, bcs_json_get_string (fetched, "@odata.etag"));

  remove = bcs_graph_client_new_delete_request (fixture.client, folder, id);
  g_assert_null (send (&fixture, remove, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bcs_http_request_get_status (remove), ==, 204);

  /* Already deleted counts as deleted */
  remove_again = bcs_graph_client_new_delete_request (fixture.client, folder, id);
  g_assert_null (send (&fixture, remove_again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bcs_http_request_get_status (remove_again), ==, 404);

  get_gone = bcs_graph_client_new_get_request (fixture.client, folder, id, NULL);
  g_assert_null (send (&fixture, get_gone, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_NOT_FOUND);
  fixture_teardown (&fixture);
}

static void
test_update_stale_etag (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(BcsHttpRequest) update = NULL;
  g_autoptr(JsonObject) updated = NULL;

  fixture_setup (&fixture);
  folder = ensure_folder (&fixture, "Stale", NULL, &error);
  created = create_contact (&fixture, folder, "Stale Person", NULL);

  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/contacts/\", "
                                           "\"kind\": \"change-etag\", \"count\": 1}");
  json_object_set_string_member (changes, "displayName", "Stale Person");
  update = bcs_graph_client_new_update_request (fixture.client, folder, bcs_json_get_string (created, "id"),
                                                changes, bcs_json_get_string (created, "@odata.etag"), &error);
  updated = send (&fixture, update, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_CONFLICT);
  g_assert_null (updated);
  g_assert_cmpuint (bcs_http_request_get_status (update), ==, 412);
  fixture_teardown (&fixture);
}

static void
test_list_contacts_pages (void)
{
  Fixture fixture;
  BcsSandboxOptions options;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  bcs_sandbox_options_init (&options);
  options.auto_approve = TRUE;
  options.outlook_contacts = 1005;
  fixture_setup_with (&fixture, &options);
  bcs_sandbox_options_clear (&options);

  folder = find_folder (&fixture, SEEDED_FOLDER, &error);
  g_assert_nonnull (folder);
  bcs_http_reset_request_counts (fixture.http);
  contacts = list_contacts (&fixture, folder, "displayName,emailAddresses", EXT_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contacts->len, ==, 1005);
  for (guint i = 0; i < contacts->len; i++)
    {
      JsonObject *contact = g_ptr_array_index (contacts, i);

      g_assert_nonnull (bcs_json_get_string (contact, "displayName"));
      g_assert_true (g_hash_table_add (ids, (gpointer) bcs_json_get_string (contact, "id")));
      /* $select left the rest out */
      g_assert_false (json_object_has_member (contact, "jobTitle"));
    }
  /* $top=1000: two pages */
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, 2);
  fixture_teardown (&fixture);
}

static void
test_find_by_property (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;

  fixture_setup (&fixture);
  folder = ensure_folder (&fixture, "Lookup", NULL, &error);
  first = create_contact (&fixture, folder, "First", "BC-1");
  second = create_contact (&fixture, folder, "Second", "BC-'2'");

  WAIT (bcs_graph_client_find_by_property_async (fixture.client, folder, EXT_ID, "BC-'2'", NULL, CB), result);
  found = bcs_graph_client_find_by_property_finish (fixture.client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (bcs_json_get_string (g_ptr_array_index (found, 0), "id"), ==,
                   bcs_json_get_string (second, "id"));
  g_assert_cmpstr (property_value (g_ptr_array_index (found, 0)), ==, "BC-'2'");

  WAIT (bcs_graph_client_find_by_property_async (fixture.client, folder, EXT_ID, "BC-3", NULL, CB), result2);
  none = bcs_graph_client_find_by_property_finish (fixture.client, result2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  fixture_teardown (&fixture);
}

static void
sandbox_outlook (Fixture    *fixture,
                 const char *method,
                 const char *path,
                 const char *body)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = bcs_sandbox_request (fixture->sandbox, method, path, body, &status);
  g_assert_cmpuint (status / 100, ==, 2);
}

static gboolean
has_id (GPtrArray  *objects,
        const char *id)
{
  for (guint i = 0; i < objects->len; i++)
    if (g_strcmp0 (bcs_json_get_string (g_ptr_array_index (objects, i), "id"), id) == 0)
      return TRUE;
  return FALSE;
}

static void
test_delta_rounds (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(BcsGraphDelta) first = NULL;
  g_autoptr(BcsGraphDelta) second = NULL;
  g_autoptr(BcsGraphDelta) third = NULL;
  g_autofree char *changed_id = NULL;
  g_autofree char *deleted_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) added = NULL;

  fixture_setup (&fixture);
  folder = find_folder (&fixture, SEEDED_FOLDER, &error);
  first = delta (&fixture, folder, NULL, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->items->len, ==, 10);
  g_assert_cmpuint (first->removed->len, ==, 0);
  g_assert_cmpuint (first->n_pages, >=, 4);
  g_assert_nonnull (first->delta_link);

  changed_id = g_strdup (bcs_json_get_string (g_ptr_array_index (first->items, 2), "id"));
  deleted_id = g_strdup (bcs_json_get_string (g_ptr_array_index (first->items, 5), "id"));
  path = g_strconcat ("/_sandbox/outlook/contacts/", changed_id, NULL);
  sandbox_outlook (&fixture, "PATCH", path, "{\"displayName\": \"Changed in Outlook\"}");
  g_free (path);
  path = g_strconcat ("/_sandbox/outlook/contacts/", deleted_id, NULL);
  sandbox_outlook (&fixture, "DELETE", path, NULL);
  added = create_contact (&fixture, folder, "Added", NULL);

  second = delta (&fixture, NULL, first->delta_link, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->items->len, ==, 2);
  g_assert_true (has_id (second->items, changed_id));
  g_assert_true (has_id (second->items, bcs_json_get_string (added, "id")));
  g_assert_cmpuint (second->removed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (second->removed, 0), ==, deleted_id);
  g_assert_nonnull (second->delta_link);

  third = delta (&fixture, NULL, second->delta_link, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (third->items->len, ==, 0);
  g_assert_cmpuint (third->removed->len, ==, 0);
  fixture_teardown (&fixture);
}

static void
test_delta_awkward (void)
{
  Fixture fixture;
  BcsSandboxOptions options;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(BcsGraphDelta) round = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  bcs_sandbox_options_init (&options);
  options.auto_approve = TRUE;
  options.outlook_contacts = 40;
  fixture_setup_with (&fixture, &options);
  bcs_sandbox_options_clear (&options);

  sandbox_outlook (&fixture, "POST", "/_sandbox/outlook/delta-mode", "{\"awkward\": true}");
  folder = find_folder (&fixture, SEEDED_FOLDER, &error);
  round = delta (&fixture, folder, NULL, 5, &error);
  g_assert_no_error (error);
  /* Repeats merged, empty pages passed over */
  g_assert_cmpuint (round->items->len, ==, 40);
  for (guint i = 0; i < round->items->len; i++)
    g_assert_true (g_hash_table_add (ids, (gpointer) bcs_json_get_string (g_ptr_array_index (round->items, i), "id")));
  g_assert_cmpuint (round->n_pages, >, 8);
  g_assert_nonnull (round->delta_link);
  fixture_teardown (&fixture);
}

static void
test_delta_expired (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(BcsGraphDelta) first = NULL;
  g_autoptr(BcsGraphDelta) second = NULL;

  fixture_setup (&fixture);
  folder = find_folder (&fixture, SEEDED_FOLDER, &error);
  first = delta (&fixture, folder, NULL, 0, &error);
  g_assert_no_error (error);

  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/delta\", "
                                           "\"kind\": \"expire-delta\", \"count\": 1}");
  second = delta (&fixture, NULL, first->delta_link, 0, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_DELTA_EXPIRED);
  g_assert_null (second);
  fixture_teardown (&fixture);
}

static GPtrArray *
create_requests (Fixture    *fixture,
                 const char *folder,
                 guint       n,
                 const char *prefix)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %02u", prefix, i);
      g_autoptr(JsonObject) body = new_contact (name, NULL, NULL);

      g_ptr_array_add (requests, bcs_graph_client_new_create_request (fixture->client, folder, body));
    }
  return requests;
}

static guint
count_named (Fixture    *fixture,
             const char *folder,
             const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = list_contacts (fixture, folder, NULL, NULL, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < contacts->len; i++)
    if (g_str_has_prefix (bcs_json_get_string (g_ptr_array_index (contacts, i), "displayName"), prefix))
      n++;
  return n;
}

static void
test_batch (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  guint before;

  fixture_setup (&fixture);
  folder = ensure_folder (&fixture, "Batch", NULL, &error);
  requests = create_requests (&fixture, folder, 20, "Batch person");
  /* an update without a precondition problem and a delete of nothing */
  before = net_test_sandbox_count (fixture.sandbox, "graph");
  g_assert_true (batch (&fixture, requests, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "graph"), ==, before + 1);
  for (guint i = 0; i < requests->len; i++)
    {
      BcsHttpRequest *request = g_ptr_array_index (requests, i);
      g_autofree char *name = g_strdup_printf ("Batch person %02u", i);

      g_assert_cmpuint (bcs_http_request_get_status (request), ==, 201);
      g_assert_null (bcs_http_request_get_error (request));
      g_assert_cmpstr (bcs_json_get_string (bcs_http_request_get_response_object (request), "displayName"),
                       ==, name);
    }
  g_assert_cmpuint (count_named (&fixture, folder, "Batch person"), ==, 20);
  fixture_teardown (&fixture);
}

static void
test_batch_item_errors (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) body = new_contact ("After the failure", NULL, NULL);
  BcsHttpRequest *missing;
  BcsHttpRequest *dependent;
  BcsHttpRequest *remove;

  fixture_setup (&fixture);
  folder = ensure_folder (&fixture, "Batch errors", NULL, &error);
  missing = bcs_graph_client_new_get_request (fixture.client, folder, "AAMkNoSuchContact", NULL);
  dependent = bcs_graph_client_new_create_request (fixture.client, folder, body);
  remove = bcs_graph_client_new_delete_request (fixture.client, folder, "AAMkNoSuchContact");
  bcs_http_request_add_depends_on (dependent, missing);
  g_ptr_array_add (requests, missing);
  g_ptr_array_add (requests, dependent);
  g_ptr_array_add (requests, remove);

  g_assert_true (batch (&fixture, requests, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bcs_http_request_get_status (missing), ==, 404);
  g_assert_true (g_error_matches (bcs_http_request_get_error (missing), BCS_ERROR, BCS_ERROR_NOT_FOUND));
  g_assert_cmpuint (bcs_http_request_get_status (dependent), ==, 424);
  g_assert_nonnull (bcs_http_request_get_error (dependent));
  g_assert_true (g_error_matches (bcs_http_request_get_error (remove), BCS_ERROR, BCS_ERROR_NOT_FOUND));
  g_assert_cmpuint (count_named (&fixture, folder, "After the failure"), ==, 0);
  fixture_teardown (&fixture);
}

static void
test_batch_throttled_items_resent (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  guint before;
  gint64 start;

  fixture_setup (&fixture);
  folder = ensure_folder (&fixture, "Throttled batch", NULL, &error);
  requests = create_requests (&fixture, folder, 10, "Throttled");

  /* Every third inner create is throttled, three times in all */
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/contacts\", \"kind\": \"status\", "
                                           "\"status\": 429, \"retry_after\": \"0.3\", \"every\": 3, \"count\": 3}");
  before = net_test_sandbox_count (fixture.sandbox, "graph");
  start = g_get_monotonic_time ();
  g_assert_true (batch (&fixture, requests, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, >=, 0.25);

  for (guint i = 0; i < requests->len; i++)
    {
      BcsHttpRequest *request = g_ptr_array_index (requests, i);

      g_assert_cmpuint (bcs_http_request_get_status (request), ==, 201);
      g_assert_null (bcs_http_request_get_error (request));
    }
  /* Two batches; nobody created twice */
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "graph"), ==, before + 2);
  g_assert_cmpuint (count_named (&fixture, folder, "Throttled"), ==, 10);
  fixture_teardown (&fixture);
}

static void
test_batch_failed_whole (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  fixture_setup (&fixture);
  folder = ensure_folder (&fixture, "Failed batch", NULL, &error);
  requests = create_requests (&fixture, folder, 3, "Never");
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"$batch\", \"status\": 500, "
                                           "\"count\": 1}");
  g_assert_false (batch (&fixture, requests, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_UNAVAILABLE);
  for (guint i = 0; i < requests->len; i++)
    g_assert_true (g_error_matches (bcs_http_request_get_error (g_ptr_array_index (requests, i)),
                                    BCS_ERROR, BCS_ERROR_UNAVAILABLE));
  g_assert_cmpuint (count_named (&fixture, folder, "Never"), ==, 0);
  fixture_teardown (&fixture);
}

static void
test_batch_too_many (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  guint before;

  fixture_setup (&fixture);
  folder = ensure_folder (&fixture, "Too many", NULL, &error);
  requests = create_requests (&fixture, folder, BCS_GRAPH_MAX_BATCH + 1, "Too many");
  before = bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH);
  g_assert_false (batch (&fixture, requests, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, before);
  fixture_teardown (&fixture);
}

static void
test_at_most_four_in_flight (void)
{
  Fixture fixture;
  BcsSandboxOptions options;
  GAsyncResult *results[12] = { NULL };
  gint64 start;
  double elapsed;

  bcs_sandbox_options_init (&options);
  options.auto_approve = TRUE;
  options.latency_ms = 150;    /* latency only, no limit in the sandbox */
  fixture_setup_with (&fixture, &options);
  bcs_sandbox_options_clear (&options);
  g_assert_cmpuint (bcs_http_get_max_in_flight (fixture.http, BCS_SERVICE_GRAPH), ==, BCS_GRAPH_MAX_IN_FLIGHT);

  {
    /* sign in first, so that only the Graph requests are timed */
    g_autoptr(GAsyncResult) me = NULL;
    g_autoptr(JsonObject) object = NULL;

    WAIT (bcs_graph_client_get_me_async (fixture.client, NULL, CB), me);
    object = bcs_graph_client_get_me_finish (fixture.client, me, NULL);
    g_assert_nonnull (object);
  }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    bcs_graph_client_get_me_async (fixture.client, NULL, net_test_store_result, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GAsyncResult) done = net_test_wait_result (&results[i]);
      g_autoptr(JsonObject) me = bcs_graph_client_get_me_finish (fixture.client, done, NULL);

      g_assert_nonnull (me);
    }
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  /* 12 requests, 4 at a time, 150 ms each: three waves */
  g_test_message ("12 requests took %.3f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, 0.44);
  fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/graph-client/me", test_me);
  g_test_add_func ("/graph-client/folder-find-or-create", test_folder_find_or_create);
  g_test_add_func ("/graph-client/contact-crud", test_contact_crud);
  g_test_add_func ("/graph-client/update-stale-etag", test_update_stale_etag);
  g_test_add_func ("/graph-client/list-contacts-pages", test_list_contacts_pages);
  g_test_add_func ("/graph-client/find-by-property", test_find_by_property);
  g_test_add_func ("/graph-client/delta-rounds", test_delta_rounds);
  g_test_add_func ("/graph-client/delta-awkward", test_delta_awkward);
  g_test_add_func ("/graph-client/delta-expired", test_delta_expired);
  g_test_add_func ("/graph-client/batch", test_batch);
  g_test_add_func ("/graph-client/batch-item-errors", test_batch_item_errors);
  g_test_add_func ("/graph-client/batch-throttled-items-resent", test_batch_throttled_items_resent);
  g_test_add_func ("/graph-client/batch-failed-whole", test_batch_failed_whole);
  g_test_add_func ("/graph-client/batch-too-many", test_batch_too_many);
  g_test_add_func ("/graph-client/at-most-four-in-flight", test_at_most_four_in_flight);

  return g_test_run ();
}
