/* bcs-cli-options.c — the command line of DESIGN.md, parsed and checked */
#define G_LOG_DOMAIN "bcs-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bcs-cli-options.h"
#include "bcs-error.h"
#include "bcs-profile.h"

static const GOptionEntry option_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Which setup to use (default: “default”)"), N_("NAME") },
  { "sandbox", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Use a local bcs-sandbox at URL instead of Microsoft’s services"), N_("URL") },
  { "sign-in", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Sign in in the terminal (device code flow)"), NULL },
  { "sign-out", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Forget the account’s tokens"), NULL },
  { "validate", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the connection checks, print each, exit 0 if all pass"), NULL },
  { "sync", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run an incremental sync headless and print a summary"), NULL },
  { "full-sync", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run a full sync headless and print a summary"), NULL },
  { "dry-run", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --sync or --full-sync: plan only, write nothing"), NULL },
  { "report", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the run’s JSON report to FILE"), N_("FILE") },
  { "allow-mass-delete", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Let a run pass the safety brake"), NULL },
  { "export-results", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the last run’s per-contact results to FILE (.csv or .json)"), N_("FILE") },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start without a window, for automatic sync"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

void
bcs_cli_options_add_entries (GApplication *app)
{
  g_application_add_main_option_entries (app, option_entries);
  g_application_set_option_context_summary (app,
    _("Keeps the contacts of a Business Central company and an Outlook folder in sync."));
}

gboolean
bcs_cli_profile_name_is_valid (const char *name)
{
  return bcs_profile_name_is_valid (name);
}

/* GUri accepts spaces and other junk in a host name; a server name has none */
static gboolean
host_is_valid (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;

  return TRUE;
}

/* https everywhere; plain http only to a loopback address */
gboolean
bcs_cli_url_is_allowed (const char  *url,
                        GError     **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme;
  const char *host;

  if (uri == NULL || !host_is_valid (g_uri_get_host (uri)))
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                   _("“%s” is not a web address. Give one like https://host/path."), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      g_autoptr (GInetAddress) address = g_inet_address_new_from_string (host);

      if (g_ascii_strcasecmp (host, "localhost") == 0 ||
          (address != NULL && g_inet_address_get_is_loopback (address)))
        return TRUE;

      g_set_error (error, BCS_ERROR, BCS_ERROR_INSECURE,
                   _("Plain http is only allowed to this computer (127.0.0.1 or localhost), not to “%s”. Use https."),
                   host);
      return FALSE;
    }

  g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
               _("“%s” is not an http or https address."), url);
  return FALSE;
}

gboolean
bcs_cli_command_is_headless (BcsCliCommand command)
{
  return command != BCS_CLI_COMMAND_NONE && command != BCS_CLI_COMMAND_BACKGROUND;
}

void
bcs_cli_options_free (BcsCliOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->profile);
  g_free (options->sandbox_url);
  g_free (options->report_path);
  g_free (options->export_path);
  g_free (options);
}

static gboolean
lookup_flag (GVariantDict *dict,
             const char   *name)
{
  gboolean value = FALSE;

  g_variant_dict_lookup (dict, name, "b", &value);
  return value;
}

BcsCliOptions *
bcs_cli_options_parse (GVariantDict  *dict,
                       GError       **error)
{
  g_autoptr (BcsCliOptions) options = g_new0 (BcsCliOptions, 1);
  static const struct { const char *name; BcsCliCommand command; } commands[] = {
    { "sign-in", BCS_CLI_COMMAND_SIGN_IN },
    { "sign-out", BCS_CLI_COMMAND_SIGN_OUT },
    { "validate", BCS_CLI_COMMAND_VALIDATE },
    { "sync", BCS_CLI_COMMAND_SYNC },
    { "full-sync", BCS_CLI_COMMAND_FULL_SYNC },
    { "export-results", BCS_CLI_COMMAND_EXPORT_RESULTS },
    { "background", BCS_CLI_COMMAND_BACKGROUND },
  };
  const char *chosen = NULL;

  if (!g_variant_dict_lookup (dict, "profile", "s", &options->profile))
    options->profile = g_strdup ("default");
  g_variant_dict_lookup (dict, "sandbox", "s", &options->sandbox_url);
  g_variant_dict_lookup (dict, "report", "^ay", &options->report_path);
  g_variant_dict_lookup (dict, "export-results", "^ay", &options->export_path);
  options->dry_run = lookup_flag (dict, "dry-run");
  options->allow_mass_delete = lookup_flag (dict, "allow-mass-delete");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_variant_dict_contains (dict, commands[i].name))
        continue;

      if (chosen != NULL)
        {
          g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                       _("--%s and --%s cannot be used together. Choose one."),
                       chosen, commands[i].name);
          return NULL;
        }

      chosen = commands[i].name;
      options->command = commands[i].command;
    }

  if (!bcs_cli_profile_name_is_valid (options->profile))
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                   _("“%s” is not a valid profile name. Use letters, digits, “-” and “_” (at most 64)."),
                   options->profile);
      return NULL;
    }

  if (options->sandbox_url != NULL && !bcs_cli_url_is_allowed (options->sandbox_url, error))
    return NULL;

  if (options->command != BCS_CLI_COMMAND_SYNC && options->command != BCS_CLI_COMMAND_FULL_SYNC)
    {
      const char *needs_sync = NULL;

      if (options->dry_run)
        needs_sync = "--dry-run";
      else if (options->report_path != NULL)
        needs_sync = "--report";
      else if (options->allow_mass_delete)
        needs_sync = "--allow-mass-delete";

      if (needs_sync != NULL)
        {
          g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                       _("%s only works with --sync or --full-sync."), needs_sync);
          return NULL;
        }
    }

  return g_steal_pointer (&options);
}
