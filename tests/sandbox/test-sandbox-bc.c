/* test-sandbox-bc.c — the sandbox's Business Central as a client reads it: environments,
 * companies, authentication, users, paging and the OData query options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-sandbox-bc-fixture.h"

static void
test_environments (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(Reply) reply = call (fx, "GET", "/bc/environments/v1.2", NULL, NULL);
  const char *none[] = { "Authorization", "", NULL };
  g_autoptr(Reply) anonymous = call (fx, "GET", "/bc/environments/v1.2", NULL, none);
  JsonArray *value = value_of (reply);
  JsonObject *prod = json_array_get_object_element (value, 0);
  JsonObject *test = json_array_get_object_element (value, 1);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (value), ==, 2);
  g_assert_cmpstr (str (prod, "name"), ==, "production");
  g_assert_cmpstr (str (prod, "type"), ==, "Production");
  g_assert_cmpstr (str (prod, "applicationFamily"), ==, "BusinessCentral");
  g_assert_cmpstr (str (prod, "countryCode"), ==, "DE");
  g_assert_cmpstr (str (prod, "status"), ==, "Active");
  g_assert_true (g_str_has_prefix (str (prod, "applicationVersion"), "27.1"));
  g_assert_cmpuint (strlen (str (prod, "aadTenantId")), ==, 36);
  g_assert_cmpstr (str (test, "name"), ==, "test");
  g_assert_cmpstr (str (test, "type"), ==, "Sandbox");
  g_assert_cmpuint (anonymous->status, ==, 401);
}

static void
test_companies (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(Reply) list = call (fx, "GET", "/bc/v2.0/sandbox/production/api/v2.0/companies", NULL, NULL);
  g_autofree char *one_path = g_strdup_printf ("/bc/v2.0/sandbox/production/api/v2.0/companies(%s)", fx->company2);
  g_autoptr(Reply) one = call (fx, "GET", one_path, NULL, NULL);
  g_autoptr(Reply) test_env = call (fx, "GET", "/bc/v2.0/sandbox/test/api/v2.0/companies", NULL, NULL);
  g_autoptr(Reply) bad_env = call (fx, "GET", "/bc/v2.0/sandbox/nope/api/v2.0/companies", NULL, NULL);
  g_autoptr(Reply) bad_tenant = call (fx, "GET", "/bc/v2.0/elsewhere/production/api/v2.0/companies", NULL, NULL);
  g_autoptr(Reply) by_tenant_id = NULL;
  g_autoptr(Reply) bad_company = call (fx, "GET",
                                       "/bc/v2.0/sandbox/production/api/v2.0/companies(00000000-0000-0000-0000-000000000000)/contacts",
                                       NULL, NULL);
  g_autoptr(Reply) envs = call (fx, "GET", "/bc/environments/v1.2", NULL, NULL);
  g_autofree char *tenant_path = NULL;
  JsonObject *first = json_array_get_object_element (value_of (list), 0);
  const char *fields[] = { "id", "systemVersion", "timestamp", "name", "displayName", "businessProfileId",
                           "systemCreatedAt", "systemCreatedBy", "systemModifiedAt", "systemModifiedBy" };

  g_assert_cmpuint (list->status, ==, 200);
  g_assert_true (json_object_has_member (obj (list), "@odata.context"));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_true (json_object_has_member (first, fields[i]));
  g_assert_cmpstr (str (first, "name"), ==, "CRONUS International Ltd.");
  g_assert_cmpuint (one->status, ==, 200);
  g_assert_cmpstr (str (obj (one), "name"), ==, "CRONUS Demo Two");
  g_assert_cmpuint (test_env->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (value_of (test_env)), ==, 0);
  g_assert_cmpuint (bad_env->status, ==, 404);
  g_assert_cmpstr (error_code (bad_env), ==, "BadRequest_NotFound");
  g_assert_true (strstr (error_message (bad_env), "CorrelationId") != NULL);
  g_assert_cmpuint (bad_tenant->status, ==, 404);
  g_assert_cmpuint (bad_company->status, ==, 404);
  {
    g_autoptr(Reply) root = call (fx, "GET", "/bc/v2.0/sandbox/production/api/v2.0", NULL, NULL);
    g_autoptr(Reply) nowhere = call (fx, "GET", "/bc/v2.0/sandbox/production/api/v2.0/vendors", NULL, NULL);

    g_assert_cmpuint (root->status, ==, 200);
    g_assert_cmpstr (str (json_array_get_object_element (value_of (root), 0), "name"), ==, "companies");
    g_assert_cmpuint (nowhere->status, ==, 404);
    g_assert_cmpstr (error_code (nowhere), ==, "BadRequest_NotFound");
  }

  tenant_path = g_strdup_printf ("/bc/v2.0/%s/production/api/v2.0/companies",
                                 str (json_array_get_object_element (value_of (envs), 0), "aadTenantId"));
  by_tenant_id = call (fx, "GET", tenant_path, NULL, NULL);
  g_assert_cmpuint (by_tenant_id->status, ==, 200);
}

static void
test_not_a_bc_user (void)
{
  g_autoptr(Fx) fx = fx_new_full (10, 42, "outsider@sandbox.example");
  g_autoptr(Reply) reply = call (fx, "GET", "/bc/v2.0/sandbox/production/api/v2.0/companies", NULL, NULL);
  g_autoptr(Reply) envs = call (fx, "GET", "/bc/environments/v1.2", NULL, NULL);

  g_assert_cmpuint (reply->status, ==, 401);
  g_assert_cmpstr (error_code (reply), ==, "Authentication_InvalidCredentials");
  g_assert_true (g_str_has_prefix (error_message (reply), "The server has rejected the client credentials."));
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (reply->headers, "WWW-Authenticate"), "Bearer"));
  /* The tenant's environments are listed all the same */
  g_assert_cmpuint (envs->status, ==, 200);
}

static void
test_graph_token_rejected (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autofree char *graph = get_token (fx, "User.Read");
  g_autofree char *bearer = g_strconcat ("Bearer ", graph, NULL);
  const char *with_graph[] = { "Authorization", bearer, NULL };
  const char *none[] = { "Authorization", "", NULL };
  const char *junk[] = { "Authorization", "Bearer not-a-token", NULL };
  g_autofree char *path = api (fx, "contacts");
  g_autoptr(Reply) a = call (fx, "GET", path, NULL, with_graph);
  g_autoptr(Reply) b = call (fx, "GET", path, NULL, none);
  g_autoptr(Reply) c = call (fx, "GET", path, NULL, junk);
  g_autoptr(Reply) d = call (fx, "GET", path, NULL, NULL);

  g_assert_cmpuint (a->status, ==, 401);
  g_assert_cmpuint (b->status, ==, 401);
  g_assert_cmpuint (c->status, ==, 401);
  g_assert_cmpuint (d->status, ==, 200);
}

static void
test_onprem (void)
{
  g_autoptr(Fx) fx = fx_new (30);
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *b64 = g_base64_encode ((const guchar *) ONPREM_OK, strlen (ONPREM_OK));
  g_autofree char *b64_bad = g_base64_encode ((const guchar *) "DEMO:wrong", strlen ("DEMO:wrong"));
  g_autofree char *contacts = g_strdup_printf ("/bc/onprem/api/v2.0/companies(%s)/contacts?$top=5", fx->company);
  g_autofree char *users = g_strdup_printf ("/bc/onprem/api/microsoft/automation/v2.0/companies(%s)/users",
                                            fx->company);
  const char *bad_headers[2][3] = { { "Authorization", NULL, NULL }, { "Authorization", "", NULL } };
  g_autoptr(Reply) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;

  good = g_strconcat ("Basic ", b64, NULL);
  bad = g_strconcat ("Basic ", b64_bad, NULL);
  bad_headers[0][1] = bad;

  fx->basic = g_strdup (good);
  r1 = call (fx, "GET", "/bc/onprem/api/v2.0/companies", NULL, NULL);
  r2 = call (fx, "GET", contacts, NULL, NULL);
  r3 = call (fx, "GET", users, NULL, NULL);
  r4 = call (fx, "GET", "/bc/onprem/api/v2.0/companies", NULL, bad_headers[0]);
  r5 = call (fx, "GET", "/bc/onprem/api/v2.0/companies", NULL, bad_headers[1]);
  g_clear_pointer (&fx->basic, g_free);
  /* A bearer token is no key for on-premises */
  r6 = call (fx, "GET", "/bc/onprem/api/v2.0/companies", NULL, NULL);

  g_assert_cmpuint (r1->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (value_of (r1)), ==, 2);
  g_assert_cmpuint (r2->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (value_of (r2)), ==, 5);
  g_assert_cmpuint (r3->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (value_of (r3)), ==, 3);
  g_assert_cmpuint (r4->status, ==, 401);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r4->headers, "WWW-Authenticate"), "Basic realm="));
  g_assert_cmpuint (r5->status, ==, 401);
  g_assert_cmpuint (r6->status, ==, 401);
}

static void
test_users (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autofree char *path = g_strdup_printf ("/bc/v2.0/sandbox/production/api/microsoft/automation/v2.0/"
                                           "companies(%s)/users", fx->company);
  g_autoptr(Reply) reply = call (fx, "GET", path, NULL, NULL);
  g_autoptr(Reply) one = NULL;
  g_autofree char *one_path = NULL;
  JsonArray *value = value_of (reply);
  gboolean demo = FALSE, without = FALSE;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (value), ==, 3);
  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *user = json_array_get_object_element (value, i);

      g_assert_cmpuint (strlen (str (user, "userSecurityId")), ==, 36);
      g_assert_cmpstr (str (user, "state"), ==, "Enabled");
      g_assert_cmpstr (str (user, "expiryDate"), ==, "0001-01-01T00:00:00Z");
      g_assert_nonnull (str (user, "displayName"));
      g_assert_false (json_object_has_member (user, "authenticationEmail"));
      if (g_strcmp0 (str (user, "userName"), "DEMO") == 0)
        {
          demo = TRUE;
          g_assert_cmpstr (str (user, "contactEmail"), ==, "demo@sandbox.example");
          one_path = g_strdup_printf ("%s(%s)", path, str (user, "userSecurityId"));
        }
      if (*str (user, "contactEmail") == '\0')
        without = TRUE;
    }
  g_assert_true (demo);
  g_assert_true (without);
  one = call (fx, "GET", one_path, NULL, NULL);
  g_assert_cmpuint (one->status, ==, 200);
  g_assert_cmpstr (str (obj (one), "userName"), ==, "DEMO");
}

/* ---- reading contacts ---- */

/* A GET whose body is left unparsed (pages of thousands of rows: parsing
 * them with json-glib under ASan would dominate the test's time) */
static void
test_paging (void)
{
  g_autoptr(Fx) fx = fx_new (25000);
  g_autofree char *path = api (fx, "contacts");
  g_autofree char *slim = api (fx, "contacts?$select=number");
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *base = bcs_sandbox_get_url (fx->sandbox);
  g_autofree char *next = NULL;
  guint pages = 0;

  /* The sandbox's part: the request until the last byte is read, no parsing */
  for (guint i = 0; i < 2; i++)
    {
      double ms = 0;
      g_autofree char *body = raw_get (fx, path, NULL, NULL, &ms);

      g_test_message ("a page of 20,000 contacts (%zu bytes): %.1f ms", strlen (body), ms);
      g_assert_cmpuint (count_occurrences (body, "\"@odata.etag\""), ==, 20000);
    }

  /* At most 20,000 per page; the rest through an opaque skip token */
  first = call (fx, "GET", slim, NULL, NULL);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (value_of (first)), ==, 20000);
  g_assert_null (soup_message_headers_get_one (first->headers, "Preference-Applied"));
  {
    const char *link = json_object_get_string_member (obj (first), "@odata.nextLink");

    g_assert_true (g_str_has_prefix (link, base));
    g_assert_nonnull (strstr (link, "$skiptoken="));
    g_assert_nonnull (strstr (link, "$select="));
    second = call (fx, "GET", link + strlen (base), NULL, NULL);
  }
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (value_of (second)), ==, 5000);
  g_assert_false (json_object_has_member (obj (second), "@odata.nextLink"));
  g_assert_cmpstr (str (json_array_get_object_element (value_of (second), 0), "number"), >,
                   str (json_array_get_object_element (value_of (first), 19999), "number"));

  /* Smaller pages on request, every row exactly once */
  next = api (fx, "contacts?$select=id");
  while (next != NULL)
    {
      g_autoptr(SoupMessageHeaders) headers = NULL;
      g_autofree char *body = raw_get (fx, next, "odata.maxpagesize=7000", &headers, NULL);
      const char *key = "\"id\":\"";
      guint rows = 0;

      g_assert_cmpstr (soup_message_headers_get_one (headers, "Preference-Applied"), ==,
                       "odata.maxpagesize=7000");
      for (const char *p = find (body, key); p != NULL; p = find (p + 1, key))
        {
          g_hash_table_add (ids, g_strndup (p + strlen (key), 36));
          rows++;
        }
      g_assert_cmpuint (rows, ==, pages < 3 ? 7000 : 4000);
      g_free (next);
      next = raw_next_link (fx, body);
      pages++;
    }
  g_assert_cmpuint (pages, ==, 4);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 25000);

  /* A made-up skip token is refused */
  {
    g_autofree char *bad = api (fx, "contacts?$skiptoken=garbage");
    g_autoptr(Reply) reply = call (fx, "GET", bad, NULL, NULL);

    g_assert_cmpuint (reply->status, ==, 400);
  }
}

static gboolean
has_prefix_ci (const char *value,
               const char *prefix)
{
  g_autofree char *a = g_utf8_casefold (value, -1);
  g_autofree char *b = g_utf8_casefold (prefix, -1);

  return g_str_has_prefix (a, b);
}

static void
test_filter (void)
{
  g_autoptr(Fx) fx = fx_new (500);
  g_autoptr(JsonArray) all = all_contacts (fx, NULL, NULL);
  guint n = json_array_get_length (all);
  guint persons = 0, gt = 0, le = 0, complex = 0, starts = 0, contains = 0, blocked = 0;
  JsonObject *sample = json_array_get_object_element (all, 123);
  g_autofree char *upper = g_utf8_strup (str (sample, "displayName"), -1);
  g_autofree char *q = NULL;

  g_assert_cmpuint (n, ==, 500);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *c = json_array_get_object_element (all, i);
      gboolean person = g_strcmp0 (str (c, "type"), "Person") == 0;
      gboolean pb = json_object_get_boolean_member (c, "privacyBlocked");

      persons += person;
      blocked += pb;
      gt += strcmp (str (c, "number"), "CT002000") > 0;
      le += strcmp (str (c, "number"), "CT000990") <= 0;
      complex += (!person || pb) && g_strcmp0 (str (c, "country"), "DE") != 0;
      starts += has_prefix_ci (str (c, "displayName"), "ma");
      contains += strstr (str (c, "email"), "example.org") != NULL;
    }
  g_assert_cmpuint (count_query (fx, "number eq 'CT000100'"), ==, 1);
  g_assert_cmpuint (count_query (fx, "number ne 'CT000100'"), ==, n - 1);
  g_assert_cmpuint (count_query (fx, "number gt 'CT002000'"), ==, gt);
  g_assert_cmpuint (count_query (fx, "number ge 'CT002000'"), ==, gt + 1);
  g_assert_cmpuint (count_query (fx, "number le 'CT000990'"), ==, le);
  g_assert_cmpuint (count_query (fx, "number lt 'CT000990'"), ==, le - 1);
  g_assert_cmpuint (count_query (fx, "type eq 'Person'"), ==, persons);
  g_assert_cmpuint (count_query (fx, "not (type eq 'Person')"), ==, n - persons);
  g_assert_cmpuint (count_query (fx, "privacyBlocked eq true"), ==, blocked);
  g_assert_cmpuint (count_query (fx, "type eq 'Person' and privacyBlocked eq false"), <=, persons);
  g_assert_cmpuint (count_query (fx, "(type eq 'Company' or privacyBlocked eq true) and not (country eq 'DE')"),
                    ==, complex);
  g_assert_cmpuint (count_query (fx, "type eq 'Company' or privacyBlocked eq true and country eq 'XX'"),
                    ==, n - persons);
  g_assert_cmpuint (count_query (fx, "startswith(displayName,'MA')"), ==, starts);
  g_assert_cmpuint (count_query (fx, "contains(email,'EXAMPLE.org')"), ==, contains);
  g_assert_cmpuint (starts, >, 0);
  g_assert_cmpuint (contains, >, 0);
  /* Case-insensitive equality, as BC's SQL collation compares */
  q = g_strdup_printf ("displayName eq '%s' and number eq '%s'", upper, str (sample, "number"));
  g_assert_cmpuint (count_query (fx, q), ==, 1);
  {
    g_autofree char *id_q = g_strdup_printf ("id eq %s", str (sample, "id"));

    g_assert_cmpuint (count_query (fx, id_q), ==, 1);
  }

  /* '' is a quote inside a literal */
  g_clear_pointer (&q, g_free);
  json_object_unref (create (fx, "{\"displayName\": \"O'Brien & Søn\", \"type\": \"Person\"}"));
  g_assert_cmpuint (count_query (fx, "displayName eq 'O''Brien & Søn'"), ==, 1);
  g_assert_cmpuint (count_query (fx, "startswith(displayName,'o''brien')"), ==, 1);

  /* Errors as OData reports them */
  g_assert_cmpuint (filter_status (fx, "displayName eq 5"), ==, 400);
  g_assert_cmpuint (filter_status (fx, "lastModifiedDateTime gt '2026-01-01T00:00:00Z'"), ==, 400);
  g_assert_cmpuint (filter_status (fx, "nosuchfield eq 'x'"), ==, 400);
  g_assert_cmpuint (filter_status (fx, "displayName eq 'unterminated"), ==, 400);
  g_assert_cmpuint (filter_status (fx, "(type eq 'Person'"), ==, 400);
  g_assert_cmpuint (filter_status (fx, "type eq 'Person' and"), ==, 400);
}

static void
test_filter_watermark (void)
{
  g_autoptr(Fx) fx = fx_new (200);
  g_autoptr(JsonArray) all = all_contacts (fx, "?$orderby=lastModifiedDateTime desc&$top=1", NULL);
  const char *watermark = str (json_array_get_object_element (all, 0), "lastModifiedDateTime");
  g_autofree char *q = g_strdup_printf ("lastModifiedDateTime gt %s", watermark);
  g_autofree char *q_le = g_strdup_printf ("lastModifiedDateTime le %s", watermark);
  g_autoptr(GPtrArray) times = g_ptr_array_new_with_free_func (g_free);
  gint64 last = 0;

  g_assert_cmpuint (count_query (fx, q), ==, 0);
  g_assert_cmpuint (count_query (fx, q_le), ==, 200);

  /* Writes in a burst (one $batch: many in the same millisecond): each gets
   * a later lastModifiedDateTime than the one before */
  {
    GString *body = g_string_new ("{\"requests\": [");
    g_autofree char *text = NULL;
    g_autoptr(Reply) reply = NULL;
    JsonArray *responses;

    for (guint i = 0; i < 8; i++)
      g_string_append_printf (body, "%s{\"id\": \"%u\", \"method\": \"POST\", \"url\": \"companies(%s)/contacts\", "
                              "\"body\": {\"displayName\": \"Burst %u\"}}", i ? ", " : "", i, fx->company, i);
    g_string_append (body, "]}");
    text = g_string_free (body, FALSE);
    reply = call (fx, "POST", "/bc/v2.0/sandbox/production/api/v2.0/$batch", text, NULL);
    g_assert_cmpuint (reply->status, ==, 200);
    responses = json_object_get_array_member (obj (reply), "responses");
    for (guint i = 0; i < 8; i++)
      {
        JsonObject *item = json_array_get_object_element (responses, i);
        gint64 t = parse_time (str (json_object_get_object_member (item, "body"), "lastModifiedDateTime"));

        g_assert_cmpint (json_object_get_int_member (item, "status"), ==, 201);
        g_assert_cmpint (t, >, last);
        last = t;
      }
  }
  g_assert_cmpuint (count_query (fx, q), ==, 8);
  g_assert_cmpuint (count_query (fx, "startswith(displayName,'Burst')"), ==, 8);
  {
    /* Literals with a fraction and an offset */
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (last / 1000000 - 3600 * 24 * 400);
    g_autofree char *text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.000+01:00");
    g_autofree char *q2 = g_strdup_printf ("lastModifiedDateTime ge %s", text);

    g_assert_cmpuint (count_query (fx, q2), ==, 200 + 8);
  }
}

static void
test_select (void)
{
  g_autoptr(Fx) fx = fx_new (20);
  g_autofree char *path = api (fx, "contacts?$select=id,displayName&$top=3");
  g_autofree char *bad = api (fx, "contacts?$select=id,nope");
  g_autoptr(Reply) reply = call (fx, "GET", path, NULL, NULL);
  g_autoptr(Reply) bad_reply = call (fx, "GET", bad, NULL, NULL);
  JsonObject *row = json_array_get_object_element (value_of (reply), 0);
  g_autoptr(GList) members = json_object_get_members (row);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpuint (g_list_length (members), ==, 3);
  g_assert_true (json_object_has_member (row, "@odata.etag"));
  g_assert_true (json_object_has_member (row, "id"));
  g_assert_true (json_object_has_member (row, "displayName"));
  g_assert_cmpuint (bad_reply->status, ==, 400);
}

static int
casecmp (const char *a,
         const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return strcmp (fa, fb);
}

static void
test_orderby (void)
{
  g_autoptr(Fx) fx = fx_new (300);
  g_autoptr(JsonArray) rows = all_contacts (fx, "?$orderby=type desc,displayName asc", "40");
  g_autoptr(JsonArray) by_time = all_contacts (fx, "?$orderby=lastModifiedDateTime", NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *bad = api (fx, "contacts?$orderby=nope desc");
  g_autoptr(Reply) bad_reply = call (fx, "GET", bad, NULL, NULL);

  g_assert_cmpuint (json_array_get_length (rows), ==, 300);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *c = json_array_get_object_element (rows, i);

      g_hash_table_add (ids, (gpointer) str (c, "id"));
      if (i > 0)
        {
          JsonObject *p = json_array_get_object_element (rows, i - 1);
          int t = strcmp (str (p, "type"), str (c, "type"));

          g_assert_cmpint (t, >=, 0);
          if (t == 0)
            g_assert_cmpint (casecmp (str (p, "displayName"), str (c, "displayName")), <=, 0);
        }
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 300);
  g_assert_cmpstr (str (json_array_get_object_element (rows, 0), "type"), ==, "Person");
  for (guint i = 1; i < json_array_get_length (by_time); i++)
    g_assert_cmpint (parse_time (str (json_array_get_object_element (by_time, i - 1), "lastModifiedDateTime")), <=,
                     parse_time (str (json_array_get_object_element (by_time, i), "lastModifiedDateTime")));
  g_assert_cmpuint (bad_reply->status, ==, 400);
}

static void
test_top_skip (void)
{
  g_autoptr(Fx) fx = fx_new (100);
  g_autofree char *p1 = api (fx, "contacts?$top=5");
  g_autofree char *p2 = api (fx, "contacts?$skip=10&$top=3");
  g_autofree char *p3 = api (fx, "contacts?$count=true&$top=1");
  g_autofree char *p4 = api (fx, "contacts?$top=-1");
  g_autoptr(Reply) r1 = call (fx, "GET", p1, NULL, NULL);
  g_autoptr(Reply) r2 = call (fx, "GET", p2, NULL, NULL);
  g_autoptr(Reply) r3 = call (fx, "GET", p3, NULL, NULL);
  g_autoptr(Reply) r4 = call (fx, "GET", p4, NULL, NULL);
  g_autoptr(JsonArray) top30 = all_contacts (fx, "?$top=30", "20");

  g_assert_cmpuint (json_array_get_length (value_of (r1)), ==, 5);
  g_assert_false (json_object_has_member (obj (r1), "@odata.nextLink"));
  g_assert_cmpuint (json_array_get_length (value_of (r2)), ==, 3);
  g_assert_cmpstr (str (json_array_get_object_element (value_of (r2), 0), "number"), ==, "CT000110");
  g_assert_cmpint (json_object_get_int_member (obj (r3), "@odata.count"), ==, 100);
  g_assert_cmpuint (r4->status, ==, 400);
  g_assert_cmpuint (json_array_get_length (top30), ==, 30);
}

/* ---- writing contacts ---- */

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox-bc/environments", test_environments);
  g_test_add_func ("/sandbox-bc/companies", test_companies);
  g_test_add_func ("/sandbox-bc/not-a-bc-user", test_not_a_bc_user);
  g_test_add_func ("/sandbox-bc/graph-token-rejected", test_graph_token_rejected);
  g_test_add_func ("/sandbox-bc/onprem-basic-auth", test_onprem);
  g_test_add_func ("/sandbox-bc/users", test_users);
  g_test_add_func ("/sandbox-bc/paging", test_paging);
  g_test_add_func ("/sandbox-bc/filter", test_filter);
  g_test_add_func ("/sandbox-bc/filter-watermark", test_filter_watermark);
  g_test_add_func ("/sandbox-bc/select", test_select);
  g_test_add_func ("/sandbox-bc/orderby", test_orderby);
  g_test_add_func ("/sandbox-bc/top-skip", test_top_skip);

  return g_test_run ();
}
