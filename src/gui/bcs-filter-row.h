/* bcs-filter-row.h — an entry row holding one field's Business Central filter */
#pragma once

#include <adwaita.h>

#include "bcs-bc-filter.h"
#include "bcs-filter-row-state.h"

G_BEGIN_DECLS

#define BCS_TYPE_FILTER_ROW (bcs_filter_row_get_type ())
G_DECLARE_FINAL_TYPE (BcsFilterRow, bcs_filter_row, BCS, FILTER_ROW, AdwEntryRow)

GtkWidget               *bcs_filter_row_new       (BcsFilterField  field);
BcsFilterField           bcs_filter_row_get_field (BcsFilterRow   *self);
/* What the row shows for its current text; never NULL */
const BcsFilterRowState *bcs_filter_row_get_state (BcsFilterRow   *self);
gboolean                 bcs_filter_row_is_valid  (BcsFilterRow   *self);

/* Shows STATE (computed for the row's text) on the row: style class, marked
 * character, tooltip, icon and what screen readers hear */
void                     bcs_filter_row_apply_state (BcsFilterRow            *self,
                                                     const BcsFilterRowState *state);

G_END_DECLS
