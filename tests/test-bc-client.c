/* test-bc-client.c — BcsBcClient against the in-process sandbox */
#include "config.h"

#include "bcs-bc-client.h"
#include "bcs-error.h"
#include "bcs-json.h"
#include "net-test-support.h"

typedef struct {
  BcsSandbox *sandbox;
  BcsHttp *http;
  BcsBcClient *client;
  char *company_id;
} Fixture;

#define WAIT(call, result) \
  G_STMT_START { GAsyncResult *pending_ = NULL; \
    call; result = net_test_wait_result (&pending_); } G_STMT_END
#define CB net_test_store_result, &pending_

static GPtrArray *
list_companies (Fixture *fixture,
                GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_bc_client_list_companies_async (fixture->client, NULL, CB), result);
  return bcs_bc_client_list_companies_finish (fixture->client, result, error);
}

static void
fixture_setup_full (Fixture    *fixture,
                    guint       bc_contacts,
                    const char *user,
                    int         latency_ms)
{
  BcsSandboxOptions options;
  g_autofree char *bc_base = NULL;
  g_autofree char *api_base = NULL;

  bcs_sandbox_options_init (&options);
  options.auto_approve = TRUE;
  options.bc_contacts = bc_contacts;
  options.latency_ms = latency_ms;
  if (user != NULL)
    {
      g_free (options.user);
      options.user = g_strdup (user);
    }
  fixture->sandbox = net_test_sandbox_start (&options);
  bcs_sandbox_options_clear (&options);

  fixture->http = net_test_sandbox_http (fixture->sandbox);
  bc_base = g_strconcat (bcs_sandbox_get_url (fixture->sandbox), "/bc", NULL);
  api_base = bcs_bc_online_api_base (bc_base, "sandbox", "production");
  fixture->client = bcs_bc_client_new (fixture->http, api_base);
  fixture->company_id = NULL;

  if (user == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) companies = list_companies (fixture, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (companies->len, >=, 1);
      fixture->company_id = g_strdup (bcs_json_get_string (g_ptr_array_index (companies, 0), "id"));
    }
}

static void
fixture_setup (Fixture *fixture,
               guint    bc_contacts)
{
  fixture_setup_full (fixture, bc_contacts, NULL, -1);
}

static void
fixture_teardown (Fixture *fixture)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->http);
  g_clear_pointer (&fixture->sandbox, bcs_sandbox_free);
  g_clear_pointer (&fixture->company_id, g_free);
}

static GPtrArray *
list_contacts (Fixture    *fixture,
               const char *filter,
               const char *select,
               guint       page_size,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_bc_client_list_contacts_async (fixture->client, fixture->company_id, filter, select, page_size,
                                           NULL, CB), result);
  return bcs_bc_client_list_contacts_finish (fixture->client, result, error);
}

static JsonObject *
send (Fixture        *fixture,
      BcsHttpRequest *request,
      JsonObject    **fresh_row,
      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_bc_client_send_async (fixture->client, request, NULL, CB), result);
  return bcs_bc_client_send_finish (fixture->client, result, fresh_row, error);
}

static gboolean
batch (Fixture   *fixture,
       GPtrArray *requests,
       GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  WAIT (bcs_bc_client_batch_async (fixture->client, requests, NULL, CB), result);
  return bcs_bc_client_batch_finish (fixture->client, result, error);
}

static JsonObject *
create_contact (Fixture    *fixture,
                const char *display_name)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(BcsHttpRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *row;

  json_object_set_string_member (body, "displayName", display_name);
  json_object_set_string_member (body, "type", "Person");
  request = bcs_bc_client_new_create_request (fixture->client, fixture->company_id, body);
  row = send (fixture, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bcs_http_request_get_status (request), ==, 201);
  g_assert_nonnull (bcs_json_get_string (row, "id"));
  g_assert_nonnull (bcs_json_get_string (row, "@odata.etag"));
  return row;
}

/* ---- tests ---- */

static void
test_environments (void)
{
  Fixture fixture;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) environments = NULL;
  g_autoptr(GError) error = NULL;
  gboolean production = FALSE;

  fixture_setup (&fixture, 5);
  WAIT (bcs_bc_client_list_environments_async (fixture.client, NULL, CB), result);
  environments = bcs_bc_client_list_environments_finish (fixture.client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < environments->len; i++)
    production |= g_strcmp0 (bcs_json_get_string (g_ptr_array_index (environments, i), "name"), "production") == 0;
  g_assert_true (production);
  fixture_teardown (&fixture);
}

static void
test_companies (void)
{
  Fixture fixture;
  g_autoptr(GPtrArray) companies = NULL;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture, 5);
  companies = list_companies (&fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (companies->len, ==, 2);
  g_assert_cmpstr (bcs_json_get_string (g_ptr_array_index (companies, 0), "name"), ==, "CRONUS International Ltd.");
  fixture_teardown (&fixture);
}

static void
test_paging_small_pages (void)
{
  Fixture fixture;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  guint before;

  fixture_setup (&fixture, 57);
  before = bcs_http_get_request_count (fixture.http, BCS_SERVICE_BC);
  contacts = list_contacts (&fixture, NULL, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contacts->len, ==, 57);
  for (guint i = 0; i < contacts->len; i++)
    g_assert_true (g_hash_table_add (ids, (gpointer) bcs_json_get_string (g_ptr_array_index (contacts, i), "id")));
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_BC) - before, ==, 6);
  fixture_teardown (&fixture);
}

static void
test_filter_passed (void)
{
  Fixture fixture;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) persons = NULL;
  g_autoptr(GPtrArray) quoted = NULL;
  g_autoptr(GPtrArray) ampersand = NULL;
  g_autoptr(JsonObject) obrien = NULL;
  g_autoptr(JsonObject) ab = NULL;
  g_autoptr(GError) error = NULL;
  guint expected = 0;

  fixture_setup (&fixture, 40);
  obrien = create_contact (&fixture, "Siobhán O'Brien");
  ab = create_contact (&fixture, "A&B + Partners #1");
  all = list_contacts (&fixture, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    expected += g_strcmp0 (bcs_json_get_string (g_ptr_array_index (all, i), "type"), "Person") == 0;

  persons = list_contacts (&fixture, "type eq 'Person'", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (persons->len, ==, expected);
  g_assert_cmpuint (persons->len, <, all->len);

  quoted = list_contacts (&fixture, "displayName eq 'Siobhán O''Brien'", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quoted->len, ==, 1);
  g_assert_cmpstr (bcs_json_get_string (g_ptr_array_index (quoted, 0), "id"), ==, bcs_json_get_string (obrien, "id"));

  ampersand = list_contacts (&fixture, "startswith(displayName,'A&B + Partners #')", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ampersand->len, ==, 1);
  g_assert_cmpstr (bcs_json_get_string (g_ptr_array_index (ampersand, 0), "id"), ==, bcs_json_get_string (ab, "id"));
  fixture_teardown (&fixture);
}

static void
collect_row (JsonObject *row,
             gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (bcs_json_get_string (row, "id")));
}

static void
test_rows_page_by_page (void)
{
  Fixture fixture;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  fixture_setup (&fixture, 25);
  all = list_contacts (&fixture, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >, 20);

  /* Pages of 10: every row handed over once, in order, over 3 requests */
  before = bcs_http_get_request_count (fixture.http, BCS_SERVICE_BC);
  WAIT (bcs_bc_client_list_contacts_each_async (fixture.client, fixture.company_id, NULL, NULL, 10,
                                                collect_row, rows, NULL, CB), result);
  g_assert_true (bcs_bc_client_list_contacts_each_finish (fixture.client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_BC) - before, ==,
                    (all->len + 9) / 10);
  g_assert_cmpuint (rows->len, ==, all->len);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpstr (g_ptr_array_index (rows, i), ==, bcs_json_get_string (g_ptr_array_index (all, i), "id"));
  fixture_teardown (&fixture);
}

static void
test_id_only_listing (void)
{
  Fixture fixture;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture, 33);
  WAIT (bcs_bc_client_list_contact_ids_async (fixture.client, fixture.company_id, NULL, 10, NULL, CB), result);
  ids = bcs_bc_client_list_contact_ids_finish (fixture.client, result, &error);
  g_assert_no_error (error);
  all = list_contacts (&fixture, NULL, NULL, 0, &error);
  g_assert_cmpuint (ids->len, ==, all->len);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ids, i), ==, bcs_json_get_string (g_ptr_array_index (all, i), "id"));

  /* $select=id: only the id (and the etag) come back */
  selected = list_contacts (&fixture, NULL, "id", 0, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (g_ptr_array_index (selected, 0), "displayName"));
  fixture_teardown (&fixture);
}

static void
test_create_update_delete (void)
{
  Fixture fixture;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) fetched = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(BcsHttpRequest) update = NULL;
  g_autoptr(BcsHttpRequest) get = NULL;
  g_autoptr(BcsHttpRequest) remove = NULL;
  g_autoptr(BcsHttpRequest) remove_again = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  fixture_setup (&fixture, 5);
  created = create_contact (&fixture, "Łukasz Nowak");
  id = bcs_json_get_string (created, "id");

  json_object_set_string_member (changes, "jobTitle", "Buyer");
  update = bcs_bc_client_new_update_request (fixture.client, fixture.company_id, id, changes,
                                             bcs_json_get_string (created, "@odata.etag"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (soup_message_headers_get_one (bcs_http_request_get_headers (update), "If-Match"), ==,
                   bcs_json_get_string (created, "@odata.etag"));
  updated = send (&fixture, update, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bcs_json_get_string (updated, "jobTitle"), ==, "Buyer");
  g_assert_cmpstr (bcs_json_get_string (updated, "@odata.etag"), !=, bcs_json_get_string (created, "@odata.etag"));

  get = bcs_bc_client_new_get_request (fixture.client, fixture.company_id, id);
  fetched = send (&fixture, get, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bcs_json_get_string (fetched, "displayName"), ==, "Łukasz Nowak");

  remove = bcs_bc_client_new_delete_request (fixture.client, fixture.company_id, id,
                                             bcs_json_get_string (updated, "@odata.etag"), &error);
  g_assert_null (send (&fixture, remove, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bcs_http_request_get_status (remove), ==, 204);

  remove_again = bcs_bc_client_new_delete_request (fixture.client, fixture.company_id, id,
                                                   bcs_json_get_string (updated, "@odata.etag"), &error);
  g_assert_null (send (&fixture, remove_again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bcs_http_request_get_status (remove_again), ==, 404);
  fixture_teardown (&fixture);
}

static void
test_if_match_required (void)
{
  Fixture fixture;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(BcsHttpRequest) update = NULL;
  g_autoptr(BcsHttpRequest) remove = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  fixture_setup (&fixture, 5);
  created = create_contact (&fixture, "No Etag");
  before = net_test_sandbox_count (fixture.sandbox, "bc");

  json_object_set_string_member (changes, "jobTitle", "x");
  update = bcs_bc_client_new_update_request (fixture.client, fixture.company_id, bcs_json_get_string (created, "id"),
                                             changes, NULL, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_null (update);
  g_clear_error (&error);

  remove = bcs_bc_client_new_delete_request (fixture.client, fixture.company_id, bcs_json_get_string (created, "id"),
                                             "", &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_null (remove);
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "bc"), ==, before);
  fixture_teardown (&fixture);
}

static void
test_stale_conflict_fresh_row (void)
{
  Fixture fixture;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(JsonObject) fresh = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(BcsHttpRequest) update = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint status = 0;

  fixture_setup (&fixture, 5);
  created = create_contact (&fixture, "Stale Row");

  /* Someone changes the row in Business Central */
  path = g_strconcat ("/_sandbox/bc/contacts/", bcs_json_get_string (created, "id"), NULL);
  reply = bcs_sandbox_request (fixture.sandbox, "PATCH", path, "{\"jobTitle\": \"Changed in BC\"}", &status);
  g_assert_cmpuint (status, ==, 200);

  json_object_set_string_member (changes, "city", "Aarhus");
  update = bcs_bc_client_new_update_request (fixture.client, fixture.company_id, bcs_json_get_string (created, "id"),
                                             changes, bcs_json_get_string (created, "@odata.etag"), &error);
  result = send (&fixture, update, &fresh, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_CONFLICT);
  g_assert_null (result);
  g_assert_cmpuint (bcs_http_request_get_status (update), ==, 409);
  g_assert_nonnull (fresh);
  g_assert_cmpstr (bcs_json_get_string (fresh, "jobTitle"), ==, "Changed in BC");
  g_assert_cmpstr (bcs_json_get_string (fresh, "@odata.etag"), !=, bcs_json_get_string (created, "@odata.etag"));
  g_assert_cmpstr (bcs_json_get_string (fresh, "city"), !=, "Aarhus");
  fixture_teardown (&fixture);
}

static void
test_change_etag_fault (void)
{
  Fixture fixture;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(JsonObject) fresh = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(BcsHttpRequest) remove = NULL;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture, 5);
  created = create_contact (&fixture, "Changing Row");
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"bc\", \"path\": \"/contacts(\", "
                                           "\"kind\": \"change-etag\", \"count\": 1}");
  remove = bcs_bc_client_new_delete_request (fixture.client, fixture.company_id, bcs_json_get_string (created, "id"),
                                             bcs_json_get_string (created, "@odata.etag"), &error);
  result = send (&fixture, remove, &fresh, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_CONFLICT);
  g_assert_nonnull (fresh);
  g_assert_cmpstr (bcs_json_get_string (fresh, "id"), ==, bcs_json_get_string (created, "id"));
  g_assert_cmpstr (bcs_json_get_string (fresh, "@odata.etag"), !=, bcs_json_get_string (created, "@odata.etag"));
  fixture_teardown (&fixture);
}

static GPtrArray *
create_requests (Fixture    *fixture,
                 guint       n,
                 const char *prefix)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) body = json_object_new ();
      g_autofree char *name = g_strdup_printf ("%s %03u", prefix, i);

      json_object_set_string_member (body, "displayName", name);
      g_ptr_array_add (requests, bcs_bc_client_new_create_request (fixture->client, fixture->company_id, body));
    }
  return requests;
}

static guint
count_named (Fixture    *fixture,
             const char *prefix)
{
  g_autofree char *filter = g_strdup_printf ("startswith(displayName,'%s')", prefix);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = list_contacts (fixture, filter, "id", 0, &error);

  g_assert_no_error (error);
  return rows->len;
}

static void
test_batch (void)
{
  Fixture fixture;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) too_many = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  fixture_setup (&fixture, 5);
  requests = create_requests (&fixture, 30, "Batched");
  before = net_test_sandbox_count (fixture.sandbox, "bc");
  g_assert_true (batch (&fixture, requests, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "bc"), ==, before + 1);
  for (guint i = 0; i < requests->len; i++)
    {
      BcsHttpRequest *request = g_ptr_array_index (requests, i);

      g_assert_cmpuint (bcs_http_request_get_status (request), ==, 201);
      g_assert_nonnull (bcs_json_get_string (bcs_http_request_get_response_object (request), "@odata.etag"));
    }
  g_assert_cmpuint (count_named (&fixture, "Batched"), ==, 30);

  too_many = create_requests (&fixture, BCS_BC_MAX_BATCH + 1, "Too many");
  g_assert_false (batch (&fixture, too_many, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_cmpuint (count_named (&fixture, "Too many"), ==, 0);
  fixture_teardown (&fixture);
}

static void
test_batch_throttled (void)
{
  Fixture fixture;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  fixture_setup (&fixture, 5);
  requests = create_requests (&fixture, 12, "Throttled");
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"bc\", \"path\": \"/contacts\", \"kind\": \"status\", "
                                           "\"status\": 429, \"retry_after\": \"0.2\", \"every\": 2, \"count\": 4}");
  before = net_test_sandbox_count (fixture.sandbox, "bc");
  g_assert_true (batch (&fixture, requests, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < requests->len; i++)
    g_assert_cmpuint (bcs_http_request_get_status (g_ptr_array_index (requests, i)), ==, 201);
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "bc"), ==, before + 2);
  g_assert_cmpuint (count_named (&fixture, "Throttled"), ==, 12);
  fixture_teardown (&fixture);
}

static void
test_users (void)
{
  Fixture fixture;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  gboolean demo = FALSE;

  fixture_setup (&fixture, 5);
  WAIT (bcs_bc_client_list_users_async (fixture.client, fixture.company_id, NULL, CB), result);
  users = bcs_bc_client_list_users_finish (fixture.client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, >=, 3);
  for (guint i = 0; i < users->len; i++)
    {
      JsonObject *user = g_ptr_array_index (users, i);

      g_assert_nonnull (bcs_json_get_string (user, "userSecurityId"));
      demo |= g_strcmp0 (bcs_json_get_string (user, "userName"), "DEMO") == 0;
    }
  g_assert_true (demo);
  fixture_teardown (&fixture);
}

static void
test_not_a_bc_user (void)
{
  Fixture fixture;
  g_autoptr(GPtrArray) companies = NULL;
  g_autoptr(GError) error = NULL;

  fixture_setup_full (&fixture, 5, "outsider@sandbox.example", -1);
  companies = list_companies (&fixture, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_NOT_A_BC_USER);
  g_assert_null (companies);
  g_assert_nonnull (strstr (error->message, "Ask your Business Central administrator to enter your Microsoft 365 "
                                            "account as the Authentication Email in the Microsoft 365 section of "
                                            "your user card."));
  /* After one refresh and one retry */
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_BC), ==, 2);
  fixture_teardown (&fixture);
}

static void
test_onprem_basic_auth (void)
{
  Fixture fixture;
  g_autoptr(NetTestTokenProvider) good = net_test_token_provider_new_basic ("DEMO", "sandbox-web-service-key");
  g_autoptr(NetTestTokenProvider) bad = net_test_token_provider_new_basic ("DEMO", "wrong-key");
  g_autoptr(BcsBcClient) onprem = NULL;
  g_autoptr(GPtrArray) companies = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *api_base = NULL;

  fixture_setup (&fixture, 5);
  api_base = g_strconcat (bcs_sandbox_get_url (fixture.sandbox), "/bc/onprem/api/v2.0", NULL);
  onprem = bcs_bc_client_new (fixture.http, api_base);

  bcs_http_set_token_provider (fixture.http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (good));
  WAIT (bcs_bc_client_list_companies_async (onprem, NULL, CB), result);
  companies = bcs_bc_client_list_companies_finish (onprem, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (companies->len, ==, 2);

  bcs_http_set_token_provider (fixture.http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (bad));
  WAIT (bcs_bc_client_list_companies_async (onprem, NULL, CB), result2);
  rejected = bcs_bc_client_list_companies_finish (onprem, result2, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED);
  g_assert_null (rejected);
  g_assert_null (strstr (error->message, "wrong-key"));
  g_assert_nonnull (strstr (error->message, "web service access key"));
  fixture_teardown (&fixture);
}

static void
test_at_most_five_in_flight (void)
{
  Fixture fixture;
  GAsyncResult *results[15] = { NULL };
  gint64 start;
  double elapsed;

  fixture_setup_full (&fixture, 5, NULL, 150);
  g_assert_cmpuint (bcs_http_get_max_in_flight (fixture.http, BCS_SERVICE_BC), ==, BCS_BC_MAX_IN_FLIGHT);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    bcs_bc_client_list_companies_async (fixture.client, NULL, net_test_store_result, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GAsyncResult) done = net_test_wait_result (&results[i]);
      g_autoptr(GPtrArray) companies = bcs_bc_client_list_companies_finish (fixture.client, done, NULL);

      g_assert_nonnull (companies);
    }
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  /* 15 requests, 5 at a time, 150 ms each: three waves */
  g_test_message ("15 requests took %.3f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, 0.44);
  fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bc-client/environments", test_environments);
  g_test_add_func ("/bc-client/companies", test_companies);
  g_test_add_func ("/bc-client/paging-small-pages", test_paging_small_pages);
  g_test_add_func ("/bc-client/filter-passed", test_filter_passed);
  g_test_add_func ("/bc-client/id-only-listing", test_id_only_listing);
  g_test_add_func ("/bc-client/rows-page-by-page", test_rows_page_by_page);
  g_test_add_func ("/bc-client/create-update-delete", test_create_update_delete);
  g_test_add_func ("/bc-client/if-match-required", test_if_match_required);
  g_test_add_func ("/bc-client/stale-conflict-fresh-row", test_stale_conflict_fresh_row);
  g_test_add_func ("/bc-client/change-etag-fault", test_change_etag_fault);
  g_test_add_func ("/bc-client/batch", test_batch);
  g_test_add_func ("/bc-client/batch-throttled", test_batch_throttled);
  g_test_add_func ("/bc-client/users", test_users);
  g_test_add_func ("/bc-client/not-a-bc-user", test_not_a_bc_user);
  g_test_add_func ("/bc-client/onprem-basic-auth", test_onprem_basic_auth);
  g_test_add_func ("/bc-client/at-most-five-in-flight", test_at_most_five_in_flight);

  return g_test_run ();
}
