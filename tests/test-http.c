/* test-http.c — BcsHttp: security, auth refresh, throttling, errors, counters
 *
 * The mechanics that need a precisely misbehaving server (HTTP-dates,
 * dropped connections at a chosen moment, concurrency) run against a tiny
 * SoupServer on its own thread; the sandbox's faults are tested at the end. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "bcs-error.h"
#include "bcs-http-private.h"
#include "bcs-http.h"
#include "bcs-json.h"
#include "net-test-support.h"

/* ---- the tiny server's behaviour, by path ---- */

static void
write_raw_and_close (SoupServerMessage *message,
                     const char        *raw)
{
  GIOStream *stream = soup_server_message_steal_connection (message);
  GOutputStream *output = g_io_stream_get_output_stream (stream);

  if (raw != NULL)
    g_output_stream_write_all (output, raw, strlen (raw), NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

static void
handle (NetTestServer     *server,
        SoupServerMessage *message,
        const char        *path,
        gpointer           user_data)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (message);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  const char *authorization = soup_message_headers_get_one (request_headers, "Authorization");

  if (g_str_equal (path, "/api/ok"))
    net_test_set_json (message, 200, "{\"value\": 1}");
  else if (g_str_equal (path, "/api/empty"))
    soup_server_message_set_status (message, 204, NULL);
  else if (g_str_equal (path, "/api/echo-auth"))
    {
      g_autofree char *json = g_strdup_printf ("{\"authorization\": \"%s\", \"user_agent\": \"%s\"}",
                                               authorization != NULL ? authorization : "",
                                               soup_message_headers_get_one (request_headers, "User-Agent"));
      net_test_set_json (message, 200, json);
    }
  else if (g_str_equal (path, "/api/needs-second-token"))
    {
      if (g_strcmp0 (authorization, "Bearer tok-2") == 0)
        net_test_set_json (message, 200, "{}");
      else
        net_test_set_json (message, 401, "{\"error\": {\"code\": \"InvalidAuthenticationToken\", \"message\": \"Access token has expired.\"}}");
    }
  else if (g_str_equal (path, "/api/always-401"))
    net_test_set_json (message, 401, "{\"error\": {\"code\": \"InvalidAuthenticationToken\", \"message\": \"no\"}}");
  else if (g_str_has_prefix (path, "/api/throttle-once/"))
    {
      /* /api/throttle-once/KEY/RETRY-AFTER: 429 the first time */
      g_auto(GStrv) parts = g_strsplit (path, "/", -1);
      const char *key = parts[3];
      const char *retry_after = parts[4];

      if (net_test_server_next (server, key) == 0)
        {
          if (g_str_equal (retry_after, "date"))
            {
              g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
              g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 2);
              g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

              soup_message_headers_replace (headers, "Retry-After", date);
            }
          else
            soup_message_headers_replace (headers, "Retry-After", retry_after);
          net_test_set_json (message, 429, "{\"error\": {\"code\": \"TooManyRequests\", \"message\": \"slow down\"}}");
        }
      else
        net_test_set_json (message, 200, "{\"ok\": true}");
    }
  else if (g_str_equal (path, "/api/503-504-200"))
    {
      guint n = net_test_server_next (server, path);

      if (n == 0)
        net_test_set_json (message, 503, NULL);
      else if (n == 1)
        net_test_set_json (message, 504, "<html>gateway</html>");
      else
        net_test_set_json (message, 200, "{}");
    }
  else if (g_str_equal (path, "/api/always-429"))
    {
      soup_message_headers_replace (headers, "Retry-After", "0.01");
      net_test_set_json (message, 429, "{\"error\": {\"code\": \"TooManyRequests\", \"message\": \"no\"}}");
    }
  else if (g_str_equal (path, "/api/always-503"))
    net_test_set_json (message, 503, NULL);
  else if (g_str_equal (path, "/api/long-wait"))
    {
      soup_message_headers_replace (headers, "Retry-After", "30");
      net_test_set_json (message, 429, "{}");
    }
  else if (g_str_equal (path, "/api/drop-once"))
    {
      if (net_test_server_next (server, path) == 0)
        write_raw_and_close (message, NULL);
      else
        net_test_set_json (message, 200, "{\"after\": \"drop\"}");
    }
  else if (g_str_equal (path, "/api/drop"))
    write_raw_and_close (message, NULL);
  else if (g_str_equal (path, "/api/truncated"))
    write_raw_and_close (message, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  "Content-Length: 200\r\n\r\n{\"value\": [1, 2");
  else if (g_str_equal (path, "/api/malformed"))
    net_test_set_json (message, 200, "{\"value\": [1, 2");
  else if (g_str_equal (path, "/api/slow"))
    net_test_server_hold (server, message, 150, 200, "{}");
  else if (g_str_equal (path, "/api/form"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (message);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autoptr(GHashTable) form = soup_form_decode (g_bytes_get_data (bytes, NULL));
      g_autofree char *json = NULL;

      json = g_strdup_printf ("{\"content_type\": \"%s\", \"grant_type\": \"%s\", \"scope\": \"%s\", \"auth\": %s}",
                              soup_message_headers_get_content_type (request_headers, NULL),
                              (char *) g_hash_table_lookup (form, "grant_type"),
                              (char *) g_hash_table_lookup (form, "scope"),
                              authorization != NULL ? "true" : "false");
      net_test_set_json (message, 200, json);
    }
  else if (g_str_equal (path, "/api/next-other-port"))
    {
      g_autofree char *json = g_strdup_printf ("{\"value\": [1], \"@odata.nextLink\": \"%s/api/ok\"}",
                                               (const char *) user_data);
      net_test_set_json (message, 200, json);
    }
  else if (g_str_equal (path, "/api/next-https"))
    {
      g_autofree char *url = g_strdup (net_test_server_get_url (server));
      g_autofree char *json = NULL;

      json = g_strdup_printf ("{\"value\": [1], \"@odata.nextLink\": \"https%s/api/ok\"}", url + 4);
      net_test_set_json (message, 200, json);
    }
  else if (g_str_equal (path, "/api/next-localhost"))
    {
      const char *url = net_test_server_get_url (server);
      g_autofree char *json = NULL;

      json = g_strdup_printf ("{\"value\": [1], \"@odata.nextLink\": \"http://localhost%s/api/ok\"}",
                              strrchr (url, ':'));
      net_test_set_json (message, 200, json);
    }
  else if (g_str_has_prefix (path, "/api/pages/"))
    {
      int page = atoi (path + strlen ("/api/pages/"));
      g_autofree char *json = NULL;

      if (page < 3)
        json = g_strdup_printf ("{\"value\": [%d, %d], \"@odata.nextLink\": \"%s/api/pages/%d?$skiptoken=x\"}",
                                page * 2, page * 2 + 1, net_test_server_get_url (server), page + 1);
      else
        json = g_strdup_printf ("{\"value\": [], \"@odata.deltaLink\": \"%s/api/delta?$deltatoken=d\"}",
                                net_test_server_get_url (server));
      net_test_set_json (message, 200, json);
    }
  else if (g_str_has_prefix (path, "/api/status/"))
    {
      /* /api/status/CODE/ERRORCODE */
      g_auto(GStrv) parts = g_strsplit (path, "/", -1);
      guint status = atoi (parts[3]);
      g_autofree char *json = NULL;

      if (parts[4] == NULL || *parts[4] == '\0')
        json = NULL;
      else if (g_ascii_islower (parts[4][0]))
        json = g_strdup_printf ("{\"error\": \"%s\", \"error_description\": \"AADSTS70000: Bearer eyJsecret\"}",
                                parts[4]);
      else
        json = g_strdup_printf ("{\"error\": {\"code\": \"%s\", \"message\": \"server says %s\"}}",
                                parts[4], parts[4]);
      net_test_set_json (message, status, json);
    }
  else
    net_test_set_json (message, 404, "{\"error\": {\"code\": \"ErrorItemNotFound\", \"message\": \"nothing\"}}");
}

typedef struct {
  NetTestServer *server;
  BcsHttp *http;
  NetTestTokenProvider *provider;
} Fixture;

static void
fixture_setup (Fixture *fixture)
{
  g_autofree char *base = NULL;

  fixture->server = net_test_server_new (handle, NULL);
  fixture->http = bcs_http_new ();
  fixture->provider = net_test_token_provider_new_fixed ();
  base = g_strconcat (net_test_server_get_url (fixture->server), "/", NULL);
  bcs_http_set_base_url (fixture->http, BCS_SERVICE_GRAPH, base);
  bcs_http_set_base_url (fixture->http, BCS_SERVICE_BC, base);
  bcs_http_set_base_url (fixture->http, BCS_SERVICE_LOGIN, base);
  bcs_http_set_token_provider (fixture->http, BCS_SERVICE_GRAPH, BCS_TOKEN_PROVIDER (fixture->provider));
  bcs_http_set_token_provider (fixture->http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (fixture->provider));
  bcs_http_set_backoff (fixture->http, 0.01, 0.05);
}

static void
fixture_teardown (Fixture *fixture)
{
  g_clear_object (&fixture->http);
  g_clear_object (&fixture->provider);
  g_clear_pointer (&fixture->server, net_test_server_free);
}

static gboolean
send_path (Fixture     *fixture,
           BcsService   service,
           const char  *method,
           const char  *path,
           GError     **error)
{
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (service, method, path);

  return net_test_send (fixture->http, request, error);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

typedef struct {
  guint count;
  double seconds;
  guint status;
  char *message;
} Waiting;

static void
on_waiting (BcsHttp    *http,
            guint       service,
            guint       status,
            double      seconds,
            const char *message,
            Waiting    *waiting)
{
  waiting->count++;
  waiting->seconds = seconds;
  waiting->status = status;
  g_free (waiting->message);
  waiting->message = g_strdup (message);
}

/* ---- tests ---- */

static void
test_https_required (void)
{
  g_autoptr(BcsHttp) http = bcs_http_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(BcsHttpRequest) request = NULL;

  bcs_http_set_base_url (http, BCS_SERVICE_GRAPH, "http://graph.example.com/v1.0");
  request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/me");
  g_assert_false (net_test_send (http, request, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INSECURE);
  g_assert_cmpuint (bcs_http_get_request_count (http, BCS_SERVICE_GRAPH), ==, 0);
  g_clear_error (&error);

  bcs_http_set_base_url (http, BCS_SERVICE_GRAPH, "https://graph.example.com/v1.0/");
  url = bcs_http_build_url (http, BCS_SERVICE_GRAPH, "/me", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://graph.example.com/v1.0/me");
  g_clear_pointer (&url, g_free);

  for (guint i = 0; i < 3; i++)
    {
      const char *loopback[] = { "http://127.0.0.1:8080/bc", "http://localhost/bc", "http://[::1]:99/bc" };

      bcs_http_set_base_url (http, BCS_SERVICE_BC, loopback[i]);
      url = bcs_http_build_url (http, BCS_SERVICE_BC, "/companies", &error);
      g_assert_no_error (error);
      g_assert_nonnull (url);
      g_clear_pointer (&url, g_free);
    }

  bcs_http_set_base_url (http, BCS_SERVICE_BC, "ftp://127.0.0.1/bc");
  url = bcs_http_build_url (http, BCS_SERVICE_BC, "/companies", &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INSECURE);
  g_assert_null (url);
}

static void
test_next_link_other_origin (void)
{
  g_autoptr(NetTestServer) other = net_test_server_new (handle, NULL);
  g_autoptr(NetTestServer) server = net_test_server_new (handle, (gpointer) net_test_server_get_url (other));
  g_autoptr(BcsHttp) http = bcs_http_new ();
  g_autoptr(NetTestTokenProvider) provider = net_test_token_provider_new_fixed ();
  const char *paths[] = { "/api/next-other-port", "/api/next-https", "/api/next-localhost" };

  bcs_http_set_base_url (http, BCS_SERVICE_GRAPH, net_test_server_get_url (server));
  bcs_http_set_token_provider (http, BCS_SERVICE_GRAPH, BCS_TOKEN_PROVIDER (provider));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", paths[i]);
      g_autoptr(GError) error = NULL;
      GAsyncResult *result = NULL;
      g_autoptr(GAsyncResult) done = NULL;
      g_autoptr(BcsHttpPages) pages = NULL;

      bcs_http_get_pages_async (http, request, 0, NULL, net_test_store_result, &result);
      done = net_test_wait_result (&result);
      pages = bcs_http_get_pages_finish (http, done, &error);
      g_assert_error (error, BCS_ERROR, BCS_ERROR_INSECURE);
      g_assert_null (pages);
      g_assert_null (strstr (error->message, "tok-"));
    }

  /* The first page of each, nothing else; the other server saw nothing */
  g_assert_cmpuint (net_test_server_get_count (server), ==, 3);
  g_assert_cmpuint (net_test_server_get_count (other), ==, 0);
  g_assert_cmpuint (net_test_server_count_authorization (other), ==, 0);
}

static void
test_pages_followed (void)
{
  Fixture fixture;
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/pages/0");
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(BcsHttpPages) pages = NULL;

  fixture_setup (&fixture);
  bcs_http_request_add_header (request, "Prefer", "odata.maxpagesize=2");
  bcs_http_get_pages_async (fixture.http, request, 0, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  pages = bcs_http_get_pages_finish (fixture.http, done, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->items->len, ==, 6);
  g_assert_cmpuint (pages->n_pages, ==, 4);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpint (json_node_get_int (g_ptr_array_index (pages->items, i)), ==, i);
  g_assert_true (g_str_has_suffix (pages->delta_link, "/api/delta?$deltatoken=d"));
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, 4);
  fixture_teardown (&fixture);
}

static void
test_unauthorized_refresh_once (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture);
  g_assert_true (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", "/api/needs-second-token", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (net_test_token_provider_get_calls (fixture.provider), ==, 2);
  g_assert_cmpuint (net_test_token_provider_get_forced (fixture.provider), ==, 1);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, 2);
  fixture_teardown (&fixture);
}

static void
test_unauthorized_twice (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture);
  g_assert_false (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", "/api/always-401", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED);
  g_assert_null (strstr (error->message, "tok-"));
  g_assert_cmpuint (net_test_token_provider_get_calls (fixture.provider), ==, 2);
  g_assert_cmpuint (net_test_token_provider_get_forced (fixture.provider), ==, 1);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 2);
  fixture_teardown (&fixture);
}

static void
check_retry_after (const char *retry_after,
                   double      expected)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/api/throttle-once/%s/%s", retry_after, retry_after);
  Waiting waiting = { 0 };
  gint64 start;
  double elapsed;

  fixture_setup (&fixture);
  g_signal_connect (fixture.http, "waiting", G_CALLBACK (on_waiting), &waiting);
  start = g_get_monotonic_time ();
  g_assert_true (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", path, &error));
  g_assert_no_error (error);
  elapsed = seconds_since (start);

  g_assert_cmpuint (waiting.count, ==, 1);
  g_assert_cmpuint (waiting.status, ==, 429);
  g_assert_cmpfloat (fabs (waiting.seconds - expected), <, 1.1);
  g_assert_cmpfloat (elapsed, >=, expected - 1.0);
  g_assert_cmpfloat (elapsed, <, expected + 1.5);
  g_assert_nonnull (strstr (waiting.message, "Microsoft 365 asked us to wait"));
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 2);
  g_free (waiting.message);
  fixture_teardown (&fixture);
}

static void
test_retry_after_integer (void)
{
  check_retry_after ("1", 1.0);
}

static void
test_retry_after_fractional (void)
{
  check_retry_after ("1.25", 1.25);
}

static void
test_retry_after_http_date (void)
{
  /* whole seconds in the date, so between 1 and 2 s */
  check_retry_after ("date", 1.5);
}

static void
test_retry_after_parse (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 10, 0, 0);

  g_assert_cmpfloat (bcs_http_parse_retry_after ("5", now), ==, 5.0);
  g_assert_cmpfloat (fabs (bcs_http_parse_retry_after ("2.128", now) - 2.128), <, 1e-9);
  g_assert_cmpfloat (bcs_http_parse_retry_after (" 3 ", now), ==, 3.0);
  g_assert_cmpfloat (bcs_http_parse_retry_after ("Tue, 24 Nov 2026 10:00:07 GMT", now), ==, 7.0);
  g_assert_cmpfloat (bcs_http_parse_retry_after ("Tue, 24 Nov 2026 09:00:00 GMT", now), ==, 0.0);
  g_assert_cmpfloat (bcs_http_parse_retry_after (NULL, now), <, 0);
  g_assert_cmpfloat (bcs_http_parse_retry_after ("soon", now), <, 0);
  g_assert_cmpfloat (bcs_http_parse_retry_after ("-4", now), <, 0);
  g_assert_cmpfloat (bcs_http_parse_retry_after ("1e999", now), <, 0);
  g_assert_cmpfloat (bcs_http_parse_retry_after ("86400", now), <=, 600.0);
}

static void
test_backoff_capped_with_jitter (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint attempt = 1; attempt < 40; attempt++)
    {
      double expected = MIN (ldexp (1.0, MIN (attempt, 30u) - 1), 60.0);
      double delay = bcs_http_backoff_delay (attempt, 1.0, 60.0, rand);

      g_assert_cmpfloat (delay, >=, expected / 2.0);
      g_assert_cmpfloat (delay, <=, expected);
    }
}

static void
test_transient_retried (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  Waiting waiting = { 0 };

  fixture_setup (&fixture);
  g_signal_connect (fixture.http, "waiting", G_CALLBACK (on_waiting), &waiting);
  g_assert_true (send_path (&fixture, BCS_SERVICE_BC, "POST", "/api/503-504-200", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 3);
  g_assert_cmpuint (waiting.count, ==, 2);
  g_assert_cmpuint (waiting.status, ==, 504);
  g_assert_nonnull (strstr (waiting.message, "Business Central"));
  g_free (waiting.message);
  fixture_teardown (&fixture);
}

static void
test_attempts_bounded (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture);
  g_assert_false (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", "/api/always-429", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_THROTTLED);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, BCS_HTTP_DEFAULT_MAX_ATTEMPTS);
  g_clear_error (&error);

  bcs_http_set_max_attempts (fixture.http, 3);
  g_assert_false (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", "/api/always-503", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_UNAVAILABLE);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, BCS_HTTP_DEFAULT_MAX_ATTEMPTS + 3);
  fixture_teardown (&fixture);
}

static void
test_backoff_shared (void)
{
  Fixture fixture;
  g_autoptr(BcsHttpRequest) first = NULL;
  g_autoptr(BcsHttpRequest) second = NULL;
  g_autoptr(BcsHttpRequest) other_service = NULL;
  GAsyncResult *result1 = NULL, *result2 = NULL, *result3 = NULL;
  g_autoptr(GAsyncResult) done1 = NULL;
  g_autoptr(GAsyncResult) done2 = NULL;
  g_autoptr(GAsyncResult) done3 = NULL;
  g_autoptr(GError) error = NULL;
  Waiting waiting = { 0 };
  gint64 start;
  double other_elapsed;

  fixture_setup (&fixture);
  g_signal_connect (fixture.http, "waiting", G_CALLBACK (on_waiting), &waiting);
  first = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/throttle-once/shared/1");
  second = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/ok");
  other_service = bcs_http_request_new (BCS_SERVICE_BC, "GET", "/api/ok");

  start = g_get_monotonic_time ();
  bcs_http_send_async (fixture.http, first, NULL, net_test_store_result, &result1);
  while (waiting.count == 0)
    g_main_context_iteration (NULL, TRUE);

  /* Sent while the service asked to wait: waits for the same time */
  bcs_http_send_async (fixture.http, second, NULL, net_test_store_result, &result2);
  bcs_http_send_async (fixture.http, other_service, NULL, net_test_store_result, &result3);
  done3 = net_test_wait_result (&result3);
  other_elapsed = seconds_since (start);
  done2 = net_test_wait_result (&result2);
  g_assert_true (bcs_http_send_finish (fixture.http, done2, &error));
  g_assert_cmpfloat (seconds_since (start), >=, 0.9);
  done1 = net_test_wait_result (&result1);
  g_assert_true (bcs_http_send_finish (fixture.http, done1, &error));
  g_assert_true (bcs_http_send_finish (fixture.http, done3, &error));
  g_assert_no_error (error);

  /* Another service is not held up */
  g_assert_cmpfloat (other_elapsed, <, 0.5);
  g_assert_cmpuint (waiting.count, ==, 1);
  g_free (waiting.message);
  fixture_teardown (&fixture);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_during_wait (void)
{
  Fixture fixture;
  g_autoptr(BcsHttpRequest) request = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  Waiting waiting = { 0 };
  gint64 start;

  fixture_setup (&fixture);
  g_signal_connect (fixture.http, "waiting", G_CALLBACK (on_waiting), &waiting);
  request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/long-wait");
  start = g_get_monotonic_time ();
  bcs_http_send_async (fixture.http, request, cancellable, net_test_store_result, &result);
  g_timeout_add (200, cancel_later, cancellable);
  done = net_test_wait_result (&result);
  g_assert_false (bcs_http_send_finish (fixture.http, done, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (seconds_since (start), <, 1.5);
  g_assert_cmpuint (waiting.count, ==, 1);
  g_assert_cmpfloat (waiting.seconds, ==, 30.0);
  g_assert_nonnull (strstr (waiting.message, "resuming in 30 s"));
  g_free (waiting.message);
  fixture_teardown (&fixture);
}

static void
test_connection_drop (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpRequest) request = NULL;

  fixture_setup (&fixture);

  /* A GET is sent again */
  request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/drop-once");
  g_assert_true (net_test_send (fixture.http, request, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bcs_json_get_string (bcs_http_request_get_response_object (request), "after"), ==, "drop");
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 2);

  /* A POST is not: it may have been done */
  g_assert_false (send_path (&fixture, BCS_SERVICE_GRAPH, "POST", "/api/drop", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_UNAVAILABLE);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 3);
  g_clear_error (&error);

  /* Attempts are bounded for a GET (libsoup itself may send once more on
   * a kept-alive connection that turned out closed) */
  bcs_http_set_max_attempts (fixture.http, 2);
  g_assert_false (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", "/api/drop", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_UNAVAILABLE);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, 5);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), >=, 5);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), <=, 6);
  fixture_teardown (&fixture);
}

static void
test_truncated_body (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture);
  bcs_http_set_max_attempts (fixture.http, 2);
  g_assert_false (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", "/api/truncated", &error));
  g_assert_true (g_error_matches (error, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE) ||
                 g_error_matches (error, BCS_ERROR, BCS_ERROR_UNAVAILABLE));
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 2);
  fixture_teardown (&fixture);
}

static void
test_malformed_json (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture);
  bcs_http_set_max_attempts (fixture.http, 3);
  g_assert_false (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", "/api/malformed", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 3);
  g_clear_error (&error);

  g_assert_false (send_path (&fixture, BCS_SERVICE_GRAPH, "POST", "/api/malformed", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 4);
  fixture_teardown (&fixture);
}

static void
test_error_mapping (void)
{
  static const struct {
    BcsService service;
    const char *path;
    int code;
  } cases[] = {
    { BCS_SERVICE_GRAPH, "/api/status/401/InvalidAuthenticationToken", BCS_ERROR_AUTH_REQUIRED },
    { BCS_SERVICE_LOGIN, "/api/status/400/invalid_grant", BCS_ERROR_AUTH_REQUIRED },
    { BCS_SERVICE_LOGIN, "/api/status/400/authorization_declined", BCS_ERROR_AUTH_DENIED },
    { BCS_SERVICE_LOGIN, "/api/status/400/unauthorized_client", BCS_ERROR_NOT_CONFIGURED },
    { BCS_SERVICE_GRAPH, "/api/status/404/ErrorItemNotFound", BCS_ERROR_NOT_FOUND },
    { BCS_SERVICE_GRAPH, "/api/status/404/", BCS_ERROR_NOT_FOUND },
    { BCS_SERVICE_BC, "/api/status/409/Request_EntityChanged", BCS_ERROR_CONFLICT },
    { BCS_SERVICE_GRAPH, "/api/status/412/ErrorIrresolvableConflict", BCS_ERROR_CONFLICT },
    { BCS_SERVICE_GRAPH, "/api/status/410/SyncStateNotFound", BCS_ERROR_DELTA_EXPIRED },
    { BCS_SERVICE_GRAPH, "/api/status/400/ErrorInvalidIdMalformed/delta", BCS_ERROR_DELTA_EXPIRED },
    { BCS_SERVICE_GRAPH, "/api/status/403/ErrorAccessDenied", BCS_ERROR_FORBIDDEN },
    { BCS_SERVICE_BC, "/api/status/400/BadRequest_InvalidToken", BCS_ERROR_INVALID_INPUT },
    { BCS_SERVICE_BC, "/api/status/400/BadRequest", BCS_ERROR_INVALID_INPUT },
    { BCS_SERVICE_GRAPH, "/api/status/500/", BCS_ERROR_UNAVAILABLE },
    { BCS_SERVICE_GRAPH, "/api/status/418/Teapot", BCS_ERROR_FAILED },
  };
  Fixture fixture;

  fixture_setup (&fixture);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BcsHttpRequest) request = bcs_http_request_new (cases[i].service, "POST", cases[i].path);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].path);
      g_assert_false (net_test_send (fixture.http, request, &error));
      g_assert_error (error, BCS_ERROR, cases[i].code);
      /* The same error stays on the request */
      g_assert_true (g_error_matches (bcs_http_request_get_error (request), BCS_ERROR, cases[i].code));
      g_assert_null (strstr (error->message, "tok-"));
      g_assert_null (strstr (error->message, "eyJ"));
      g_assert_null (strstr (error->message, "Bearer"));
      g_assert_cmpuint (g_utf8_strlen (error->message, -1), >, 10);
    }
  fixture_teardown (&fixture);
}

static void
test_bc_unauthorized_not_a_user (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture);
  g_assert_false (send_path (&fixture, BCS_SERVICE_BC, "GET", "/api/status/401/Authentication_InvalidCredentials",
                             &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_NOT_A_BC_USER);
  g_assert_nonnull (strstr (error->message, "Ask your Business Central administrator to enter your Microsoft 365 "
                                            "account as the Authentication Email in the Microsoft 365 section of "
                                            "your user card."));
  /* refreshed once first */
  g_assert_cmpuint (net_test_token_provider_get_forced (fixture.provider), ==, 1);
  fixture_teardown (&fixture);
}

static void
test_request_counters (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture);
  g_assert_true (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", "/api/ok", &error));
  g_assert_true (send_path (&fixture, BCS_SERVICE_GRAPH, "DELETE", "/api/empty", &error));
  g_assert_true (send_path (&fixture, BCS_SERVICE_BC, "GET", "/api/ok", &error));
  g_assert_false (send_path (&fixture, BCS_SERVICE_BC, "GET", "/api/nothing-here", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_NOT_FOUND);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, 2);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_BC), ==, 2);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_LOGIN), ==, 0);
  bcs_http_reset_request_counts (fixture.http);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, 0);
  fixture_teardown (&fixture);
}

static void
test_empty_response (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_GRAPH, "DELETE", "/api/empty");

  fixture_setup (&fixture);
  g_assert_true (net_test_send (fixture.http, request, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bcs_http_request_get_status (request), ==, 204);
  g_assert_null (bcs_http_request_get_response_json (request));
  fixture_teardown (&fixture);
}

static void
test_authorization_header (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/echo-auth");
  g_autoptr(BcsHttpRequest) login = bcs_http_request_new (BCS_SERVICE_LOGIN, "GET", "/api/echo-auth");

  fixture_setup (&fixture);
  g_assert_true (net_test_send (fixture.http, request, &error));
  g_assert_cmpstr (bcs_json_get_string (bcs_http_request_get_response_object (request), "authorization"),
                   ==, "Bearer tok-1");
  g_assert_cmpstr (bcs_json_get_string (bcs_http_request_get_response_object (request), "user_agent"),
                   ==, "bc-contact-sync/" VERSION);
  /* No provider for the sign-in service: no header */
  g_assert_true (net_test_send (fixture.http, login, &error));
  g_assert_cmpstr (bcs_json_get_string (bcs_http_request_get_response_object (login), "authorization"),
                   ==, "");
  g_assert_no_error (error);
  fixture_teardown (&fixture);
}

static void
test_form_post (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *object;

  fixture_setup (&fixture);
  bcs_http_post_form_async (fixture.http, BCS_SERVICE_LOGIN, "/api/form", NULL, net_test_store_result, &result,
                            "grant_type", "refresh_token", "scope", "offline_access User.Read a&b=c", NULL);
  done = net_test_wait_result (&result);
  json = bcs_http_post_form_finish (fixture.http, done, &error);
  g_assert_no_error (error);
  object = bcs_json_node_get_object (json);
  g_assert_cmpstr (bcs_json_get_string (object, "content_type"), ==, "application/x-www-form-urlencoded");
  g_assert_cmpstr (bcs_json_get_string (object, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (bcs_json_get_string (object, "scope"), ==, "offline_access User.Read a&b=c");
  g_assert_false (bcs_json_get_boolean (object, "auth", TRUE));
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_LOGIN), ==, 1);
  fixture_teardown (&fixture);
}

static void
test_in_flight_bounded (void)
{
  Fixture fixture;
  GAsyncResult *results[10] = { NULL };
  BcsHttpRequest *requests[10];

  fixture_setup (&fixture);
  bcs_http_set_max_in_flight (fixture.http, BCS_SERVICE_GRAPH, 4);
  for (guint i = 0; i < 10; i++)
    {
      requests[i] = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/slow");
      bcs_http_send_async (fixture.http, requests[i], NULL, net_test_store_result, &results[i]);
    }
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GAsyncResult) done = net_test_wait_result (&results[i]);
      g_autoptr(GError) error = NULL;

      g_assert_true (bcs_http_send_finish (fixture.http, done, &error));
      g_assert_no_error (error);
      g_object_unref (requests[i]);
    }
  g_assert_cmpuint (net_test_server_get_max_concurrent (fixture.server), ==, 4);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 10);
  fixture_teardown (&fixture);
}

static void
test_json_getters (void)
{
  g_autoptr(JsonNode) node = bcs_json_parse ("{\"s\": \"x\", \"n\": null, \"i\": 4, \"d\": 2.0, \"b\": true,"
                                             " \"o\": {\"error\": {\"code\": \"C\"}}, \"a\": []}", -1, NULL);
  JsonObject *object = bcs_json_node_get_object (node);

  g_assert_cmpstr (bcs_json_get_string (object, "s"), ==, "x");
  g_assert_null (bcs_json_get_string (object, "n"));
  g_assert_null (bcs_json_get_string (object, "i"));
  g_assert_null (bcs_json_get_string (object, "missing"));
  g_assert_null (bcs_json_get_string (NULL, "s"));
  g_assert_cmpint (bcs_json_get_int (object, "i", -1), ==, 4);
  g_assert_cmpint (bcs_json_get_int (object, "d", -1), ==, 2);
  g_assert_cmpint (bcs_json_get_int (object, "s", -1), ==, -1);
  g_assert_true (bcs_json_get_boolean (object, "b", FALSE));
  g_assert_false (bcs_json_get_boolean (object, "n", FALSE));
  g_assert_null (bcs_json_get_object (object, "s"));
  g_assert_nonnull (bcs_json_get_array (object, "a"));
  g_assert_null (bcs_json_get_array (object, "o"));
  g_assert_cmpstr (bcs_json_get_path_string (object, "o", "error", "code", NULL), ==, "C");
  g_assert_null (bcs_json_get_path_string (object, "o", "nothing", "code", NULL));
  g_assert_null (bcs_json_parse ("{oops", -1, NULL));
}


static void
collect_log (const char     *log_domain,
             GLogLevelFlags  log_level,
             const char     *message,
             gpointer        user_data)
{
  g_string_append_printf (user_data, "%s\n", message);
}

static void
test_no_secrets_in_logs (void)
{
  Fixture fixture;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(BcsHttpRequest) create = bcs_http_request_new (BCS_SERVICE_GRAPH, "POST", "/api/needs-second-token?secret=q");
  g_autoptr(JsonObject) body = json_object_new ();
  guint handler;

  fixture_setup (&fixture);
  handler = g_log_set_handler ("bcs-net", G_LOG_LEVEL_MASK, collect_log, log);

  json_object_set_string_member (body, "displayName", "body-secret");
  bcs_http_request_set_object_body (create, body);
  g_assert_true (net_test_send (fixture.http, create, &error));
  g_assert_false (send_path (&fixture, BCS_SERVICE_GRAPH, "GET", "/api/always-401", &error));
  g_clear_error (&error);
  g_assert_false (send_path (&fixture, BCS_SERVICE_LOGIN, "GET", "/api/status/400/invalid_grant", &error));
  g_clear_error (&error);
  bcs_http_post_form_async (fixture.http, BCS_SERVICE_LOGIN, "/api/form", NULL, net_test_store_result, &result,
                            "refresh_token", "form-secret", NULL);
  done = net_test_wait_result (&result);
  json = bcs_http_post_form_finish (fixture.http, done, &error);
  g_assert_no_error (error);

  g_log_remove_handler ("bcs-net", handler);
  /* Something was logged, and none of it is a credential or a body */
  g_assert_cmpuint (log->len, >, 0);
  g_assert_null (strstr (log->str, "tok-"));
  g_assert_null (strstr (log->str, "Bearer"));
  g_assert_null (strstr (log->str, "Authorization"));
  g_assert_null (strstr (log->str, "form-secret"));
  g_assert_null (strstr (log->str, "body-secret"));
  g_assert_null (strstr (log->str, "eyJ"));
  g_assert_null (strstr (log->str, "secret=q"));
  fixture_teardown (&fixture);
}

static void
test_cancel_while_queued (void)
{
  Fixture fixture;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BcsHttpRequest) busy = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/slow");
  g_autoptr(BcsHttpRequest) queued = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/ok");
  g_autoptr(BcsHttpRequest) after = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/api/ok");
  GAsyncResult *result1 = NULL, *result2 = NULL, *result3 = NULL;
  g_autoptr(GAsyncResult) done1 = NULL;
  g_autoptr(GAsyncResult) done2 = NULL;
  g_autoptr(GAsyncResult) done3 = NULL;
  g_autoptr(GError) error = NULL;

  fixture_setup (&fixture);
  bcs_http_set_max_in_flight (fixture.http, BCS_SERVICE_GRAPH, 1);
  bcs_http_send_async (fixture.http, busy, NULL, net_test_store_result, &result1);
  bcs_http_send_async (fixture.http, queued, cancellable, net_test_store_result, &result2);
  bcs_http_send_async (fixture.http, after, NULL, net_test_store_result, &result3);
  g_cancellable_cancel (cancellable);

  done1 = net_test_wait_result (&result1);
  done2 = net_test_wait_result (&result2);
  done3 = net_test_wait_result (&result3);
  g_assert_true (bcs_http_send_finish (fixture.http, done1, &error));
  g_assert_false (bcs_http_send_finish (fixture.http, done2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  /* The slot went on to the next request */
  g_assert_true (bcs_http_send_finish (fixture.http, done3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (net_test_server_get_count (fixture.server), ==, 2);
  fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http/https-required", test_https_required);
  g_test_add_func ("/http/next-link-other-origin", test_next_link_other_origin);
  g_test_add_func ("/http/pages-followed", test_pages_followed);
  g_test_add_func ("/http/unauthorized-refresh-once", test_unauthorized_refresh_once);
  g_test_add_func ("/http/unauthorized-twice", test_unauthorized_twice);
  g_test_add_func ("/http/retry-after-integer", test_retry_after_integer);
  g_test_add_func ("/http/retry-after-fractional", test_retry_after_fractional);
  g_test_add_func ("/http/retry-after-http-date", test_retry_after_http_date);
  g_test_add_func ("/http/retry-after-parse", test_retry_after_parse);
  g_test_add_func ("/http/backoff-capped-with-jitter", test_backoff_capped_with_jitter);
  g_test_add_func ("/http/transient-retried", test_transient_retried);
  g_test_add_func ("/http/attempts-bounded", test_attempts_bounded);
  g_test_add_func ("/http/backoff-shared", test_backoff_shared);
  g_test_add_func ("/http/cancel-during-wait", test_cancel_during_wait);
  g_test_add_func ("/http/connection-drop", test_connection_drop);
  g_test_add_func ("/http/truncated-body", test_truncated_body);
  g_test_add_func ("/http/malformed-json", test_malformed_json);
  g_test_add_func ("/http/error-mapping", test_error_mapping);
  g_test_add_func ("/http/bc-unauthorized-not-a-user", test_bc_unauthorized_not_a_user);
  g_test_add_func ("/http/request-counters", test_request_counters);
  g_test_add_func ("/http/empty-response", test_empty_response);
  g_test_add_func ("/http/authorization-header", test_authorization_header);
  g_test_add_func ("/http/form-post", test_form_post);
  g_test_add_func ("/http/in-flight-bounded", test_in_flight_bounded);
  g_test_add_func ("/http/json-getters", test_json_getters);
  g_test_add_func ("/http/no-secrets-in-logs", test_no_secrets_in_logs);
  g_test_add_func ("/http/cancel-while-queued", test_cancel_while_queued);

  return g_test_run ();
}
