/* bcs-cli-progress.h — a sync's progress, as --sync prints it on stderr
 *
 * A line when the phase changes and one for every throttling wait
 * ("Microsoft 365 asked us to wait — resuming in N s"). While writing, the
 * count goes on: on a terminal it is updated in place on one line ('\r'), at
 * most every BCS_CLI_PROGRESS_TERMINAL_US; in a log (not a terminal) a new
 * line at most every tenth of the contacts or every
 * BCS_CLI_PROGRESS_LOG_US, never a '\r'. The last count (done = total) is
 * always shown. Times come from the caller (monotonic µs), so tests need no
 * real waiting. */
#pragma once

#include <glib.h>

#include "bcs-sync-engine.h"

G_BEGIN_DECLS

#define BCS_CLI_PROGRESS_TERMINAL_US (G_USEC_PER_SEC / 4)
#define BCS_CLI_PROGRESS_LOG_US      (G_GINT64_CONSTANT (5) * G_USEC_PER_SEC)

/* Receives the text to print as is (it may hold '\r' and '\n') */
typedef void (*BcsCliProgressWriteFunc) (const char *text,
                                         gpointer    user_data);

typedef struct _BcsCliProgress BcsCliProgress;

/* TERMINAL: update one line in place; WRITE NULL: stderr */
BcsCliProgress *bcs_cli_progress_new    (gboolean                 terminal,
                                         BcsCliProgressWriteFunc  write,
                                         gpointer                 user_data);
void            bcs_cli_progress_free   (BcsCliProgress          *self);
void            bcs_cli_progress_update (BcsCliProgress          *self,
                                         const BcsSyncProgress   *progress,
                                         gint64                   now_us);
/* The run is over: ends a line left open on the terminal, so that what is
 * printed next starts on a line of its own */
void            bcs_cli_progress_finish (BcsCliProgress          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsCliProgress, bcs_cli_progress_free)

G_END_DECLS
