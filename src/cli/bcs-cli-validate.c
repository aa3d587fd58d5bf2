/* bcs-cli-validate.c — --validate: runs the connection checks and prints each */
#define G_LOG_DOMAIN "bcs-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-cli-loop.h"
#include "bcs-cli-validate.h"
#include "bcs-connection-check.h"
#include "bcs-error.h"
#include "bcs-profile.h"

static const char *
mark (BcsCheckStatus status,
      gboolean       utf8)
{
  switch (status)
    {
    case BCS_CHECK_STATUS_PASS:
      return utf8 ? "✓" : "+";
    case BCS_CHECK_STATUS_WARNING:
      return "!";
    case BCS_CHECK_STATUS_FAIL:
      return utf8 ? "✗" : "x";
    case BCS_CHECK_STATUS_SKIPPED:
    default:
      return utf8 ? "–" : "-";
    }
}

char *
bcs_cli_validate_format (GPtrArray *results,
                         gboolean   utf8)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint failed = 0, warnings = 0;

  g_return_val_if_fail (results != NULL, NULL);

  for (guint i = 0; i < results->len; i++)
    {
      const BcsConnectionCheckResult *result = results->pdata[i];

      g_string_append_printf (text, "%s %s\n    %s\n", mark (result->status, utf8), result->title,
                              result->message);
      if (result->hint != NULL)
        g_string_append_printf (text, "    %s %s\n", utf8 ? "→" : "->", result->hint);
      failed += result->status == BCS_CHECK_STATUS_FAIL;
      warnings += result->status == BCS_CHECK_STATUS_WARNING;
    }

  if (failed > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "The connection is not ready: %u check failed.",
                                               "The connection is not ready: %u checks failed.", failed),
                            failed);
  else if (warnings > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "The connection is ready, with %u warning to look at.",
                                               "The connection is ready, with %u warnings to look at.", warnings),
                            warnings);
  else
    g_string_append (text, _("The connection is ready: every check passed."));
  g_string_append_c (text, '\n');

  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
bcs_cli_validate_exit_code (GPtrArray *results)
{
  return bcs_connection_check_results_passed (results) ? 0 : 2;
}

typedef struct {
  BcsCliLoop loop;
  GPtrArray *results;
  GError *error;
} Run;

static void
on_checked (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;

  run->results = bcs_connection_check_run_finish (BCS_CONNECTION_CHECK (object), result, &run->error);
  bcs_cli_loop_quit (&run->loop);
}

int
bcs_cli_validate (const BcsCliOptions *options)
{
  g_autoptr(BcsProfile) profile = NULL;
  g_autoptr(BcsConnectionCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Run run = { 0 };
  int status;

  profile = bcs_profile_new (options->profile, options->sandbox_url, &error);
  if (profile == NULL)
    {
      g_printerr (_("Cannot check the connection: %s\n"), error->message);
      return 2;
    }

  bcs_cli_loop_init (&run.loop);
  check = bcs_connection_check_new_for_profile (profile);
  /* As --sync does against a sandbox */
  bcs_connection_check_set_default_company (check, bcs_profile_is_sandbox (profile));

  /* TRANSLATORS: %s is a profile name */
  g_print (_("Checking the connection of profile “%s”…\n"), bcs_profile_get_name (profile));
  bcs_connection_check_run_async (check, run.loop.cancellable, on_checked, &run);
  bcs_cli_loop_run (&run.loop);

  if (run.results != NULL)
    {
      text = bcs_cli_validate_format (run.results, g_get_charset (NULL));
      g_print ("%s", text);
      status = bcs_cli_validate_exit_code (run.results);
    }
  else
    {
      g_printerr (_("The connection check stopped: %s\n"), run.error->message);
      status = g_error_matches (run.error, BCS_ERROR, BCS_ERROR_CANCELLED) ? 4 : 2;
    }

  g_clear_object (&check);
  bcs_cli_loop_clear (&run.loop);

  g_clear_pointer (&run.results, g_ptr_array_unref);
  g_clear_error (&run.error);
  return status;
}
