/* test-http-faults.c — BcsHttp against the sandbox's fault rules
 *
 * Throttling with Retry-After in seconds, fractions and HTTP-dates, 503 and
 * 504 with backoff, bounded attempts, dropped connections, truncated and
 * malformed answers, expired tokens and the identity platform's errors, as
 * the in-process sandbox produces them (POST /_sandbox/faults). */
#include "config.h"

#include <math.h>

#include "bcs-error.h"
#include "bcs-http.h"
#include "bcs-json.h"
#include "net-test-support.h"

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

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

typedef struct {
  BcsSandbox *sandbox;
  BcsHttp *http;
  Waiting waiting;
} SandboxFixture;

static void
sandbox_setup (SandboxFixture *fixture)
{
  g_autoptr(BcsHttpRequest) me = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/me");
  g_autoptr(GError) error = NULL;

  memset (&fixture->waiting, 0, sizeof fixture->waiting);
  fixture->sandbox = net_test_sandbox_start (NULL);
  fixture->http = net_test_sandbox_http (fixture->sandbox);
  g_signal_connect (fixture->http, "waiting", G_CALLBACK (on_waiting), &fixture->waiting);

  /* Signed in before the faults start */
  g_assert_true (net_test_send (fixture->http, me, &error));
  g_assert_no_error (error);
}

static void
sandbox_teardown (SandboxFixture *fixture)
{
  g_clear_object (&fixture->http);
  g_clear_pointer (&fixture->sandbox, bcs_sandbox_free);
  g_clear_pointer (&fixture->waiting.message, g_free);
}

static gboolean
sandbox_get (SandboxFixture  *fixture,
             BcsService       service,
             const char      *path,
             GError         **error)
{
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (service, "GET", path);

  return net_test_send (fixture->http, request, error);
}

static void
test_sandbox_throttled (void)
{
  SandboxFixture fixture;
  g_autoptr(GError) error = NULL;
  guint before;
  gint64 start;

  sandbox_setup (&fixture);
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/me\", \"status\": 429, "
                                           "\"retry_after\": \"0.6\", \"count\": 1}");
  before = net_test_sandbox_count (fixture.sandbox, "graph");
  start = g_get_monotonic_time ();
  g_assert_true (sandbox_get (&fixture, BCS_SERVICE_GRAPH, "/me", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (seconds_since (start), >=, 0.55);
  g_assert_cmpuint (fixture.waiting.count, ==, 1);
  g_assert_cmpfloat (fabs (fixture.waiting.seconds - 0.6), <, 1e-6);
  g_assert_nonnull (strstr (fixture.waiting.message, "resuming in 1 s"));
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "graph"), ==, before + 2);
  sandbox_teardown (&fixture);
}

static void
test_sandbox_unavailable_http_date (void)
{
  SandboxFixture fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 2);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *rule = NULL;
  gint64 start;

  sandbox_setup (&fixture);
  rule = g_strdup_printf ("{\"service\": \"bc\", \"path\": \"/companies\", \"status\": 503, "
                          "\"retry_after\": \"%s\", \"count\": 1}", date);
  net_test_sandbox_fault (fixture.sandbox, rule);
  start = g_get_monotonic_time ();
  g_assert_true (sandbox_get (&fixture, BCS_SERVICE_BC, "/v2.0/sandbox/production/api/v2.0/companies", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (seconds_since (start), >=, 0.9);
  g_assert_cmpuint (fixture.waiting.count, ==, 1);
  g_assert_cmpuint (fixture.waiting.status, ==, 503);
  g_assert_nonnull (strstr (fixture.waiting.message, "Business Central"));
  sandbox_teardown (&fixture);
}

static void
test_sandbox_gateway_timeout_backoff (void)
{
  SandboxFixture fixture;
  g_autoptr(GError) error = NULL;
  guint before;

  sandbox_setup (&fixture);
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/me\", \"status\": 504, \"count\": 2}");
  before = net_test_sandbox_count (fixture.sandbox, "graph");
  g_assert_true (sandbox_get (&fixture, BCS_SERVICE_GRAPH, "/me", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture.waiting.count, ==, 2);
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "graph"), ==, before + 3);
  sandbox_teardown (&fixture);
}

static void
test_sandbox_attempts_bounded (void)
{
  SandboxFixture fixture;
  g_autoptr(GError) error = NULL;
  guint before;

  sandbox_setup (&fixture);
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"bc\", \"status\": 429, \"retry_after\": \"0.01\"}");
  before = net_test_sandbox_count (fixture.sandbox, "bc");
  g_assert_false (sandbox_get (&fixture, BCS_SERVICE_BC, "/v2.0/sandbox/production/api/v2.0/companies", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_THROTTLED);
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "bc"), ==, before + BCS_HTTP_DEFAULT_MAX_ATTEMPTS);
  sandbox_teardown (&fixture);
}

static void
test_sandbox_drop_retried (void)
{
  SandboxFixture fixture;
  g_autoptr(GError) error = NULL;

  sandbox_setup (&fixture);
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/me\", \"kind\": \"drop\", \"count\": 1}");
  g_assert_true (sandbox_get (&fixture, BCS_SERVICE_GRAPH, "/me", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture.waiting.count, ==, 1);
  sandbox_teardown (&fixture);
}

static void
test_sandbox_truncated_write_not_resent (void)
{
  SandboxFixture fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpRequest) create = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(BcsHttpRequest) list = NULL;
  g_autoptr(JsonNode) state = NULL;
  guint before;
  guint status = 0;

  sandbox_setup (&fixture);

  /* A GET cut short is read again */
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/me\", \"kind\": \"truncate\", "
                                           "\"count\": 1}");
  g_assert_true (sandbox_get (&fixture, BCS_SERVICE_GRAPH, "/me", &error));
  g_assert_no_error (error);

  /* A create cut short is not sent again: it happened */
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/contactFolders\", "
                                           "\"kind\": \"truncate\", \"count\": 1}");
  before = net_test_sandbox_count (fixture.sandbox, "graph");
  json_object_set_string_member (body, "displayName", "Truncated folder");
  create = bcs_http_request_new (BCS_SERVICE_GRAPH, "POST", "/me/contactFolders");
  bcs_http_request_set_object_body (create, body);
  g_assert_false (net_test_send (fixture.http, create, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "graph"), ==, before + 1);

  state = bcs_sandbox_request (fixture.sandbox, "GET", "/_sandbox/state", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  {
    g_autofree char *text = bcs_json_to_string (state);

    g_assert_nonnull (strstr (text, "Truncated folder"));
  }
  sandbox_teardown (&fixture);
}

static void
test_sandbox_malformed (void)
{
  SandboxFixture fixture;
  g_autoptr(GError) error = NULL;
  guint before;

  sandbox_setup (&fixture);
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/me\", \"kind\": \"malformed\", "
                                           "\"count\": 1}");
  g_assert_true (sandbox_get (&fixture, BCS_SERVICE_GRAPH, "/me", &error));
  g_assert_no_error (error);

  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/me\", \"kind\": \"malformed\"}");
  bcs_http_set_max_attempts (fixture.http, 3);
  before = net_test_sandbox_count (fixture.sandbox, "graph");
  g_assert_false (sandbox_get (&fixture, BCS_SERVICE_GRAPH, "/me", &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (net_test_sandbox_count (fixture.sandbox, "graph"), ==, before + 3);
  sandbox_teardown (&fixture);
}

static void
test_sandbox_expired_token_refreshed (void)
{
  SandboxFixture fixture;
  g_autoptr(GError) error = NULL;
  guint login_before;
  guint graph_before;

  sandbox_setup (&fixture);
  net_test_sandbox_fault (fixture.sandbox, "{\"service\": \"graph\", \"path\": \"/me\", \"kind\": \"expire-token\", "
                                           "\"count\": 1}");
  login_before = bcs_http_get_request_count (fixture.http, BCS_SERVICE_LOGIN);
  graph_before = bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH);
  g_assert_true (sandbox_get (&fixture, BCS_SERVICE_GRAPH, "/me", &error));
  g_assert_no_error (error);
  /* one refresh, one retry */
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_LOGIN), ==, login_before + 1);
  g_assert_cmpuint (bcs_http_get_request_count (fixture.http, BCS_SERVICE_GRAPH), ==, graph_before + 2);
  sandbox_teardown (&fixture);
}

static void
test_sandbox_login_errors (void)
{
  SandboxFixture fixture;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GAsyncResult) done2 = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) json2 = NULL;

  sandbox_setup (&fixture);
  bcs_http_post_form_async (fixture.http, BCS_SERVICE_LOGIN, "/sandbox/oauth2/v2.0/token", NULL,
                            net_test_store_result, &result,
                            "grant_type", "refresh_token", "client_id", "sandbox",
                            "refresh_token", "not-a-refresh-token", "scope", "User.Read", NULL);
  done = net_test_wait_result (&result);
  json = bcs_http_post_form_finish (fixture.http, done, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED);
  g_assert_nonnull (strstr (error->message, "Sign in again"));
  g_assert_null (strstr (error->message, "not-a-refresh-token"));
  g_clear_error (&error);

  bcs_http_post_form_async (fixture.http, BCS_SERVICE_LOGIN, "/sandbox/oauth2/v2.0/devicecode", NULL,
                            net_test_store_result, &result,
                            "client_id", "no-such-app", "scope", "User.Read", NULL);
  done2 = net_test_wait_result (&result);
  json2 = bcs_http_post_form_finish (fixture.http, done2, &error);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED);
  sandbox_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http-faults/throttled", test_sandbox_throttled);
  g_test_add_func ("/http-faults/unavailable-http-date", test_sandbox_unavailable_http_date);
  g_test_add_func ("/http-faults/gateway-timeout-backoff", test_sandbox_gateway_timeout_backoff);
  g_test_add_func ("/http-faults/attempts-bounded", test_sandbox_attempts_bounded);
  g_test_add_func ("/http-faults/drop-retried", test_sandbox_drop_retried);
  g_test_add_func ("/http-faults/truncated-write-not-resent", test_sandbox_truncated_write_not_resent);
  g_test_add_func ("/http-faults/malformed", test_sandbox_malformed);
  g_test_add_func ("/http-faults/expired-token-refreshed", test_sandbox_expired_token_refreshed);
  g_test_add_func ("/http-faults/login-errors", test_sandbox_login_errors);

  return g_test_run ();
}
