/* bcs-a11y.h — accessibility fixes GTK 4.8 needs */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 gives the accessible label set in a .ui to a GtkMenuButton or
 * GtkDropDown, not to the toggle button inside it that screen readers reach
 * (which then reads as "GtkToggleButton"): gives LABEL to that one too. */
void bcs_a11y_label_inner_toggle (GtkWidget  *widget,
                                  const char *label);

G_END_DECLS
