/* bcs-cli-validate.h — --validate: the connection checks in the terminal */
#pragma once

#include "bcs-cli-options.h"

G_BEGIN_DECLS

int   bcs_cli_validate           (const BcsCliOptions *options);

/* The report printed for RESULTS (BcsConnectionCheckResult): a line per
 * check with its mark, the message and hint indented below, and a final
 * line. UTF8: marks ✓ ✗ ! – and →; otherwise plain ASCII. */
char *bcs_cli_validate_format    (GPtrArray           *results,
                                  gboolean             utf8);
/* 0 when no check failed, else 2 */
int   bcs_cli_validate_exit_code (GPtrArray           *results);

G_END_DECLS
