/* bcs-cli-options.h — the command line of DESIGN.md, parsed and checked */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  BCS_CLI_COMMAND_NONE,        /* open the window */
  BCS_CLI_COMMAND_SIGN_IN,
  BCS_CLI_COMMAND_SIGN_OUT,
  BCS_CLI_COMMAND_VALIDATE,
  BCS_CLI_COMMAND_SYNC,
  BCS_CLI_COMMAND_FULL_SYNC,
  BCS_CLI_COMMAND_EXPORT_RESULTS,
  BCS_CLI_COMMAND_BACKGROUND,
} BcsCliCommand;

typedef struct {
  BcsCliCommand command;
  char *profile;              /* never NULL after parsing: "default" */
  char *sandbox_url;          /* NULL: Microsoft's services */
  gboolean dry_run;
  char *report_path;
  gboolean allow_mass_delete;
  char *export_path;
} BcsCliOptions;

void            bcs_cli_options_add_entries (GApplication *app);
BcsCliOptions  *bcs_cli_options_parse       (GVariantDict  *dict,
                                             GError       **error);
void            bcs_cli_options_free        (BcsCliOptions *options);
gboolean        bcs_cli_profile_name_is_valid (const char *name);
gboolean        bcs_cli_url_is_allowed      (const char  *url,
                                             GError     **error);
gboolean        bcs_cli_command_is_headless (BcsCliCommand command);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsCliOptions, bcs_cli_options_free)

G_END_DECLS
