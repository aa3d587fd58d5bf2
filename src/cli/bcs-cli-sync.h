/* bcs-cli-sync.h — --sync, --full-sync and --export-results in the terminal */
#pragma once

#include "bcs-cli-options.h"

G_BEGIN_DECLS

int bcs_cli_sync           (const BcsCliOptions *options);
int bcs_cli_export_results (const BcsCliOptions *options);

G_END_DECLS
