/* test-sync-crash.c — SIGKILL a real bc-contact-sync at random moments
 *
 * A bcs-sandbox subprocess (BCS_TEST_SANDBOX) holds a few thousand
 * contacts; the real application (BCS_TEST_APP) runs --full-sync / --sync
 * against it and is killed at random moments, many times; a final run must
 * finish and leave no duplicate, no lost contact and no BC contact deleted. */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>
#include <libsoup/soup.h>

#include "bcs-contact.h"
#include "bcs-contact-mapping.h"
#include "bcs-json.h"
#include "sync-test-support.h"

#define KILLS 10

static JsonNode *
get_state (SoupSession *session,
           const char  *url)
{
  g_autofree char *uri = g_strconcat (url, "/_sandbox/state", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  node = bcs_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return node;
}

/* e-mail key → number of BC contacts with it */
static GHashTable *
count_emails (JsonNode *state)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *bc = bcs_json_get_object (bcs_json_node_get_object (state), "bc");
  JsonArray *companies = bcs_json_get_array (bc, "companies");
  JsonArray *contacts = bcs_json_get_array (json_array_get_object_element (companies, 0), "contacts");

  for (guint i = 0; i < json_array_get_length (contacts); i++)
    {
      g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (json_array_get_object_element (contacts, i));
      char *key = bcs_contact_get_email_key (contact);

      if (key == NULL)
        continue;
      g_hash_table_insert (counts, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
    }
  return counts;
}

static GPid
spawn_app (const char  *app,
           const char  *url,
           const char  *mode,
           char       **env)
{
  const char *argv[] = { app, "--sandbox", url, mode, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_assert_true (g_spawn_async (NULL, (char **) argv, env,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static void
test_crash_many_times (void)
{
  const char *app = g_getenv ("BCS_TEST_APP");
  const char *sandbox = g_getenv ("BCS_TEST_SANDBOX");
  g_autofree char *dir = NULL;
  g_autofree char *state_home = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GHashTable) emails_before = NULL;
  g_autoptr(GHashTable) emails_after = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  GHashTableIter iter;
  gpointer key, value;
  GPid sandbox_pid;
  int sandbox_stdout;
  int status;
  guint synced;
  const char *url;

  if (app == NULL || sandbox == NULL)
    {
      g_test_skip ("BCS_TEST_APP and BCS_TEST_SANDBOX are needed");
      return;
    }

  {
    const char *argv[] = { sandbox, "--bc-contacts", "3000", "--outlook-contacts", "300",
                           "--auto-approve", "--seed", "9", NULL };

    g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                             NULL, NULL, &sandbox_pid, NULL, &sandbox_stdout, NULL,
                                             &error));
    g_assert_no_error (error);
  }
  out = g_data_input_stream_new (G_INPUT_STREAM (g_unix_input_stream_new (sandbox_stdout, TRUE)));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  url = strstr (line, "http://");
  g_assert_nonnull (url);

  dir = g_dir_make_tmp ("bcs-crash-XXXXXX", &error);
  g_assert_no_error (error);
  state_home = g_build_filename (dir, "state", NULL);
  env = g_environ_setenv (env, "XDG_STATE_HOME", state_home, TRUE);

  before = get_state (session, url);
  emails_before = count_emails (before);

  for (guint i = 0; i < KILLS; i++)
    {
      const char *mode = i % 3 == 2 ? "--sync" : "--full-sync";
      guint delay_ms = g_rand_int_range (rand, 100, 3500);
      GPid pid = spawn_app (app, url, mode, env);
      pid_t done;

      g_usleep (delay_ms * 1000);
      kill (pid, SIGKILL);
      done = waitpid (pid, &status, 0);
      g_assert_cmpint (done, ==, pid);
      g_test_message ("run %u (%s) killed after %u ms%s", i, mode, delay_ms,
                      WIFSIGNALED (status) ? "" : " (had already finished)");
      g_spawn_close_pid (pid);
    }

  {
    const char *argv[] = { app, "--sandbox", url, "--full-sync", NULL };
    g_autofree char *stdout_text = NULL;
    g_autofree char *stderr_text = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                                 &stdout_text, &stderr_text, &status, &error));
    g_assert_no_error (error);
    g_test_message ("final run:\n%s%s", stdout_text, stderr_text);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  after = get_state (session, url);
  synced = sync_check_state_invariants (after, NULL);
  g_test_message ("%u contacts in Outlook, each once, with equal fields", synced);
  g_assert_cmpuint (synced, >, 1000);

  /* No BC contact deleted; no Outlook contact imported twice */
  emails_after = count_emails (after);
  g_hash_table_iter_init (&iter, emails_before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (emails_after, key)), >=, GPOINTER_TO_UINT (value));
  g_hash_table_iter_init (&iter, emails_after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint was = GPOINTER_TO_UINT (g_hash_table_lookup (emails_before, key));

      if (GPOINTER_TO_UINT (value) > MAX (was, 1))
        g_error ("%u Business Central contacts with e-mail %s", GPOINTER_TO_UINT (value), (char *) key);
    }

  kill (sandbox_pid, SIGTERM);
  waitpid (sandbox_pid, &status, 0);
  g_spawn_close_pid (sandbox_pid);
  {
    g_autofree char *sub = g_build_filename (state_home, "bc-contact-sync", NULL);
    g_autoptr(GDir) d = g_dir_open (sub, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (sub, name, NULL);

        g_remove (file);
      }
    g_rmdir (sub);
    g_rmdir (state_home);
    g_rmdir (dir);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-crash/kill-many-times", test_crash_many_times);

  return g_test_run ();
}
