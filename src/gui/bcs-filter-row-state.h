/* bcs-filter-row-state.h — what a filter row shows for the expression typed in it
 *
 * Pure (no GTK): the row applies the state (bcs-filter-row.c), the tests check
 * it without a display. */
#pragma once

#include <glib.h>

#include "bcs-bc-filter.h"

G_BEGIN_DECLS

typedef struct {
  gboolean    valid;              /* parses: the window saves it */
  gboolean    empty;              /* blank: any value passes, nothing is stored */
  char       *message;            /* the parser's message when invalid, else NULL */
  int         error_offset;       /* character offset (from 0) of the error, -1 when valid */
  int         error_start_index;  /* byte range of the text to mark as wrong, -1 when valid */
  int         error_end_index;
  const char *css_class;          /* "error" when invalid, else NULL */
  char       *tooltip;            /* the example, or why it is not saved */
} BcsFilterRowState;

BcsFilterRowState *bcs_filter_row_state_new         (BcsFilterField     field,
                                                     const char        *text);
void               bcs_filter_row_state_free        (BcsFilterRowState *state);

/* The row's title with a mnemonic, e.g. "C_ity" (translated) */
const char        *bcs_filter_row_state_get_title   (BcsFilterField     field);
/* The title without its mnemonic, e.g. "City", for screen readers */
char              *bcs_filter_row_state_dup_label   (BcsFilterField     field);
/* An expression that shows the syntax on this field, e.g. "Berlin|Hamburg" */
const char        *bcs_filter_row_state_get_example (BcsFilterField     field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsFilterRowState, bcs_filter_row_state_free)

G_END_DECLS
