/* bcs-staged-model.h — a GListModel that reveals a wholesale change of another in steps
 *
 * Passes small changes of the inner model through as they are. When the
 * inner model's rows change wholesale (new results, filter, search, sort),
 * it first exposes only the first STEP rows (none while the pacer is not
 * shown: its first frame draws the page alone), then STEP more per frame (the
 * pacer widget's tick callback; an idle without one) until LIMIT rows are
 * exposed, then all the rest in one items-changed: a list view creates row
 * widgets only for the rows it shows, so the widgets of one screenful are
 * made a few rows per frame, not all in one stall. Every items-changed
 * agrees with get_n_items/get_item; a new wholesale change during a reveal
 * restarts it. The exposed rows are always the inner model's first rows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BCS_TYPE_STAGED_MODEL (bcs_staged_model_get_type ())
G_DECLARE_FINAL_TYPE (BcsStagedModel, bcs_staged_model, BCS, STAGED_MODEL, GObject)

/* INNER: referenced; STEP rows per frame up to LIMIT, then the rest */
BcsStagedModel *bcs_staged_model_new        (GListModel     *inner,
                                             guint           step,
                                             guint           limit);
GListModel     *bcs_staged_model_get_inner  (BcsStagedModel *self);
/* Paces the reveal by PACER's frames (NULL: an idle); while PACER is not
 * shown the reveal waits (it makes no row widgets then either) */
void            bcs_staged_model_set_pacer  (BcsStagedModel *self,
                                             GtkWidget      *pacer);
/* Whether rows are still being revealed */
gboolean        bcs_staged_model_is_staging (BcsStagedModel *self);

G_END_DECLS
