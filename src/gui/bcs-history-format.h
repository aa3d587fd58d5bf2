/* bcs-history-format.h — how the run history describes a run (pure)
 *
 * No widgets: BcsHistoryView applies these, tests check them without a
 * display. Every string is translated. */
#pragma once

#include <glib.h>

#include "bcs-sync-result.h"

G_BEGIN_DECLS

/* When RUN started, in NOW's time zone: "Today at 14:02", "Yesterday at
 * 09:15", else e.g. "24 Nov 2026 at 14:02"; "" when unknown */
char       *bcs_history_format_when      (const BcsSyncReport *run,
                                          GDateTime           *now);
/* "Sync", "Full Sync", "Preview" (a dry run) */
const char *bcs_history_mode_label       (const BcsSyncReport *run);
/* The row's title: "Today at 14:02 — Sync" */
char       *bcs_history_format_title     (const BcsSyncReport *run,
                                          GDateTime           *now);
/* The counts that are not zero, joined with " · ": "12 created · 3 updated ·
 * 1 failed" ("12 to create …" for a preview or a braked run); "No
 * changes: 40 contacts already the same" or "No contacts" when nothing
 * was written */
char       *bcs_history_format_counts    (const BcsSyncReport *run);
/* "Finished", "Partly failed", "Failed", "Stopped by the safety brake",
 * "Cancelled", "Did not finish" */
const char *bcs_history_outcome_label    (BcsSyncRunOutcome    outcome);
/* A symbolic icon name and a style class ("success", "warning", "error",
 * "dim-label") for the outcome */
const char *bcs_history_outcome_icon     (BcsSyncRunOutcome    outcome);
const char *bcs_history_outcome_style    (BcsSyncRunOutcome    outcome);
/* What a screen reader says for the row: title, outcome, counts and
 * message in one sentence-like text */
char       *bcs_history_describe_run     (const BcsSyncReport *run,
                                          GDateTime           *now);

/* Which page the history shows */
typedef enum {
  BCS_HISTORY_PAGE_LOADING,   /* first load, nothing to show yet */
  BCS_HISTORY_PAGE_RUNS,
  BCS_HISTORY_PAGE_EMPTY,     /* no run yet */
  BCS_HISTORY_PAGE_ERROR,     /* the store could not be read */
} BcsHistoryPage;

/* LOADED: a load finished (else one runs for the first time); FAILED: the
 * last load failed; N_RUNS: the runs it listed */
BcsHistoryPage bcs_history_page_for      (gboolean             loaded,
                                          gboolean             failed,
                                          guint                n_runs);

G_END_DECLS
