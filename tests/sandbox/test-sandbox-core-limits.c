/* test-sandbox-core-limits.c — --realistic, --latency-ms and the sandbox's speed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "test-sandbox-core.h"

static void
tweak_realistic (BcsSandboxOptions *options)
{
  options->realistic = TRUE;
}

static void
test_realistic_concurrency (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_realistic);
  g_autoptr(JsonNode) limits = NULL;
  guint status = 0;
  double graph_ms, bc_ms, unlimited_ms;
  guint graph_active, graph_waiting, bc_active, bc_waiting, unlimited_active, unlimited_waiting;

  limits = bcs_sandbox_request (sandbox, "GET", "/_sandbox/limits", NULL, &status);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (limits), "graph"), "concurrency"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (limits), "bc"), "concurrency"), ==, 5);

  post_control (sandbox, "/_sandbox/limits", "{\"service\": \"graph\", \"read_ms\": 600}");
  post_control (sandbox, "/_sandbox/limits", "{\"service\": \"bc\", \"read_ms\": 600}");

  /* 8 Graph reads, 4 at a time, the rest wait: two rounds; 10 BC reads, 5 at a time */
  graph_ms = parallel_ms (sandbox, "/graph/v1.0/me", 8, "graph", &graph_active, &graph_waiting);
  bc_ms = parallel_ms (sandbox, "/bc/environments/v1.2", 10, "bc", &bc_active, &bc_waiting);

  /* without the concurrency limit nothing waits */
  post_control (sandbox, "/_sandbox/limits", "{\"service\": \"graph\", \"concurrency\": 0}");
  unlimited_ms = parallel_ms (sandbox, "/graph/v1.0/me", 8, "graph", &unlimited_active, &unlimited_waiting);

  g_test_message ("at 600 ms per read: 8 Graph reads %.0f ms (at most %u running, %u waiting); "
                  "10 BC reads %.0f ms (%u running, %u waiting); 8 Graph reads without a limit "
                  "%.0f ms (%u running, %u waiting)", graph_ms, graph_active, graph_waiting,
                  bc_ms, bc_active, bc_waiting, unlimited_ms, unlimited_active, unlimited_waiting);
  g_assert_cmpuint (graph_active, ==, 4);
  g_assert_cmpuint (graph_waiting, >=, 1);
  g_assert_cmpfloat (graph_ms, >=, 1195);
  g_assert_cmpuint (bc_active, ==, 5);
  g_assert_cmpuint (bc_waiting, >=, 1);
  g_assert_cmpfloat (bc_ms, >=, 1195);
  g_assert_cmpuint (unlimited_active, >, 4);
  g_assert_cmpuint (unlimited_waiting, ==, 0);
  g_assert_cmpfloat (unlimited_ms, >=, 595);
}

static void
test_realistic_rate (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_realistic);
  g_autoptr(SoupSession) session = new_session ();
  double retry;

  post_control (sandbox, "/_sandbox/limits",
                "{\"service\": \"bc\", \"rate\": 3, \"window_ms\": 2000, \"read_ms\": 0}");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", "/bc/environments/v1.2");

      g_assert_cmpuint (reply->status, !=, 429);
    }
  {
    g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", "/bc/environments/v1.2");
    g_autoptr(JsonNode) node = reply_json (reply);
    const char *header = soup_message_headers_get_one (reply->headers, "Retry-After");

    g_assert_cmpuint (reply->status, ==, 429);
    g_assert_cmpstr (error_code (node), ==, "Application_TooManyRequests");
    g_assert_nonnull (header);
    g_assert_nonnull (strchr (header, '.'));    /* fractional */
    retry = g_ascii_strtod (header, NULL);
    g_test_message ("Retry-After: %s", header);
    g_assert_cmpfloat (retry, >, 0);
    g_assert_cmpfloat (retry, <=, 2.0);
  }
  /* Graph has its own window */
  {
    g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", "/graph/v1.0/me");

    g_assert_cmpuint (reply->status, !=, 429);
  }
}

static void
test_realistic_rate_inner (void)
{
  BcsSandboxOptions options;
  g_autoptr(BcsSandbox) sandbox = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsSbRequest) inner = bcs_sb_request_new (BCS_SB_GRAPH, "POST", "/me/contacts");

  bcs_sandbox_options_init (&options);
  options.realistic = TRUE;
  sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);

  json_parser_load_from_data (parser, "{\"service\": \"graph\", \"rate\": 5, \"window_ms\": 60000}", -1, &error);
  g_assert_true (bcs_sb_limits_configure (sandbox, json_parser_get_root (parser), &error));
  g_assert_no_error (error);

  /* inner requests count one by one */
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(BcsSbResponse) response = bcs_sb_response_new ();
      gboolean limited = bcs_sb_check_inner_limits (sandbox, inner, response);

      g_assert_cmpint (limited, ==, i >= 5);
      if (limited)
        {
          g_assert_cmpuint (response->status, ==, 429);
          g_assert_nonnull (soup_message_headers_get_one (response->headers, "Retry-After"));
        }
    }
}

static void
tweak_latency (BcsSandboxOptions *options)
{
  options->latency_ms = 600;
}

static void
test_latency_only (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_latency);
  g_autoptr(BcsSandbox) fast = start_sandbox (NULL);
  double one_ms, eight_ms, fast_ms;
  guint active = 0, waiting = 0;

  one_ms = parallel_ms (sandbox, "/bc/environments/v1.2", 1, NULL, NULL, NULL);
  /* latency without --realistic: no concurrency limit, nothing waits */
  eight_ms = parallel_ms (sandbox, "/graph/v1.0/me", 8, "graph", &active, &waiting);
  fast_ms = parallel_ms (fast, "/graph/v1.0/me", 8, NULL, NULL, NULL);
  g_test_message ("--latency-ms 600: one request %.0f ms, 8 at once %.0f ms (at most %u running, "
                  "%u waiting); no latency: 8 at once %.1f ms", one_ms, eight_ms, active, waiting,
                  fast_ms);
  g_assert_cmpfloat (one_ms, >=, 595);
  g_assert_cmpfloat (eight_ms, >=, 595);
  g_assert_cmpuint (active, >, 4);
  g_assert_cmpuint (waiting, ==, 0);
  g_assert_cmpfloat (fast_ms, <, 3000);
}

/* ---- speed ---- */

static void
tweak_big (BcsSandboxOptions *options)
{
  options->bc_contacts = 1000;
  options->outlook_contacts = 1000;
}

static void
test_speed (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_big);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *bc_bearer = NULL;
  g_autofree char *graph_bearer = sign_in (session, sandbox, &bc_bearer);
  g_autofree char *folder_id = NULL;
  g_autofree char *company_id = NULL;
  g_autofree char *path = NULL;
  GString *batch;
  double graph_page_ms, bc_page_ms, batch_ms, bc_batch_ms;
  gint64 start;

  /* the seeded Outlook folder */
  {
    g_autoptr(Reply) reply = send_full (session, sandbox, "GET",
                                        "/graph/v1.0/me/contactFolders?$filter=displayName%20eq%20'Business%20Central'",
                                        NULL, NULL, "Authorization", graph_bearer, NULL);
    g_autoptr(JsonNode) node = reply_json (reply);
    JsonArray *value;

    g_assert_cmpuint (reply->status, ==, 200);
    value = json_object_get_array_member (json_node_get_object (node), "value");
    g_assert_cmpuint (json_array_get_length (value), ==, 1);
    folder_id = g_strdup (json_object_get_string_member (json_array_get_object_element (value, 0), "id"));
  }

  path = g_strdup_printf ("/graph/v1.0/me/contactFolders/%s/contacts?$top=1000", folder_id);
  reply_free (send_full (session, sandbox, "GET", path, NULL, NULL, "Authorization", graph_bearer, NULL));
  start = g_get_monotonic_time ();
  {
    g_autoptr(Reply) reply = send_full (session, sandbox, "GET", path, NULL, NULL,
                                        "Authorization", graph_bearer, NULL);
    g_autoptr(JsonNode) node = NULL;

    graph_page_ms = timed_ms (start);
    node = reply_json (reply);
    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (node), "value")), ==, 1000);
  }

  {
    g_autoptr(Reply) reply = send_full (session, sandbox, "GET", "/bc/v2.0/sandbox/production/api/v2.0/companies",
                                        NULL, NULL, "Authorization", bc_bearer, NULL);
    g_autoptr(JsonNode) node = reply_json (reply);
    JsonArray *value;

    g_assert_cmpuint (reply->status, ==, 200);
    value = json_object_get_array_member (json_node_get_object (node), "value");
    g_assert_cmpuint (json_array_get_length (value), >=, 1);
    company_id = g_strdup (json_object_get_string_member (json_array_get_object_element (value, 0), "id"));
  }
  g_free (path);
  path = g_strdup_printf ("/bc/v2.0/sandbox/production/api/v2.0/companies(%s)/contacts", company_id);
  start = g_get_monotonic_time ();
  {
    g_autoptr(Reply) reply = send_full (session, sandbox, "GET", path, NULL, NULL,
                                        "Authorization", bc_bearer, NULL);
    g_autoptr(JsonNode) node = NULL;

    bc_page_ms = timed_ms (start);
    node = reply_json (reply);
    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (node), "value")), >=, 1000);
  }

  batch = g_string_new ("{\"requests\": [");
  for (guint i = 0; i < 20; i++)
    g_string_append_printf (batch, "%s{\"id\": \"%u\", \"method\": \"POST\", "
                            "\"url\": \"/me/contactFolders/%s/contacts\", "
                            "\"headers\": {\"Content-Type\": \"application/json\"}, "
                            "\"body\": {\"givenName\": \"Batch\", \"surname\": \"Person %u\", "
                            "\"displayName\": \"Batch Person %u\", \"emailAddresses\": "
                            "[{\"address\": \"batch%u@example.com\", \"name\": \"Batch Person %u\"}]}}",
                            i ? ", " : "", i, folder_id, i, i, i, i);
  g_string_append (batch, "]}");
  start = g_get_monotonic_time ();
  {
    g_autoptr(Reply) reply = send_full (session, sandbox, "POST", "/graph/v1.0/$batch",
                                        "application/json", batch->str,
                                        "Authorization", graph_bearer, NULL);
    g_autoptr(JsonNode) node = NULL;
    JsonArray *responses;

    batch_ms = timed_ms (start);
    node = reply_json (reply);
    g_assert_cmpuint (reply->status, ==, 200);
    responses = json_object_get_array_member (json_node_get_object (node), "responses");
    g_assert_cmpuint (json_array_get_length (responses), ==, 20);
    for (guint i = 0; i < 20; i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (responses, i), "status"), ==, 201);
  }
  g_string_free (batch, TRUE);

  batch = g_string_new ("{\"requests\": [");
  for (guint i = 0; i < 20; i++)
    g_string_append_printf (batch, "%s{\"id\": \"%u\", \"method\": \"POST\", "
                            "\"url\": \"companies(%s)/contacts\", "
                            "\"headers\": {\"Content-Type\": \"application/json\"}, "
                            "\"body\": {\"displayName\": \"Batch Person %u\", \"type\": \"Person\", "
                            "\"email\": \"bcbatch%u@example.com\"}}",
                            i ? ", " : "", i, company_id, i, i);
  g_string_append (batch, "]}");
  start = g_get_monotonic_time ();
  {
    g_autoptr(Reply) reply = send_full (session, sandbox, "POST", "/bc/v2.0/sandbox/production/api/v2.0/$batch",
                                        "application/json", batch->str,
                                        "Authorization", bc_bearer, NULL);

    bc_batch_ms = timed_ms (start);
    g_assert_cmpuint (reply->status, ==, 200);
  }
  g_string_free (batch, TRUE);

  g_test_message ("speed: Graph page of 1,000 contacts %.1f ms, BC page of 1,000 contacts %.1f ms, "
                  "Graph $batch of 20 creates %.1f ms, BC $batch of 20 creates %.1f ms",
                  graph_page_ms, bc_page_ms, batch_ms, bc_batch_ms);
  /* a benchmark figure, not a timed test: only a bound no build should reach
   * (sanitizer builds are many times slower) */
  g_assert_cmpfloat (graph_page_ms, <, 3000);
  g_assert_cmpfloat (bc_page_ms, <, 3000);
  g_assert_cmpfloat (batch_ms, <, 3000);
  g_assert_cmpfloat (bc_batch_ms, <, 3000);
}

/* A Graph $batch takes ceil(n / 4) rounds of the write latency, and its inner
 * requests count one by one against the rate window */
static void
test_realistic_batch (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_realistic);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *bearer = sign_in (session, sandbox, NULL);
  g_autoptr(GString) batch = g_string_new ("{\"requests\": [");
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *responses;
  guint ok = 0, throttled = 0;
  gint64 start;
  double batch_ms;

  post_control (sandbox, "/_sandbox/limits",
                "{\"service\": \"graph\", \"write_ms\": 100, \"rate\": 10, \"window_ms\": 60000}");
  for (guint i = 0; i < 12; i++)
    g_string_append_printf (batch, "%s{\"id\": \"%u\", \"method\": \"GET\", \"url\": \"/me\"}",
                            i ? ", " : "", i);
  g_string_append (batch, "]}");

  start = g_get_monotonic_time ();
  reply = send_full (session, sandbox, "POST", "/graph/v1.0/$batch", "application/json", batch->str,
                     "Authorization", bearer, NULL);
  batch_ms = timed_ms (start);
  node = reply_json (reply);
  g_assert_cmpuint (reply->status, ==, 200);
  responses = json_object_get_array_member (json_node_get_object (node), "responses");
  g_assert_cmpuint (json_array_get_length (responses), ==, 12);
  for (guint i = 0; i < 12; i++)
    {
      gint64 status = json_object_get_int_member (json_array_get_object_element (responses, i), "status");

      if (status == 200)
        ok++;
      else if (status == 429)
        throttled++;
    }

  g_test_message ("$batch of 12 at 100 ms per write, 4 at a time: %.0f ms; %u served, %u throttled",
                  batch_ms, ok, throttled);
  g_assert_cmpuint (ok, ==, 10);
  g_assert_cmpuint (throttled, ==, 2);
  g_assert_cmpfloat (batch_ms, >=, 295);
}

/* ---- $batch requests and plain requests at once ---- */

#define MAX_SENT 16

typedef struct Sent Sent;

typedef struct {
  guint pending;
  gint64 start;
  double done_ms[MAX_SENT];     /* when each request was answered, from START */
  guint status[MAX_SENT];
  guint inner_ok;               /* inner requests answered 200 */
  guint inner;
} Mixed;

struct Sent {
  Mixed *mixed;
  guint index;
};

static void
mixed_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Sent *sent = data;
  Mixed *mixed = sent->mixed;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  g_assert_nonnull (bytes);
  mixed->done_ms[sent->index] = timed_ms (mixed->start);
  mixed->status[sent->index] = soup_message_get_status (msg);
  if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "responses"))
    {
      JsonArray *responses = json_object_get_array_member (json_node_get_object (root), "responses");

      for (guint i = 0; i < json_array_get_length (responses); i++)
        {
          mixed->inner++;
          if (json_object_get_int_member (json_array_get_object_element (responses, i), "status") == 200)
            mixed->inner_ok++;
        }
    }
  mixed->pending--;
  g_free (sent);
}

/* A $batch of N reads of /me (the sandbox counts every inner request as a write) */
static char *
batch_of_reads (guint n)
{
  GString *batch = g_string_new ("{\"requests\": [");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (batch, "%s{\"id\": \"%u\", \"method\": \"GET\", \"url\": \"/me\"}",
                            i ? ", " : "", i);
  g_string_append (batch, "]}");
  return g_string_free (batch, FALSE);
}

/* Sends, all at once, one $batch of SIZES[i] inner requests for each SIZES[i]
 * > 0 and one GET /me for each 0, in that order; the time until all answered,
 * in ms, and the Graph limits' peaks */
static double
send_mixed (BcsSandbox   *sandbox,
            const char   *bearer,
            const guint  *sizes,
            guint         n,
            Mixed        *mixed,
            guint        *max_active,
            guint        *max_waiting)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *batch_url = g_strconcat (bcs_sandbox_get_url (sandbox), "/graph/v1.0/$batch", NULL);
  g_autofree char *me_url = g_strconcat (bcs_sandbox_get_url (sandbox), "/graph/v1.0/me", NULL);
  g_autoptr(JsonNode) limits = NULL;
  JsonObject *graph;
  guint status = 0;
  double elapsed;

  g_assert_cmpuint (n, <=, MAX_SENT);
  memset (mixed, 0, sizeof *mixed);
  g_main_context_push_thread_default (context);
  session = new_session ();
  post_control (sandbox, "/_sandbox/limits", "{\"service\": \"graph\"}");    /* peaks from 0 */
  mixed->start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (sizes[i] > 0 ? "POST" : "GET",
                                                     sizes[i] > 0 ? batch_url : me_url);
      Sent *sent = g_new0 (Sent, 1);

      sent->mixed = mixed;
      sent->index = i;
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
      if (sizes[i] > 0)
        {
          char *body = batch_of_reads (sizes[i]);
          gsize length = strlen (body);
          g_autoptr(GBytes) bytes = g_bytes_new_take (body, length);

          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }
      mixed->pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, mixed_done_cb, sent);
    }
  while (mixed->pending > 0)
    g_main_context_iteration (context, TRUE);
  elapsed = timed_ms (mixed->start);
  g_clear_object (&session);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  /* afterwards nothing runs or waits */
  limits = bcs_sandbox_request (sandbox, "GET", "/_sandbox/limits", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  graph = json_object_get_object_member (json_node_get_object (limits), "graph");
  g_assert_cmpint (json_object_get_int_member (graph, "active"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (graph, "waiting"), ==, 0);
  *max_active = (guint) json_object_get_int_member (graph, "peak_active");
  *max_waiting = (guint) json_object_get_int_member (graph, "peak_waiting");
  return elapsed;
}

/* Two $batch requests of 20 share the mailbox's 4 slots: 40 inner requests,
 * 4 at a time, at 100 ms each take 1 s, not the 0.5 s of one batch; the first
 * batch keeps its place, so the second answers about 0.5 s later */
static void
test_realistic_batches_share_slots (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_realistic);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *bearer = sign_in (session, sandbox, NULL);
  const guint sizes[] = { 20, 20 };
  Mixed mixed;
  guint active = 0, waiting = 0;
  double ms, first, second;

  post_control (sandbox, "/_sandbox/limits", "{\"service\": \"graph\", \"write_ms\": 100}");
  ms = send_mixed (sandbox, bearer, sizes, G_N_ELEMENTS (sizes), &mixed, &active, &waiting);
  first = MIN (mixed.done_ms[0], mixed.done_ms[1]);
  second = MAX (mixed.done_ms[0], mixed.done_ms[1]);
  g_test_message ("two $batch of 20 at 100 ms per inner request: %.0f ms (answered at %.0f and %.0f ms; "
                  "at most %u running, %u waiting)", ms, first, second, active, waiting);
  g_assert_cmpuint (mixed.status[0], ==, 200);
  g_assert_cmpuint (mixed.status[1], ==, 200);
  g_assert_cmpuint (mixed.inner, ==, 40);
  g_assert_cmpuint (mixed.inner_ok, ==, 40);
  g_assert_cmpfloat (ms, >=, 995);
  g_assert_cmpfloat (first, >=, 495);
  g_assert_cmpfloat (second - first, >=, 395);
  g_assert_cmpuint (active, ==, 4);
  g_assert_cmpuint (waiting, >=, 1);
}

/* Plain requests and the inner requests of a $batch share the slots too */
static void
test_realistic_batch_and_requests (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_realistic);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *bearer = sign_in (session, sandbox, NULL);
  const guint sizes[] = { 20, 0, 0, 0, 0 };
  Mixed mixed;
  guint active = 0, waiting = 0;
  double ms;

  post_control (sandbox, "/_sandbox/limits", "{\"service\": \"graph\", \"read_ms\": 100, \"write_ms\": 100}");
  ms = send_mixed (sandbox, bearer, sizes, G_N_ELEMENTS (sizes), &mixed, &active, &waiting);
  g_test_message ("a $batch of 20 and 4 reads at 100 ms each: %.0f ms (at most %u running, %u waiting)",
                  ms, active, waiting);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    g_assert_cmpuint (mixed.status[i], ==, 200);
  g_assert_cmpuint (mixed.inner_ok, ==, 20);
  /* 24 requests, 4 at a time */
  g_assert_cmpfloat (ms, >=, 595);
  g_assert_cmpuint (active, ==, 4);
  g_assert_cmpuint (waiting, >=, 1);
}

/* Outlook runs 4 inner requests of a $batch at a time even with slots to spare */
static void
test_realistic_batch_inner_at_a_time (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_realistic);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *bearer = sign_in (session, sandbox, NULL);
  const guint one[] = { 20 };
  const guint two[] = { 8, 8 };
  Mixed mixed;
  guint one_active = 0, two_active = 0, waiting = 0;
  double one_ms, two_ms;

  post_control (sandbox, "/_sandbox/limits",
                "{\"service\": \"graph\", \"concurrency\": 0, \"write_ms\": 200}");
  one_ms = send_mixed (sandbox, bearer, one, G_N_ELEMENTS (one), &mixed, &one_active, &waiting);
  g_assert_cmpuint (mixed.inner_ok, ==, 20);
  two_ms = send_mixed (sandbox, bearer, two, G_N_ELEMENTS (two), &mixed, &two_active, &waiting);
  g_assert_cmpuint (mixed.inner_ok, ==, 16);
  g_test_message ("without a concurrency limit, at 200 ms per inner request: a $batch of 20 %.0f ms "
                  "(at most %u running); two of 8 %.0f ms (at most %u running)",
                  one_ms, one_active, two_ms, two_active);
  g_assert_cmpuint (one_active, ==, 4);
  g_assert_cmpfloat (one_ms, >=, 995);
  g_assert_cmpuint (two_active, ==, 8);
  g_assert_cmpfloat (two_ms, >=, 395);
}

void
add_limit_tests (void)
{
  g_test_add_func ("/sandbox-core/realistic/concurrency", test_realistic_concurrency);
  g_test_add_func ("/sandbox-core/realistic/rate", test_realistic_rate);
  g_test_add_func ("/sandbox-core/realistic/rate-inner", test_realistic_rate_inner);
  g_test_add_func ("/sandbox-core/realistic/batch", test_realistic_batch);
  g_test_add_func ("/sandbox-core/realistic/batches-share-slots", test_realistic_batches_share_slots);
  g_test_add_func ("/sandbox-core/realistic/batch-and-requests", test_realistic_batch_and_requests);
  g_test_add_func ("/sandbox-core/realistic/batch-inner-at-a-time", test_realistic_batch_inner_at_a_time);
  g_test_add_func ("/sandbox-core/latency-only", test_latency_only);
  g_test_add_func ("/sandbox-core/speed", test_speed);
}
