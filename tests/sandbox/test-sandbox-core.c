/* test-sandbox-core.c — the sandbox's server, control API, faults, limits, seeding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "bcs-sb-core.h"

#define GRAPH_SCOPE "offline_access User.Read Contacts.ReadWrite"
#define BC_SCOPE    "https://api.businesscentral.dynamics.com/Financials.ReadWrite.All"
#define REDIRECT    "http://localhost:8400"

/* ---- helpers ---- */

typedef struct {
  guint status;
  GBytes *body;
  SoupMessageHeaders *headers;
  GError *error;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static BcsSandbox *
start_sandbox (void (*tweak) (BcsSandboxOptions *options))
{
  BcsSandboxOptions options;
  BcsSandbox *sandbox;
  g_autoptr(GError) error = NULL;

  bcs_sandbox_options_init (&options);
  options.auto_approve = TRUE;
  if (tweak != NULL)
    tweak (&options);
  sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);
  g_assert_true (bcs_sandbox_start_thread (sandbox, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bcs_sandbox_get_url (sandbox), "http://127.0.0.1:"));
  return sandbox;
}

static SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 32,
                                        "timeout", 30, NULL);
}

/* Sends a request; HEADERS: NULL-terminated name, value pairs */
static Reply *
send_full (SoupSession *session,
           BcsSandbox  *sandbox,
           const char  *method,
           const char  *path,
           const char  *content_type,
           const char  *body,
           ...)
{
  g_autofree char *url = g_strconcat (bcs_sandbox_get_url (sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Reply *reply = g_new0 (Reply, 1);
  const char *name;
  va_list args;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), name,
                                  va_arg (args, const char *));
  va_end (args);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  reply->body = soup_session_send_and_read (session, msg, NULL, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

#define send_simple(session, sandbox, method, path) \
  send_full ((session), (sandbox), (method), (path), NULL, NULL, NULL)

static JsonNode *
reply_json (Reply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data;

  if (reply->body == NULL)
    return NULL;
  data = g_bytes_get_data (reply->body, &length);
  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static const char *
error_code (JsonNode *node)
{
  JsonObject *error;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  error = json_object_get_object_member (json_node_get_object (node), "error");
  return error ? json_object_get_string_member_with_default (error, "code", NULL) : NULL;
}

static gint64
stat_member (JsonNode   *stats,
             const char *group,
             const char *name)
{
  JsonObject *object = json_object_get_object_member (json_node_get_object (stats), group);

  return json_object_get_int_member_with_default (object, name, 0);
}

static void
post_control (BcsSandbox *sandbox,
              const char *path,
              const char *json)
{
  guint status = 0;
  g_autoptr(JsonNode) node = bcs_sandbox_request (sandbox, "POST", path, json, &status);

  g_assert_cmpuint (status, ==, 200);
}

static void
add_faults (BcsSandbox *sandbox,
            const char *rules_json)
{
  g_autofree char *body = g_strdup_printf ("{\"rules\": %s}", rules_json);

  post_control (sandbox, "/_sandbox/faults", body);
}

/* Drops what may differ between two seedings: times and what derives from them */
static void
normalize (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (strstr (name, "DateTime") != NULL || strstr (name, "etag") != NULL ||
              strcmp (name, "changeKey") == 0 || strcmp (name, "login") == 0)
            json_object_remove_member (object, name);
          else
            normalize (json_object_get_member (object, name));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        normalize (json_array_get_element (array, i));
    }
}

static char *
state_text (BcsSandbox *sandbox,
            gboolean    normalized)
{
  guint status = 0;
  g_autoptr(JsonNode) state = bcs_sandbox_request (sandbox, "GET", "/_sandbox/state", NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (state);
  if (normalized)
    normalize (state);
  return json_to_string (state, FALSE);
}

/* ---- the executable ---- */

static void
test_executable (void)
{
  const char *exe = g_getenv ("BCS_TEST_SANDBOX");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *state_file = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *stats_url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonObject *state;

  if (exe == NULL)
    {
      g_test_skip ("BCS_TEST_SANDBOX is not set (run through meson test)");
      return;
    }

  dir = g_dir_make_tmp ("bcs-sandbox-XXXXXX", &error);
  g_assert_no_error (error);
  state_file = g_build_filename (dir, "state.json", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "--port", "0",
                              "--bc-contacts", "12", "--outlook-contacts", "5", "--seed", "3",
                              "--state", state_file, "--auto-approve", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "bcs-sandbox listening on http://127.0.0.1:"));

  stats_url = g_strconcat (line + strlen ("bcs-sandbox listening on "), "/_sandbox/stats", NULL);
  msg = soup_message_new ("GET", stats_url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* it saved its state on the way out */
  json_parser_load_from_file (parser, state_file, &error);
  g_assert_no_error (error);
  state = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (state, "bc"));
  g_assert_true (json_object_has_member (state, "outlook"));
  g_assert_true (json_object_has_member (state, "login"));

  g_unlink (state_file);
  g_rmdir (dir);
}

/* ---- stats, routing, control API ---- */

static void
test_stats (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (NULL);
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(Reply) login = send_simple (session, sandbox, "GET",
                                        "/login/sandbox/v2.0/.well-known/openid-configuration");
  g_autoptr(Reply) graph1 = send_simple (session, sandbox, "GET", "/graph/v1.0/me");
  g_autoptr(Reply) graph2 = send_simple (session, sandbox, "GET", "/graph/v1.0/me/contactFolders");
  g_autoptr(Reply) bc = send_simple (session, sandbox, "GET", "/bc/environments/v1.2");
  g_autoptr(Reply) unknown = send_simple (session, sandbox, "GET", "/nowhere");
  g_autoptr(JsonNode) stats = NULL;
  guint status = 0;
  gint64 total = 0;
  JsonObject *by_status;
  g_autoptr(GList) members = NULL;

  g_assert_no_error (login->error);
  g_assert_no_error (graph1->error);
  g_assert_no_error (bc->error);

  stats = bcs_sandbox_request (sandbox, "GET", "/_sandbox/stats", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (stat_member (stats, "requests", "login"), ==, 1);
  g_assert_cmpint (stat_member (stats, "requests", "graph"), ==, 2);
  g_assert_cmpint (stat_member (stats, "requests", "bc"), ==, 1);

  /* every counted request's status is counted; control requests and
   * unknown paths are not */
  by_status = json_object_get_object_member (json_node_get_object (stats), "by_status");
  members = json_object_get_members (by_status);
  for (GList *l = members; l != NULL; l = l->next)
    total += json_object_get_int_member (by_status, l->data);
  g_assert_cmpint (total, ==, 4);
  {
    g_autofree char *key = g_strdup_printf ("%u", graph1->status);

    g_assert_cmpint (json_object_get_int_member_with_default (by_status, key, 0), >=, 1);
  }

  /* DELETE clears them */
  g_clear_pointer (&stats, json_node_unref);
  stats = bcs_sandbox_request (sandbox, "DELETE", "/_sandbox/stats", NULL, &status);
  g_clear_pointer (&stats, json_node_unref);
  stats = bcs_sandbox_request (sandbox, "GET", "/_sandbox/stats", NULL, &status);
  g_assert_cmpint (stat_member (stats, "requests", "graph"), ==, 0);
}

static void
test_unknown_path (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (NULL);
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", "/v1.0/me");
  g_autoptr(Reply) control = send_simple (session, sandbox, "GET", "/_sandbox/nothing-here");
  g_autoptr(JsonNode) node = reply_json (reply);
  g_autoptr(JsonNode) control_node = reply_json (control);

  g_assert_cmpuint (reply->status, ==, 404);
  g_assert_cmpstr (error_code (node), ==, "NotFound");
  g_assert_cmpuint (control->status, ==, 404);
  g_assert_cmpstr (error_code (control_node), ==, "NotFound");

  /* a prefix must end at a path separator */
  {
    g_autoptr(Reply) near = send_simple (session, sandbox, "GET", "/graphs/v1.0/me");

    g_assert_cmpuint (near->status, ==, 404);
  }
}

static void
tweak_seeded (BcsSandboxOptions *options)
{
  options->bc_contacts = 40;
  options->outlook_contacts = 25;
  options->seed = 7;
}

static void
test_reset (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_seeded);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *before = state_text (sandbox, TRUE);
  g_autofree char *changed = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) stats = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autoptr(JsonNode) created = NULL;
  guint status = 0;

  created = bcs_sandbox_request (sandbox, "POST", "/_sandbox/bc/contacts",
                                 "{\"displayName\": \"Reset Probe\", \"type\": \"Person\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  changed = state_text (sandbox, TRUE);
  g_assert_cmpstr (changed, !=, before);
  add_faults (sandbox, "[{\"service\": \"graph\", \"status\": 503}]");
  g_clear_pointer (&created, json_node_unref);
  {
    g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", "/graph/v1.0/me");

    g_assert_cmpuint (reply->status, ==, 503);
  }

  post_control (sandbox, "/_sandbox/reset", NULL);

  after = state_text (sandbox, TRUE);
  g_assert_cmpstr (after, ==, before);
  stats = bcs_sandbox_request (sandbox, "GET", "/_sandbox/stats", NULL, &status);
  g_assert_cmpint (stat_member (stats, "requests", "graph"), ==, 0);
  faults = bcs_sandbox_request (sandbox, "GET", "/_sandbox/faults", NULL, &status);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (faults), "rules")), ==, 0);
}

static char *state_file_for_tweak;

static void
tweak_state_file (BcsSandboxOptions *options)
{
  options->bc_contacts = 30;
  options->outlook_contacts = 20;
  options->seed = 11;
  options->state_file = g_strdup (state_file_for_tweak);
}

static void
tweak_state_file_other_seed (BcsSandboxOptions *options)
{
  tweak_state_file (options);
  options->seed = 12;
  options->bc_contacts = 3;
}

static void
test_state_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bcs-sandbox-XXXXXX", &error);
  g_autofree char *saved = NULL;
  g_autofree char *loaded = NULL;
  g_autofree char *at_exit = NULL;
  BcsSandbox *sandbox;

  g_assert_no_error (error);
  state_file_for_tweak = g_build_filename (dir, "state.json", NULL);

  sandbox = start_sandbox (tweak_state_file);
  {
    guint status = 0;
    g_autoptr(JsonNode) created = bcs_sandbox_request (sandbox, "POST", "/_sandbox/bc/contacts",
                                                       "{\"displayName\": \"Saved Contact\"}", &status);

    g_assert_cmpuint (status, ==, 201);
  }
  g_assert_true (bcs_sandbox_save_state (sandbox, &error));
  g_assert_no_error (error);
  saved = state_text (sandbox, FALSE);
  g_assert_true (g_file_test (state_file_for_tweak, G_FILE_TEST_EXISTS));
  bcs_sandbox_free (sandbox);

  /* another seed, but the state file wins: the same state, exactly */
  sandbox = start_sandbox (tweak_state_file_other_seed);
  loaded = state_text (sandbox, FALSE);
  g_assert_cmpstr (loaded, ==, saved);
  g_assert_nonnull (strstr (loaded, "Saved Contact"));

  /* freeing saves too */
  {
    guint status = 0;
    g_autoptr(JsonNode) created = bcs_sandbox_request (sandbox, "POST", "/_sandbox/bc/contacts",
                                                       "{\"displayName\": \"Saved At Exit\"}", &status);

    g_assert_cmpuint (status, ==, 201);
  }
  bcs_sandbox_free (sandbox);
  g_file_get_contents (state_file_for_tweak, &at_exit, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (at_exit, "Saved At Exit"));

  g_unlink (state_file_for_tweak);
  g_rmdir (dir);
  g_clear_pointer (&state_file_for_tweak, g_free);
}

static guint64 seed_for_tweak;

static void
tweak_seed (BcsSandboxOptions *options)
{
  options->bc_contacts = 50;
  options->outlook_contacts = 30;
  options->seed = seed_for_tweak;
}

static void
test_seed_deterministic (void)
{
  g_autoptr(BcsSandbox) a = NULL;
  g_autoptr(BcsSandbox) b = NULL;
  g_autoptr(BcsSandbox) c = NULL;
  g_autofree char *state_a = NULL;
  g_autofree char *state_b = NULL;
  g_autofree char *state_c = NULL;

  seed_for_tweak = 42;
  a = start_sandbox (tweak_seed);
  b = start_sandbox (tweak_seed);
  seed_for_tweak = 43;
  c = start_sandbox (tweak_seed);

  state_a = state_text (a, TRUE);
  state_b = state_text (b, TRUE);
  state_c = state_text (c, TRUE);
  g_assert_cmpstr (state_a, ==, state_b);
  g_assert_cmpstr (state_a, !=, state_c);
}

static void
test_fake_data (void)
{
  g_autoptr(GHashTable) emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) countries = g_hash_table_new (g_str_hash, g_str_equal);
  guint without_email = 0, non_ascii = 0, second_line = 0;
  const guint n = 1000;

  /* the INDEX-th person does not depend on what was made before */
  {
    g_autoptr(BcsSbFakePerson) late = bcs_sb_fake_person (5, 500);
    g_autoptr(BcsSbFakePerson) early = bcs_sb_fake_person (5, 3);
    g_autoptr(BcsSbFakePerson) again = bcs_sb_fake_person (5, 500);
    g_autoptr(BcsSbFakePerson) other_seed = bcs_sb_fake_person (6, 500);
    g_autoptr(BcsSbFakePerson) company = bcs_sb_fake_company (5, 9);
    g_autoptr(BcsSbFakePerson) company_again = bcs_sb_fake_company (5, 9);

    g_assert_cmpstr (late->given_name, ==, again->given_name);
    g_assert_cmpstr (late->surname, ==, again->surname);
    g_assert_cmpstr (late->email, ==, again->email);
    g_assert_cmpstr (late->phone, ==, again->phone);
    g_assert_cmpstr (late->address_line1, ==, again->address_line1);
    g_assert_false (g_strcmp0 (late->phone, other_seed->phone) == 0 &&
                    g_strcmp0 (late->address_line1, other_seed->address_line1) == 0);
    g_assert_nonnull (company->company_name);
    g_assert_cmpstr (company->company_name, ==, company_again->company_name);
    g_assert_cmpstr (company->website, ==, company_again->website);
    (void) early;
  }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BcsSbFakePerson) person = bcs_sb_fake_person (1, i);

      g_assert_true (g_utf8_validate (person->given_name, -1, NULL));
      g_assert_true (g_utf8_validate (person->surname, -1, NULL));
      g_assert_nonnull (person->city);
      g_assert_nonnull (person->country);
      g_assert_nonnull (person->phone);
      g_assert_cmpuint (g_utf8_strlen (person->address_line1, -1), <=, 100);
      g_assert_cmpuint (g_utf8_strlen (person->company_name, -1), <=, 100);
      g_assert_cmpuint (g_utf8_strlen (person->job_title, -1), <=, 30);
      g_hash_table_add (countries, person->country == NULL ? "" : (char *) g_intern_string (person->country));

      if (!g_str_is_ascii (person->given_name) || !g_str_is_ascii (person->surname))
        non_ascii++;
      if (person->address_line2 != NULL)
        second_line++;
      if (person->email == NULL)
        {
          without_email++;
          continue;
        }
      g_assert_true (g_str_is_ascii (person->email));
      g_assert_nonnull (strchr (person->email, '@'));
      g_assert_cmpuint (strlen (person->email), <=, 80);
      /* e-mails never collide */
      g_assert_false (g_hash_table_contains (emails, person->email));
      g_hash_table_add (emails, g_strdup (person->email));
    }

  g_test_message ("%u of %u without e-mail, %u with non-ASCII names, %u with a second "
                  "address line, %u countries", without_email, n, non_ascii, second_line,
                  g_hash_table_size (countries));
  g_assert_cmpuint (without_email, >=, n * 3 / 100);
  g_assert_cmpuint (without_email, <=, n * 15 / 100);
  g_assert_cmpuint (non_ascii, >=, n / 10);
  g_assert_cmpuint (second_line, >=, n / 20);
  g_assert_cmpuint (g_hash_table_size (countries), >=, 8);

  /* transliteration: a Danish or German name gives a readable ASCII address */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BcsSbFakePerson) person = bcs_sb_fake_person (1, i);

      if (person->email != NULL && g_str_has_prefix (person->given_name, "Søren"))
        {
          g_assert_true (g_str_has_prefix (person->email, "soren."));
          break;
        }
    }
}

/* ---- faults ---- */

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

static void
test_control_loopback (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (NULL);
  g_autoptr(SoupSession) session = new_session ();
  const char *paths[] = { "/_sandbox/state", "/_sandbox/stats", "/_sandbox/faults", "/_sandbox/limits" };

  /* no auth needed from loopback */
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Reply) reply = send_simple (session, sandbox, "GET", paths[i]);
      g_autoptr(JsonNode) node = reply_json (reply);

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_nonnull (node);
    }

  /* the server only listens on loopback */
  {
    g_autoptr(GUri) uri = g_uri_parse (bcs_sandbox_get_url (sandbox), G_URI_FLAGS_NONE, NULL);

    g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
    g_assert_cmpuint (sandbox->options.port, ==, 0);
    g_assert_cmpint (g_uri_get_port (uri), >, 0);
  }
}

/* ---- --realistic and --latency-ms ---- */

typedef struct {
  guint pending;
  GMainContext *context;
} Parallel;

static void
parallel_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Parallel *parallel = data;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  parallel->pending--;
}

/* Sends N requests at once and returns the time until all answered, in ms */
static double
parallel_ms (BcsSandbox *sandbox,
             const char *path,
             guint       n)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = g_strconcat (bcs_sandbox_get_url (sandbox), path, NULL);
  Parallel parallel = { n, context };
  gint64 start;

  g_main_context_push_thread_default (context);
  session = new_session ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                        parallel_done_cb, &parallel);
    }
  while (parallel.pending > 0)
    g_main_context_iteration (context, TRUE);
  g_clear_object (&session);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return (g_get_monotonic_time () - start) / 1000.0;
}

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

  limits = bcs_sandbox_request (sandbox, "GET", "/_sandbox/limits", NULL, &status);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (limits), "graph"), "concurrency"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (limits), "bc"), "concurrency"), ==, 5);

  post_control (sandbox, "/_sandbox/limits", "{\"service\": \"graph\", \"read_ms\": 200}");
  post_control (sandbox, "/_sandbox/limits", "{\"service\": \"bc\", \"read_ms\": 200}");

  /* 8 Graph reads at 4 at a time: two rounds; 10 BC reads at 5 at a time: two rounds */
  graph_ms = parallel_ms (sandbox, "/graph/v1.0/me", 8);
  bc_ms = parallel_ms (sandbox, "/bc/environments/v1.2", 10);

  /* without the concurrency limit the same 8 take one round */
  post_control (sandbox, "/_sandbox/limits", "{\"service\": \"graph\", \"concurrency\": 0}");
  unlimited_ms = parallel_ms (sandbox, "/graph/v1.0/me", 8);

  g_test_message ("8 Graph reads at 200 ms, 4 at a time: %.0f ms; 10 BC reads, 5 at a time: "
                  "%.0f ms; 8 Graph reads without a limit: %.0f ms", graph_ms, bc_ms, unlimited_ms);
  g_assert_cmpfloat (graph_ms, >=, 395);
  g_assert_cmpfloat (graph_ms, <, 1600);
  g_assert_cmpfloat (bc_ms, >=, 395);
  g_assert_cmpfloat (bc_ms, <, 1600);
  g_assert_cmpfloat (unlimited_ms, >=, 195);
  g_assert_cmpfloat (unlimited_ms, <, 395);
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
  options->latency_ms = 150;
}

static void
test_latency_only (void)
{
  g_autoptr(BcsSandbox) sandbox = start_sandbox (tweak_latency);
  g_autoptr(BcsSandbox) fast = start_sandbox (NULL);
  double one_ms, eight_ms, fast_ms;

  one_ms = parallel_ms (sandbox, "/bc/environments/v1.2", 1);
  /* latency without --realistic: no concurrency limit */
  eight_ms = parallel_ms (sandbox, "/graph/v1.0/me", 8);
  fast_ms = parallel_ms (fast, "/graph/v1.0/me", 8);
  g_test_message ("--latency-ms 150: one request %.0f ms, 8 at once %.0f ms; "
                  "no latency: 8 at once %.1f ms", one_ms, eight_ms, fast_ms);
  g_assert_cmpfloat (one_ms, >=, 145);
  g_assert_cmpfloat (eight_ms, >=, 145);
  g_assert_cmpfloat (eight_ms, <, 295);
  g_assert_cmpfloat (fast_ms, <, 1000);
}

/* ---- speed ---- */

static char *
pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *b64 = NULL;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &length);
  b64 = g_base64_encode (digest, length);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  if (strchr (b64, '=') != NULL)
    *strchr (b64, '=') = '\0';
  return g_steal_pointer (&b64);
}

static char *
json_string_member (JsonNode   *node,
                    const char *name)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (node), name, NULL));
}

/* Signs in with the authorization code flow (auto-approved) and returns
 * "Bearer …" for Graph; *bc_bearer gets one for Business Central */
static char *
sign_in (SoupSession *session,
         BcsSandbox  *sandbox,
         char       **bc_bearer)
{
  const char *verifier = "sandbox-core-test-verifier-0123456789-abcdefghijklmnop";
  g_autofree char *challenge = pkce_challenge (verifier);
  g_autofree char *scope = g_uri_escape_string (GRAPH_SCOPE " " BC_SCOPE, NULL, FALSE);
  g_autofree char *graph_scope = g_uri_escape_string (GRAPH_SCOPE, NULL, FALSE);
  g_autofree char *bc_scope = g_uri_escape_string ("offline_access " BC_SCOPE, NULL, FALSE);
  g_autofree char *redirect = g_uri_escape_string (REDIRECT, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/login/sandbox/oauth2/v2.0/authorize?client_id=sandbox"
                                           "&response_type=code&redirect_uri=%s&response_mode=query"
                                           "&scope=%s&state=s1&code_challenge=%s"
                                           "&code_challenge_method=S256",
                                           redirect, scope, challenge);
  g_autoptr(Reply) authorize = send_simple (session, sandbox, "GET", path);
  const char *location = soup_message_headers_get_one (authorize->headers, "Location");
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *form = NULL;
  g_autoptr(Reply) token = NULL;
  g_autoptr(JsonNode) token_json = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;

  g_assert_cmpuint (authorize->status, ==, 302);
  g_assert_nonnull (location);
  uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (g_hash_table_lookup (params, "code"));

  form = g_strdup_printf ("client_id=sandbox&grant_type=authorization_code&code=%s&redirect_uri=%s"
                          "&code_verifier=%s&scope=%s", (char *) g_hash_table_lookup (params, "code"),
                          redirect, verifier, graph_scope);
  token = send_full (session, sandbox, "POST", "/login/sandbox/oauth2/v2.0/token",
                     "application/x-www-form-urlencoded", form, NULL);
  token_json = reply_json (token);
  g_assert_cmpuint (token->status, ==, 200);
  access = json_string_member (token_json, "access_token");
  refresh = json_string_member (token_json, "refresh_token");
  g_assert_nonnull (access);
  g_assert_nonnull (refresh);

  if (bc_bearer != NULL)
    {
      g_autofree char *refresh_form = g_strdup_printf ("client_id=sandbox&grant_type=refresh_token"
                                                       "&refresh_token=%s&scope=%s", refresh, bc_scope);
      g_autoptr(Reply) bc_token = send_full (session, sandbox, "POST", "/login/sandbox/oauth2/v2.0/token",
                                             "application/x-www-form-urlencoded", refresh_form, NULL);
      g_autoptr(JsonNode) bc_json = reply_json (bc_token);
      g_autofree char *bc_access = json_string_member (bc_json, "access_token");

      g_assert_cmpuint (bc_token->status, ==, 200);
      g_assert_nonnull (bc_access);
      *bc_bearer = g_strconcat ("Bearer ", bc_access, NULL);
    }

  return g_strconcat ("Bearer ", access, NULL);
}

static void
tweak_big (BcsSandboxOptions *options)
{
  options->bc_contacts = 1000;
  options->outlook_contacts = 1000;
}

static double
timed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
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
  g_assert_cmpfloat (graph_page_ms, <, 1000);
  g_assert_cmpfloat (bc_page_ms, <, 1000);
  g_assert_cmpfloat (batch_ms, <, 1000);
  g_assert_cmpfloat (bc_batch_ms, <, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox-core/executable", test_executable);
  g_test_add_func ("/sandbox-core/stats", test_stats);
  g_test_add_func ("/sandbox-core/unknown-path", test_unknown_path);
  g_test_add_func ("/sandbox-core/control-loopback", test_control_loopback);
  g_test_add_func ("/sandbox-core/reset", test_reset);
  g_test_add_func ("/sandbox-core/state-round-trip", test_state_round_trip);
  g_test_add_func ("/sandbox-core/seed-deterministic", test_seed_deterministic);
  g_test_add_func ("/sandbox-core/fake-data", test_fake_data);
  g_test_add_func ("/sandbox-core/faults/status-count", test_faults_status_count);
  g_test_add_func ("/sandbox-core/faults/every", test_faults_every);
  g_test_add_func ("/sandbox-core/faults/retry-after", test_faults_retry_after);
  g_test_add_func ("/sandbox-core/faults/drop", test_faults_drop);
  g_test_add_func ("/sandbox-core/faults/truncate-malformed", test_faults_truncate_malformed);
  g_test_add_func ("/sandbox-core/faults/side-effects", test_faults_side_effects);
  g_test_add_func ("/sandbox-core/faults/inner", test_faults_inner);
  g_test_add_func ("/sandbox-core/realistic/concurrency", test_realistic_concurrency);
  g_test_add_func ("/sandbox-core/realistic/rate", test_realistic_rate);
  g_test_add_func ("/sandbox-core/realistic/rate-inner", test_realistic_rate_inner);
  g_test_add_func ("/sandbox-core/latency-only", test_latency_only);
  g_test_add_func ("/sandbox-core/speed", test_speed);

  return g_test_run ();
}
