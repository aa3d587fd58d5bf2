/* bcs-cli.h — the headless commands, run from handle-local-options */
#pragma once

#include "bcs-cli-options.h"

G_BEGIN_DECLS

/* Runs a headless command without initialising GTK; returns the exit code of
 * DESIGN.md (0 success, 1 some contacts failed, 2 configuration or connection,
 * 3 brake, 4 cancelled). */
int      bcs_cli_run                  (const BcsCliOptions *options);
gboolean bcs_cli_command_is_available (BcsCliCommand        command);

G_END_DECLS
