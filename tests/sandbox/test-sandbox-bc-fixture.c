/* test-sandbox-bc-fixture.c — see test-sandbox-bc-fixture.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-sandbox-bc-fixture.h"

void
reply_free (Reply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

/* A blocking request; HEADERS are name, value pairs ending in NULL. Sends
 * the bearer token unless an Authorization header is given ("" for none). */
Reply *
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

JsonObject *
obj (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

JsonArray *
value_of (Reply *reply)
{
  return json_object_get_array_member (obj (reply), "value");
}

const char *
error_code (Reply *reply)
{
  return json_object_get_string_member (json_object_get_object_member (obj (reply), "error"), "code");
}

const char *
error_message (Reply *reply)
{
  return json_object_get_string_member (json_object_get_object_member (obj (reply), "error"), "message");
}

char *
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

char *
api (Fx         *fx,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

/* A path below the online API root of the first company: "contacts?…" */
char *
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

Fx *
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

Fx *
fx_new (guint contacts)
{
  return fx_new_full (contacts, 42, NULL);
}

void
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

/* Every contact of the first company, following nextLinks */
JsonArray *
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

guint
count_query (Fx         *fx,
             const char *filter)
{
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("?$filter=%s&$select=id", escaped);
  g_autoptr(JsonArray) rows = all_contacts (fx, query, NULL);

  return json_array_get_length (rows);
}

guint
filter_status (Fx         *fx,
               const char *filter)
{
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);
  g_autofree char *path = api (fx, "contacts?$filter=%s", escaped);
  g_autoptr(Reply) reply = call (fx, "GET", path, NULL, NULL);

  return reply->status;
}

const char *
str (JsonObject *o,
     const char *name)
{
  return json_object_get_string_member (o, name);
}

/* A new contact through the API; returns the created row's JSON */
JsonObject *
create (Fx         *fx,
        const char *json)
{
  g_autofree char *path = api (fx, "contacts");
  g_autoptr(Reply) reply = call (fx, "POST", path, json, NULL);

  g_assert_cmpuint (reply->status, ==, 201);
  return json_object_ref (obj (reply));
}

/* ---- environments, companies, authentication ---- */

char *
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
const char *
find (const char *p,
      const char *needle)
{
  gsize n = strlen (needle);

  for (; *p; p++)
    if (*p == needle[0] && strncmp (p, needle, n) == 0)
      return p;
  return NULL;
}

guint
count_occurrences (const char *text,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = find (text, needle); p != NULL; p = find (p + 1, needle))
    n++;
  return n;
}

/* The nextLink of a page, as a path below the sandbox's URL, or NULL */
char *
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

gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * 1000000 + g_date_time_get_microsecond (dt);
}

char *
bc_state (Fx *fx)
{
  g_autoptr(Reply) reply = call (fx, "GET", "/_sandbox/state", NULL, NULL);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  g_assert_cmpuint (reply->status, ==, 200);
  json_node_set_object (node, json_object_get_object_member (obj (reply), "bc"));
  return json_to_string (node, FALSE);
}
