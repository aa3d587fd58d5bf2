/* test-sandbox-core.c — the sandbox executable, routing, stats, control API, state and seeding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "test-sandbox-core.h"

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
  g_assert_no_error (graph2->error);
  g_assert_no_error (bc->error);
  g_assert_cmpuint (unknown->status, ==, 404);

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
    g_assert_nonnull (created);
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
    g_assert_nonnull (created);
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

  /* transliteration: Danish, Polish and German names give readable ASCII addresses */
  {
    const struct { const char *given; const char *local; } expected[] = {
      { "Søren", "soren." }, { "Łukasz", "lukasz." }, { "Jürgen", "juergen." },
    };

    for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
      {
        gboolean seen = FALSE;

        for (guint i = 0; i < n && !seen; i++)
          {
            g_autoptr(BcsSbFakePerson) person = bcs_sb_fake_person (1, i);

            if (person->email != NULL && strcmp (person->given_name, expected[e].given) == 0)
              {
                g_assert_true (g_str_has_prefix (person->email, expected[e].local));
                seen = TRUE;
              }
          }
        g_assert_true (seen);
      }
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
  add_fault_tests ();
  add_limit_tests ();

  return g_test_run ();
}
