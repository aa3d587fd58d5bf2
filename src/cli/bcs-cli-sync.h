/* bcs-cli-sync.h — --sync, --full-sync and --export-results in the terminal */
#pragma once

#include "bcs-cli-options.h"
#include "bcs-cli-progress.h"
#include "bcs-sync-service.h"

G_BEGIN_DECLS

int bcs_cli_sync           (const BcsCliOptions *options);
/* What --sync and --full-sync do with a SERVICE set up already (tests hand
 * in one with their own token source): runs on a context of its own,
 * PROGRESS on stderr, the summary on stdout, the report if asked; returns
 * the exit code of DESIGN.md */
int bcs_cli_sync_run       (BcsSyncService      *service,
                            const BcsCliOptions *options,
                            BcsCliProgress      *progress);
int bcs_cli_export_results (const BcsCliOptions *options);

G_END_DECLS
