/* bcs-sandbox-main.c — the bcs-sandbox executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "bcs-sandbox.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  BcsSandboxOptions options;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(BcsSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state_file = NULL;
  g_autofree char *user = NULL;
  int port = 0, bc_contacts = 0, outlook_contacts = 0, latency_ms = -1, token_lifetime = 3599;
  gint64 seed = 1;
  gboolean auto_approve = FALSE, realistic = FALSE;
  guint sigint, sigterm;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on (0: a free port)", "N" },
    { "bc-contacts", 0, 0, G_OPTION_ARG_INT, &bc_contacts, "Seeded Business Central contacts", "N" },
    { "outlook-contacts", 0, 0, G_OPTION_ARG_INT, &outlook_contacts, "Seeded Outlook contacts", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the generated data (default 1)", "S" },
    { "state", 0, 0, G_OPTION_ARG_FILENAME, &state_file, "Load the state from FILE if it exists, save it there on exit", "FILE" },
    { "auto-approve", 0, 0, G_OPTION_ARG_NONE, &auto_approve, "Approve sign-ins and device codes at once", NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "The signed-in account (default demo@sandbox.example)", "EMAIL" },
    { "realistic", 0, 0, G_OPTION_ARG_NONE, &realistic, "The real services' limits and latency", NULL },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, "Latency of every request in milliseconds", "N" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &token_lifetime, "Access token lifetime (default 3599)", "SECONDS" },
    { NULL }
  };

  context = g_option_context_new ("— a local Microsoft 365 and Business Central");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bcs-sandbox: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || bc_contacts < 0 || outlook_contacts < 0 || token_lifetime <= 0)
    {
      g_printerr ("bcs-sandbox: a port, contact count or token lifetime is out of range\n");
      return 2;
    }

  bcs_sandbox_options_init (&options);
  options.port = (guint) port;
  options.bc_contacts = (guint) bc_contacts;
  options.outlook_contacts = (guint) outlook_contacts;
  options.seed = (guint64) seed;
  options.state_file = g_steal_pointer (&state_file);
  options.auto_approve = auto_approve;
  if (user != NULL)
    {
      g_free (options.user);
      options.user = g_steal_pointer (&user);
    }
  options.realistic = realistic;
  options.latency_ms = latency_ms < 0 ? -1 : latency_ms;
  options.token_lifetime = (guint) token_lifetime;

  sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);

  if (!bcs_sandbox_start (sandbox, &error))
    {
      g_printerr ("bcs-sandbox: could not listen on port %d: %s\n", port, error->message);
      return 2;
    }

  printf ("bcs-sandbox listening on %s\n", bcs_sandbox_get_url (sandbox));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  /* bcs_sandbox_free saves the state file */
  g_clear_pointer (&sandbox, bcs_sandbox_free);
  return EXIT_SUCCESS;
}
