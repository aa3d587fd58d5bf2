/* window-test-support.h — what the window's tests and its benchmark share */
#pragma once

#include "bcs-results-view.h"
#include "bcs-window.h"

G_BEGIN_DECLS

/* WINDOW's results view (its template child) */
BcsResultsView *window_test_results_view     (BcsWindow *window);
/* The first column view under WIDGET (WIDGET included), or NULL */
GtkColumnView  *window_test_find_column_view (GtkWidget *widget);
/* Removes PATH and everything under it (symbolic links are not followed) */
void            window_test_remove_tree      (const char *path);

G_END_DECLS
