/* test-sandbox-bc.c — the sandbox's Business Central, as a client sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "bcs-sandbox-private.h"

#define BC_SCOPE  "https://api.businesscentral.dynamics.com/.default"
#define ONPREM_OK "DEMO:sandbox-web-service-key"

typedef struct {
  BcsSandbox *sandbox;
  SoupSession *session;
  char *token;
  char *company;        /* first company's id */
  char *company2;
  char *basic;          /* Authorization value for on-premises calls, or NULL */
} Fx;

typedef struct {
  guint status;
  SoupMessageHeaders *headers;
  JsonNode *json;
} Reply;

static void
reply_free (Reply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* A blocking request; HEADERS are name, value pairs ending in NULL. Sends
 * the bearer token unless an Authorization header is given ("" for none). */
static Reply *
call (Fx                *fx,
      const char        *method,
      const char        *path,
      const char        *body,
      const char * const *headers)
{
  g_autofree char *url = g_strconcat (bcs_sandbox_get_url (fx->sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);
  gboolean has_auth = FALSE;
  gsize length = 0;
  const char *data;

  g_assert_nonnull (msg);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    {
      if (g_ascii_strcasecmp (headers[i], "Authorization") == 0)
        {
          has_auth = TRUE;
          if (*headers[i + 1] == '\0')
            continue;
        }
      soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i], headers[i + 1]);
    }
  if (!has_auth && fx->basic != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", fx->basic);
  else if (!has_auth && fx->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", fx->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      const char *type = body[0] == '{' || body[0] == '[' ? "application/json"
                                                           : "application/x-www-form-urlencoded";

      soup_message_set_request_body_from_bytes (msg, type, b);
    }
  bytes = soup_session_send_and_read (fx->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  data = g_bytes_get_data (bytes, &length);
  if (length > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, data, (gssize) length, NULL))
        reply->json = json_parser_steal_root (parser);
    }
  return reply;
}

static JsonObject *
obj (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

static JsonArray *
value_of (Reply *reply)
{
  return json_object_get_array_member (obj (reply), "value");
}

static const char *
error_code (Reply *reply)
{
  return json_object_get_string_member (json_object_get_object_member (obj (reply), "error"), "code");
}

static const char *
error_message (Reply *reply)
{
  return json_object_get_string_member (json_object_get_object_member (obj (reply), "error"), "message");
}

static char *
get_token (Fx         *fx,
           const char *scope)
{
  g_autofree char *escaped = g_uri_escape_string (scope, NULL, FALSE);
  g_autofree char *form = g_strdup_printf ("client_id=sandbox&scope=%s", escaped);
  g_autofree char *poll = NULL;
  const char *none[] = { "Authorization", "", NULL };
  g_autoptr(Reply) code = call (fx, "POST", "/login/sandbox/oauth2/v2.0/devicecode", form, none);
  g_autoptr(Reply) token = NULL;

  g_assert_cmpuint (code->status, ==, 200);
  poll = g_strdup_printf ("client_id=sandbox&grant_type=urn:ietf:params:oauth:grant-type:device_code"
                          "&device_code=%s", json_object_get_string_member (obj (code), "device_code"));
  token = call (fx, "POST", "/login/sandbox/oauth2/v2.0/token", poll, none);
  g_assert_cmpuint (token->status, ==, 200);
  return g_strdup (json_object_get_string_member (obj (token), "access_token"));
}

static char *
api (Fx         *fx,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

/* A path below the online API root of the first company: "contacts?…" */
static char *
api (Fx         *fx,
     const char *format,
     ...)
{
  va_list args;
  g_autofree char *rest = NULL;

  va_start (args, format);
  rest = g_strdup_vprintf (format, args);
  va_end (args);
  return g_strdup_printf ("/bc/v2.0/sandbox/production/api/v2.0/companies(%s)/%s", fx->company, rest);
}

static Fx *
fx_new_full (guint       contacts,
             guint64     seed,
             const char *user)
{
  BcsSandboxOptions options;
  g_autoptr(GError) error = NULL;
  Fx *fx = g_new0 (Fx, 1);

  bcs_sandbox_options_init (&options);
  options.bc_contacts = contacts;
  options.seed = seed;
  options.auto_approve = TRUE;
  if (user != NULL)
    {
      g_free (options.user);
      options.user = g_strdup (user);
    }
  fx->sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);
  g_assert_true (bcs_sandbox_start_thread (fx->sandbox, &error));
  g_assert_no_error (error);
  fx->session = soup_session_new_with_options ("timeout", 60, NULL);
  fx->token = get_token (fx, BC_SCOPE);

  if (user == NULL)
    {
      g_autoptr(Reply) reply = call (fx, "GET", "/bc/v2.0/sandbox/production/api/v2.0/companies", NULL, NULL);
      JsonArray *value;

      g_assert_cmpuint (reply->status, ==, 200);
      value = value_of (reply);
      g_assert_cmpuint (json_array_get_length (value), ==, 2);
      fx->company = g_strdup (json_object_get_string_member (json_array_get_object_element (value, 0), "id"));
      fx->company2 = g_strdup (json_object_get_string_member (json_array_get_object_element (value, 1), "id"));
    }
  return fx;
}

static Fx *
fx_new (guint contacts)
{
  return fx_new_full (contacts, 42, NULL);
}

static void
fx_free (Fx *fx)
{
  g_clear_object (&fx->session);
  bcs_sandbox_free (fx->sandbox);
  g_free (fx->token);
  g_free (fx->company);
  g_free (fx->company2);
  g_free (fx->basic);
  g_free (fx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fx, fx_free)

/* Every contact of the first company, following nextLinks */
static JsonArray *
all_contacts (Fx         *fx,
              const char *query,
              const char *page_size)
{
  JsonArray *all = json_array_new ();
  g_autofree char *path = api (fx, "contacts%s", query ? query : "");
  g_autofree char *prefer = page_size ? g_strdup_printf ("odata.maxpagesize=%s", page_size) : NULL;
  const char *headers[] = { "Prefer", prefer, NULL };
  const char *base = bcs_sandbox_get_url (fx->sandbox);

  while (path != NULL)
    {
      g_autoptr(Reply) reply = call (fx, "GET", path, NULL, prefer ? headers : NULL);
      JsonArray *value;
      const char *next;

      g_assert_cmpuint (reply->status, ==, 200);
      value = value_of (reply);
      for (guint i = 0; i < json_array_get_length (value); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (value, i)));
      next = json_object_get_string_member_with_default (obj (reply), "@odata.nextLink", NULL);
      g_clear_pointer (&path, g_free);
      if (next != NULL)
        {
          g_assert_true (g_str_has_prefix (next, base));
          path = g_strdup (next + strlen (base));
        }
    }
  return all;
}

static guint
count_query (Fx         *fx,
             const char *filter)
{
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("?$filter=%s&$select=id", escaped);
  g_autoptr(JsonArray) rows = all_contacts (fx, query, NULL);

  return json_array_get_length (rows);
}

static guint
filter_status (Fx         *fx,
               const char *filter)
{
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);
  g_autofree char *path = api (fx, "contacts?$filter=%s", escaped);
  g_autoptr(Reply) reply = call (fx, "GET", path, NULL, NULL);

  return reply->status;
}

static const char *
str (JsonObject *o,
     const char *name)
{
  return json_object_get_string_member (o, name);
}

/* A new contact through the API; returns the created row's JSON */
static JsonObject *
create (Fx         *fx,
        const char *json)
{
  g_autofree char *path = api (fx, "contacts");
  g_autoptr(Reply) reply = call (fx, "POST", path, json, NULL);

  g_assert_cmpuint (reply->status, ==, 201);
  return json_object_ref (obj (reply));
}

/* ---- environments, companies, authentication ---- */

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
static char *
raw_get (Fx                  *fx,
         const char          *path,
         const char          *prefer,
         SoupMessageHeaders **headers,
         double              *ms)
{
  g_autofree char *url = g_strconcat (bcs_sandbox_get_url (fx->sandbox), path, NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", fx->token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) bytes = NULL;
  gint64 start;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  if (prefer != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Prefer", prefer);
  start = g_get_monotonic_time ();
  bytes = soup_session_send_and_read (fx->session, msg, NULL, NULL);
  if (ms != NULL)
    *ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_nonnull (bytes);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  if (headers != NULL)
    *headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* strstr, without ASan's interceptor measuring the whole haystack per call */
static const char *
find (const char *p,
      const char *needle)
{
  gsize n = strlen (needle);

  for (; *p; p++)
    if (*p == needle[0] && strncmp (p, needle, n) == 0)
      return p;
  return NULL;
}

static guint
count_occurrences (const char *text,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = find (text, needle); p != NULL; p = find (p + 1, needle))
    n++;
  return n;
}

/* The nextLink of a page, as a path below the sandbox's URL, or NULL */
static char *
raw_next_link (Fx         *fx,
               const char *body)
{
  const char *key = "\"@odata.nextLink\":\"";
  const char *p = g_strrstr (body, key);
  const char *base = bcs_sandbox_get_url (fx->sandbox);
  const char *end;

  if (p == NULL)
    return NULL;
  p += strlen (key);
  end = strchr (p, '"');
  g_assert_nonnull (end);
  g_assert_true (g_str_has_prefix (p, base));
  return g_strndup (p + strlen (base), end - p - strlen (base));
}

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

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * 1000000 + g_date_time_get_microsecond (dt);
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

  /* Writes in a burst: each gets a later lastModifiedDateTime than the last */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"displayName\": \"Burst %u\"}", i);
      g_autoptr(JsonObject) row = create (fx, body);
      gint64 t = parse_time (str (row, "lastModifiedDateTime"));

      g_assert_cmpint (t, >, last);
      last = t;
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

static char *
repeat (const char *unit,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_create (void)
{
  static const struct { const char *name; guint max; } limits[] = {
    { "number", 20 }, { "displayName", 100 }, { "jobTitle", 30 }, { "companyName", 100 },
    { "addressLine1", 100 }, { "addressLine2", 50 }, { "city", 30 }, { "state", 30 }, { "country", 10 },
    { "postalCode", 20 }, { "phoneNumber", 30 }, { "mobilePhoneNumber", 30 }, { "email", 80 },
    { "website", 80 }, { "searchName", 100 },
  };
  g_autoptr(Fx) fx = fx_new (10);
  g_autofree char *path = api (fx, "contacts");
  g_autoptr(JsonObject) row = create (fx, "{\"displayName\": \"Zoë Ærø\", \"type\": \"Person\", "
                                          "\"email\": \"zoe@example.com\", \"city\": \"Köln\"}");
  g_autofree char *get_path = api (fx, "contacts(%s)", str (row, "id"));
  g_autoptr(Reply) got = call (fx, "GET", get_path, NULL, NULL);
  g_autofree char *unknown = api (fx, "contacts(11111111-2222-4333-8444-555555555555)");
  g_autoptr(Reply) missing = call (fx, "GET", unknown, NULL, NULL);

  g_assert_true (g_str_has_prefix (str (row, "number"), "CT"));
  g_assert_cmpuint (strlen (str (row, "id")), ==, 36);
  g_assert_cmpstr (str (row, "searchName"), ==, "ZOË ÆRØ");
  g_assert_cmpstr (str (row, "lastInteractionDate"), ==, "0001-01-01");
  g_assert_true (g_str_has_prefix (str (row, "@odata.etag"), "W/\""));
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (str (obj (got), "displayName"), ==, "Zoë Ærø");
  g_assert_cmpstr (str (obj (got), "@odata.etag"), ==, str (row, "@odata.etag"));
  g_assert_cmpstr (soup_message_headers_get_one (got->headers, "ETag"), ==, str (row, "@odata.etag"));
  g_assert_cmpuint (missing->status, ==, 404);

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      /* Lengths count characters, not bytes; the email needs an '@' */
      g_autofree char *exact = repeat ("é", limits[i].max - (g_str_equal (limits[i].name, "email") ? 4 : 0));
      g_autofree char *over = g_strconcat (exact, "é", NULL);
      g_autofree char *suffix = g_str_equal (limits[i].name, "email") ? g_strdup ("@x.y") : g_strdup ("");
      g_autofree char *ok_body = g_strdup_printf ("{\"displayName\": \"Limit %u\", \"%s\": \"%s%s\"}",
                                                  i, limits[i].name, exact, suffix);
      g_autofree char *bad_body = g_strdup_printf ("{\"displayName\": \"Limit %u\", \"%s\": \"%s%s\"}",
                                                   i, limits[i].name, over, suffix);
      g_autofree char *expected = g_strdup_printf ("The length of the string is %u, but it must be less "
                                                   "than or equal to %u characters.",
                                                   limits[i].max + 1, limits[i].max);
      g_autoptr(Reply) ok = NULL;
      g_autoptr(Reply) bad = NULL;

      if (g_str_equal (limits[i].name, "displayName"))
        {
          g_free (ok_body);
          g_free (bad_body);
          ok_body = g_strdup_printf ("{\"displayName\": \"%s\"}", exact);
          bad_body = g_strdup_printf ("{\"displayName\": \"%s\"}", over);
        }
      ok = call (fx, "POST", path, ok_body, NULL);
      bad = call (fx, "POST", path, bad_body, NULL);
      g_assert_cmpuint (ok->status, ==, 201);
      g_assert_cmpuint (bad->status, ==, 400);
      g_assert_cmpstr (error_code (bad), ==, "BadRequest");
      g_assert_true (g_str_has_prefix (error_message (bad), expected));
    }

  {
    g_autoptr(Reply) no_name = call (fx, "POST", path, "{\"type\": \"Person\", \"email\": \"a@b.c\"}", NULL);
    g_autoptr(Reply) bad_type = call (fx, "POST", path, "{\"displayName\": \"X\", \"type\": \"Robot\"}", NULL);
    g_autoptr(Reply) bad_field = call (fx, "POST", path, "{\"displayName\": \"X\", \"nickName\": \"x\"}", NULL);
    g_autoptr(Reply) not_json = call (fx, "POST", path, "[1, 2]", NULL);
    g_autoptr(Reply) bad_mail = call (fx, "POST", path, "{\"displayName\": \"X\", \"email\": \"nope\"}", NULL);

    g_assert_cmpuint (no_name->status, ==, 400);
    g_assert_cmpuint (bad_type->status, ==, 400);
    g_assert_cmpuint (bad_field->status, ==, 400);
    g_assert_cmpstr (error_code (bad_field), ==, "BadRequest_PropertyNotFound");
    g_assert_cmpuint (not_json->status, ==, 400);
    g_assert_cmpuint (bad_mail->status, ==, 400);
  }
}

static void
test_company_link (void)
{
  g_autoptr(Fx) fx = fx_new (0);
  g_autoptr(JsonObject) company = create (fx, "{\"displayName\": \"Linked GmbH\", \"type\": \"Company\"}");
  g_autofree char *body = g_strdup_printf ("{\"displayName\": \"Pia Link\", \"type\": \"Person\", "
                                           "\"companyNumber\": \"%s\"}", str (company, "number"));
  g_autoptr(JsonObject) person = create (fx, body);
  g_autofree char *path = api (fx, "contacts");
  g_autoptr(Reply) dangling = call (fx, "POST", path, "{\"displayName\": \"Nobody\", \"type\": \"Person\", "
                                                      "\"companyNumber\": \"CT999999\"}", NULL);
  g_autoptr(Reply) duplicate = NULL;
  g_autofree char *dup_body = g_strdup_printf ("{\"displayName\": \"Dup\", \"number\": \"%s\"}",
                                               str (company, "number"));

  g_assert_cmpstr (str (company, "companyNumber"), ==, str (company, "number"));
  g_assert_cmpstr (str (company, "companyName"), ==, "Linked GmbH");
  g_assert_cmpstr (str (person, "companyName"), ==, "Linked GmbH");
  g_assert_cmpuint (dangling->status, ==, 400);
  duplicate = call (fx, "POST", path, dup_body, NULL);
  g_assert_cmpuint (duplicate->status, ==, 400);
}

static void
test_concurrency (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(JsonObject) row = create (fx, "{\"displayName\": \"Ida Etag\", \"type\": \"Person\"}");
  g_autofree char *path = api (fx, "contacts(%s)", str (row, "id"));
  const char *old_etag = str (row, "@odata.etag");
  const char *with_old[] = { "If-Match", old_etag, NULL };
  const char *star[] = { "If-Match", "*", NULL };
  g_autoptr(Reply) none = call (fx, "PATCH", path, "{\"city\": \"Bonn\"}", NULL);
  g_autoptr(Reply) ok = call (fx, "PATCH", path, "{\"city\": \"Bonn\"}", with_old);
  g_autoptr(Reply) stale = call (fx, "PATCH", path, "{\"city\": \"Köln\"}", with_old);
  g_autoptr(Reply) starred = call (fx, "PATCH", path, "{\"city\": \"Köln\"}", star);
  g_autoptr(Reply) del_none = call (fx, "DELETE", path, NULL, NULL);
  g_autoptr(Reply) del_stale = call (fx, "DELETE", path, NULL, with_old);
  g_autoptr(Reply) del_star = NULL;
  g_autoptr(Reply) gone = NULL;

  g_assert_cmpuint (none->status, ==, 400);
  g_assert_cmpstr (error_code (none), ==, "BadRequest_InvalidToken");
  g_assert_true (g_str_has_prefix (error_message (none), "Could not validate the client concurrency token "
                                                         "required by the service. Please provide a valid "
                                                         "token in the client request."));
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (str (obj (ok), "city"), ==, "Bonn");
  g_assert_cmpstr (str (obj (ok), "@odata.etag"), !=, old_etag);
  g_assert_cmpint (parse_time (str (obj (ok), "lastModifiedDateTime")), >,
                   parse_time (str (row, "lastModifiedDateTime")));
  g_assert_cmpuint (stale->status, ==, 409);
  g_assert_cmpstr (error_code (stale), ==, "Request_EntityChanged");
  g_assert_true (g_str_has_prefix (error_message (stale), "Another user has already changed the record."));
  g_assert_cmpuint (starred->status, ==, 200);
  g_assert_cmpstr (str (obj (starred), "city"), ==, "Köln");
  g_assert_cmpuint (del_none->status, ==, 400);
  g_assert_cmpstr (error_code (del_none), ==, "BadRequest_InvalidToken");
  g_assert_cmpuint (del_stale->status, ==, 409);
  del_star = call (fx, "DELETE", path, NULL, star);
  g_assert_cmpuint (del_star->status, ==, 204);
  gone = call (fx, "GET", path, NULL, NULL);
  g_assert_cmpuint (gone->status, ==, 404);
}

static void
test_enum_encoding (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(Reply) made = call (fx, "POST", "/_sandbox/bc/contacts",
                                "{\"displayName\": \"Sparkasse Test\", \"type\": \"Company\", "
                                "\"contactBusinessRelation\": \"Bank_x0020_Account\"}", NULL);
  g_autoptr(Reply) spaced = call (fx, "POST", "/_sandbox/bc/contacts",
                                  "{\"displayName\": \"Spaced\", \"contactBusinessRelation\": \"Bank Account\"}", NULL);
  g_autoptr(JsonObject) via_api = create (fx, "{\"displayName\": \"Read-only relation\", "
                                              "\"contactBusinessRelation\": \"Vendor\"}");

  g_assert_cmpuint (made->status, ==, 201);
  g_assert_cmpstr (str (obj (made), "contactBusinessRelation"), ==, "Bank_x0020_Account");
  g_assert_cmpuint (count_query (fx, "contactBusinessRelation eq 'Bank_x0020_Account' and "
                                     "displayName eq 'Sparkasse Test'"), ==, 1);
  g_assert_cmpuint (spaced->status, ==, 400);
  /* The relation is computed in BC: the API does not set it */
  g_assert_cmpstr (str (via_api, "contactBusinessRelation"), ==, "None");
}

/* ---- $batch ---- */

static char *
batch_path (Fx *fx)
{
  return g_strdup ("/bc/v2.0/sandbox/production/api/v2.0/$batch");
}

static JsonArray *
batch (Fx          *fx,
       const char  *body,
       gboolean     snapshot,
       guint       *status)
{
  g_autofree char *path = batch_path (fx);
  const char *headers[] = { "Isolation", "snapshot", NULL };
  g_autoptr(Reply) reply = call (fx, "POST", path, body, snapshot ? headers : NULL);

  *status = reply->status;
  if (reply->status != 200)
    return NULL;
  return json_array_ref (json_object_get_array_member (obj (reply), "responses"));
}

static guint
item_status (JsonArray *responses,
             guint      i)
{
  return (guint) json_object_get_int_member (json_array_get_object_element (responses, i), "status");
}

static char *
batch_of_gets (Fx   *fx,
               guint n)
{
  GString *body = g_string_new ("{\"requests\": [");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (body, "%s{\"id\": \"%u\", \"method\": \"GET\", "
                            "\"url\": \"companies(%s)/contacts?$top=1\"}",
                            i ? ", " : "", i, fx->company);
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

static void
test_batch_limit (void)
{
  g_autoptr(Fx) fx = fx_new (5);
  g_autofree char *over_body = batch_of_gets (fx, 101);
  g_autofree char *ok_body = batch_of_gets (fx, 100);
  g_autoptr(JsonArray) over = NULL;
  g_autoptr(JsonArray) ok = NULL;
  guint status = 0;

  over = batch (fx, over_body, FALSE, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_null (over);

  ok = batch (fx, ok_body, FALSE, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (ok), ==, 100);
  for (guint i = 0; i < 100; i++)
    {
      JsonObject *item = json_array_get_object_element (ok, i);

      g_assert_cmpuint (item_status (ok, i), ==, 200);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                          json_object_get_object_member (item, "body"), "value")), ==, 1);
    }
}

static void
test_batch_mixed (void)
{
  g_autoptr(Fx) fx = fx_new (5);
  g_autofree char *body = g_strdup_printf (
    "{\"requests\": ["
    "{\"id\": \"a\", \"method\": \"POST\", \"url\": \"companies(%s)/contacts\", "
    "\"headers\": {\"Content-Type\": \"application/json\"}, \"body\": {\"displayName\": \"Batch One\"}},"
    "{\"id\": \"b\", \"method\": \"POST\", \"url\": \"companies(%s)/contacts\", "
    "\"headers\": {\"Content-Type\": \"application/json\"}, \"body\": {\"jobTitle\": \"no name\"}},"
    "{\"id\": \"c\", \"method\": \"GET\", \"url\": \"companies(%s)/contacts(11111111-2222-4333-8444-555555555555)\"},"
    "{\"id\": \"d\", \"method\": \"PATCH\", \"url\": \"companies(%s)/contacts(11111111-2222-4333-8444-555555555555)\", "
    "\"body\": {\"city\": \"x\"}}]}",
    fx->company, fx->company, fx->company, fx->company);
  guint status = 0;
  g_autoptr(JsonArray) responses = batch (fx, body, FALSE, &status);
  JsonObject *first;

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (item_status (responses, 0), ==, 201);
  g_assert_cmpuint (item_status (responses, 1), ==, 400);
  g_assert_cmpuint (item_status (responses, 2), ==, 404);
  g_assert_cmpuint (item_status (responses, 3), ==, 404);
  first = json_array_get_object_element (responses, 0);
  g_assert_cmpstr (str (first, "id"), ==, "a");
  g_assert_cmpstr (str (json_object_get_object_member (first, "body"), "displayName"), ==, "Batch One");
  g_assert_cmpuint (count_query (fx, "displayName eq 'Batch One'"), ==, 1);
}

static void
test_batch_snapshot (void)
{
  g_autoptr(Fx) fx = fx_new (20);
  g_autoptr(JsonArray) before = all_contacts (fx, NULL, NULL);
  JsonObject *victim = json_array_get_object_element (before, 3);
  JsonObject *deleted = json_array_get_object_element (before, 4);
  g_autofree char *ops = g_strdup_printf (
    "{\"id\": \"1\", \"method\": \"POST\", \"url\": \"companies(%s)/contacts\", \"body\": {\"displayName\": \"Snap New\"}},"
    "{\"id\": \"2\", \"method\": \"PATCH\", \"url\": \"companies(%s)/contacts(%s)\", "
    "\"headers\": {\"If-Match\": \"*\"}, \"body\": {\"city\": \"Snapcity\"}},"
    "{\"id\": \"3\", \"method\": \"DELETE\", \"url\": \"companies(%s)/contacts(%s)\", \"headers\": {\"If-Match\": \"*\"}}",
    fx->company, fx->company, str (victim, "id"), fx->company, str (deleted, "id"));
  g_autofree char *failing = g_strdup_printf ("{\"requests\": [%s, {\"id\": \"4\", \"method\": \"POST\", "
                                              "\"url\": \"companies(%s)/contacts\", \"body\": {\"city\": \"x\"}}]}",
                                              ops, fx->company);
  g_autofree char *passing = g_strdup_printf ("{\"requests\": [%s]}", ops);
  g_autoptr(JsonArray) rolled = NULL;
  g_autoptr(JsonArray) after = NULL;
  g_autoptr(JsonArray) applied = NULL;
  guint status = 0;

  rolled = batch (fx, failing, TRUE, &status);
  g_assert_cmpuint (status, ==, 200);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (item_status (rolled, i), ==, 424);
  g_assert_cmpuint (item_status (rolled, 3), ==, 400);

  /* Nothing changed: same rows, same etags */
  after = all_contacts (fx, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (after), ==, json_array_get_length (before));
  for (guint i = 0; i < json_array_get_length (after); i++)
    {
      JsonObject *a = json_array_get_object_element (before, i);
      JsonObject *b = json_array_get_object_element (after, i);

      g_assert_cmpstr (str (a, "id"), ==, str (b, "id"));
      g_assert_cmpstr (str (a, "@odata.etag"), ==, str (b, "@odata.etag"));
      g_assert_cmpstr (str (a, "city"), ==, str (b, "city"));
    }

  applied = batch (fx, passing, TRUE, &status);
  g_assert_cmpuint (item_status (applied, 0), ==, 201);
  g_assert_cmpuint (item_status (applied, 1), ==, 200);
  g_assert_cmpuint (item_status (applied, 2), ==, 204);
  g_assert_cmpuint (count_query (fx, "displayName eq 'Snap New' or city eq 'Snapcity'"), ==, 2);
}

static void
test_batch_throttled (void)
{
  g_autoptr(Fx) fx = fx_new (20);
  g_autoptr(JsonArray) rows = all_contacts (fx, "?$top=2", NULL);
  const char *id0 = str (json_array_get_object_element (rows, 0), "id");
  const char *id1 = str (json_array_get_object_element (rows, 1), "id");
  g_autofree char *rule = g_strdup_printf ("{\"rules\": [{\"service\": \"bc\", \"path\": \"contacts(%s)\", "
                                           "\"status\": 429, \"retry_after\": \"2.5\", \"count\": 1}]}", id0);
  g_autofree char *body = g_strdup_printf (
    "{\"requests\": [{\"id\": \"1\", \"method\": \"GET\", \"url\": \"companies(%s)/contacts(%s)\"},"
    "{\"id\": \"2\", \"method\": \"GET\", \"url\": \"companies(%s)/contacts(%s)\"}]}",
    fx->company, id0, fx->company, id1);
  g_autoptr(Reply) set = call (fx, "POST", "/_sandbox/faults", rule, NULL);
  guint status = 0;
  g_autoptr(JsonArray) responses = batch (fx, body, FALSE, &status);
  g_autoptr(JsonArray) again = batch (fx, body, FALSE, &status);
  JsonObject *headers;

  g_assert_cmpuint (set->status, ==, 200);
  g_assert_cmpuint (item_status (responses, 0), ==, 429);
  headers = json_object_get_object_member (json_array_get_object_element (responses, 0), "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "retry-after"), ==, "2.5");
  g_assert_cmpuint (item_status (responses, 1), ==, 200);
  /* count 1: the next batch passes */
  g_assert_cmpuint (item_status (again, 0), ==, 200);
}

/* ---- control API, faults, state, seeding ---- */

static void
test_control (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(Reply) made = call (fx, "POST", "/_sandbox/bc/contacts",
                                "{\"displayName\": \"Ctl Person\", \"type\": \"Person\", \"city\": \"Graz\"}", NULL);
  g_autofree char *second_body = g_strdup_printf ("{\"displayName\": \"Ctl Two\", \"companyId\": \"%s\"}",
                                                  fx->company2);
  g_autoptr(Reply) made2 = call (fx, "POST", "/_sandbox/bc/contacts", second_body, NULL);
  const char *id = str (obj (made), "id");
  g_autofree char *ctl = g_strdup_printf ("/_sandbox/bc/contacts/%s", id);
  g_autofree char *path = api (fx, "contacts(%s)", id);
  g_autoptr(Reply) seen = call (fx, "GET", path, NULL, NULL);
  g_autoptr(Reply) edited = call (fx, "PATCH", ctl, "{\"city\": \"Linz\"}", NULL);
  g_autoptr(Reply) seen2 = call (fx, "GET", path, NULL, NULL);
  const char *stale[] = { "If-Match", str (obj (seen), "@odata.etag"), NULL };
  g_autoptr(Reply) client = call (fx, "PATCH", path, "{\"city\": \"Wels\"}", stale);
  g_autofree char *p2 = g_strdup_printf ("/bc/v2.0/sandbox/production/api/v2.0/companies(%s)/contacts(%s)",
                                         fx->company2, str (obj (made2), "id"));
  g_autoptr(Reply) in_second = call (fx, "GET", p2, NULL, NULL);
  g_autoptr(Reply) removed = call (fx, "DELETE", ctl, NULL, NULL);
  g_autoptr(Reply) gone = call (fx, "GET", path, NULL, NULL);

  g_assert_cmpuint (made->status, ==, 201);
  g_assert_cmpuint (seen->status, ==, 200);
  g_assert_cmpstr (str (obj (seen), "city"), ==, "Graz");
  g_assert_cmpuint (edited->status, ==, 200);
  g_assert_cmpstr (str (obj (seen2), "city"), ==, "Linz");
  g_assert_cmpstr (str (obj (seen2), "@odata.etag"), !=, str (obj (seen), "@odata.etag"));
  g_assert_cmpint (parse_time (str (obj (seen2), "lastModifiedDateTime")), >,
                   parse_time (str (obj (seen), "lastModifiedDateTime")));
  g_assert_cmpuint (client->status, ==, 409);
  g_assert_cmpuint (in_second->status, ==, 200);
  g_assert_cmpuint (removed->status, ==, 204);
  g_assert_cmpuint (gone->status, ==, 404);
}

static void
test_change_etag_fault (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(JsonArray) rows = all_contacts (fx, "?$top=1", NULL);
  JsonObject *row = json_array_get_object_element (rows, 0);
  g_autofree char *rule = g_strdup_printf ("{\"rules\": [{\"service\": \"bc\", \"path\": \"contacts(%s)\", "
                                           "\"kind\": \"change-etag\", \"count\": 1}]}", str (row, "id"));
  g_autoptr(Reply) set = call (fx, "POST", "/_sandbox/faults", rule, NULL);
  g_autofree char *path = api (fx, "contacts(%s)", str (row, "id"));
  const char *if_match[] = { "If-Match", str (row, "@odata.etag"), NULL };
  g_autoptr(Reply) patched = call (fx, "PATCH", path, "{\"city\": \"Faultville\"}", if_match);
  g_autoptr(Reply) now = call (fx, "GET", path, NULL, NULL);

  g_assert_cmpuint (set->status, ==, 200);
  g_assert_cmpuint (patched->status, ==, 409);
  g_assert_cmpstr (str (obj (now), "@odata.etag"), !=, str (row, "@odata.etag"));
  g_assert_cmpstr (str (obj (now), "city"), !=, "Faultville");
}

static char *
bc_state (Fx *fx)
{
  g_autoptr(Reply) reply = call (fx, "GET", "/_sandbox/state", NULL, NULL);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  g_assert_cmpuint (reply->status, ==, 200);
  json_node_set_object (node, json_object_get_object_member (obj (reply), "bc"));
  return json_to_string (node, FALSE);
}

static void
test_state_roundtrip (void)
{
  g_autoptr(Fx) a = fx_new (50);
  g_autoptr(Fx) b = fx_new_full (0, 9, NULL);
  g_autofree char *state = NULL;
  g_autofree char *wrapped = NULL;
  g_autofree char *copied = NULL;
  g_autoptr(Reply) put = NULL;
  g_autoptr(JsonObject) row = NULL;

  json_object_unref (create (a, "{\"displayName\": \"Roundtrip\", \"privacyBlocked\": true}"));
  state = bc_state (a);
  wrapped = g_strdup_printf ("{\"bc\": %s}", state);
  put = call (b, "POST", "/_sandbox/state", wrapped, NULL);
  g_assert_cmpuint (put->status, ==, 200);
  copied = bc_state (b);
  g_assert_cmpstr (copied, ==, state);

  /* The copy keeps working: new writes get later times and new etags */
  g_free (b->company);
  b->company = g_strdup (a->company);
  row = create (b, "{\"displayName\": \"After load\"}");
  g_assert_cmpuint (count_query (b, "displayName eq 'Roundtrip' and privacyBlocked eq true"), ==, 1);
  g_assert_cmpuint (count_query (b, "startswith(number,'CT')"), ==, 52);
}

static gboolean
is_ascii (const char *s)
{
  for (; *s; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static void
test_seed (void)
{
  static const char * const relations[] = { "_x0020_", "None", "Customer", "Vendor", "Bank_x0020_Account",
                                            "Employee", "Multiple", NULL };
  static const struct { const char *name; guint max; } limits[] = {
    { "displayName", 100 }, { "jobTitle", 30 }, { "companyName", 100 }, { "addressLine1", 100 },
    { "addressLine2", 50 }, { "city", 30 },
  };
  g_autoptr(Fx) a = fx_new_full (500, 7, NULL);
  g_autoptr(Fx) b = fx_new_full (500, 7, NULL);
  g_autoptr(Fx) c = fx_new_full (500, 8, NULL);
  g_autofree char *sa = bc_state (a);
  g_autofree char *sb = bc_state (b);
  g_autofree char *sc = bc_state (c);
  g_autoptr(JsonArray) all = NULL;
  g_autoptr(GHashTable) countries = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) companies = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) emails = NULL;
  guint persons = 0, orgs = 0, no_email = 0, blocked = 0, non_ascii = 0, at_limit = 0, linked = 0;

  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpstr (sa, !=, sc);

  all = all_contacts (a, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (all), ==, 500);
  for (guint i = 0; i < 500; i++)
    {
      JsonObject *o = json_array_get_object_element (all, i);
      const char *type = str (o, "type");

      if (g_str_equal (type, "Person"))
        {
          persons++;
          if (*str (o, "companyNumber") != '\0')
            {
              linked++;
              g_assert_true (g_hash_table_contains (companies, str (o, "companyNumber")));
            }
        }
      else
        {
          orgs++;
          g_assert_cmpstr (type, ==, "Company");
          g_hash_table_add (companies, (gpointer) str (o, "number"));
        }
      no_email += *str (o, "email") == '\0';
      blocked += json_object_get_boolean_member (o, "privacyBlocked");
      non_ascii += !is_ascii (str (o, "displayName"));
      g_hash_table_add (countries, (gpointer) str (o, "country"));
      g_assert_true (g_strv_contains (relations, str (o, "contactBusinessRelation")));
      for (guint j = 0; j < G_N_ELEMENTS (limits); j++)
        {
          glong len = g_utf8_strlen (str (o, limits[j].name), -1);

          g_assert_cmpint (len, <=, limits[j].max);
          at_limit += len == (glong) limits[j].max;
        }
      g_assert_cmpstr (str (o, "searchName"), !=, "");
    }
  g_test_message ("500 seeded: %u persons, %u companies, %u without e-mail, %u privacy-blocked, "
                  "%u non-ASCII names, %u values at a length limit, %u countries",
                  persons, orgs, no_email, blocked, non_ascii, at_limit, g_hash_table_size (countries));
  g_assert_cmpuint (persons, >=, 370);
  g_assert_cmpuint (persons, <=, 430);
  g_assert_cmpuint (linked, >=, persons / 2);
  g_assert_cmpuint (no_email, >=, 15);
  g_assert_cmpuint (no_email, <=, 70);
  g_assert_cmpuint (blocked, >=, 4);
  g_assert_cmpuint (blocked, <=, 35);
  g_assert_cmpuint (non_ascii, >=, 25);
  g_assert_cmpuint (at_limit, >=, 3);
  g_assert_cmpuint (g_hash_table_size (countries), >=, 5);

  /* The second company has a handful */
  {
    g_autofree char *p = g_strdup_printf ("/bc/v2.0/sandbox/production/api/v2.0/companies(%s)/contacts",
                                          a->company2);
    g_autoptr(Reply) reply = call (a, "GET", p, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (value_of (reply)), ==, 5);
  }

  /* Sample e-mails: persons' addresses, in order */
  emails = bcs_sb_bc_sample_emails (a->sandbox->bc, 10);
  g_assert_cmpuint (g_strv_length (emails), ==, 10);
  for (guint i = 0; emails[i] != NULL; i++)
    {
      g_autofree char *q = g_strdup_printf ("email eq '%s' and type eq 'Person'", emails[i]);

      g_assert_cmpuint (count_query (a, q), >=, 1);
    }
}

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
  g_test_add_func ("/sandbox-bc/create", test_create);
  g_test_add_func ("/sandbox-bc/company-link", test_company_link);
  g_test_add_func ("/sandbox-bc/if-match", test_concurrency);
  g_test_add_func ("/sandbox-bc/enum-encoding", test_enum_encoding);
  g_test_add_func ("/sandbox-bc/batch-limit", test_batch_limit);
  g_test_add_func ("/sandbox-bc/batch-mixed", test_batch_mixed);
  g_test_add_func ("/sandbox-bc/batch-snapshot", test_batch_snapshot);
  g_test_add_func ("/sandbox-bc/batch-throttled", test_batch_throttled);
  g_test_add_func ("/sandbox-bc/control", test_control);
  g_test_add_func ("/sandbox-bc/change-etag-fault", test_change_etag_fault);
  g_test_add_func ("/sandbox-bc/state-roundtrip", test_state_roundtrip);
  g_test_add_func ("/sandbox-bc/seed", test_seed);

  return g_test_run ();
}
