/* bcs-results-view.h — every contact's result of a run: filter, search, sort, details, export */
#pragma once

#include <adwaita.h>

#include "bcs-results-filter.h"
#include "bcs-sync-result.h"

G_BEGIN_DECLS

#define BCS_TYPE_RESULTS_VIEW (bcs_results_view_get_type ())
G_DECLARE_FINAL_TYPE (BcsResultsView, bcs_results_view, BCS, RESULTS_VIEW, GtkWidget)

GtkWidget           *bcs_results_view_new          (void);
/* Shows REPORT's results (copied; NULL: none). A dry run shows Apply. */
void                 bcs_results_view_set_report   (BcsResultsView      *self,
                                                    const BcsSyncReport *report);
const BcsSyncReport *bcs_results_view_get_report   (BcsResultsView      *self);
/* The rows as shown: filtered and sorted (BcsResultObject) */
GListModel          *bcs_results_view_get_model    (BcsResultsView      *self);
void                 bcs_results_view_set_show     (BcsResultsView      *self,
                                                    BcsResultsShow       show);
void                 bcs_results_view_set_search   (BcsResultsView      *self,
                                                    const char          *text);
void                 bcs_results_view_focus_search (BcsResultsView      *self);
/* The details dialog of row POSITION of the shown model */
void                 bcs_results_view_show_details (BcsResultsView      *self,
                                                    guint                position);

G_END_DECLS
