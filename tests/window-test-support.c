/* window-test-support.c — what the window's tests and its benchmark share */
#include "config.h"

#include <glib/gstdio.h>

#include "window-test-support.h"

BcsResultsView *
window_test_results_view (BcsWindow *window)
{
  return BCS_RESULTS_VIEW (gtk_widget_get_template_child (GTK_WIDGET (window), BCS_TYPE_WINDOW,
                                                          "results_view"));
}

GtkColumnView *
window_test_find_column_view (GtkWidget *widget)
{
  if (GTK_IS_COLUMN_VIEW (widget))
    return GTK_COLUMN_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkColumnView *found = window_test_find_column_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
window_test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        window_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}
