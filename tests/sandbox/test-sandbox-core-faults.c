/* test-sandbox-core-faults.c — the sandbox's fault rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "test-sandbox-core.h"

static void
test_faults_status_count (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (NULL);
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(JsonNode) faults = NULL;
  guint status = 0;

  add_faults (sandbox, "[{\"service\": \"graph\", \"path\": \"/me\", \"status\": 503, \"count\": 2}]");

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", "/graph/v1.0/me");
      g_autoptr(JsonNode) node = reply_json (reply);

      if (i < 2)
        {
          g_assert_cmpuint (reply->status, ==, 503);
          g_assert_cmpstr (error_code (node), ==, "ServiceNotAvailable");
        }
      else
        g_assert_cmpuint (reply->status, !=, 503);
    }

  /* the rule went away after its count; another service is untouched */
  faults = bcs_sandbox_request (sandbox, "GET", "/_sandbox/faults", NULL, &status);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (faults), "rules")), ==, 0);

  add_faults (sandbox, "[{\"service\": \"bc\", \"status\": 504}]");
  {
    g_autoptr(Reply) graph = send_simple (session, sandbox, "GET", "/graph/v1.0/me");
    g_autoptr(Reply) bc = send_simple (session, sandbox, "GET", "/bc/environments/v1.2");
    g_autoptr(JsonNode) node = reply_json (bc);

    g_assert_cmpuint (graph->status, !=, 504);
    g_assert_cmpuint (bc->status, ==, 504);
    g_assert_cmpstr (error_code (node), ==, "Internal_GatewayTimeout");
  }

  /* DELETE clears */
  g_clear_pointer (&faults, json_node_unref);
  faults = bcs_sandbox_request (sandbox, "DELETE", "/_sandbox/faults", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  {
    g_autoptr(Reply) bc = send_simple (session, sandbox, "GET", "/bc/environments/v1.2");

    g_assert_cmpuint (bc->status, !=, 504);
  }

  /* a bad rule is refused as a whole */
  g_clear_pointer (&faults, json_node_unref);
  faults = bcs_sandbox_request (sandbox, "POST", "/_sandbox/faults",
                                "{\"rules\": [{\"status\": 500}, {\"kind\": \"explode\"}]}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&faults, json_node_unref);
  faults = bcs_sandbox_request (sandbox, "GET", "/_sandbox/faults", NULL, &status);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (faults), "rules")), ==, 0);
}

static void
test_faults_every (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (NULL);
  g_autoptr(SoupSession) session = new_session ();
  GString *pattern = g_string_new (NULL);

  /* every 3rd matching request, 2 times; non-matching paths don't count */
  add_faults (sandbox, "[{\"service\": \"bc\", \"path\": \"environments\", \"status\": 500, "
                       "\"every\": 3, \"count\": 2}]");
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(Reply) other = send_simple (session, sandbox, "GET", "/bc/v2.0/sandbox/production/api/v2.0/companies");
      g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", "/bc/environments/v1.2");

      g_assert_cmpuint (other->status, !=, 500);
      g_string_append_c (pattern, reply->status == 500 ? 'X' : '.');
    }
  g_assert_cmpstr (pattern->str, ==, "..X..X....");
  g_string_free (pattern, TRUE);
}

static void
check_retry_after (BcsSandbox  *sandbox,
                   SoupSession *session,
                   const char  *service_path,
                   const char  *retry_json,
                   const char  *expected,
                   const char  *code)
{
  g_autofree char *rules = g_strdup_printf ("[{\"status\": 429, \"retry_after\": %s, \"count\": 1}]",
                                            retry_json);
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) node = NULL;

  add_faults (sandbox, rules);
  reply = send_simple (session, sandbox, "GET", service_path);
  node = reply_json (reply);
  g_assert_cmpuint (reply->status, ==, 429);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Retry-After"), ==, expected);
  g_assert_cmpstr (error_code (node), ==, code);
}

static void
test_faults_retry_after (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (NULL);
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(GDateTime) later = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later2 = g_date_time_add_seconds (later, 3);
  g_autofree char *http_date = g_date_time_format (later2, "%a, %d %b %Y %H:%M:%S GMT");
  g_autofree char *http_date_json = g_strdup_printf ("\"%s\"", http_date);

  check_retry_after (sandbox, session, "/graph/v1.0/me", "\"2\"", "2", "TooManyRequests");
  check_retry_after (sandbox, session, "/graph/v1.0/me", "\"2.128\"", "2.128", "TooManyRequests");
  check_retry_after (sandbox, session, "/graph/v1.0/me", "7", "7", "TooManyRequests");
  check_retry_after (sandbox, session, "/bc/environments/v1.2", "2.5", "2.5", "Application_TooManyRequests");
  check_retry_after (sandbox, session, "/bc/environments/v1.2", http_date_json, http_date,
                     "Application_TooManyRequests");
}

static void
test_faults_drop (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (NULL);
  g_autoptr(SoupSession) session = new_session ();

  add_faults (sandbox, "[{\"service\": \"graph\", \"kind\": \"drop\", \"count\": 1}]");
  {
    g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", "/graph/v1.0/me");

    g_assert_nonnull (reply->error);
    g_test_message ("dropped: %s", reply->error->message);
  }
  /* the next request is served again */
  {
    g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", "/graph/v1.0/me");

    g_assert_no_error (reply->error);
    g_assert_cmpuint (reply->status, >, 0);
  }
}

static void
test_faults_truncate_malformed (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (NULL);
  g_autoptr(SoupSession) session = new_session ();
  const char *path = "/login/sandbox/v2.0/.well-known/openid-configuration";
  g_autoptr(Reply) plain = send_simple (session, sandbox, "GET", path);
  g_autoptr(JsonNode) plain_node = reply_json (plain);

  g_assert_nonnull (plain_node);

  add_faults (sandbox, "[{\"service\": \"login\", \"path\": \"openid\", \"kind\": \"truncate\", \"count\": 1},"
                       " {\"service\": \"login\", \"path\": \"openid\", \"kind\": \"malformed\", \"count\": 1}]");
  {
    g_autoptr(Reply) truncated = send_simple (session, sandbox, "GET", path);
    g_autoptr(JsonNode) node = reply_json (truncated);

    g_assert_no_error (truncated->error);
    g_assert_cmpuint (truncated->status, ==, plain->status);
    g_assert_null (node);
    g_assert_cmpuint (g_bytes_get_size (truncated->body), ==, g_bytes_get_size (plain->body) / 2);
  }
  {
    g_autoptr(Reply) malformed = send_simple (session, sandbox, "GET", path);
    g_autoptr(JsonNode) node = reply_json (malformed);

    g_assert_no_error (malformed->error);
    g_assert_cmpuint (malformed->status, ==, 200);
    g_assert_null (node);
    g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (malformed->headers, NULL),
                                     "application/json"));
  }
  {
    g_autoptr(Reply) again = send_simple (session, sandbox, "GET", path);
    g_autoptr(JsonNode) node = reply_json (again);

    g_assert_nonnull (node);
  }
}

static void
test_faults_side_effects (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (NULL);
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(JsonNode) faults = NULL;
  guint status = 0;

  /* these kinds change the state, then the request is served normally */
  add_faults (sandbox, "[{\"service\": \"graph\", \"kind\": \"expire-delta\", \"count\": 1},"
                       " {\"service\": \"bc\", \"kind\": \"change-etag\", \"count\": 1},"
                       " {\"service\": \"graph\", \"path\": \"/me\", \"kind\": \"expire-token\", \"count\": 1}]");
  {
    g_autoptr(Reply) graph = send_simple (session, sandbox, "GET", "/graph/v1.0/me");
    g_autoptr(Reply) bc = send_simple (session, sandbox, "GET", "/bc/environments/v1.2");
    g_autoptr(Reply) graph2 = send_simple (session, sandbox, "GET", "/graph/v1.0/me");

    g_assert_no_error (graph->error);
    g_assert_no_error (bc->error);
    g_assert_no_error (graph2->error);
  }
  faults = bcs_sandbox_request (sandbox, "GET", "/_sandbox/faults", NULL, &status);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (faults), "rules")), ==, 0);
}

/* $batch handlers ask the core about each inner request */
static void
test_faults_inner (void)
{
  BcsSandboxOptions options;
  g_autoptr(BcsSandbox) sandbox = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsSbRequest) inner = NULL;
  g_autoptr(BcsSbRequest) other = NULL;

  bcs_sandbox_options_init (&options);
  sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);

  json_parser_load_from_data (parser, "{\"rules\": [{\"service\": \"graph\", \"path\": \"/contacts?$top=5\", "
                                      "\"status\": 429, \"retry_after\": \"1.5\", \"count\": 1},"
                                      "{\"service\": \"graph\", \"kind\": \"drop\"}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (bcs_sb_faults_add_json (sandbox, json_parser_get_root (parser), &error));

  inner = bcs_sb_request_new (BCS_SB_GRAPH, "GET", "/me/contactFolders/abc/contacts");
  g_hash_table_insert (inner->query, g_strdup ("$top"), g_strdup ("5"));
  inner->in_batch = TRUE;
  other = bcs_sb_request_new (BCS_SB_GRAPH, "GET", "/me/contactFolders/abc/contacts");
  other->in_batch = TRUE;

  {
    g_autoptr(BcsSbResponse) response = bcs_sb_response_new ();

    /* no query: no match; and a drop fault never applies to an inner request */
    g_assert_false (bcs_sb_check_inner_limits (sandbox, other, response));
    g_assert_cmpuint (response->status, ==, 0);
  }
  {
    g_autoptr(BcsSbResponse) response = bcs_sb_response_new ();

    g_assert_true (bcs_sb_check_inner_limits (sandbox, inner, response));
    g_assert_cmpuint (response->status, ==, 429);
    g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Retry-After"), ==, "1.5");
  }
  {
    g_autoptr(BcsSbResponse) response = bcs_sb_response_new ();

    g_assert_false (bcs_sb_check_inner_limits (sandbox, inner, response));
  }
}

void
add_fault_tests (void)
{
  g_test_add_func ("/sandbox-core/faults/status-count", test_faults_status_count);
  g_test_add_func ("/sandbox-core/faults/every", test_faults_every);
  g_test_add_func ("/sandbox-core/faults/retry-after", test_faults_retry_after);
  g_test_add_func ("/sandbox-core/faults/drop", test_faults_drop);
  g_test_add_func ("/sandbox-core/faults/truncate-malformed", test_faults_truncate_malformed);
  g_test_add_func ("/sandbox-core/faults/side-effects", test_faults_side_effects);
  g_test_add_func ("/sandbox-core/faults/inner", test_faults_inner);
}
