/* bcs-a11y.c — accessibility fixes GTK 4.8 needs */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include "bcs-a11y.h"

void
bcs_a11y_label_inner_toggle (GtkWidget  *widget,
                             const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (label != NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
          return;
        }
    }
}
