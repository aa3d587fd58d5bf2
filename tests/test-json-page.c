/* test-json-page.c — scanning a list page without a tree (bcs-json-page.c) */
#include "config.h"

#include <string.h>

#include "bcs-error.h"
#include "bcs-json-page.h"
#include "net-test-support.h"

/* TEXT in a buffer of exactly its length, so ASan sees a read past the end */
static GBytes *
exact_bytes (const char *text,
             gsize       length)
{
  return g_bytes_new_take (g_memdup2 (text, length), length);
}

static BcsJsonPage *
scan_text (const char  *text,
           GError     **error)
{
  g_autoptr(GBytes) bytes = exact_bytes (text, strlen (text));

  return bcs_json_page_scan (bytes, error);
}

/* TEXT scans and agrees with json-glib's whole parse: the elements of
 * "value" (each and as slices of 2), the links */
static BcsJsonPage *
check_page (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) whole = json_parser_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  BcsJsonPage *page;
  JsonObject *object;
  JsonNode *value;
  guint n;

  page = scan_text (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_true (json_parser_load_from_data (whole, text, -1, &error));
  g_assert_no_error (error);

  g_assert_true (bcs_json_page_is_object (page));
  object = json_node_get_object (json_parser_get_root (whole));
  value = json_object_get_member (object, "value");
  g_assert_cmpint (bcs_json_page_has_value (page), ==, value != NULL);
  g_assert_cmpint (bcs_json_page_value_is_array (page), ==, value != NULL && JSON_NODE_HOLDS_ARRAY (value));

  n = bcs_json_page_get_n_elements (page);
  if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      g_assert_cmpuint (n, ==, json_array_get_length (array));
      for (guint first = 0; first < n; first += 2)
        {
          g_autoptr(JsonArray) slice = bcs_json_page_parse_slice (page, parser, first, 2, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (json_array_get_length (slice), ==, MIN (2, n - first));
          for (guint i = 0; i < json_array_get_length (slice); i++)
            g_assert_true (json_node_equal (json_array_get_element (slice, i),
                                            json_array_get_element (array, first + i)));
        }
    }
  else
    g_assert_cmpuint (n, ==, 0);

  g_assert_cmpstr (bcs_json_page_get_next_link (page), ==,
                   json_object_has_member (object, "@odata.nextLink") &&
                   JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "@odata.nextLink"))
                   ? json_object_get_string_member (object, "@odata.nextLink") : NULL);
  g_assert_cmpstr (bcs_json_page_get_delta_link (page), ==,
                   json_object_has_member (object, "@odata.deltaLink") &&
                   JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "@odata.deltaLink"))
                   ? json_object_get_string_member (object, "@odata.deltaLink") : NULL);
  return page;
}

static void
test_nested (void)
{
  g_autoptr(BcsJsonPage) page =
    check_page ("{\"@odata.context\": {\"a\": [1, {\"value\": [9]}]},"
                " \"value\": [{\"id\": \"1\", \"tags\": [[1, 2], {\"x\": {\"y\": [true, false, null]}}]},"
                " [], {}, 12, -0.5e+3, \"s\", null, [[[[]]]]],"
                " \"@odata.nextLink\": \"https://bc/contacts?$skiptoken=2\"}");

  g_assert_cmpuint (bcs_json_page_get_n_elements (page), ==, 8);
  g_assert_cmpstr (bcs_json_page_get_next_link (page), ==, "https://bc/contacts?$skiptoken=2");
  g_assert_null (bcs_json_page_get_delta_link (page));
}

static void
test_strings (void)
{
  g_autoptr(BcsJsonPage) page =
    check_page ("{\"value\": [{\"name\": \"say \\\"hi\\\" ] } [ {\", \"path\": \"C:\\\\dir\\\\\"},"
                " {\"u\": \"caf\\u00e9 \\ud83d\\ude00 \\/ \\b\\f\\n\\r\\t\", \"raw\": \"\xf0\x9f\x98\x80 \xe6\x97\xa5\"},"
                " \"]\", \"\\\\\", \"}\\\"\"],"
                " \"@odata.deltaLink\": \"https://graph/delta?token=a\\u0026b\\/\\ud83d\\ude00\"}");
  gsize length;
  const char *element;

  g_assert_cmpuint (bcs_json_page_get_n_elements (page), ==, 5);
  element = bcs_json_page_get_element (page, 2, &length);
  g_assert_cmpmem (element, length, "\"]\"", 3);
  element = bcs_json_page_get_element (page, 4, &length);
  g_assert_cmpmem (element, length, "\"}\\\"\"", 5);
  g_assert_cmpstr (bcs_json_page_get_delta_link (page), ==, "https://graph/delta?token=a&b/\xf0\x9f\x98\x80");
}

static void
test_empty_array (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsJsonPage) page = check_page ("{\"value\":[]}");
  g_autoptr(JsonArray) slice = NULL;

  g_assert_true (bcs_json_page_value_is_array (page));
  g_assert_cmpuint (bcs_json_page_get_n_elements (page), ==, 0);
  slice = bcs_json_page_parse_slice (page, parser, 0, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (slice), ==, 0);
}

static void
test_missing_value (void)
{
  g_autoptr(BcsJsonPage) page = check_page ("{\"error\": {\"code\": \"x\", \"value\": [1]}}");
  g_autoptr(BcsJsonPage) not_array = check_page ("{\"value\": {\"a\": [1, 2]}, \"@odata.nextLink\": 5}");
  g_autoptr(BcsJsonPage) empty = check_page ("{}");

  g_assert_false (bcs_json_page_has_value (page));
  g_assert_true (bcs_json_page_has_value (not_array));
  g_assert_false (bcs_json_page_value_is_array (not_array));
  g_assert_null (bcs_json_page_get_next_link (not_array));
  g_assert_false (bcs_json_page_has_value (empty));
}

static void
test_link_order (void)
{
  g_autoptr(BcsJsonPage) before = check_page ("{\"@odata.nextLink\": \"n1\", \"value\": [1, 2]}");
  g_autoptr(BcsJsonPage) after = check_page ("{\"value\": [1, 2], \"@odata.nextLink\": \"n2\","
                                             " \"@odata.deltaLink\": \"d2\"}");
  /* An escaped member name is still the member */
  g_autoptr(BcsJsonPage) escaped = check_page ("{\"\\u0040odata.nextLink\": \"n3\", \"val\\u0075e\": [3]}");

  g_assert_cmpstr (bcs_json_page_get_next_link (before), ==, "n1");
  g_assert_cmpstr (bcs_json_page_get_next_link (after), ==, "n2");
  g_assert_cmpstr (bcs_json_page_get_delta_link (after), ==, "d2");
  g_assert_cmpstr (bcs_json_page_get_next_link (escaped), ==, "n3");
  g_assert_cmpuint (bcs_json_page_get_n_elements (escaped), ==, 1);
}

static void
test_whitespace (void)
{
  g_autoptr(BcsJsonPage) page =
    check_page (" \r\n\t{ \n\"value\" \t:\r [ \n{ \"a\" : [ 1 , 2 ] } \n, \t\"b\" ,\r\n3 ] ,"
                "\n \"@odata.nextLink\"\t: \"x\" \n} \n\t ");
  gsize length;
  const char *element;

  g_assert_cmpuint (bcs_json_page_get_n_elements (page), ==, 3);
  element = bcs_json_page_get_element (page, 0, &length);
  g_assert_cmpmem (element, length, "{ \"a\" : [ 1 , 2 ] }", 19);
  element = bcs_json_page_get_element (page, 2, &length);
  g_assert_cmpmem (element, length, "3", 1);
}

static void
test_truncated (void)
{
  const char *text = "{\"value\": [{\"id\": \"a\\\"\\u00e9]\", \"n\": [1, -2.5e3, true, false, null]},"
                     " {\"x\": {}}], \"@odata.nextLink\": \"https://x/\\u0041?a=1\"}";
  gsize size = strlen (text);

  for (gsize length = 0; length < size; length++)
    {
      g_autoptr(GBytes) bytes = exact_bytes (text, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(BcsJsonPage) page = bcs_json_page_scan (bytes, &error);

      if (page != NULL)
        g_error ("a page cut at byte %" G_GSIZE_FORMAT " was accepted", length);
      g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
    }

  {
    g_autoptr(BcsJsonPage) whole = check_page (text);

    g_assert_cmpstr (bcs_json_page_get_next_link (whole), ==, "https://x/A?a=1");
  }
}

static void
test_malformed (void)
{
  const char *bad[] = {
    "{\"value\": [1, 2,]}",
    "{\"value\": [1 2]}",
    "{\"value\": [01]}",
    "{\"value\": [1.]}",
    "{\"value\": [-]}",
    "{\"value\": [1e]}",
    "{\"value\": [tru]}",
    "{\"value\": [nul1]}",
    "{\"value\": [\"\\x\"]}",
    "{\"value\": [\"\\u12g4\"]}",
    "{\"value\": [\"a\nb\"]}",
    "{\"value\": [{\"a\" 1}]}",
    "{\"value\": [{\"a\": 1,}]}",
    "{\"value\": [{1: 1}]}",
    "{\"value\": [1]]}",
    "{\"value\": [1]} x",
    "{\"value\": [1]}{}",
    "{\"value\": [1], }",
    "{\"value\" [1]}",
    "{'value': [1]}",
    "[1, 2",
    "",
    "   ",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BcsJsonPage) page = scan_text (bad[i], &error);

      if (page != NULL)
        g_error ("accepted: %s", bad[i]);
      g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BcsJsonPage) array = scan_text ("[{\"value\": [1]}]", &error);

    g_assert_no_error (error);
    g_assert_false (bcs_json_page_is_object (array));
    g_assert_false (bcs_json_page_has_value (array));
  }
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) text = g_string_new ("{\"value\": [");
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsJsonPage) page = NULL;

  /* Far deeper than any page: refused, without running out of stack */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  page = scan_text (text->str, &error);
  g_assert_null (page);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
}

static void
test_slices_20000 (void)
{
  g_autoptr(GString) text = g_string_new ("{\"@odata.context\": \"ctx\", \"value\": [");
  g_autoptr(JsonParser) whole = json_parser_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsJsonPage) page = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonArray *array;
  guint index = 0;

  /* Small rows (the test runs under ASan too), some of them nested */
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "%s{\"id\": \"%08x\", \"s\": \"N\\u00e4 \\\"%u\\\" [x]\"%s}",
                            i > 0 ? ",\n" : "", i, i,
                            i % 100 == 0 ? ", \"t\": [1.5, {\"b\": null}, true]" : "");
  g_string_append (text, "], \"@odata.nextLink\": \"next?$skiptoken=20000\"}");

  bytes = exact_bytes (text->str, text->len);
  page = bcs_json_page_scan (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (whole, text->str, (gssize) text->len, &error));
  g_assert_no_error (error);
  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (whole)), "value");

  g_assert_cmpuint (bcs_json_page_get_n_elements (page), ==, 20000);
  for (guint first = 0; first < 20000; first += 500)
    {
      g_autoptr(JsonArray) slice = bcs_json_page_parse_slice (page, parser, first, 500, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (slice), ==, 500);
      for (guint i = 0; i < 500; i++, index++)
        g_assert_true (json_node_equal (json_array_get_element (slice, i),
                                        json_array_get_element (array, index)));
    }
  g_assert_cmpuint (index, ==, json_array_get_length (array));
  g_assert_cmpstr (bcs_json_page_get_next_link (page), ==, "next?$skiptoken=20000");

  {
    /* A slice past the end is clamped */
    g_autoptr(JsonArray) tail = bcs_json_page_parse_slice (page, parser, 19900, 500, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (tail), ==, 100);
  }
}


/* ---- the paged "each" path over HTTP (bcs-http-pages.c) ---- */

#define BIG_PAGE 1200

static void
handle_pages (NetTestServer     *server,
              SoupServerMessage *message,
              const char        *path,
              gpointer           user_data)
{
  if (g_str_equal (path, "/rows"))
    {
      /* The nextLink first, with an escaped '/' */
      g_autoptr(GString) body = g_string_new ("{\"@odata.nextLink\": \"/rows\\/2\", \"value\": [");

      for (guint i = 0; i < BIG_PAGE; i++)
        g_string_append_printf (body, "%s{\"id\": \"r%u\", \"n\": {\"s\": \"]}\\\"\"}}",
                                i > 0 ? ", " : "", i);
      g_string_append (body, "]}");
      net_test_set_json (message, 200, body->str);
    }
  else if (g_str_equal (path, "/rows/2"))
    net_test_set_json (message, 200, "{\"value\": [], \"@odata.deltaLink\": \"d\\u0026x\"}");
  else if (g_str_equal (path, "/truncated"))
    net_test_set_json (message, 200, "{\"value\": [{\"id\": \"a\"}, {\"id\": \"b\"");
  else if (g_str_equal (path, "/not-a-list"))
    net_test_set_json (message, 200, "{\"value\": {\"id\": \"a\"}}");
  else
    net_test_set_json (message, 404, "{\"error\": {\"code\": \"Internal_RecordNotFound\","
                                     " \"message\": \"nothing here\"}}");
}

typedef struct {
  guint calls;
  guint rows;
  gboolean in_order;
} EachCount;

static void
count_rows (JsonArray *value,
            gpointer   user_data)
{
  EachCount *count = user_data;
  guint n = value != NULL ? json_array_get_length (value) : 0;

  count->calls++;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_node_get_object (json_array_get_element (value, i));
      g_autofree char *expected = g_strdup_printf ("r%u", count->rows++);

      if (!g_str_equal (json_object_get_string_member (row, "id"), expected))
        count->in_order = FALSE;
    }
}

static BcsHttpPages *
get_each (const char  *path,
          EachCount   *count,
          guint       *n_requests,
          GError     **error)
{
  g_autoptr(NetTestServer) server = NULL;
  g_autoptr(BcsHttp) http = bcs_http_new ();
  g_autoptr(NetTestTokenProvider) provider = net_test_token_provider_new_fixed ();
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_BC, "GET", path);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  BcsHttpPages *pages;

  server = net_test_server_new (handle_pages, NULL);
  bcs_http_set_base_url (http, BCS_SERVICE_BC, net_test_server_get_url (server));
  bcs_http_set_token_provider (http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (provider));
  bcs_http_set_backoff (http, 0.01, 0.02);
  count->in_order = TRUE;
  bcs_http_get_pages_each_async (http, request, count_rows, count, NULL, net_test_store_result, &pending);
  result = net_test_wait_result (&pending);
  pages = bcs_http_get_pages_finish (http, result, error);
  *n_requests = net_test_server_get_count (server);
  return pages;
}

static void
test_http_each_slices (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpPages) pages = NULL;
  EachCount count = { 0 };
  guint n_requests = 0;

  pages = get_each ("/rows", &count, &n_requests, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pages);
  g_assert_cmpuint (pages->n_pages, ==, 2);
  g_assert_cmpuint (n_requests, ==, 2);
  /* 1,200 rows in slices of 500, 500 and 200, then the empty last page */
  g_assert_cmpuint (count.calls, ==, 4);
  g_assert_cmpuint (count.rows, ==, BIG_PAGE);
  g_assert_true (count.in_order);
  g_assert_cmpstr (pages->delta_link, ==, "d&x");
}

static void
test_http_each_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpPages) pages = NULL;
  EachCount count = { 0 };
  guint n_requests = 0;

  pages = get_each ("/truncated", &count, &n_requests, &error);
  g_assert_null (pages);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE);
  /* Retried like any unreadable answer to a GET, never handed on */
  g_assert_cmpuint (n_requests, >, 1);
  g_assert_cmpuint (count.calls, ==, 0);
}

static void
test_http_each_not_a_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpPages) pages = NULL;
  EachCount count = { 0 };
  guint n_requests = 0;

  pages = get_each ("/not-a-list", &count, &n_requests, &error);
  g_assert_null (pages);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (count.calls, ==, 0);
}

static void
test_http_each_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpPages) pages = NULL;
  EachCount count = { 0 };
  guint n_requests = 0;

  pages = get_each ("/gone", &count, &n_requests, &error);
  g_assert_null (pages);
  /* The "error" object still decides the error */
  g_assert_error (error, BCS_ERROR, BCS_ERROR_NOT_FOUND);
  g_assert_cmpuint (count.calls, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-page/nested", test_nested);
  g_test_add_func ("/json-page/strings", test_strings);
  g_test_add_func ("/json-page/empty-array", test_empty_array);
  g_test_add_func ("/json-page/missing-value", test_missing_value);
  g_test_add_func ("/json-page/link-order", test_link_order);
  g_test_add_func ("/json-page/whitespace", test_whitespace);
  g_test_add_func ("/json-page/truncated", test_truncated);
  g_test_add_func ("/json-page/malformed", test_malformed);
  g_test_add_func ("/json-page/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json-page/slices-20000", test_slices_20000);
  g_test_add_func ("/json-page/http-each-slices", test_http_each_slices);
  g_test_add_func ("/json-page/http-each-truncated", test_http_each_truncated);
  g_test_add_func ("/json-page/http-each-not-a-list", test_http_each_not_a_list);
  g_test_add_func ("/json-page/http-each-error", test_http_each_error);

  return g_test_run ();
}
