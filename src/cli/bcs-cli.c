/* bcs-cli.c — the headless commands, run from handle-local-options */
#define G_LOG_DOMAIN "bcs-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-cli.h"
#include "bcs-cli-auth.h"
#include "bcs-cli-sync.h"
#include "bcs-cli-validate.h"

typedef int (*BcsCliHandler) (const BcsCliOptions *options);

static int
not_available_yet (const char *option)
{
  /* TRANSLATORS: %s is a command-line option such as --sync */
  g_printerr (_("%s is not available yet in this version.\n"), option);
  return 2;
}

/* --background goes on in the application (bcs-application-background.c),
 * which handles it before this table is reached */
static int
continue_in_application (const BcsCliOptions *options)
{
  return -1;
}

static const struct {
  BcsCliCommand command;
  const char *option;
  BcsCliHandler handler;     /* NULL: not built yet */
} commands[] = {
  { BCS_CLI_COMMAND_SIGN_IN, "--sign-in", bcs_cli_sign_in },
  { BCS_CLI_COMMAND_SIGN_OUT, "--sign-out", bcs_cli_sign_out },
  { BCS_CLI_COMMAND_VALIDATE, "--validate", bcs_cli_validate },
  { BCS_CLI_COMMAND_SYNC, "--sync", bcs_cli_sync },
  { BCS_CLI_COMMAND_FULL_SYNC, "--full-sync", bcs_cli_sync },
  { BCS_CLI_COMMAND_EXPORT_RESULTS, "--export-results", bcs_cli_export_results },
  { BCS_CLI_COMMAND_BACKGROUND, "--background", continue_in_application },
};

/* Whether the command has been built; the others print "not available yet" */
gboolean
bcs_cli_command_is_available (BcsCliCommand command)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (commands[i].command == command)
      return commands[i].handler != NULL;

  return FALSE;
}

int
bcs_cli_run (const BcsCliOptions *options)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (commands[i].command != options->command)
        continue;

      if (commands[i].handler == NULL)
        return not_available_yet (commands[i].option);

      return commands[i].handler (options);
    }

  g_return_val_if_reached (2);
}
