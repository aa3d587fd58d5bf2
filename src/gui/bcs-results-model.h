/* bcs-results-model.h — a run's per-contact results as a GListModel, made lazily
 *
 * The rows are BcsResultObject, created only when asked for (get_item) and
 * the same object for the same result while someone holds it. Setting the
 * results is O(1) (the array is referenced, not copied); filtering by
 * outcome and search and sorting by a column work on row numbers in O(n),
 * with the keys they need (collation ranks of the text columns, the
 * case-folded search texts) computed once per results array in a worker
 * thread. Nothing waits for them on the main thread: a filter or sort asked
 * for before the keys it needs are ready returns at once, leaving the rows
 * as they are, and is applied (the latest asked for) from the model's main
 * context when the keys are ready — the rows are then those it would have
 * given at once. New results while keys are pending show what needs no keys
 * (no row while a search waits, the results' order while a text column
 * sort waits) until theirs are ready. Every change of the rows is one
 * items-changed. */
#pragma once

#include <gio/gio.h>

#include "bcs-result-object.h"
#include "bcs-results-filter.h"

G_BEGIN_DECLS

/* The columns of the results view, in its order */
typedef enum {
  BCS_RESULTS_COLUMN_NAME,
  BCS_RESULTS_COLUMN_EMAIL,
  BCS_RESULTS_COLUMN_DIRECTION,
  BCS_RESULTS_COLUMN_ACTION,
  BCS_RESULTS_COLUMN_OUTCOME,
  BCS_RESULTS_COLUMN_REASON,
  BCS_RESULTS_N_COLUMNS,
} BcsResultsColumn;

#define BCS_TYPE_RESULTS_MODEL (bcs_results_model_get_type ())
G_DECLARE_FINAL_TYPE (BcsResultsModel, bcs_results_model, BCS, RESULTS_MODEL, GObject)

BcsResultsModel *bcs_results_model_new         (void);
/* RESULTS: BcsSyncResult, referenced (NULL: none); must not change while set */
void             bcs_results_model_set_results (BcsResultsModel  *self,
                                                GPtrArray        *results);
GPtrArray       *bcs_results_model_get_results (BcsResultsModel  *self);
/* set_results and set_filter at once: one items-changed */
void             bcs_results_model_replace     (BcsResultsModel  *self,
                                                GPtrArray        *results,
                                                BcsResultsShow    show,
                                                const char       *search_key);
/* Shows the rows under SHOW whose name or e-mail holds SEARCH_KEY
 * (bcs_results_search_key_new(); NULL: any), as bcs_results_filter_matches() */
void             bcs_results_model_set_filter  (BcsResultsModel  *self,
                                                BcsResultsShow    show,
                                                const char       *search_key);
/* Sorts by COLUMN as the column shows it (case-insensitive collation of the
 * text; -1: the order of the results), equal rows in the results' order */
void             bcs_results_model_set_sort    (BcsResultsModel  *self,
                                                int               column,
                                                gboolean          descending);
/* Whether the filter or sort asked for last waits for its keys (the rows
 * show what they showed before; the model changes once the keys are there) */
gboolean         bcs_results_model_is_pending  (BcsResultsModel  *self);
/* How COLUMN orders results A and B (indices into the results): <0, 0, >0;
 * never waits for the keys */
int              bcs_results_model_compare     (BcsResultsModel  *self,
                                                BcsResultsColumn  column,
                                                guint             a,
                                                guint             b);

G_END_DECLS
