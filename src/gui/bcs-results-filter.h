/* bcs-results-filter.h — what the results view shows: counts, labels, the filter
 *
 * Pure functions over BcsSyncResult rows (no widgets): the results view
 * (bcs-results-view.c) applies them, tests check them without a display. */
#pragma once

#include <glib.h>

#include "bcs-sync-result.h"

G_BEGIN_DECLS

/* The choices of the outcome filter, in the order the view lists them */
typedef enum {
  BCS_RESULTS_SHOW_ALL,
  BCS_RESULTS_SHOW_OK,
  BCS_RESULTS_SHOW_SKIPPED,
  BCS_RESULTS_SHOW_FAILED,
  BCS_RESULTS_SHOW_PLANNED,
  BCS_RESULTS_N_SHOW,
} BcsResultsShow;

/* COUNTS[BCS_RESULTS_SHOW_ALL] is the number of rows, the others the rows
 * with that outcome. RESULTS holds BcsSyncResult (NULL: none). */
void      bcs_results_count            (GPtrArray           *results,
                                        guint                counts[BCS_RESULTS_N_SHOW]);
/* "All (12)", "Failed (1)": translated */
char     *bcs_results_show_label       (BcsResultsShow       show,
                                        guint                count);
/* The search text as compared (normalized, case-folded), NULL when it
 * holds nothing but spaces */
char     *bcs_results_search_key_new   (const char          *text);
/* Whether RESULT is shown under SHOW with SEARCH_KEY (from
 * bcs_results_search_key_new(), NULL: no search) found in its name or
 * e-mail */
gboolean  bcs_results_filter_matches   (const BcsSyncResult *result,
                                        BcsResultsShow       show,
                                        const char          *search_key);

/* Translated words for the columns */
const char *bcs_results_direction_label (BcsSyncDirection    direction);
const char *bcs_results_action_label    (BcsSyncResultAction action);
const char *bcs_results_outcome_label   (BcsSyncOutcome      outcome);

/* The details of one row for people: what was done, the fields written,
 * why it was skipped or failed and what to do about it */
char     *bcs_results_describe_details (const BcsSyncResult *result);

G_END_DECLS
