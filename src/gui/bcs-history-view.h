/* bcs-history-view.h — the run history of a profile: its past runs, newest first
 *
 * Reads the runs from the profile's store (in a thread: the store blocks),
 * including those of automatic syncs in the background, and lists them with
 * their mode, time, outcome, counts and message. Activating a run reads its
 * results (in a thread too) and emits "run-loaded" with the run and its
 * results: the window shows them in BcsResultsView, whose Export saves them.
 *
 * Signals:
 *   "runs-loaded" ()                            a reload finished (or failed)
 *   "run-loaded"  (BcsSyncReport *run)          an activated run, with results */
#pragma once

#include <adwaita.h>

#include "bcs-history-format.h"
#include "bcs-sync-result.h"

G_BEGIN_DECLS

#define BCS_TYPE_HISTORY_VIEW (bcs_history_view_get_type ())
G_DECLARE_FINAL_TYPE (BcsHistoryView, bcs_history_view, BCS, HISTORY_VIEW, GtkWidget)

GtkWidget           *bcs_history_view_new          (void);
/* The store to read (NULL: none) and the profile's name for messages. A
 * different store clears the list; bcs_history_view_reload() reads it. */
void                 bcs_history_view_set_store    (BcsHistoryView *self,
                                                    const char     *path,
                                                    const char     *profile_name);
const char          *bcs_history_view_get_store    (BcsHistoryView *self);
/* Reads the runs again; "runs-loaded" when done */
void                 bcs_history_view_reload       (BcsHistoryView *self);
gboolean             bcs_history_view_is_loading   (BcsHistoryView *self);
BcsHistoryPage       bcs_history_view_get_page     (BcsHistoryView *self);
/* The runs listed, newest first (items of a private type: read them with
 * bcs_history_view_get_run) */
GListModel          *bcs_history_view_get_model    (BcsHistoryView *self);
guint                bcs_history_view_get_n_runs   (BcsHistoryView *self);
/* Run POSITION of the list, without its results; NULL past the end */
const BcsSyncReport *bcs_history_view_get_run      (BcsHistoryView *self,
                                                    guint           position);
/* Reads run POSITION's results, then emits "run-loaded" (what activating
 * the row does) */
void                 bcs_history_view_open_run     (BcsHistoryView *self,
                                                    guint           position);

G_END_DECLS
